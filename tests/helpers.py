"""Small helpers shared by tests: run the CLI in-process, serve files on loopback."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from contextlib import contextmanager

from typer.testing import CliRunner

from factcheck.cli import app
from tests.loopback import serving


def run_cli(*args: str, input: str | None = None):
    """Invoke `factcheck ARGS` in-process and return the click Result."""
    return CliRunner().invoke(app, list(args), input=input)


@contextmanager
def serve(routes: dict[str, tuple[int, str, bytes]]) -> Iterator[str]:
    """Serve {path: (status, content_type, body)} on a loopback port; yields the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", body.decode())
                body = b""
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as port:
        yield f"http://127.0.0.1:{port}"
