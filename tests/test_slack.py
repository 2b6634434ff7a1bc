"""The Slack bot end to end on loopback: signed requests in, Slack Web API calls out."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from loopback import MockSlack, Site, article_site, mock_slack
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from typer.testing import CliRunner

from factcheck.cli import app as cli
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.errors import FactcheckError
from factcheck.fetch import fetch_url
from factcheck.redact import RedactingFilter
from factcheck.slack import Checker, Settings, build_app, configure_logging, parse_sources, serve

pytestmark = pytest.mark.usefixtures("no_leaked_log_filters")

TOKEN = "xoxb-123-456-very-secret-token"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ARTICLE_A = """<html><head><title>Council approves river bridge</title></head><body><article>
<h1>Council approves river bridge</h1>
<p>The city council voted 7 to 2 on Tuesday to approve a new bridge over the Elm River.</p>
<p>The bridge will cost 40 million dollars, Mayor Ann Lee said at the meeting.</p>
<p>Construction will start in March and take two years.</p></article></body></html>"""
ARTICLE_B = """<html><head><title>River bridge gets green light</title></head><body><article>
<h1>River bridge gets green light</h1>
<p>The city council voted 7 to 2 on Tuesday to approve a new bridge over the Elm River.</p>
<p>The bridge will cost 55 million dollars, according to the city budget office.</p>
<p>Construction will start in March. Local shop owners said the bridge would bring more
customers.</p></article></body></html>"""
PASTED_B = (
    "The city council voted 7 to 2 on Tuesday to approve a new bridge over the Elm River.\n\n"
    "The bridge will cost 55 million dollars, according to the city budget office.\n\n"
    "Construction will start in March. Local shop owners said the bridge would bring more "
    "customers."
)


def signed(body: str, content_type: str, secret: str = SECRET) -> BoltRequest:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [timestamp],
        "x-slack-signature": [signature],
    }
    return BoltRequest(body=body, headers=headers)


def slash(text: str, secret: str = SECRET) -> BoltRequest:
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/factcheck",
            "text": text,
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.3",
        }
    )
    return signed(body, "application/x-www-form-urlencoded", secret)


def mention(text: str, thread_ts: str | None = None) -> BoltRequest:
    event = {"type": "app_mention", "user": "U1", "text": text, "ts": "1700000100.000001"}
    event |= {"channel": "C1"} | ({"thread_ts": thread_ts} if thread_ts else {})
    body = {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    return signed(json.dumps(body), "application/json")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with article_site() as site:
        site.pages["/a"] = (200, "text/html; charset=utf-8", ARTICLE_A.encode(), {})
        site.pages["/b"] = (200, "text/html; charset=utf-8", ARTICLE_B.encode(), {})
        site.pages["/paywall"] = (402, "text/html", b"subscribe", {})
        yield site


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with mock_slack() as slack:
        yield slack


def make_app(slack: MockSlack, checker: Checker):
    client = WebClient(token=TOKEN, base_url=slack.base_url)
    return build_app(TOKEN, SECRET, checker=checker, client=client, process_before_response=True)


@pytest.fixture(scope="module")
def loopback_checker() -> Checker:
    """The tests' only way past the SSRF guard: a fetcher without it, for the loopback article site.

    The engine is the fakes' (no spaCy, embedding model or Chroma): its judge calls the two
    differing budget figures a contradiction, as a real judge would.
    """
    return Checker(
        fetch=fetch_url,
        engine=fake_engine({"million": "contradicts"}),
        store=MemoryStore(),
        update_interval=0,
    )


@pytest.fixture(scope="module")
def slash_run(site: Site, loopback_checker: Checker) -> Iterator[tuple[MockSlack, float]]:
    """One full /factcheck run, shared by the assertions below (the comparison takes seconds)."""
    with mock_slack() as slack:
        app = make_app(slack, loopback_checker)
        started = time.perf_counter()
        response = app.dispatch(slash(f"{site.url('/a')} {site.url('/b')}"))
        answered = time.perf_counter() - started
        assert response.status == 200
        loopback_checker.wait(timeout=120)
        yield slack, answered


def test_slash_command_is_answered_at_once(slash_run) -> None:
    slack, answered = slash_run
    assert answered < 3
    first = slack.of("chat.postMessage")[0].params
    assert first["channel"] == "C1"
    assert "Checking 2 sources" in first["text"]


def test_progress_updates_the_checking_message(slash_run) -> None:
    slack, _ = slash_run
    status_ts = "1700000000.000001"
    updates = [c.params for c in slack.of("chat.update")]
    assert all(u["ts"] == status_ts for u in updates)
    assert any("Checking…" in u["text"] and "/" in u["text"] for u in updates)
    assert updates[-1]["text"].startswith(":white_check_mark: Checked 2 sources")


def test_report_blocks_posted_in_the_thread(slash_run, site: Site) -> None:
    slack, _ = slash_run
    report = slack.of("chat.postMessage")[1].params
    assert report["thread_ts"] == "1700000000.000001"
    blocks = json.loads(report["blocks"]) if isinstance(report["blocks"], str) else report["blocks"]
    text = json.dumps(blocks)
    assert "Neutral summary" in text
    assert "Top discrepancies" in text
    assert "40 million" in text and "55 million" in text  # both quotes of the discrepancy
    assert f"*127.0.0.1:{site.port} (a)* says" in text  # quotes named by outlet (site name)
    assert "Unsupported additions" in text
    assert "discrepancies" in report["text"]


def test_markdown_report_uploaded_in_the_thread(slash_run) -> None:
    slack, _ = slash_run
    assert slack.of("files.getUploadURLExternal")[0].params["filename"] == "factcheck-report.md"
    upload = slack.of("upload/F1")[0].raw
    assert b"# Fact-check report" in upload and b"## Discrepancies" in upload
    complete = slack.of("files.completeUploadExternal")[0].params
    assert complete["thread_ts"] == "1700000000.000001"
    assert complete["channel_id"] == "C1"


def test_mention_in_thread_compares_thread_link_and_pasted_text(
    slack: MockSlack, site: Site, loopback_checker: Checker
) -> None:
    slack.thread_messages = [
        {"ts": "1700000050.000001", "user": "U2", "text": f"look: <{site.url('/a')}|bridge story>"},
        {"ts": "1700000060.000001", "bot_id": "BBOT", "text": f"<{site.url('/gone')}>"},
    ]
    app = make_app(slack, loopback_checker)
    response = app.dispatch(mention(f"<@UBOT> compare with this:\n{PASTED_B}", "1700000050.000001"))
    assert response.status == 200
    loopback_checker.wait(timeout=120)
    assert slack.of("conversations.replies")[0].params["ts"] == "1700000050.000001"
    status, report = (c.params for c in slack.of("chat.postMessage"))
    assert status["thread_ts"] == report["thread_ts"] == "1700000050.000001"
    assert (
        "Checking 2 sources" in status["text"]
    )  # the parent's link + the pasted text, not the bot's
    assert "pasted-1" in json.dumps(report["blocks"])
    assert slack.of("chat.update")[-1].params["text"].startswith(":white_check_mark:")
    assert slack.of("files.completeUploadExternal")[0].params["thread_ts"] == "1700000050.000001"


def test_unreadable_links_are_named_politely(
    slack: MockSlack, site: Site, loopback_checker
) -> None:
    app = make_app(slack, loopback_checker)
    app.dispatch(slash(f"{site.url('/gone')} {site.url('/paywall')} {site.url('/a')}"))
    loopback_checker.wait(timeout=60)
    final = slack.of("chat.update")[-1].params["text"]
    assert final.startswith(":warning: Sorry") and "could not read 2 sources" in final
    assert f"{site.url('/gone')}: the server answered HTTP 404" in final
    assert site.url("/paywall") in final and "paywall" in final
    assert len(slack.of("chat.postMessage")) == 1  # no report


def test_one_source_is_answered_politely(slack: MockSlack, site: Site, loopback_checker) -> None:
    app = make_app(slack, loopback_checker)
    app.dispatch(slash(site.url("/a")))
    loopback_checker.wait(timeout=60)
    (message,) = slack.of("chat.postMessage")
    assert "at least two" in message.params["text"] and site.url("/a") in message.params["text"]
    assert not slack.of("chat.update")


@pytest.mark.parametrize("secret", ["wrong-secret", None])
def test_unsigned_requests_are_rejected(slack: MockSlack, site: Site, loopback_checker, secret):
    app = make_app(slack, loopback_checker)
    request = slash(f"{site.url('/a')} {site.url('/b')}", secret or SECRET)
    if secret is None:
        request.headers.pop("x-slack-signature")
    hits = len(site.hits)
    assert app.dispatch(request).status == 401
    assert [c.method for c in slack.calls] == ["auth.test"]
    assert len(site.hits) == hits


def test_default_fetcher_refuses_loopback_links(slack: MockSlack, site: Site, store) -> None:
    checker = Checker(store=store, update_interval=0)  # the production fetcher
    app = make_app(slack, checker)
    hits = len(site.hits)
    app.dispatch(slash(f"{site.url('/a')} http://localhost:{site.port}/b"))
    checker.wait(timeout=60)
    final = slack.of("chat.update")[-1].params["text"]
    assert "non-public address" in final and site.url("/a") in final
    assert len(site.hits) == hits


def test_secrets_stay_out_of_logs_and_messages(
    slack: MockSlack, site: Site, loopback_checker, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    app = make_app(slack, loopback_checker)
    slack.errors["chat.update"] = "invalid_auth"
    app.dispatch(slash(f"{site.url('/gone')} {site.url('/paywall')}"))
    loopback_checker.wait(timeout=60)
    app.dispatch(slash("x", "wrong-secret"))
    slack.errors["auth.test"] = "invalid_auth"
    with pytest.raises(FactcheckError) as failed:
        serve(Settings(TOKEN, SECRET, None), client=WebClient(token=TOKEN, base_url=slack.base_url))
    assert slack.calls and caplog.text
    everything = caplog.text + str(failed.value) + json.dumps([c.params for c in slack.calls])
    assert TOKEN not in everything and SECRET not in everything


def test_parse_sources() -> None:
    pasted = "The council met on Tuesday and approved the bridge. " * 6
    text = (
        "<@UBOT> compare <https://a.example/x?y=1&amp;z=2|A story> and https://b.example/s. "
        f"<https://a.example/x?y=1&amp;z=2>\n---\n{pasted}"
    )
    sources = parse_sources(text)
    assert sources.urls == ["https://a.example/x?y=1&z=2", "https://b.example/s"]
    assert sources.texts == [pasted.strip()]
    assert len(parse_sources("<@UBOT> please check these")) == 0


def test_missing_variable_is_one_line(monkeypatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["slack"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: SLACK_SIGNING_SECRET is not set; the Slack bot in HTTP mode (no SLACK_APP_TOKEN) "
        "needs it"
    ]
    assert TOKEN not in result.output
    assert (
        Settings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xapp-1"}).signing_secret
        is None
    )


def test_log_redaction_knows_the_slack_tokens() -> None:
    """The shared redaction layer, not a filter of the bot's own, hides the tokens in any log line."""
    root = logging.getLogger()
    handler = logging.NullHandler()
    root.addHandler(handler)
    try:
        configure_logging(Settings(TOKEN, SECRET, "xapp-1-A1-2-app-level-secret"))
        assert any(isinstance(f, RedactingFilter) for f in handler.filters)
    finally:
        root.removeHandler(handler)
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "auth with %s and %s failed", (SECRET, TOKEN), None
    )
    assert handler.filter(record)
    assert record.getMessage() == "auth with (redacted) and (redacted) failed"
