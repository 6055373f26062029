"""The local servers: :func:`serve_like_a_host` answers as a static host does.

Page-speed figures (``nox -s audit``) are only worth something against a server
that compresses text and shows the site's 404 page; the tests' plain
:func:`serve` hands out the files as they are.  A tiny site, no build, no browser.
"""

from __future__ import annotations

import gzip
import http.client
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.loopback import accepts_gzip, serve, serve_like_a_host

#: One file of each kind the site has, by name, with its media type.
TEXT_FILES = {
    "index.html": "text/html",
    "_static/site.css": "text/css",
    "_static/glossary.js": "text/javascript",
    "glossary.json": "application/json",
    "glossary.jsonld": "application/ld+json",
    "_static/favicon.svg": "image/svg+xml",
    "sitemap.xml": "application/xml",
    "robots.txt": "text/plain",
}
#: The first bytes of a PNG, then bytes that would compress well.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(4096)
NOT_FOUND = b"<!doctype html><title>Page not found</title><h1>Page not found</h1>\n" * 20


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with one file of each kind, a 404 page and a folder without an index."""
    root = tmp_path_factory.mktemp("site")
    for name in TEXT_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        # Repetitive, like real pages, so gzip makes them smaller.
        (root / name).write_bytes(f"{name}: some text é\n".encode() * 50)
    (root / "_static" / "social-card.png").write_bytes(PNG)
    (root / "404.html").write_bytes(NOT_FOUND)
    (root / "_images").mkdir()
    return root


@pytest.fixture(scope="module")
def host(site: Path) -> Iterator[str]:
    with serve_like_a_host(site) as base:
        yield base


def fetch(
    base: str, path: str, accept_encoding: str | None = None, method: str = "GET"
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Status, headers and raw (still encoded) body of one request; no encoding unless asked."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    # skip_accept_encoding: http.client would otherwise send "Accept-Encoding: identity".
    connection.putrequest(method, path, skip_accept_encoding=True)
    if accept_encoding is not None:
        connection.putheader("Accept-Encoding", accept_encoding)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.headers, body


@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_text_is_gzipped_when_the_client_accepts_it_and_decodes_to_the_file(
    host: str, site: Path, name: str
) -> None:
    status, headers, body = fetch(host, "/" + name, "gzip, deflate, br")
    assert status == 200
    assert headers["Content-Type"] == TEXT_FILES[name]
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert int(headers["Content-Length"]) == len(body) < (site / name).stat().st_size
    assert gzip.decompress(body) == (site / name).read_bytes()


@pytest.mark.parametrize("accept_encoding", [None, "identity", "br", "gzip;q=0"])
def test_text_is_sent_as_it_is_when_the_client_does_not_accept_gzip(
    host: str, site: Path, accept_encoding: str | None
) -> None:
    status, headers, body = fetch(host, "/index.html", accept_encoding)
    assert status == 200
    assert headers["Content-Encoding"] is None
    # Caches must still keep the two forms apart.
    assert headers["Vary"] == "Accept-Encoding"
    assert body == (site / "index.html").read_bytes()


def test_the_folder_address_serves_its_index_gzipped(host: str, site: Path) -> None:
    status, headers, body = fetch(host, "/", "gzip")
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == (site / "index.html").read_bytes()


def test_png_is_never_gzipped(host: str) -> None:
    status, headers, body = fetch(host, "/_static/social-card.png", "gzip")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert headers["Content-Encoding"] is None
    assert body == PNG


@pytest.mark.parametrize(
    "path", ["/no/such/page/", "/no-such-page.html", "/index.html/", "/_images/"]
)
def test_a_missing_page_gets_the_sites_404_page_with_status_404(host: str, path: str) -> None:
    # "/_images/" is a folder without index.html: a host shows no listing of it.
    status, headers, body = fetch(host, path)
    assert (status, headers["Content-Type"]) == (404, "text/html")
    assert body == NOT_FOUND
    status, headers, body = fetch(host, path, "gzip")
    assert (status, headers["Content-Encoding"]) == (404, "gzip")
    assert gzip.decompress(body) == NOT_FOUND


def test_a_head_request_for_a_missing_page_gets_headers_only(host: str) -> None:
    # A raw socket: http.client never reads a body after HEAD, so it would not see one.
    with socket.create_connection(
        (urlsplit(host).hostname, urlsplit(host).port), timeout=10
    ) as connection:
        connection.sendall(b"HEAD /no/such/page/ HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 404 ")
    assert f"Content-Length: {len(gzip.compress(NOT_FOUND, mtime=0))}".encode() in head
    assert body == b""


def test_a_folder_without_a_slash_is_redirected(host: str) -> None:
    status, headers, _ = fetch(host, "/_static")
    assert (status, headers["Location"]) == (301, "/_static/")


def test_the_plain_server_sends_files_as_they_are(site: Path) -> None:
    # What the browser tests use: unchanged, no compression, Python's own 404.
    with serve(site) as base:
        status, headers, body = fetch(base, "/index.html", "gzip")
        assert (status, headers["Content-Encoding"]) == (200, None)
        assert body == (site / "index.html").read_bytes()
        status, _, body = fetch(base, "/no/such/page/", "gzip")
        assert status == 404
        assert body != NOT_FOUND


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("GZIP", True),
        ("deflate, gzip;q=1.0, *;q=0.5", True),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("*", True),
        ("gzip;q=x", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header: str | None, allowed: bool) -> None:
    assert accepts_gzip(header) is allowed
