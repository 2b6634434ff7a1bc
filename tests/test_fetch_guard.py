"""The SSRF guard of fetch_url(public_only=True): no request reaches a non-public address."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import trustme
from loopback import Site, article_site

from factcheck.errors import FactcheckError
from factcheck.fetch import fetch_url, pinned_request

PUBLIC_IP = "93.184.216.34"
PAGE = b"<html><body><article><p>The council approved the bridge on Tuesday.</p></article></body></html>"


@pytest.fixture
def site() -> Iterator[Site]:
    with article_site() as site:
        site.pages["/story"] = (200, "text/html", PAGE, {})
        yield site


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Names -> addresses for the guard's resolver; other names resolve as usual."""
    table: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


def recording_transport(
    seen: list[httpx.Request], location: str | None = None
) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if location:
            return httpx.Response(302, headers={"location": location})
        # A stream, as from a real server (fetch_url reads the raw bytes and decodes them itself).
        return httpx.Response(
            200, headers={"content-type": "text/html"}, stream=httpx.ByteStream(PAGE)
        )

    return httpx.MockTransport(handle)


def test_loopback_reachable_without_the_guard(site: Site) -> None:
    assert fetch_url(site.url("/story")).body == PAGE
    assert site.hits == ["/story"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_refused(site: Site, host: str) -> None:
    with pytest.raises(FactcheckError, match="non-public address"):
        fetch_url(f"http://{host}:{site.port}/story", public_only=True)
    assert site.hits == []


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/"]
)
def test_private_and_metadata_refused(url: str) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(FactcheckError, match="non-public address"):
        fetch_url(url, public_only=True, transport=recording_transport(seen))
    assert seen == []


@pytest.mark.parametrize(
    "address",
    [
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "64:ff9b::7f00:1",  # NAT64
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_ipv6_forms_embedding_private_ipv4_refused(address: str) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(FactcheckError, match="non-public address"):
        fetch_url(f"http://[{address}]/", public_only=True, transport=recording_transport(seen))
    assert seen == []


@pytest.mark.parametrize("address", ["::ffff:93.184.216.34", "64:ff9b::5db8:d822"])
def test_ipv6_forms_embedding_public_ipv4_allowed(address: str) -> None:
    seen: list[httpx.Request] = []
    fetch_url(f"http://[{address}]/", public_only=True, transport=recording_transport(seen))
    assert len(seen) == 1


def test_name_resolving_to_metadata_refused(fake_dns: dict[str, str]) -> None:
    fake_dns["metadata.example"] = "169.254.169.254"
    seen: list[httpx.Request] = []
    with pytest.raises(FactcheckError, match="non-public address"):
        fetch_url("http://metadata.example/", public_only=True, transport=recording_transport(seen))
    assert seen == []


def test_redirect_to_loopback_refused(site: Site, fake_dns: dict[str, str]) -> None:
    fake_dns["news.example"] = PUBLIC_IP
    seen: list[httpx.Request] = []
    transport = recording_transport(seen, location=site.url("/story"))
    with pytest.raises(FactcheckError, match="non-public address"):
        fetch_url("http://news.example/a", public_only=True, transport=transport)
    assert len(seen) == 1  # the public hop only
    assert site.hits == []


def test_connection_pinned_to_the_checked_address(fake_dns: dict[str, str]) -> None:
    """The request goes to the address that passed the check (no second DNS lookup to rebind)."""
    fake_dns["news.example"] = PUBLIC_IP
    seen: list[httpx.Request] = []
    page = fetch_url(
        "https://news.example:8443/a?b=1", public_only=True, transport=recording_transport(seen)
    )
    (request,) = seen
    assert request.url.host == PUBLIC_IP and request.url.port == 8443
    assert request.headers["host"] == "news.example:8443"
    assert request.extensions["sni_hostname"] == "news.example"
    assert page.url == "https://news.example:8443/a?b=1"


def test_pinned_https_still_verifies_the_name_in_the_url() -> None:
    """Pinning keeps TLS honest: the certificate must match the URL's host, not the address."""
    authority = trustme.CA()
    cert = authority.issue_cert("news.example")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trust = ssl.create_default_context()
    authority.configure_trust(trust)
    client = httpx.Client(verify=trust)
    try:
        target, headers, extensions = pinned_request(
            f"https://news.example:{server.server_port}/a", "127.0.0.1"
        )
        response = client.send(
            client.build_request("GET", target, headers=headers, extensions=extensions)
        )
        assert response.text == f"host news.example:{server.server_port}"
        target, headers, extensions = pinned_request(
            f"https://other.example:{server.server_port}/a", "127.0.0.1"
        )
        with pytest.raises(httpx.ConnectError, match=r"(?i)certificate"):
            client.send(client.build_request("GET", target, headers=headers, extensions=extensions))
    finally:
        client.close()
        server.shutdown()
        server.server_close()


class Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"host {self.headers['Host']}".encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_paywall_named(site: Site) -> None:
    site.pages["/locked"] = (402, "text/html", b"subscribe", {})
    with pytest.raises(FactcheckError, match="paywall"):
        fetch_url(site.url("/locked"))


def test_only_html_and_text(site: Site) -> None:
    site.pages["/file.pdf"] = (200, "application/pdf", b"%PDF-1.4", {})
    with pytest.raises(FactcheckError, match="not an HTML or text article"):
        fetch_url(site.url("/file.pdf"))


def test_size_and_redirect_caps(site: Site) -> None:
    site.pages["/big"] = (200, "text/html", b"x" * 2000, {})
    site.pages["/loop"] = (302, "text/html", b"", {"location": "/loop"})
    with pytest.raises(FactcheckError, match="larger than"):
        fetch_url(site.url("/big"), max_bytes=1000)
    with pytest.raises(FactcheckError, match="more than 3 redirects"):
        fetch_url(site.url("/loop"), max_redirects=3)
