"""Driving Debian's Chromium with Playwright against the built site on 127.0.0.1.

Shared by the browser and accessibility tests.  Every browser gets a fresh
profile (tab choices persist in localStorage) and a private TMPDIR, aborts any
request to another host, and records console errors and failed responses, so
a test can fail on them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tools.loopback import launch_chromium

from ..conftest import require_tool

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@dataclass
class Problems:
    """What went wrong while pages loaded: foreign requests, console errors, 4xx/5xx."""

    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(tab: Any, problems: Problems) -> None:
    """Record console errors, uncaught exceptions and failed responses of *tab*."""
    tab.on("console", lambda m: problems.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.errors.append(str(e)))
    tab.on(
        "response",
        lambda r: problems.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )


@contextmanager
def chromium(
    base: str, scratch: Path, *, javascript: bool = True
) -> Iterator[tuple[Any, Problems]]:
    """A fresh Chromium profile under *scratch*; yield its first tab and its problems.

    The tab has a ``base`` attribute: the site's URL.  Fails the test if any
    request left 127.0.0.1 or any console error or failed response occurred.
    """
    executable = require_tool("chromium")
    scratch.mkdir(parents=True, exist_ok=True)
    old_tmpdir = os.environ.get("TMPDIR")
    # Chromium's scratch folders go into a private folder, not loose into /tmp; a short one,
    # because Chromium aborts when its socket path there passes ~107 characters, which a
    # pytest folder named after a long test does ("Socket path too long").
    private = tempfile.mkdtemp(prefix="chr", dir="/tmp" if os.path.isdir("/tmp") else None)
    os.environ["TMPDIR"] = private
    problems = Problems()
    try:
        with sync_playwright() as playwright:
            context = launch_chromium(
                playwright,
                scratch / "profile",
                executable,
                viewport=DESKTOP,
                java_script_enabled=javascript,
            )

            def guard(route: Any) -> None:
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    problems.foreign.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            tab = context.pages[0] if context.pages else context.new_page()
            watch(tab, problems)
            tab.base = base
            yield tab, problems
            context.close()
    finally:
        if old_tmpdir is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_tmpdir
        shutil.rmtree(private, ignore_errors=True)
    assert problems.foreign == [], "requests to other hosts"
    assert problems.errors == [], "console errors or failed requests"


def site_pages(html_dir: Path) -> list[str]:
    """Every HTML page of the site, by file name."""
    return sorted(path.name for path in html_dir.glob("*.html"))


def open_page(tab: Any, name: str) -> None:
    """Load *name*; on the search page, search for a term and wait for the results."""
    if name == "search.html":
        tab.goto(f"{tab.base}/search.html?q=concept+drift")
        tab.wait_for_selector("#search-results p.search-summary")
    else:
        tab.goto(f"{tab.base}/{name}")
