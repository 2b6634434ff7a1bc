"""The Slack bot under abuse: slow clients, replays and retries, floods, hung links, bad headers,
huge unsigned bodies, secrets in error messages. Servers run on 127.0.0.1 only; every wait is
bounded."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import httpx
import pytest
from loopback import MockSlack, Site, article_site, mock_slack
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from test_slack import ARTICLE_A, ARTICLE_B, SECRET, TOKEN
from waitress import wasyncore

from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.errors import FactcheckError
from factcheck.fetch import fetch_url
from factcheck.slack import (
    BUSY,
    HTTP_THREADS,
    Checker,
    Seen,
    Settings,
    build_app,
    http_server,
    polite,
    serve,
)

pytestmark = pytest.mark.usefixtures("no_leaked_log_filters")

LEAKED_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c"


def signed_request(
    body: str, content_type: str, *, timestamp: str | None = None, **headers: str
) -> BoltRequest:
    """A request signed with SECRET; `timestamp` defaults to now."""
    timestamp = timestamp or str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    all_headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [timestamp],
        "x-slack-signature": [signature],
    } | {name.replace("_", "-"): [value] for name, value in headers.items()}
    return BoltRequest(body=body, headers=all_headers)


def slash_body(text: str, trigger: str = "1.2.3") -> str:
    return urlencode(
        {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/factcheck",
            "text": text,
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": trigger,
        }
    )


def slash(text: str, trigger: str = "1.2.3") -> BoltRequest:
    return signed_request(slash_body(text, trigger), "application/x-www-form-urlencoded")


def mention_body(text: str, event_id: str, ts: str = "1700000100.000001") -> str:
    event = {"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1"}
    return json.dumps(
        {
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
    )


def copy(request: BoltRequest) -> BoltRequest:
    """The same bytes and headers again: what a replaying attacker sends."""
    return BoltRequest(body=request.raw_body, headers=dict(request.headers))


def make_app(slack: MockSlack, checker: Checker, *, socket_mode: bool = False):
    client = WebClient(token=TOKEN, base_url=slack.base_url)
    secret = None if socket_mode else SECRET
    return build_app(TOKEN, secret, checker=checker, client=client, process_before_response=True)


class Links:
    """A fetcher whose links containing "hang" block until released; others fail at once."""

    def __init__(self) -> None:
        self.released = threading.Event()

    def fetch(self, url: str):
        if "hang" in url:
            self.released.wait(30)
        raise FactcheckError(f"{url}: the server answered HTTP 404")


def quick_checker(fetch: Callable, **limits) -> Checker:
    return Checker(
        fetch=fetch, engine=fake_engine(), store=MemoryStore(), update_interval=0, **limits
    )


def finals(slack: MockSlack) -> dict[str, str]:
    """The last text of each status message, by its ts."""
    texts: dict[str, str] = {}
    for call in slack.of("chat.update"):
        texts[call.params["ts"]] = call.params["text"]
    return texts


def until(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until `condition` held; fails the test after `timeout`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with mock_slack() as slack:
        yield slack


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with article_site() as site:
        site.pages["/a"] = (200, "text/html; charset=utf-8", ARTICLE_A.encode(), {})
        site.pages["/b"] = (200, "text/html; charset=utf-8", ARTICLE_B.encode(), {})
        yield site


@contextmanager
def serving(app) -> Iterator[str]:
    """The production HTTP server on a free loopback port, its loop in a background thread.

    The loop stops on a flag and closes its own sockets: a socket closed from this thread would
    race select(), and waking the loop through waitress's trigger fails once it is closed.
    """
    server = http_server(app, "127.0.0.1", 0)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        wasyncore.close_all(server._map)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/slack/events"
    finally:
        server.task_dispatcher.shutdown()
        stop.set()
        thread.join(5)


def post(url: str, request: BoltRequest, timeout: float = 5) -> httpx.Response:
    headers = {name: values[0] for name, values in request.headers.items()}
    with httpx.Client(trust_env=False, timeout=timeout) as client:
        return client.post(url, content=request.raw_body.encode(), headers=headers)


def raw_post(url: str, request: BoltRequest, timeout: float = 5) -> int:
    """POST with the headers as given, even ones an HTTP client refuses to send; the status."""
    port = int(url.split(":")[2].split("/")[0])
    body = request.raw_body.encode()
    head = "".join(f"{name}: {values[0]}\r\n" for name, values in request.headers.items())
    message = f"POST /slack/events HTTP/1.0\r\n{head}Content-Length: {len(body)}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(message.encode() + body)
        answer = sock.makefile("rb").readline()
    return int(answer.split()[1])


# 1. A production server: slow clients hold no request thread.


def test_trickling_connections_do_not_block_signed_requests(slack: MockSlack) -> None:
    app = make_app(slack, quick_checker(Links().fetch))
    stop = threading.Event()
    with serving(app) as url:
        port = int(url.split(":")[2].split("/")[0])
        tricklers = [socket.create_connection(("127.0.0.1", port)) for _ in range(HTTP_THREADS + 4)]

        def trickle() -> None:
            head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
            for sock in tricklers:
                sock.sendall(head[:20])
            while not stop.wait(0.1):
                for sock in tricklers:
                    sock.sendall(b"x")

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        try:
            time.sleep(0.5)  # every trickling connection is open and sending
            started = time.monotonic()
            response = post(url, slash("https://one.example/only"))
            answered = time.monotonic() - started
        finally:
            stop.set()
            trickler.join(5)
            for sock in tricklers:
                sock.close()
    assert response.status_code == 200
    assert answered < 2
    assert "at least two" in slack.of("chat.postMessage")[0].params["text"]


def test_serve_runs_the_production_server_on_the_given_host(slack: MockSlack, monkeypatch) -> None:
    started: list[tuple[str, int]] = []

    class Server:
        def __init__(self, app, host: str, port: int) -> None:
            started.append((host, port))

        def run(self) -> None:
            pass

    monkeypatch.setattr("factcheck.slack.http_server", Server)
    client = WebClient(token=TOKEN, base_url=slack.base_url)
    serve(Settings(TOKEN, SECRET, None), port=3999, client=client)
    serve(Settings(TOKEN, SECRET, None, host="127.0.0.1"), client=client)
    serve(Settings(TOKEN, SECRET, None), host="::1", client=client)
    assert started == [("0.0.0.0", 3999), ("127.0.0.1", 3000), ("::1", 3000)]


# 2. Replays and retries run once; the table that remembers them stays bounded.


def test_replayed_request_runs_once(slack: MockSlack) -> None:
    checker = quick_checker(Links().fetch)
    app = make_app(slack, checker)
    first = slash("https://a.example/1 https://b.example/2")
    responses = [app.dispatch(copy(first)) for _ in range(3)]
    checker.wait(timeout=10)
    assert [r.status for r in responses] == [200, 200, 200]
    assert len(slack.of("chat.postMessage")) == 1  # one "checking" message, one check


def test_event_retries_run_one_check_and_post_one_report(slack: MockSlack, site: Site) -> None:
    checker = Checker(
        fetch=fetch_url,
        engine=fake_engine({"million": "contradicts"}),
        store=MemoryStore(),
        update_interval=0,
    )
    app = make_app(slack, checker)
    body = mention_body(f"<@UBOT> <{site.url('/a')}> <{site.url('/b')}>", "EvRETRY1")
    now = int(time.time())
    deliveries = [
        signed_request(body, "application/json", timestamp=str(now - 3)),
        signed_request(body, "application/json", timestamp=str(now - 2), x_slack_retry_num="1"),
        signed_request(body, "application/json", timestamp=str(now - 1), x_slack_retry_num="2"),
    ]
    assert [app.dispatch(d).status for d in deliveries] == [200, 200, 200]
    checker.wait(timeout=120)
    checking, report = (c.params for c in slack.of("chat.postMessage"))
    assert "Checking 2 sources" in checking["text"]
    assert "Neutral summary" in json.dumps(report["blocks"])
    assert len(slack.of("files.completeUploadExternal")) == 1


def test_socket_mode_event_retries_run_once(slack: MockSlack) -> None:
    checker = quick_checker(Links().fetch)
    app = make_app(slack, checker, socket_mode=True)
    body = json.loads(mention_body("<@UBOT> https://a.example/1 https://b.example/2", "EvSOCK"))
    for retry in range(3):
        request = BoltRequest(body=body | {"retry_attempt": retry}, mode="socket_mode")
        assert app.dispatch(request).status == 200
    checker.wait(timeout=10)
    assert len(slack.of("chat.postMessage")) == 1


def test_dedupe_table_forgets_after_the_window_and_stays_bounded() -> None:
    now = [1000.0]
    seen = Seen(ttl=600, limit=50, clock=lambda: now[0])
    assert seen.first("signature:v0=1") and not seen.first("signature:v0=1")
    now[0] += 599
    assert not seen.first("signature:v0=1")  # still within Slack's retry window
    now[0] += 2
    assert seen.first("event:Ev2") and len(seen) == 1  # the first entry expired
    for number in range(500):
        seen.first(f"event:flood-{number}")
    assert len(seen) == 50


# 3. A bounded queue and a worker pool.


def test_burst_of_slash_commands_is_bounded(slack: MockSlack) -> None:
    links = Links()
    checker = quick_checker(links.fetch, workers=2, queue=20)
    app = make_app(slack, checker)
    started = time.monotonic()
    responses = [
        app.dispatch(slash(f"https://hang.example/{n} https://b.example/{n}", trigger=f"t{n}"))
        for n in range(50)
    ]
    elapsed = time.monotonic() - started
    try:
        busy = [r for r in responses if BUSY in (r.body or "")]
        accepted = len(slack.of("chat.postMessage"))
        assert all(r.status == 200 for r in responses)
        assert accepted == 22  # 2 running, 20 waiting
        assert len(busy) == 50 - accepted
        assert elapsed < 5
        assert sum(t.name.startswith("factcheck-worker") for t in threading.enumerate()) >= 2
    finally:
        links.released.set()
        checker.wait(timeout=30)
    assert len(finals(slack)) == accepted  # each accepted check was answered


def test_mention_when_the_queue_is_full_is_answered_in_its_thread(slack: MockSlack) -> None:
    links = Links()
    checker = quick_checker(links.fetch, workers=1, queue=0)
    app = make_app(slack, checker)
    try:
        text = "<@UBOT> https://hang.example/1 https://b.example/2"
        app.dispatch(signed_request(mention_body(text, "EvA", "1.1"), "application/json"))
        app.dispatch(signed_request(mention_body(text, "EvB", "2.2"), "application/json"))
        assert app.dispatch(slash("https://hang.example/3 https://b.example/4")).body == BUSY
    finally:
        links.released.set()
        checker.wait(timeout=30)
    checking, busy = (c.params for c in slack.of("chat.postMessage"))
    assert checking["thread_ts"] == "1.1" and "Checking" in checking["text"]
    assert busy["thread_ts"] == "2.2" and busy["text"] == BUSY


# 4. A deadline per check: one hung link holds nothing behind it.


def test_checks_after_a_hung_one_finish_promptly(slack: MockSlack) -> None:
    links = Links()
    checker = quick_checker(links.fetch, workers=2, deadline=60)
    app = make_app(slack, checker)
    try:
        app.dispatch(slash("https://hang.example/1 https://b.example/1", trigger="hang"))
        started = time.monotonic()
        for n in range(5):
            app.dispatch(slash(f"https://gone.example/{n} https://b.example/{n}", trigger=f"{n}"))
        done = until(lambda: sum(":warning:" in t for t in finals(slack).values()) == 5, 10)
        assert time.monotonic() - started < 5 and done < 5
    finally:
        links.released.set()
        checker.wait(timeout=30)


def test_deadline_frees_the_worker_and_tells_the_thread(slack: MockSlack) -> None:
    links = Links()
    checker = quick_checker(links.fetch, workers=1, deadline=1)
    app = make_app(slack, checker)
    try:
        app.dispatch(slash("https://hang.example/1 https://b.example/1", trigger="hang"))
        hung = slack.of("chat.postMessage")[0].params
        for n in range(5):
            app.dispatch(slash(f"https://gone.example/{n} https://b.example/{n}", trigger=f"{n}"))
        checker.wait(timeout=10)  # the hung fetch is still blocked: the deadline answered it
        texts = finals(slack)
        hung_ts = "1700000000.000001"
        assert hung["text"].startswith(":hourglass_flowing_sand: Checking 2")
        assert "took longer than 1 second" in texts[hung_ts]
        assert texts[hung_ts].startswith(":warning: Sorry")
        assert sum("could not read" in t for t in texts.values()) == 5
    finally:
        links.released.set()
    time.sleep(0.3)  # the abandoned check wakes up: it must not overwrite the notice
    assert "took longer than" in finals(slack)[hung_ts]


# 5. A malformed timestamp is a 401, never a 500.


@pytest.mark.parametrize("timestamp", ["abc", "1e9", " 1700000000", "١٧٠٠٠٠٠٠٠٠", "9" * 40, ""])
def test_non_numeric_timestamp_is_refused_with_401(
    slack: MockSlack, timestamp: str, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    checker = quick_checker(Links().fetch)
    app = make_app(slack, checker)
    request = slash("https://a.example/1 https://b.example/2")
    request.headers["x-slack-request-timestamp"] = [timestamp]
    assert app.dispatch(request).status == 401
    with serving(app) as url:
        assert raw_post(url, request) == 401
    served = [r for r in caplog.records if r.name.startswith(("slack_bolt", "waitress"))]
    assert not [r for r in served if r.levelno >= logging.ERROR or r.exc_info]
    assert not slack.of("chat.postMessage")


# 6. Request bodies are never logged.


def test_request_bodies_are_never_logged(slack: MockSlack, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "UNSIGNED-BODY-MARKER-"
    huge = urlencode({"command": "/factcheck", "text": marker * (5 * 1024 * 1024 // len(marker))})
    app = make_app(slack, quick_checker(Links().fetch))
    unsigned = BoltRequest(
        body=huge, headers={"content-type": ["application/x-www-form-urlencoded"]}
    )
    assert app.dispatch(unsigned).status == 401
    wrong = signed_request(huge, "application/x-www-form-urlencoded")
    wrong.headers["x-slack-signature"] = ["v0=" + "0" * 64]
    assert app.dispatch(wrong).status == 401
    with serving(app) as url:
        smaller = signed_request(huge[:500_000], "application/x-www-form-urlencoded")
        smaller.headers["x-slack-signature"] = ["v0=" + "0" * 64]
        assert post(url, smaller).status_code == 401
        try:
            too_big = post(url, wrong)
            assert too_big.status_code == 413  # waitress refuses it before reading it
        except httpx.TransportError:
            pass  # or closes the connection while the body is still being sent
    assert caplog.records  # the refusals were logged, without their bodies
    assert not [r for r in caplog.records if marker in r.getMessage()]
    assert marker not in caplog.text
    assert not slack.of("chat.postMessage")


# Error messages posted into Slack pass the redaction layer.


class LeakyChecker(Checker):
    """An LLM server error that echoes the request's Authorization header."""

    def compare(self, articles, job):
        raise FactcheckError(
            f"the LLM server answered HTTP 401: {{'error': 'invalid key', "
            f"'request': 'Authorization: Bearer {LEAKED_KEY}'}}"
        )


class CrashingChecker(Checker):
    def compare(self, articles, job):
        raise RuntimeError(f"connection reset; api_key={LEAKED_KEY}")


@pytest.mark.parametrize("kind", [LeakyChecker, CrashingChecker])
def test_llm_error_with_a_key_is_never_posted_or_logged(
    slack: MockSlack, site: Site, kind: type[Checker], caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    checker = kind(fetch=fetch_url, engine=fake_engine(), store=MemoryStore(), update_interval=0)
    app = make_app(slack, checker)
    app.dispatch(slash(f"{site.url('/a')} {site.url('/b')}"))
    checker.wait(timeout=60)
    final = slack.of("chat.update")[-1].params["text"]
    assert final.startswith(":warning: Sorry")
    everything = json.dumps([c.params for c in slack.calls]) + caplog.text
    assert LEAKED_KEY not in everything and LEAKED_KEY[3:] not in everything
    if kind is LeakyChecker:
        assert "LLM server answered HTTP 401" in final and "(redacted)" in final


def test_a_link_cannot_mention_the_channel(slack: MockSlack) -> None:
    app = make_app(slack, quick_checker(Links().fetch))
    app.dispatch(slash("https://a.example/&lt;!channel&gt;"))  # Slack's escaping of "<!channel>"
    (message,) = slack.of("chat.postMessage")
    assert "<!channel>" not in message.params["text"]
    assert "&lt;!channel&gt;" in message.params["text"]


def test_long_error_is_cut_before_redaction_and_no_secret_is_half_shown() -> None:
    message = "word " * 599 + LEAKED_KEY + " " + "A-B-" * 1_000_000
    started = time.monotonic()
    said = polite(message)
    assert time.monotonic() - started < 1
    assert said.endswith("word …") and "sk-" not in said


# Settings from the environment.


def test_limits_come_from_the_environment() -> None:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}
    defaults = Settings.from_env(env)
    assert (defaults.host, defaults.workers, defaults.queue, defaults.deadline) == (
        "0.0.0.0",
        2,
        20,
        300.0,
    )
    custom = Settings.from_env(
        env
        | {
            "FACTCHECK_SLACK_HOST": "127.0.0.1",
            "FACTCHECK_SLACK_WORKERS": "4",
            "FACTCHECK_SLACK_QUEUE": "5",
            "FACTCHECK_SLACK_DEADLINE": "90",
        }
    )
    assert (custom.host, custom.workers, custom.queue, custom.deadline) == ("127.0.0.1", 4, 5, 90)
    with pytest.raises(FactcheckError, match="FACTCHECK_SLACK_WORKERS must be a number from 1"):
        Settings.from_env(env | {"FACTCHECK_SLACK_WORKERS": "lots"})
    with pytest.raises(FactcheckError, match="FACTCHECK_SLACK_DEADLINE"):
        Settings.from_env(env | {"FACTCHECK_SLACK_DEADLINE": "nan"})
