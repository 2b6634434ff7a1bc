"""Bounded HTTP fetching of article URLs: size, time, redirect and content-type limits, optional SSRF guard."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from factcheck.errors import FactcheckError
from factcheck.limits import MAX_SOURCE_BYTES

MAX_BYTES = MAX_SOURCE_BYTES
TIMEOUT_SECONDS = 15.0  # the longest wait for any one network step
DEADLINE_SECONDS = 30.0  # the whole fetch: every redirect hop, connect, headers and body
# Only the encodings whose output we can cap while decoding; the server is told so.
ACCEPTED_ENCODINGS = ("gzip", "deflate")
MAX_REDIRECTS = 5
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
USER_AGENT = "factcheck/0.1 (+https://github.com/factcheck/factcheck)"


@dataclass(frozen=True)
class Page:
    """A fetched document: the final URL after redirects, its media type, charset and body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def check_public_address(url: str) -> str:
    """Refuse a URL whose host resolves to a loopback, private, link-local or reserved address.

    Returns the checked address, so the caller can connect to exactly that one (no DNS rebinding).
    """
    host = urlsplit(url).hostname
    if not host:
        raise FactcheckError(f"{url}: no host in the URL")
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FactcheckError(f"{url}: cannot resolve host {host!r} ({exc.strerror})") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FactcheckError(f"{url}: cannot resolve host {host!r}")
    for address in addresses:
        if not is_public(address):
            raise FactcheckError(f"{url}: refused, {host} resolves to a non-public address")
    return str(addresses[0])


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-compatible (::/96) and NAT64
# (the well-known 64:ff9b::/96 and the local-use 64:ff9b:1::/48).
EMBEDDING_IPV4 = tuple(
    ipaddress.ip_network(prefix) for prefix in ("::/96", "64:ff9b::/96", "64:ff9b:1::/48")
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if any(address in network for network in EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address, and for IPv6 forms that embed IPv4, a global IPv4 inside too."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address) and (inner := embedded_ipv4(address)):
        return inner.is_global and not inner.is_multicast
    return True


def pinned_request(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL rewritten to connect to `address`, with the Host header and TLS name of the original."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    headers = {"Host": parts.netloc.rpartition("@")[2]}
    extensions = {"sni_hostname": parts.hostname or ""} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), headers, extensions


def fetch_url(
    url: str,
    *,
    public_only: bool = False,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    max_redirects: int = MAX_REDIRECTS,
    deadline: float = DEADLINE_SECONDS,
    transport: httpx.BaseTransport | None = None,
) -> Page:
    """Fetch an article page, following redirects by hand so every hop is checked.

    `timeout` bounds each network step and `deadline` the whole fetch, so a server that trickles
    its answer a byte at a time is cut off. With `public_only`, every hop's host must resolve to
    public addresses only, and the connection goes to the address that was checked; proxies from
    the environment are not used then.
    """
    check_url(url)
    ends_at = time.monotonic() + deadline
    with httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        trust_env=not public_only,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": ", ".join(ACCEPTED_TYPES),
            "Accept-Encoding": ", ".join(ACCEPTED_ENCODINGS),
        },
        transport=transport or DeadlineTransport(ends_at),
    ) as client:
        current = url
        for _hop in range(max_redirects + 1):
            check_url(current, original=url)
            target, headers, extensions = current, {}, {}
            if public_only:
                target, headers, extensions = pinned_request(current, check_public_address(current))
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            page = _get(client, request, current, url, max_bytes, ends_at)
            if isinstance(page, str):
                current = page
                continue
            return page
    raise FactcheckError(f"{url}: more than {max_redirects} redirects; open it in a browser")


def check_url(url: str, *, original: str | None = None) -> None:
    """Refuse a URL httpx cannot request (bad scheme, port or host name) with one line."""
    where = original or url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port out of range or not a number
        if parts.scheme not in ("http", "https"):
            raise FactcheckError(f"{where}: only http(s) URLs can be fetched")
        if not parts.hostname:
            raise FactcheckError(f"{where}: no host in the URL")
        parts.hostname.encode("idna")
        httpx.URL(url).host  # noqa: B018 - decodes the IDNA name, raising on invalid labels
    except FactcheckError:
        raise
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        raise FactcheckError(f"{where}: not a valid URL ({exc})") from None


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write waits no longer than what is left of a deadline."""

    def __init__(self, stream: httpcore.NetworkStream, ends_at: float) -> None:
        self._stream, self._ends_at = stream, ends_at

    def _wait(self, timeout: float | None) -> float:
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the fetch ran past its deadline")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._wait(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._wait(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._stream.start_tls(ssl_context, server_hostname, self._wait(timeout))
        return _DeadlineStream(inner, self._ends_at)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with one deadline shared by every connection it opens."""

    def __init__(self, ends_at: float) -> None:
        self._backend, self._ends_at = httpcore.SyncBackend(), ends_at

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch ran past its deadline")
        timeout = left if timeout is None else min(timeout, left)
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._ends_at)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport, over a connection pool whose sockets stop at one deadline."""

    def __init__(self, ends_at: float) -> None:
        super().__init__()
        # httpx builds the same pool without a way to pass a network backend; this is the seam.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_DeadlineBackend(ends_at)
        )


class _BoundedDecoder:
    """Content-Encoding decoding that stops as soon as the decoded size passes the limit."""

    def __init__(self, encoding: str, max_bytes: int, where: str) -> None:
        self.max_bytes, self.where, self.size = max_bytes, where, 0
        if encoding in ("", "identity"):
            self._inflate = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        else:
            raise FactcheckError(
                f"{where}: the server sent {encoding!r}-compressed content, which factcheck does "
                "not accept; save the page and pass the file"
            )

    def feed(self, chunk: bytes) -> bytes:
        if self._inflate is None:
            data = chunk
        else:
            try:
                data = self._inflate.decompress(chunk, self.max_bytes - self.size + 1)
            except zlib.error as exc:
                raise FactcheckError(
                    f"{self.where}: the compressed page is corrupt ({exc})"
                ) from None
            if self._inflate.unconsumed_tail:  # more output than the limit allows
                data += b"x"
        self.size += len(data)
        if self.size > self.max_bytes:
            raise FactcheckError(f"{self.where}: larger than {self.max_bytes // 1_000_000} MB")
        return data


def _get(
    client: httpx.Client,
    request: httpx.Request,
    current: str,
    original: str,
    max_bytes: int,
    ends_at: float,
) -> Page | str:
    """One request for `current`: a Page, or the next URL when the answer is a redirect."""
    try:
        with closing(client.send(request, stream=True)) as response:
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    raise FactcheckError(f"{original}: redirect without a Location header")
                return urljoin(current, location)
            if response.status_code in (401, 402, 403):
                raise FactcheckError(
                    f"{original}: the server refused access (HTTP {response.status_code}); the "
                    "article may be behind a paywall or a login. Save or paste the article text"
                )
            if response.status_code >= 400:
                raise FactcheckError(
                    f"{original}: the server answered HTTP {response.status_code}; "
                    "check the link, or save the page and pass the file"
                )
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type and media_type not in ACCEPTED_TYPES:
                raise FactcheckError(
                    f"{original}: is {media_type}, not an HTML or text article; "
                    "pass the article page itself"
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FactcheckError(f"{original}: larger than {max_bytes // 1_000_000} MB")
            encoding = response.headers.get("content-encoding", "").strip().lower()
            decoder = _BoundedDecoder(encoding, max_bytes, original)
            chunks: list[bytes] = []
            received = 0
            for raw in response.iter_raw():  # compressed bytes; we decode them with a cap
                received += len(raw)
                if received > max_bytes:
                    raise FactcheckError(f"{original}: larger than {max_bytes // 1_000_000} MB")
                if time.monotonic() > ends_at:
                    raise httpx.ReadTimeout("the fetch ran past its deadline")
                chunks.append(decoder.feed(raw))
            return Page(
                current,
                media_type or "text/html",
                response.charset_encoding,
                b"".join(chunks),
            )
    except httpx.TimeoutException:
        raise FactcheckError(
            f"{original}: no complete answer within the time limit; check the link or try again"
        ) from None
    except httpx.HTTPError as exc:
        raise FactcheckError(f"{original}: cannot fetch ({type(exc).__name__}: {exc})") from None
