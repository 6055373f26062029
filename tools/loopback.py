"""Serve a built site on 127.0.0.1 only, and the flags to start Chromium with against it.

:func:`serve` serves the files as they are (what the tests need); :func:`serve_like_a_host`
serves them as a static host does (gzip, the site's 404 page), which is what page-speed
figures must be measured against.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

#: Mandatory here: no sandbox as root in containers, and no background traffic from Chromium
#: (this machine reaches no other host; Chromium would keep trying).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def launch_chromium(playwright: Any, profile: Path, executable: str, **options: Any) -> Any:
    """Debian's Chromium, headless with the flags above and a fresh *profile* folder.

    A persistent context, because a plain launch refuses a user-data-dir;
    *options* go to Playwright (viewport, java_script_enabled, ...).
    """
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=True,
        args=list(CHROMIUM_ARGS),
        **options,
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


#: Media types a host compresses (besides every text/*): the site's scripts, data and SVG.
#: Images, fonts and archives are compressed already; gzip would only cost time.
COMPRESSIBLE = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/xml",
        "image/svg+xml",
    }
)
#: The page a host shows, with status 404, at any address that holds no file.
NOT_FOUND_PAGE = "404.html"


def compressible(media_type: str) -> bool:
    """Whether a host sends a response of *media_type* gzipped to a client that accepts it."""
    return media_type.startswith("text/") or media_type in COMPRESSIBLE


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` refuses it)."""
    for item in (accept_encoding or "").split(","):
        name, _, params = item.partition(";")
        if name.strip().lower() not in {"gzip", "*"}:
            continue
        quality = "1"
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                quality = value.strip()
        try:
            if float(quality) > 0:
                return True
        except ValueError:
            continue
    return False


class HostHandler(QuietHandler):
    """Serves a built site as a static host does.

    Text (HTML, CSS, JavaScript, JSON, SVG, XML, plain text) goes gzipped to a
    client whose ``Accept-Encoding`` allows it, with ``Vary: Accept-Encoding``;
    an address that holds no file gets the site's 404 page with status 404;
    folders are never listed.  Everything else as :class:`QuietHandler`.
    """

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if unquote(urlsplit(self.path).path).endswith("/"):
            path = path / "index.html"
        media_type = self.guess_type(str(path))
        if not path.is_file() or not compressible(media_type):
            # Binary files as they are; a missing file ends in send_error (the 404 page
            # below); "/folder" is redirected to "/folder/".
            return super().send_head()
        modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        return self.send_text(HTTPStatus.OK, path.read_bytes(), media_type, modified)

    def send_text(
        self, status: HTTPStatus, body: bytes, media_type: str, modified: str | None = None
    ) -> io.BytesIO:
        """Send the headers of a text response, gzipped if the client allows it; return its body."""
        if accepts_gzip(self.headers.get("Accept-Encoding")):
            # mtime=0: the same file gives the same bytes on every request.
            body = gzip.compress(body, mtime=0)
            encoded = True
        else:
            encoded = False
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        if modified is not None:
            self.send_header("Last-Modified", modified)
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.send_text(HTTPStatus.NOT_FOUND, page.read_bytes(), "text/html")
        if self.command != "HEAD":
            self.wfile.write(body.getvalue())

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        # A host shows no folder listings: a folder without index.html is a missing page.
        self.send_error(HTTPStatus.NOT_FOUND)
        return None


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve *folder* on a free port of 127.0.0.1; yield its base URL."""
    with _serving(folder, QuietHandler) as base:
        yield base


@contextmanager
def serve_like_a_host(folder: Path) -> Iterator[str]:
    """Serve *folder* as a static host does (:class:`HostHandler`); yield its base URL."""
    with _serving(folder, HostHandler) as base:
        yield base


@contextmanager
def _serving(folder: Path, handler_class: type[QuietHandler]) -> Iterator[str]:
    """Serve *folder* with *handler_class* on a free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
