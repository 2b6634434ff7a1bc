"""A fault-injecting HTTP proxy for recording fault-path cassettes in front of a real LLM server.

It forwards every request to the upstream server unchanged, except that it can answer 429 to the
first N matching requests (with a short Retry-After) and corrupt the JSON content of the first N
matching answers. Only used while recording: replays need neither the proxy nor the server.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.loopback import serving

FORWARDED = "X-Fault-Proxy-Forwarded"
HOP_BY_HOP = {"connection", "transfer-encoding", "content-length", "keep-alive", "content-encoding"}


@dataclass
class Faults:
    """What to break: `too_many` 429s and `corrupt` answers, for requests whose body contains `match`."""

    match: str = ""
    too_many: int = 0
    corrupt: int = 0
    seen: list[str] = field(default_factory=list)


def corrupt_answer(body: bytes) -> bytes:
    """Cut the answer (content, or a tool call's arguments) in half: no longer valid JSON."""
    data = json.loads(body)
    message = data["choices"][0]["message"]
    calls = message.get("tool_calls") or []
    if calls:  # function calling: the answer is the call's arguments
        arguments = calls[0]["function"]["arguments"]
        calls[0]["function"]["arguments"] = arguments[: len(arguments) // 2] + ' "broken'
    else:
        content = message.get("content") or ""
        message["content"] = content[: len(content) // 2] + ' "broken'
    return json.dumps(data).encode()


@contextmanager
def fault_proxy(upstream: str, faults: Faults, port: int = 0) -> Iterator[str]:
    """Serve the proxy on loopback; yields its base URL (same path prefix as `upstream`)."""
    lock = threading.Lock()
    origin = upstream.split("/v1")[0].rstrip("/")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            matched = faults.match in (body or b"").decode("utf-8", "replace")
            with lock:
                refuse = matched and faults.too_many > 0
                if refuse:
                    faults.too_many -= 1
                    faults.seen.append("429")
            if refuse:
                payload = b'{"error": {"message": "rate limited (injected)", "type": "rate_limit"}}'
                self._answer(
                    429,
                    {
                        "Content-Type": "application/json",
                        "Retry-After": "0",
                        "retry-after-ms": "20",
                    },
                    payload,
                )
                return
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in HOP_BY_HOP | {"host", "accept-encoding"}
            }
            headers[FORWARDED] = "1"  # the proxy's own hop: not part of the client's conversation
            request = urllib.request.Request(
                origin + self.path, data=body, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=600) as response:
                    status, answer, reply_headers = (
                        response.status,
                        response.read(),
                        response.headers,
                    )
            except urllib.error.HTTPError as exc:
                status, answer, reply_headers = exc.code, exc.read(), exc.headers
            with lock:
                spoil = matched and status == 200 and faults.corrupt > 0
                if spoil:
                    faults.corrupt -= 1
                    faults.seen.append("corrupt")
            if spoil:
                answer = corrupt_answer(answer)
            kept = {k: v for k, v in reply_headers.items() if k.lower() not in HOP_BY_HOP}
            self._answer(status, kept, answer)

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _forward
        do_POST = _forward

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler, port) as bound:
        yield f"http://127.0.0.1:{bound}/v1"
