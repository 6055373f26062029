"""The comparisons extension in-process (sphinx.testing) on a small project: tests/roots/.

Three comparisons, one inside a list item and one far longer than a page: the
web gets one view choice before the first, the EPUB the sides stacked under
their labels, the LaTeX build two paracol columns that break across pages
together.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools.build import PDF_TOOLS, latexmk

from ..conftest import DOCS, require_tool, require_tools

ROOT = "comparisons"


def built(make_app, tmp_path: Path, builder: str):
    app = make_app(builder, srcdir=tmp_path / builder, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    return app


@pytest.fixture
def project(rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the test project for each builder (sphinx.testing builds in place)."""
    monkeypatch.syspath_prepend(str(DOCS / "_ext"))
    for builder in ("html", "epub", "latex"):
        shutil.copytree(rootdir / f"test-{ROOT}", tmp_path / builder)
    return tmp_path


def test_the_web_gets_one_view_choice_before_the_first_comparison(make_app, project) -> None:
    app = built(make_app, project, "html")
    soup = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser")
    choices = soup.select("fieldset.comparison-view")
    assert len(choices) == 1
    assert choices[0].find_next_sibling() is soup.select(".sd-tab-set")[0]
    radios = choices[0].select("input[type=radio][name=comparison-view]")
    assert [(r["value"], r.parent.get_text(strip=True)) for r in radios] == [
        ("tabs", "Tabs"),
        ("columns", "Side by side"),
    ]
    assert radios[0].has_attr("checked") and not radios[1].has_attr("checked")
    assert len(soup.select(".sd-tab-set")) == 3
    for name in ("comparisons.css", "comparisons.js"):
        assert (app.outdir / "_static" / name).is_file()
        assert soup.select_one(f'[href^="_static/{name}"], [src^="_static/{name}"]'), name


def test_the_tabs_are_sphinx_design_s_without_aria_controls_on_a_label(make_app, project) -> None:
    """aria-controls is invalid on a <label> (Nu HTML Checker); the rest is sphinx-design's."""
    app = built(make_app, project, "html")
    soup = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser")
    assert not soup.select("[aria-controls]")
    radios = soup.select(".sd-tab-set > input[type=radio]")
    assert len(radios) == 6
    for radio in radios:
        label = radio.find_next_sibling()
        assert label.name == "label" and label["for"] == radio["id"]
        assert label["data-sync-group"] == "role" and label["data-sync-id"] in {"swe", "mle"}
        assert "sd-tab-content" in label.find_next_sibling()["class"]


def test_the_epub_stacks_both_labelled_sides_and_offers_no_choice(make_app, project) -> None:
    app = built(make_app, project, "epub")
    soup = BeautifulSoup((app.outdir / "index.xhtml").read_text("utf-8"), "html.parser")
    assert not soup.select("fieldset, input, .sd-tab-set")
    flat = soup.select("div.comparison")
    assert len(flat) == 3
    for block in flat:
        sides = block.select(":scope > div.comparison-side")
        assert [s["class"][1] for s in sides] == ["comparison-swe", "comparison-mle"]
        labels = [s.select_one("p.comparison-label").get_text(strip=True) for s in sides]
        assert labels == ["Software engineer", "Machine learning engineer"]
    assert not (app.outdir / "_static" / "comparisons.js").exists()


def test_latex_sets_each_comparison_in_two_columns(make_app, project) -> None:
    app = built(make_app, project, "latex")
    tex = (app.outdir / "book.tex").read_text("utf-8")
    assert "\\usepackage{comparisons}" in tex
    assert (app.outdir / "comparisons.sty").is_file()
    blocks = re.findall(r"\\begin\{sphinxcomparison\}(.*?)\\end\{sphinxcomparison\}", tex, re.S)
    assert len(blocks) == 3
    for block in blocks:
        # paracol switches columns outside any group: the right side is no environment.
        left, right = block.split("\\sphinxcomparisonswitch")
        assert "Software engineer" in left and "Machine learning engineer" in right
        assert "\\begin{sphinxuseclass}" not in block


def test_a_long_comparison_breaks_across_pages_in_both_columns(make_app, project) -> None:
    require_tools(*PDF_TOOLS)
    pdftotext = require_tool("pdftotext")
    app = built(make_app, project, "latex")
    latexmk(app.outdir, "book.tex").reproducible().run(capture=True)
    text = subprocess.run(
        [pdftotext, "-layout", str(app.outdir / "book.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [page for page in text.split("\f") if "point" in page]
    assert len(pages) >= 2
    both = re.compile(r"Software point (\d+).*\s{3,}.*Learning point (\d+)")
    for page in pages:
        rows = [both.search(line) for line in page.splitlines()]
        pairs = [(int(m[1]), int(m[2])) for m in rows if m]
        # Every page of the comparison has both columns side by side, and neither column
        # runs ahead of the other by more than a few points.
        assert pairs, page[:500]
        assert all(abs(swe - mle) <= 3 for swe, mle in pairs), pairs
