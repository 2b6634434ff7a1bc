"""Loopback HTTP servers for tests: `serving` runs any handler; a mock Slack Web API and a site serving articles."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    """One request the mock Slack API received."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    raw: bytes


@dataclass
class MockSlack:
    """Answers the Web API methods the bot uses, and records every request."""

    port: int = 0
    calls: list[Call] = field(default_factory=list)
    thread_messages: list[dict] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    _ts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "fc"}
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "conversations.replies":
            return {"ok": True, "messages": self.thread_messages}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.base_url}upload/F1", "file_id": "F1"}
        if method == "upload/F1":
            return {"ok": True}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "report"}]}
        return {"ok": False, "error": "unknown_method"}


def _parse(content_type: str, raw: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        return json.loads(raw or b"{}")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode()))
    return {}


@contextmanager
def mock_slack() -> Iterator[MockSlack]:
    slack = MockSlack()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            method = self.path.split("?")[0].removeprefix("/api/")
            params = _parse(self.headers.get("content-type", ""), raw)
            slack.calls.append(Call(method, params, dict(self.headers), raw))
            body = json.dumps(slack.answer(method, params)).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        slack.port = port
        yield slack


@dataclass
class Site:
    """Pages by path: (status, content type, body, extra headers); `hits` lists the paths asked for."""

    port: int = 0
    pages: dict[str, tuple[int, str, bytes, dict[str, str]]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def article_site() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append(self.path)
            status, content_type, body, headers = site.pages.get(
                self.path, (404, "text/html", b"not found", {})
            )
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        site.port = port
        yield site


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], port: int = 0) -> Iterator[int]:
    """Serve `handler` on a loopback port (a free one unless given; a thread per request) until
    the block ends; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
