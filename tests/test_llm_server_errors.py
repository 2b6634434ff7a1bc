"""What an LLM server's failure shows the user: one true line, never a secret it echoed back."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from factcheck.engines.llm import LLMEngine
from factcheck.errors import LLMServerError
from factcheck.ingest import article_from_text
from tests.helpers import run_cli
from tests.loopback import serving

KEY = "sk-live-0123456789abcdefSECRET"
TEXT = "Dock workers ended a three-day strike on Friday after the port agreed to a 6 percent raise."


@contextmanager
def echoing_server(
    status: int, content_type: str = "application/json"
) -> Iterator[tuple[str, list]]:
    """An LLM server stub that answers `status`, echoing the request's headers in its message."""
    attempts: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            attempts.append(self.path)
            if content_type == "application/json":
                echo = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                body = json.dumps({"error": {"message": f"bad request, got {echo}"}}).encode()
            else:
                body = b"<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as port:
        yield f"http://127.0.0.1:{port}/v1", attempts


def engine(url: str) -> LLMEngine:
    return LLMEngine(model="m", base_url=url, api_key=KEY, cache=False, max_retries=3)


@pytest.mark.parametrize("status", [400, 403, 422])
def test_echoed_authorization_header_is_redacted(status: int) -> None:
    with echoing_server(status) as (url, attempts), pytest.raises(LLMServerError) as caught:
        engine(url).summarize(article_from_text(TEXT, "a"), [])
    message = str(caught.value)
    assert KEY not in message and "sk-live" not in message
    assert "Bearer" not in message or "Bearer (redacted)" in message
    assert caught.value.status_code == status and KEY not in caught.value.body
    assert "retries" not in message  # the client does not retry these, so no count is claimed
    assert len(attempts) == 1 and "\n" not in message and len(message) < 400


def test_url_credentials_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "http://alice:hunter2-password@127.0.0.1:9/v1"
    lost = LLMEngine(model="m", base_url=url, api_key=KEY, cache=False, max_retries=0)
    with pytest.raises(LLMServerError) as caught:
        lost.summarize(article_from_text(TEXT, "a"), [])
    assert "hunter2" not in str(caught.value) and "alice" not in str(caught.value)
    assert "127.0.0.1:9" in str(caught.value)


def test_web_page_instead_of_an_api_is_one_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT + "\n")
    b.write_text("The port said the strike ended on Friday with a 6 percent raise agreed.\n")
    with echoing_server(200, "text/html") as (url, _):
        result = run_cli(
            "compare",
            str(a),
            str(b),
            "--engine",
            "llm",
            "--base-url",
            url,
            "--store",
            str(tmp_path / "store"),
        )
    assert result.exit_code == 2, result.output
    assert (
        result.output.startswith("error: the server at") and "not answer with JSON" in result.output
    )
    assert "Traceback" not in result.output and "unexpected" not in result.output
