"""What a reader sees in a real browser: Debian's Chromium driven by Playwright.

The built site is served on 127.0.0.1; every test gets a fresh browser
profile (tab choices persist in localStorage) and fails on any request to
another host and on any console error.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import require_tool

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(html_dir: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def page(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    chromium = require_tool("chromium", "chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # Chromium's scratch folders go here
    foreign: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )

        def guard(route) -> None:
            if route.request.url.startswith(server):
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        tab = context.pages[0] if context.pages else context.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        tab.base = server  # type: ignore[attr-defined]
        yield tab
        context.close()
    assert foreign == [], "requests to other hosts"
    assert errors == [], "console errors or failed requests"


def checked_roles(page) -> list[str]:
    """For each tab set on the page, the sync id of the tab that is showing."""
    return page.eval_on_selector_all(
        ".sd-tab-set",
        """sets => sets.map(set => {
            const input = set.querySelector(':scope > input:checked');
            return set.querySelector(`label[for="${input.id}"]`).dataset.syncId;
        })""",
    )


def test_choosing_a_role_switches_every_comparison_and_holds(page) -> None:
    page.goto(f"{page.base}/differences.html")
    roles = checked_roles(page)
    assert len(roles) >= 11 and set(roles) == {"swe"}
    page.locator("label.sd-tab-label", has_text="Machine learning engineer").nth(3).click()
    assert set(checked_roles(page)) == {"mle"}
    first_mle = page.locator(".sd-tab-set").first.locator(".sd-tab-content").nth(1)
    assert first_mle.is_visible()
    page.goto(f"{page.base}/career.html")
    assert set(checked_roles(page)) == {"mle"}


def test_the_role_can_be_chosen_in_the_address(page) -> None:
    page.goto(f"{page.base}/differences.html?role=mle")
    assert set(checked_roles(page)) == {"mle"}


def test_the_glossary_filter_narrows_counts_and_keeps_the_query(page) -> None:
    page.goto(f"{page.base}/glossary.html")
    total = page.locator("dl.glossary-entry").count()
    status = page.locator(".glossary-filter-status")
    assert status.inner_text() == f"{total} of {total} entries"
    page.fill("#glossary-filter-input", "concpt drift")
    visible = page.locator("dl.glossary-entry:visible")
    assert visible.count() >= 1
    # Entries off screen are rendered on the next frame (content-visibility): wait for it.
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(visible.first.locator("dt").first).to_have_text(re.compile(r"^Concept drift"))
    page.wait_for_url("**/glossary.html?q=concpt+drift")  # written once typing pauses
    page.fill("#glossary-filter-input", "xqzw")
    assert page.locator("dl.glossary-entry:visible").count() == 0
    assert status.inner_text().startswith("No entry matches")
    page.fill("#glossary-filter-input", "")
    page.select_option("#glossary-filter-category", "mathematics")
    shown = page.locator("dl.glossary-entry:visible")
    assert 0 < shown.count() < total
    assert (
        page.locator("dl.glossary-entry.glossary-cat-mathematics:visible").count() == shown.count()
    )
    page.goto(f"{page.base}/glossary.html?q=docker")
    assert page.input_value("#glossary-filter-input") == "docker"
    assert page.locator("dl.glossary-entry:visible").count() < total


def test_term_links_preview_the_definition_on_hover_and_focus(page) -> None:
    page.goto(f"{page.base}/machine-learning.html")
    link = page.locator("article a.reference.internal:has(.std-term)").first
    preview = page.locator("#glossary-preview")
    link.hover()
    assert preview.is_visible() and len(preview.inner_text()) > 20
    page.keyboard.press("Escape")
    assert preview.is_hidden()
    link.focus()
    assert preview.is_visible()
    assert link.get_attribute("aria-describedby") == "glossary-preview"


def test_the_search_page_shows_the_glossary_entry_even_misspelt(page) -> None:
    page.goto(f"{page.base}/search.html?q=concpt+drift")
    box = page.locator(".glossary-search-box")
    box.wait_for()
    assert "Concept drift" in box.inner_text()
    box.locator("a").click()
    assert page.url.endswith("glossary.html#term-Concept-drift")
