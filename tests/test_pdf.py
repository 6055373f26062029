"""The PDF: built with XeLaTeX through latexmk, complete, both sides of every comparison."""

from __future__ import annotations

import re
import runpy
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from glossary.loader import load_glossary

from .conftest import DOCS, NAME, SOURCE_DATE_EPOCH, Build, make_pdf, require_tool, sphinx_build
from .site import normalise

#: The widest overfull line tolerated, in points (a hair, not a line into the margin).
OVERFULL_LIMIT = 3.0


@pytest.fixture(scope="module")
def pdf_text(pdf_file: Path) -> str:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # words hyphenated across lines
    return normalise(text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl"))


def test_the_latex_build_succeeds_without_a_warning(latex_build: Build) -> None:
    assert latex_build.returncode == 0, latex_build.output[-3000:]
    assert latex_build.problems == []


@pytest.fixture(scope="module")
def latex_log(pdf_file: Path) -> str:
    return (pdf_file.parent / f"{NAME}.log").read_text("utf-8", errors="replace")


@pytest.fixture(scope="module")
def conf() -> dict[str, object]:
    """The settings of docs/conf.py as the tests' builds see them."""
    return runpy.run_path(str(DOCS / "conf.py"))


def test_xelatex_dropped_no_character(latex_log: str) -> None:
    assert "Missing character" not in latex_log


def test_no_undefined_reference_or_citation(latex_log: str) -> None:
    assert not re.search(r"LaTeX Warning: (Reference|Citation) .* undefined", latex_log)
    assert "There were undefined references" not in latex_log
    assert "Label(s) may have changed" not in latex_log


def test_no_line_sticks_out_into_the_margin(latex_log: str) -> None:
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", latex_log)]
    assert [w for w in widths if w > OVERFULL_LIMIT] == []


def test_the_title_page_credits_the_article_and_dates_the_book(pdf_file: Path, conf) -> None:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    first = normalise(
        subprocess.run(
            [pdftotext, "-f", "1", "-l", "1", str(pdf_file), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    date = time.strftime("%d %B %Y", time.gmtime(int(SOURCE_DATE_EPOCH)))
    for text in (conf["project"], conf["subtitle"], conf["source_article"], conf["author"], date):
        assert normalise(str(text)) in first


def test_the_pdf_metadata(pdf_file: Path, conf) -> None:
    info = PdfReader(pdf_file).metadata
    assert info.title == conf["project"]
    assert info.author == conf["author"]
    assert info.subject == conf["subtitle"]
    assert "machine learning" in info["/Keywords"]
    assert info.creation_date.timestamp() == int(SOURCE_DATE_EPOCH)


def test_every_font_is_embedded(pdf_file: Path) -> None:
    pdffonts = require_tool("pdffonts", "poppler-utils")
    rows = subprocess.run(
        [pdffonts, str(pdf_file)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(rows) >= 3
    # Columns from the right: object ID (2), uni, sub, emb.
    assert [row for row in rows if row.split()[-5] != "yes"] == []


def outline_titles(outline: list, depth: int = 0) -> list[tuple[int, str]]:
    titles: list[tuple[int, str]] = []
    for item in outline:
        if isinstance(item, list):
            titles += outline_titles(item, depth + 1)
        else:
            titles.append((depth, normalise(item.title)))
    return titles


def headings(html: Path, selector: str) -> list[str]:
    soup = BeautifulSoup(html.read_text("utf-8"), "html.parser")
    for link in soup.select("a.headerlink"):
        link.decompose()
    return [normalise(h.get_text()) for h in soup.select(f"article[role=main] {selector}")]


def test_every_page_is_a_chapter_and_every_section_a_bookmark(pdf_file: Path, html_dir) -> None:
    outline = outline_titles(PdfReader(pdf_file).outline)
    index = BeautifulSoup((html_dir / "index.html").read_text("utf-8"), "html.parser")
    pages = ["index"] + [
        a["href"].removesuffix(".html")
        for a in index.select(".toctree-wrapper > ul > li > a.reference.internal")
    ]
    # The references page is the bibliography, which comes last, before the index.
    chapters = [headings(html_dir / f"{page}.html", "h1")[0] for page in pages]
    chapters.remove(headings(html_dir / "references.html", "h1")[0])
    assert [title for depth, title in outline if depth == 0] == [
        *chapters,
        "bibliography",
        "index",
    ]
    sections = {title for depth, title in outline if depth == 1}
    for page in pages:
        if page != "references":
            assert set(headings(html_dir / f"{page}.html", "section section > h2")) <= sections


def test_cross_references_and_term_links_are_clickable(pdf_file: Path) -> None:
    targets = 0
    for page in PdfReader(pdf_file).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                targets += 1
            elif annotation.get("/Subtype") == "/Link" and "/A" in annotation:
                targets += annotation["/A"].get("/S") == "/GoTo"
    assert targets >= 500


def chapter_text(pdf_file: Path, title: str) -> str:
    """The text of the pages from the chapter's first page to the next chapter's."""
    reader = PdfReader(pdf_file)
    starts = [
        (normalise(item.title), reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ((first, last),) = [
        (page, next_page)
        for (name, page), (_, next_page) in zip(
            starts, [*starts[1:], ("", len(reader.pages))], strict=True
        )
        if name == title
    ]
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-f", str(first), "-l", str(last), "-enc", "UTF-8", str(pdf_file), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return normalise(re.sub(r"(\w)-\n(\w)", r"\1\2", text).replace("\u00ad", ""))


def test_the_glossary_chapter_has_every_term_alias_and_see_also(pdf_file: Path) -> None:
    glossary = load_glossary()
    chapter = chapter_text(pdf_file, "glossary")
    assert len(glossary) >= 80
    for term in glossary:
        for name in term.names:
            assert normalise(name) in chapter, name
    see_also = sum(1 for term in glossary if term.see_also)
    assert chapter.count("see also") >= see_also


def test_every_bibliography_entry_is_in_the_last_chapter(pdf_file: Path, html_dir) -> None:
    soup = BeautifulSoup((html_dir / "references.html").read_text("utf-8"), "html.parser")
    entries = soup.select("div.citation[id]")
    bibliography = chapter_text(pdf_file, "bibliography")
    assert len(entries) >= 21
    for entry in entries:
        start = words(entry.select_one("p").get_text(" "), 6)
        assert start in bibliography, start


def test_two_builds_give_the_same_pdf(pdf_file: Path, tmp_path: Path) -> None:
    again = sphinx_build(DOCS, "latex", tmp_path / "latex")
    assert again.returncode == 0, again.output[-3000:]
    assert make_pdf(again.outdir).read_bytes() == pdf_file.read_bytes()


def words(text: str, count: int = 8) -> str:
    return normalise(" ".join(text.split()[:count]))


def test_both_sides_of_every_comparison_are_in_the_pdf(pdf_text: str, html_dir: Path) -> None:
    checked = 0
    for page in ("differences", "career", "difficulty"):
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text("utf-8"), "html.parser")
        for tab_set in soup.select(".sd-tab-set"):
            position = 0
            for label, content in zip(
                tab_set.select("label.sd-tab-label"), tab_set.select(".sd-tab-content"), strict=True
            ):
                label_at = pdf_text.find(normalise(label.get_text(strip=True)), position)
                assert label_at >= 0, label.get_text()
                start = words(content.get_text(" "))
                content_at = pdf_text.find(start, label_at)
                assert content_at >= 0, start
                position = content_at
                checked += 1
    assert checked >= 24


def test_comparisons_add_no_headings_to_the_book(latex_build: Build) -> None:
    """sphinx-design would print each tab label as a \\subsubsection* (its issue 218)."""
    tex = (latex_build.outdir / f"{NAME}.tex").read_text("utf-8")
    assert not re.search(r"\\subsubsection\*\{(Software|Machine learning) engineer\}", tex)
    assert tex.count("\\begin{sphinxuseclass}{comparison-side}") >= 24


def test_the_index_lists_every_glossary_term(pdf_file: Path) -> None:
    index = chapter_text(pdf_file, "index")
    for term in load_glossary():
        assert f"{normalise(term.term)}," in index, term.term
