"""Bounded HTTP fetching of article URLs: size, time, redirect and content-type limits, optional SSRF guard."""

from __future__ import annotations

import ipaddress
import socket
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from factcheck.errors import FactcheckError

MAX_BYTES = 5_000_000
TIMEOUT_SECONDS = 15.0
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
        if not address.is_global or address.is_multicast:
            raise FactcheckError(f"{url}: refused, {host} resolves to a non-public address")
    return str(addresses[0])


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
    transport: httpx.BaseTransport | None = None,
) -> Page:
    """Fetch an article page, following redirects by hand so every hop is checked.

    With `public_only`, every hop's host must resolve to public addresses only, and the connection
    goes to the address that was checked; proxies from the environment are not used then.
    """
    with httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        trust_env=not public_only,
        headers={"User-Agent": USER_AGENT, "Accept": ", ".join(ACCEPTED_TYPES)},
        transport=transport,
    ) as client:
        current = url
        for _hop in range(max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise FactcheckError(f"{url}: only http(s) URLs can be fetched")
            target, headers, extensions = current, {}, {}
            if public_only:
                target, headers, extensions = pinned_request(current, check_public_address(current))
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            page = _get(client, request, current, url, max_bytes)
            if isinstance(page, str):
                current = page
                continue
            return page
    raise FactcheckError(f"{url}: more than {max_redirects} redirects; open it in a browser")


def _get(
    client: httpx.Client, request: httpx.Request, current: str, original: str, max_bytes: int
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
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FactcheckError(f"{original}: larger than {max_bytes // 1_000_000} MB")
                chunks.append(chunk)
            return Page(
                current,
                media_type or "text/html",
                response.charset_encoding,
                b"".join(chunks),
            )
    except httpx.TimeoutException:
        raise FactcheckError(f"{original}: timed out; check the link or try again") from None
    except httpx.HTTPError as exc:
        raise FactcheckError(f"{original}: cannot fetch ({type(exc).__name__}: {exc})") from None
