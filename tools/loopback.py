"""Serve a built site on 127.0.0.1 only, and the flags to start Chromium with against it."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve *folder* on a free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
