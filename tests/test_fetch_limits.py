"""fetch_url under hostile servers: a total deadline, capped decompression, bad URLs as one line."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest

from factcheck.errors import FactcheckError
from factcheck.fetch import fetch_url

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n"


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A loopback TCP server that reads a request and answers it with `answer(connection)`."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                with suppress(OSError):
                    answer(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/story"
    finally:
        stop.set()
        listener.close()


def trickle(data: bytes, interval: float = 0.1) -> Callable[[socket.socket], None]:
    """Send `data` one byte at a time, then keep the connection open sending nothing more."""

    def answer(connection: socket.socket) -> None:
        for byte in data:
            connection.sendall(bytes([byte]))
            time.sleep(interval)
        time.sleep(30)

    return answer


def test_trickled_body_stops_at_the_deadline() -> None:
    body = b"<html><body>" + b"x" * 1000
    headers = HEAD + b"content-length: 100000\r\n\r\n"
    with raw_server(lambda c: (c.sendall(headers), trickle(body)(c))) as url:
        started = time.monotonic()
        with pytest.raises(FactcheckError, match="time limit"):
            fetch_url(url, timeout=1.0, deadline=1.5)
    assert time.monotonic() - started < 4


def test_trickled_headers_stop_at_the_deadline() -> None:
    with raw_server(trickle(HEAD + b"x-filler: " + b"a" * 1000)) as url:
        started = time.monotonic()
        with pytest.raises(FactcheckError, match="time limit"):
            fetch_url(url, timeout=1.0, deadline=1.5)
    assert time.monotonic() - started < 4


def compressed_answer(encoding: bytes, body: bytes) -> Callable[[socket.socket], None]:
    def answer(connection: socket.socket) -> None:
        connection.sendall(
            HEAD
            + b"content-encoding: "
            + encoding
            + b"\r\ncontent-length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )

    return answer


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [(b"gzip", gzip.compress), (b"deflate", zlib.compress)],
)
def test_decompression_bomb_capped(encoding: bytes, compress: Callable[[bytes], bytes]) -> None:
    bomb = compress(b"\0" * 200_000_000)  # ~200 KB on the wire, 200 MB decoded
    assert len(bomb) < 1_000_000
    with raw_server(compressed_answer(encoding, bomb)) as url:
        tracemalloc.start()
        try:
            with pytest.raises(FactcheckError, match="larger than 5 MB"):
                fetch_url(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 40_000_000


def test_small_gzip_page_decoded() -> None:
    page = b"<html><body><p>The council approved the bridge.</p></body></html>"
    with raw_server(compressed_answer(b"gzip", gzip.compress(page))) as url:
        assert fetch_url(url).body == page


@pytest.mark.parametrize("encoding", [b"zstd", b"br", b"gzip, gzip"])
def test_encodings_that_cannot_be_capped_refused(encoding: bytes) -> None:
    body = b"\x28\xb5\x2f\xfd" + b"\0" * 100
    with (
        raw_server(compressed_answer(encoding, body)) as url,
        pytest.raises(FactcheckError, match="compressed content"),
    ):
        fetch_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://xn--a.com/",
        "http:///path-only",
        "ftp://example.com/file",
    ],
)
def test_malformed_urls_are_one_line_errors(url: str) -> None:
    with pytest.raises(FactcheckError):
        fetch_url(url)
