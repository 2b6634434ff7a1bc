"""The Slack bot: `/factcheck URL URL ...` or a mention in a thread with links or pasted articles.

Requests are acknowledged at once. Checks wait in a bounded queue for a small pool of workers;
when the queue is full the bot says it is busy instead of queueing more. Each check has a
deadline: when it passes, the thread is told and the worker moves on. The bot reports progress by
editing its "checking" message, then posts the Block Kit report and the full Markdown report as a
file in the same thread.

In HTTP mode the bolt app is served by waitress through bolt's WSGI adapter: waitress reads every
request whole on its event loop before a worker thread sees it, so a client that trickles bytes
holds no thread. A gate in front of bolt refuses unsigned requests without logging their bodies,
answers a malformed timestamp with 401 rather than a traceback, and drops replayed requests and
Slack's retries of an event it already has.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from factcheck.api import Comparison, compare
from factcheck.engines import make_engine
from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.fetch import Page, fetch_url
from factcheck.ingest import article_from_page, article_from_text, url_id
from factcheck.models import Article, Report
from factcheck.redact import add_secret, install_log_redaction, shown
from factcheck.render import render
from factcheck.render.slack import escape
from factcheck.store import Store

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer

log = logging.getLogger("factcheck.slack")

Fetcher = Callable[[str], Page]
MIN_PASTED_CHARS = 200
MAX_SOURCES = 8
UPDATE_INTERVAL_SECONDS = 2.0
REPORT_FILENAME = "factcheck-report.md"
EVENTS_PATH = "/slack/events"

# Capacity: checks running at once, checks allowed to wait for a worker, and the time one check
# may take (a fetch has its own 30 s deadline, so eight slow links still fit in it).
WORKERS = 2
QUEUE = 20
DEADLINE_SECONDS = 300.0

# Slack signs a timestamp it accepts within 5 minutes either side of now, and retries an event at
# once, after 1 minute and after 5: twice that window covers every replay and every retry.
DEDUPE_SECONDS = 600.0
MAX_REMEMBERED = 10_000
SIGNATURE_WINDOW_SECONDS = 300
TIMESTAMP = re.compile(r"[0-9]{1,12}")

# HTTP mode: request threads only run bolt's quick acknowledgement; Slack's payloads are a few kB.
HTTP_THREADS = 8
MAX_REQUEST_BYTES = 1024 * 1024

# Error texts are cut to this length before redaction, which is slow on very long tokens.
MAX_MESSAGE_CHARS = 3000
MAX_TRACEBACK_CHARS = 8000

BUSY = ":hourglass: Sorry, I'm busy with other checks right now. Please try again in a few minutes."

# Slack writes links as <https://...> or <https://...|label>; slash-command text may hold bare URLs.
SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
BARE_URL = re.compile(r"(?<![<|])\bhttps?://[^\s<>|]+")
SLACK_TOKEN = re.compile(r"<[^>]*>")
SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,})\s*$", re.MULTILINE)


def public_fetch(url: str) -> Page:
    """The bot's fetcher: user-supplied links never reach loopback, private or metadata addresses."""
    return fetch_url(url, public_only=True)


@dataclass
class Sources:
    """What a Slack message asks to compare: links, and article texts pasted into the message."""

    urls: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.urls) + len(self.texts)

    def extend(self, other: Sources) -> None:
        self.urls += [u for u in other.urls if u not in self.urls]
        self.texts += [t for t in other.texts if t not in self.texts]


def parse_sources(text: str) -> Sources:
    """Links in a Slack message, and pasted articles (long stretches of text without links)."""
    urls: list[str] = []
    for match in [*SLACK_LINK.finditer(text), *BARE_URL.finditer(SLACK_LINK.sub(" ", text))]:
        url = html.unescape(match.group(1) if match.re is SLACK_LINK else match.group(0))
        url = url if match.re is SLACK_LINK else url.rstrip(".,;:!?)'\"")
        if url not in urls:
            urls.append(url)
    prose = html.unescape(BARE_URL.sub(" ", SLACK_TOKEN.sub(" ", text)))
    texts = [p.strip() for p in SEPARATOR.split(prose) if len(p.strip()) >= MIN_PASTED_CHARS]
    return Sources(urls, texts)


def source_problem(sources: Sources) -> str | None:
    """Why these sources cannot be compared, as the bot says it; None when they can."""
    if len(sources) < 2:
        # The link is the user's own text: redacted and escaped, it cannot ping a channel.
        found = f" I found only {escape(safe(sources.urls[0], 300))}." if sources.urls else ""
        return (
            ":information_source: I compare two or more sources about the same event: "
            f"give me at least two links (or pasted article texts).{found}"
        )
    if len(sources) > MAX_SOURCES:
        return (
            f":information_source: I compare up to {MAX_SOURCES} sources at a time; "
            f"this message has {len(sources)}."
        )
    return None


class StatusMessage:
    """The bot's "checking N sources…" message in the thread, edited as the work goes on.

    Closing it writes the final text once; progress edits after that are dropped, so a check that
    ran past its deadline cannot overwrite the timeout notice.
    """

    def __init__(self, client: WebClient, channel: str, ts: str, interval: float) -> None:
        self.client, self.channel, self.ts, self.interval = client, channel, ts, interval
        self.last = 0.0
        self.closed = False
        self._lock = threading.Lock()

    def set(self, text: str) -> None:
        with self._lock:
            if not self.closed:
                self._edit(text)

    def close(self, text: str) -> None:
        """The final text; a Slack failure here is logged, there is no one else to tell."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            try:
                self._edit(text)
            except SlackApiError as exc:
                log.error("cannot update the status message: %s", _describe(exc))

    def progress(self, step: str, done: int, total: int) -> None:
        """The `progress` callback of compare(): at most one edit per interval, and the last one."""
        if done >= total or time.monotonic() - self.last >= self.interval:
            self.set(f":hourglass_flowing_sand: Checking… {step} ({done}/{total})")

    def _edit(self, text: str) -> None:
        self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        self.last = time.monotonic()


def safe(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Outside text (an error, a link) fit to show: at most `limit` characters, secrets redacted,
    control characters neutralised.

    A cut drops the word it falls in, so no secret is left half shown, and comes before the
    redaction, whose time grows fast with the length of a token.
    """
    if len(text) > limit:
        text = re.sub(r"\S*\Z", "", text[:limit]) + "…"
    return shown(text)


def _describe(exc: BaseException) -> str:
    """An exception in a log line: Slack's error code for API errors, never request details."""
    if isinstance(exc, SlackApiError):
        return f"Slack API error {exc.response.get('error')!r}"
    return safe(f"{type(exc).__name__}: {exc}")


def _traceback(exc: BaseException) -> str:
    """A traceback for the log, redacted: exception messages may echo keys (an LLM server's)."""
    return safe("".join(traceback.format_exception(exc)).rstrip(), MAX_TRACEBACK_CHARS)


def polite(message: str) -> str:
    """A failure as the bot says it in the thread: secrets redacted, control characters
    neutralised, and escaped (no accidental mentions or links)."""
    return f":warning: Sorry, I couldn't finish this check. {escape(safe(message))}"


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def timed_out(deadline: float) -> str:
    """What the thread is told when a check runs past its deadline."""
    return polite(
        f"It took longer than {_duration(deadline)}, so I stopped waiting for it "
        "(a link may be very slow). Please try again later, or with other links."
    )


class Abandoned(Exception):
    """The check ran past its deadline and the thread was told: its result must not be posted."""


RUNNER, DEADLINE = "runner", "deadline"


@dataclass
class Job:
    """One accepted check, and who gives its final answer: the check itself or its deadline."""

    client: WebClient
    channel: str
    thread: str
    status: StatusMessage
    sources: Sources
    _answered_by: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, who: str) -> bool:
        """True when `who` gives the final answer: the first to ask does, and keeps doing."""
        with self._lock:
            if self._answered_by is None:
                self._answered_by = who
            return self._answered_by == who

    @property
    def abandoned(self) -> bool:
        return self._answered_by == DEADLINE


class Checker:
    """Runs fact-checks off the request thread and reports into Slack.

    `workers` checks run at once and at most `queue` more wait; a check past `deadline` seconds
    is answered with a timeout notice and its worker takes the next one. Python cannot stop a
    thread, so each check runs on its own thread that its worker waits for until the deadline: an
    abandoned check ends on its own (every fetch has a total deadline), its result unposted.
    Reading links runs in parallel; comparisons take turns, as the engine and store are shared.
    """

    def __init__(
        self,
        *,
        fetch: Fetcher = public_fetch,
        engine: Engine | None = None,
        store: Store | Path | None = None,
        update_interval: float = UPDATE_INTERVAL_SECONDS,
        workers: int = WORKERS,
        queue: int = QUEUE,
        deadline: float = DEADLINE_SECONDS,
    ) -> None:
        self.fetch, self.engine, self.store = fetch, engine, store
        self.update_interval = update_interval
        self.workers, self.max_waiting, self.deadline = max(1, workers), max(0, queue), deadline
        self.jobs: Queue[Job] = Queue()
        self.unfinished = 0  # accepted and not yet answered: running, or waiting for a worker
        self.counts = threading.Condition()
        self.comparing = threading.Lock()
        self.threads: list[threading.Thread] = []

    def reserve(self) -> bool:
        """Take a place: a free worker, or one of the `queue` waiting places. False when every
        place is taken (the caller says the bot is busy)."""
        with self.counts:
            if self.unfinished >= self.workers + self.max_waiting:
                return False
            self.unfinished += 1
            return True

    def release(self) -> None:
        """Give back a place taken by reserve() for a request that will not be queued after all."""
        with self.counts:
            self.unfinished -= 1
            self.counts.notify_all()

    def start(
        self,
        client: WebClient,
        channel: str,
        thread_ts: str | None,
        sources: Sources,
        *,
        reserved: bool = False,
    ) -> None:
        """Answer at once in the thread, then queue the slow work, or say the bot is busy.

        `reserved`: the caller already holds a place from reserve() (a slash command does, to
        answer "busy" in its acknowledgement).
        """
        problem = source_problem(sources)
        if problem or not (reserved or self.reserve()):
            if problem and reserved:
                self.release()
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=problem or BUSY)
            return
        try:
            posted = client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=f":hourglass_flowing_sand: Checking {len(sources)} sources…",
            )
        except BaseException:
            self.release()
            raise
        status = StatusMessage(client, channel, posted["ts"], self.update_interval)
        self._start_workers()
        self.jobs.put(Job(client, channel, thread_ts or posted["ts"], status, sources))

    def wait(self, timeout: float | None = None) -> None:
        """Block until every accepted check has been answered (for tests and shutdown)."""
        with self.counts:
            if not self.counts.wait_for(lambda: self.unfinished == 0, timeout):
                raise TimeoutError(f"{self.unfinished} checks still running")

    def _start_workers(self) -> None:
        with self.counts:
            while len(self.threads) < self.workers:
                worker = threading.Thread(
                    target=self._work, name=f"factcheck-worker-{len(self.threads)}", daemon=True
                )
                worker.start()
                self.threads.append(worker)

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                self.supervise(job)
            except Exception as exc:  # a worker must outlive any one check
                log.error("check supervision failed: %s\n%s", _describe(exc), _traceback(exc))
            finally:
                with self.counts:
                    self.unfinished -= 1
                    self.counts.notify_all()

    def supervise(self, job: Job) -> None:
        """Run the check on its own thread and wait for it until the deadline, then answer for it."""
        runner = threading.Thread(target=self.run, args=(job,), name="factcheck-check", daemon=True)
        runner.start()
        runner.join(self.deadline)
        if runner.is_alive() and job.claim(DEADLINE):
            log.warning("a check ran past its %g s deadline; the thread was told", self.deadline)
            job.status.close(timed_out(self.deadline))
        else:
            runner.join()  # it is posting its report: Slack's client has its own timeouts

    def run(self, job: Job) -> None:
        """Fetch, compare, post the report; every failure ends as a polite edit of the status."""
        try:
            outcome = self.check(job)
        except Abandoned:
            return
        except FactcheckError as exc:
            outcome = polite(str(exc))
        except Exception as exc:
            log.error("check failed: %s\n%s", _describe(exc), _traceback(exc))
            outcome = polite(f"Something went wrong on my side ({type(exc).__name__}).")
        if job.claim(RUNNER):
            job.status.close(outcome)

    def check(self, job: Job) -> str:
        """The work itself; returns the status message's final text."""
        articles = self.load(job)
        report = self.compare(articles, job)
        if not job.claim(RUNNER):
            raise Abandoned
        comparison = Comparison(report, articles)
        message = json.loads(render(comparison, "slack"))  # the registry's Block Kit renderer
        job.client.chat_postMessage(
            channel=job.channel,
            thread_ts=job.thread,
            text=message["text"],
            blocks=message["blocks"],
        )
        job.client.files_upload_v2(
            channel=job.channel,
            thread_ts=job.thread,
            content=render(comparison, "markdown"),
            filename=REPORT_FILENAME,
            title="Fact-check report",
        )
        return f":white_check_mark: Checked {len(articles)} sources; the report is below."

    def load(self, job: Job) -> list[Article]:
        """Read every source; the failures are reported together, each naming its link."""
        sources, status = job.sources, job.status
        articles, failures = [], []
        for number, url in enumerate(sources.urls, 1):
            if job.abandoned:
                raise Abandoned
            status.progress(f"reading {escape(safe(url, 300))}", number - 1, len(sources))
            try:
                articles.append(article_from_page(self.fetch(url), url_id(url), url))
            except FactcheckError as exc:
                failures.append(str(exc))
        for number, text in enumerate(sources.texts, 1):
            try:
                articles.append(article_from_text(text, f"pasted-{number}"))
            except FactcheckError as exc:
                failures.append(str(exc))
        if failures:
            raise FactcheckError(
                "I could not read "
                + ("this source" if len(failures) == 1 else f"{len(failures)} sources")
                + ":\n"
                + "\n".join(f"• {f}" for f in failures)
            )
        return articles

    def compare(self, articles: list[Article], job: Job) -> Report:
        """The configured engine (built once, on a worker thread) over the shared store.

        One comparison at a time: the engine and the store are not shared between threads.
        """
        with self.comparing:
            if job.abandoned:
                raise Abandoned
            if self.engine is None:
                self.engine = make_engine()
            if self.store is None or isinstance(self.store, str | Path):
                self.store = Store(self.store)
            return compare(
                articles, engine=self.engine, store=self.store, progress=job.status.progress
            )


class Seen:
    """Keys seen within the last `ttl` seconds. Entries expire (and the oldest go first past
    `limit`), so a flood of requests cannot grow the table without bound."""

    def __init__(
        self,
        ttl: float = DEDUPE_SECONDS,
        limit: int = MAX_REMEMBERED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl, self.limit, self.clock = ttl, limit, clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time `key` is seen within the window; remembers it."""
        with self._lock:
            now = self.clock()
            while self._expiry and next(iter(self._expiry.values())) <= now:
                self._expiry.popitem(last=False)
            if key in self._expiry:
                return False
            self._expiry[key] = now + self.ttl
            while len(self._expiry) > self.limit:
                self._expiry.popitem(last=False)
            return True

    def __len__(self) -> int:
        return len(self._expiry)


def _header(req: BoltRequest, name: str) -> str:
    values = req.headers.get(name) or [""]
    return values[0] or ""


class Gate:
    """Checks every request before bolt sees it.

    Bolt's own verification logs a refused request's whole body at INFO and answers a
    non-numeric timestamp with a 500; this refuses both with a 401 and logs only the size. Then
    a request whose signature was already seen (a replay), or an event whose event_id was (one of
    Slack's retries, with X-Slack-Retry-Num), is acknowledged and dropped. `signing_secret` None
    means Socket Mode: nothing is signed, events are still deduplicated.
    """

    def __init__(self, signing_secret: str | None, seen: Seen | None = None) -> None:
        self.verifier = SignatureVerifier(signing_secret) if signing_secret is not None else None
        self.seen = seen or Seen()

    def check(self, req: BoltRequest) -> BoltResponse | None:
        """A response that ends the request here, or None to let bolt handle it."""
        if self.verifier is not None and req.mode != "socket_mode":
            if not self.signed(req):
                log.info("refused a request without a valid signature (%d bytes)", _size(req))
                return BoltResponse(status=401, body={"error": "invalid request"})
            if not self.seen.first("signature:" + _header(req, "x-slack-signature")):
                return self.repeated(req, "a replayed request")
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if isinstance(event_id, str) and not self.seen.first("event:" + event_id):
            return self.repeated(req, f"event {safe(event_id, 40)}")
        return None

    def signed(self, req: BoltRequest) -> bool:
        """Slack's signature over the timestamp and body, the timestamp within 5 minutes."""
        timestamp = _header(req, "x-slack-request-timestamp")
        signature = _header(req, "x-slack-signature")
        if self.verifier is None or not signature or not TIMESTAMP.fullmatch(timestamp):
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
            return False
        return self.verifier.is_valid(req.raw_body, timestamp, signature)

    @staticmethod
    def repeated(req: BoltRequest, what: str) -> BoltResponse:
        """Acknowledge a repeat with 200, so that Slack stops retrying it, and do nothing."""
        retry = _header(req, "x-slack-retry-num")
        note = f" (retry {retry})" if re.fullmatch(r"[0-9]{1,3}", retry) else ""
        log.info("ignored a repeat of %s%s", what, note)
        return BoltResponse(status=200, body="")


def _size(req: BoltRequest) -> int:
    return len(req.raw_body.encode() if isinstance(req.raw_body, str) else req.raw_body or b"")


class GuardedApp(App):
    """Bolt's App with the gate in front of its dispatch (HTTP adapter and Socket Mode alike)."""

    def __init__(self, *, gate: Gate, **kwargs: Any) -> None:
        self.gate = gate
        super().__init__(**kwargs)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        return self.gate.check(req) or super().dispatch(req)


def thread_sources(client: WebClient, channel: str, thread_ts: str) -> Sources:
    """Links and pasted articles in the thread's human messages, oldest first."""
    sources = Sources()
    replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=100)
    for message in replies.get("messages", []):
        if not message.get("bot_id"):
            sources.extend(parse_sources(message.get("text", "")))
    return sources


def build_app(
    token: str,
    signing_secret: str | None,
    *,
    checker: Checker | None = None,
    client: WebClient | None = None,
    process_before_response: bool = False,
) -> App:
    """The bolt app. `signing_secret` None means Socket Mode, where Slack does not sign requests."""
    add_secret(token)
    add_secret(signing_secret)
    checker = checker or Checker()
    app = GuardedApp(
        gate=Gate(signing_secret),
        token=token if client is None else None,  # bolt builds the client from the token
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        process_before_response=process_before_response,
    )

    @app.command("/factcheck")
    def on_command(ack: Callable, command: dict, client: WebClient) -> None:
        # A full queue is answered in the acknowledgement: only the user who asked sees it.
        if not checker.reserve():
            ack(text=BUSY)
            return
        ack()
        sources = parse_sources(command.get("text", ""))
        checker.start(client, command["channel_id"], None, sources, reserved=True)

    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        thread = event.get("thread_ts") or event["ts"]
        sources = parse_sources(event.get("text", ""))
        if len(sources) < 2 and event.get("thread_ts"):
            sources.extend(thread_sources(client, event["channel"], event["thread_ts"]))
        checker.start(client, event["channel"], thread, sources)

    return app


def http_server(app: App, host: str, port: int) -> BaseWSGIServer:
    """The app on `EVENTS_PATH` of a waitress server, not yet running (call `.run()`)."""
    try:
        from slack_bolt.adapter.wsgi import SlackRequestHandler
        from waitress import create_server
    except ImportError:
        raise FactcheckError(
            'the Slack bot\'s HTTP mode needs waitress: pip install "factcheck[slack]"'
        ) from None
    return create_server(
        SlackRequestHandler(app, path=EVENTS_PATH),
        host=host,
        port=port,
        threads=HTTP_THREADS,
        max_request_body_size=MAX_REQUEST_BYTES,
        ident="factcheck",
    )


def _env_number(
    env: Mapping[str, str], name: str, default: float, low: float, high: float, kind: type = int
) -> Any:
    """A numeric setting from the environment, or a one-line error naming it and its range."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise FactcheckError(f"{name} must be a number from {low:g} to {high:g}, not {raw[:40]!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Tokens and limits from the environment; `app_token` set means Socket Mode."""

    bot_token: str
    signing_secret: str | None
    app_token: str | None
    host: str = "0.0.0.0"  # HTTP mode's bind address: a public endpoint listens everywhere
    workers: int = WORKERS
    queue: int = QUEUE
    deadline: float = DEADLINE_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the variables, naming the first missing or malformed one (never printing a token)."""
        app_token = env.get("SLACK_APP_TOKEN") or None
        required = ["SLACK_BOT_TOKEN"] + ([] if app_token else ["SLACK_SIGNING_SECRET"])
        for name in required:
            if not env.get(name):
                mode = "Socket Mode" if app_token else "HTTP mode (no SLACK_APP_TOKEN)"
                raise FactcheckError(f"{name} is not set; the Slack bot in {mode} needs it")
        return cls(
            env["SLACK_BOT_TOKEN"],
            None if app_token else env["SLACK_SIGNING_SECRET"],
            app_token,
            host=env.get("FACTCHECK_SLACK_HOST", "").strip() or cls.host,
            workers=_env_number(env, "FACTCHECK_SLACK_WORKERS", WORKERS, 1, 32),
            queue=_env_number(env, "FACTCHECK_SLACK_QUEUE", QUEUE, 0, 1000),
            deadline=_env_number(
                env, "FACTCHECK_SLACK_DEADLINE", DEADLINE_SECONDS, 10, 3600, float
            ),
        )


def configure_logging(settings: Settings) -> None:
    """INFO to stderr through the shared redaction layer, which knows the Slack tokens."""
    for secret in (settings.bot_token, settings.signing_secret, settings.app_token):
        add_secret(secret)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction()


def serve(
    settings: Settings,
    *,
    host: str | None = None,
    port: int = 3000,
    store: Path | None = None,
    client: WebClient | None = None,
) -> None:
    """Run the bot: Socket Mode when an app token is set, else HTTP on `host`:`port`/slack/events.

    `host` None means the settings' (FACTCHECK_SLACK_HOST, by default every interface).
    """
    configure_logging(settings)
    checker = Checker(
        store=store, workers=settings.workers, queue=settings.queue, deadline=settings.deadline
    )
    try:
        app = build_app(settings.bot_token, settings.signing_secret, checker=checker, client=client)
    except BoltError as exc:
        raise FactcheckError(f"cannot start the Slack app: {safe(str(exc))}") from None
    except OSError as exc:  # URLError included: no route to slack.com
        raise FactcheckError(
            f"cannot reach Slack to check SLACK_BOT_TOKEN ({safe(str(exc))})"
        ) from None
    if settings.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()
        return
    host = host or settings.host
    server = http_server(app, host, port)
    log.info("listening on http://%s:%d%s", host, port, EVENTS_PATH)
    server.run()
