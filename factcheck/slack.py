"""The Slack bot: `/factcheck URL URL ...` or a mention in a thread with links or pasted articles.

Requests are acknowledged at once; fetching and comparing run on one worker thread, and the bot
reports progress by editing its "checking" message, then posts the Block Kit report and the full
Markdown report as a file in the same thread.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from factcheck.api import compare
from factcheck.engines import make_engine
from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.fetch import Page, fetch_url
from factcheck.ingest import article_from_page, article_from_text, url_id
from factcheck.models import Article, Report
from factcheck.render.markdown import render_markdown
from factcheck.render.slack import escape, render_blocks, render_fallback
from factcheck.store import Store

log = logging.getLogger("factcheck.slack")

Fetcher = Callable[[str], Page]
MIN_PASTED_CHARS = 200
MAX_SOURCES = 8
UPDATE_INTERVAL_SECONDS = 2.0
REPORT_FILENAME = "factcheck-report.md"

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


class StatusMessage:
    """The bot's "checking N sources…" message in the thread, edited as the work goes on."""

    def __init__(self, client: WebClient, channel: str, ts: str, interval: float) -> None:
        self.client, self.channel, self.ts, self.interval = client, channel, ts, interval
        self.last = 0.0

    def set(self, text: str) -> None:
        self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        self.last = time.monotonic()

    def progress(self, step: str, done: int, total: int) -> None:
        """The `progress` callback of compare(): at most one edit per interval, and the last one."""
        if done >= total or time.monotonic() - self.last >= self.interval:
            self.set(f":hourglass_flowing_sand: Checking… {step} ({done}/{total})")


def _describe(exc: Exception) -> str:
    """An exception in a log line: Slack's error code for API errors, never request details."""
    if isinstance(exc, SlackApiError):
        return f"Slack API error {exc.response.get('error')!r}"
    return f"{type(exc).__name__}: {exc}"


def polite(message: str) -> str:
    """A failure as the bot says it in the thread (escaped: no accidental mentions or links)."""
    return f":warning: Sorry, I couldn't finish this check. {escape(message)}"


class Checker:
    """Runs fact-checks one at a time off the request thread and reports into Slack."""

    def __init__(
        self,
        *,
        fetch: Fetcher = public_fetch,
        engine: Engine | None = None,
        store: Store | Path | None = None,
        update_interval: float = UPDATE_INTERVAL_SECONDS,
    ) -> None:
        self.fetch, self.engine, self.store = fetch, engine, store
        self.update_interval = update_interval
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factcheck")
        self.futures: list[Future] = []

    def start(
        self, client: WebClient, channel: str, thread_ts: str | None, sources: Sources
    ) -> None:
        """Answer at once in the thread, then queue the slow work."""
        if len(sources) < 2:
            found = f" I found only {sources.urls[0]}." if sources.urls else ""
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=":information_source: I compare two or more sources about the same event: "
                f"give me at least two links (or pasted article texts).{found}",
            )
            return
        if len(sources) > MAX_SOURCES:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=f":information_source: I compare up to {MAX_SOURCES} sources at a time; "
                f"this message has {len(sources)}.",
            )
            return
        posted = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=f":hourglass_flowing_sand: Checking {len(sources)} sources…",
        )
        status = StatusMessage(client, channel, posted["ts"], self.update_interval)
        thread = thread_ts or posted["ts"]
        self.futures.append(
            self.executor.submit(self.run, client, channel, thread, status, sources)
        )

    def wait(self, timeout: float | None = None) -> None:
        """Block until every queued check has finished (for tests and shutdown)."""
        for future in list(self.futures):
            future.result(timeout=timeout)

    def run(
        self, client: WebClient, channel: str, thread: str, status: StatusMessage, sources: Sources
    ) -> None:
        """Fetch, compare, post the report; every failure ends as a polite edit of the status."""
        try:
            outcome = self.check(client, channel, thread, status, sources)
        except FactcheckError as exc:
            outcome = polite(str(exc))
        except Exception as exc:
            log.exception("check failed: %s", _describe(exc))
            outcome = polite(f"Something went wrong on my side ({type(exc).__name__}).")
        try:
            status.set(outcome)
        except SlackApiError as exc:
            log.error("cannot update the status message: %s", _describe(exc))

    def check(
        self, client: WebClient, channel: str, thread: str, status: StatusMessage, sources: Sources
    ) -> str:
        """The work itself; returns the status message's final text."""
        articles = self.load(sources, status)
        report = self.compare(articles, status)
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread,
            text=render_fallback(report),
            blocks=render_blocks(report),
        )
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread,
            content=render_markdown(report),
            filename=REPORT_FILENAME,
            title="Fact-check report",
        )
        return f":white_check_mark: Checked {len(articles)} sources; the report is below."

    def load(self, sources: Sources, status: StatusMessage) -> list[Article]:
        """Read every source; the failures are reported together, each naming its link."""
        articles, failures = [], []
        for number, url in enumerate(sources.urls, 1):
            status.progress(f"reading {url}", number - 1, len(sources))
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

    def compare(self, articles: list[Article], status: StatusMessage) -> Report:
        """The configured engine (built once, on the worker thread) over the shared store."""
        if self.engine is None:
            self.engine = make_engine()
        if self.store is None or isinstance(self.store, str | Path):
            self.store = Store(self.store)
        return compare(articles, engine=self.engine, store=self.store, progress=status.progress)


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
    checker = checker or Checker()
    app = App(
        token=token if client is None else None,  # bolt builds the client from the token
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        process_before_response=process_before_response,
    )

    @app.command("/factcheck")
    def on_command(ack: Callable, command: dict, client: WebClient) -> None:
        ack()
        checker.start(client, command["channel_id"], None, parse_sources(command.get("text", "")))

    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        thread = event.get("thread_ts") or event["ts"]
        sources = parse_sources(event.get("text", ""))
        if len(sources) < 2 and event.get("thread_ts"):
            sources.extend(thread_sources(client, event["channel"], event["thread_ts"]))
        checker.start(client, event["channel"], thread, sources)

    return app


@dataclass(frozen=True)
class Settings:
    """Tokens from the environment; `app_token` set means Socket Mode."""

    bot_token: str
    signing_secret: str | None
    app_token: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the variables, naming the first missing one (never printing a value)."""
        app_token = env.get("SLACK_APP_TOKEN") or None
        required = ["SLACK_BOT_TOKEN"] + ([] if app_token else ["SLACK_SIGNING_SECRET"])
        for name in required:
            if not env.get(name):
                mode = "Socket Mode" if app_token else "HTTP mode (no SLACK_APP_TOKEN)"
                raise FactcheckError(f"{name} is not set; the Slack bot in {mode} needs it")
        return cls(
            env["SLACK_BOT_TOKEN"], None if app_token else env["SLACK_SIGNING_SECRET"], app_token
        )


class Redact(logging.Filter):
    """Replaces the secrets in every log line that passes, whoever logs it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "(redacted)")
            record.msg, record.args = message, None
        return True


def serve(
    settings: Settings,
    *,
    port: int = 3000,
    store: Path | None = None,
    client: WebClient | None = None,
) -> None:
    """Run the bot: Socket Mode when an app token is set, else HTTP on /slack/events."""
    handler = logging.StreamHandler()
    handler.addFilter(
        Redact([settings.bot_token, settings.app_token or "", settings.signing_secret or ""])
    )
    logging.basicConfig(
        level=logging.INFO, handlers=[handler], format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        app = build_app(
            settings.bot_token, settings.signing_secret, checker=Checker(store=store), client=client
        )
    except BoltError as exc:
        raise FactcheckError(f"cannot start the Slack app: {exc}") from None
    except OSError as exc:  # URLError included: no route to slack.com
        raise FactcheckError(f"cannot reach Slack to check SLACK_BOT_TOKEN ({exc})") from None
    if settings.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()
    else:
        app.start(port=port, path="/slack/events")
