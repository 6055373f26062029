"""In Chromium: entries whose text shows HTML leave every data script of a page working.

A small site (``roots/test-publishing``, with the linked data) whose two entries
show ``<!--``, ``<script>``, ``</script>`` and ``-->`` in their first sentences,
as entries about HTML do, and try to run script through them.  Built in
process, opened from disk: the previews still show, the JSON-LD still parses,
and nothing of the entries runs (no dialog, no marker on ``window``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import ROOTS
from ..support.browser import chromium

pytestmark = pytest.mark.browser

#: Shown as code in the first sentences: together they would end or break a script element.
SHOWN = {
    "algorithm.md": "`-->`, `<!--` and `<script>window.hostile = 1</script>`",
    "program.md": "`<script>alert(1)</script>`",
}


@pytest.fixture
def site(make_app, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-publishing", src)
    for name, shown in SHOWN.items():
        path = src / "terms" / name
        front, _, body = path.read_text("utf-8").partition("---\n")[2].partition("---\n")
        path.write_text(f"---\n{front}---\nWritten as {shown} in pages. {body}", "utf-8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    app.cleanup()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def test_previews_and_linked_data_survive_entries_that_show_html(site, tmp_path) -> None:
    base = site.as_uri()
    with chromium(base, tmp_path / "browser") as (tab, _problems):
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(f"{base}/index.html")
        summaries = tab.evaluate(
            "() => Object.values(window.GLOSSARY_PREVIEWS || {}).map((p) => p.summary)"
        )
        assert any("<!--" in text and "</script>" in text for text in summaries), summaries
        link = tab.locator("a.reference.internal:has(.std-term)").first
        link.hover()
        preview = tab.locator("#glossary-preview")
        assert preview.is_visible() and "Written as" in preview.inner_text()

        tab.goto(f"{base}/glossary.html")
        parsed = tab.evaluate(
            """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
                .map((script) => JSON.parse(script.textContent)["@type"]).sort()"""
        )
        assert parsed == ["DefinedTermSet", "WebPage"]
        assert tab.evaluate("() => window.hostile") is None
    assert dialogs == []
