"""The PDF: built with XeLaTeX through latexmk, complete, both sides of every comparison."""

from __future__ import annotations

import re
import runpy
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from glossary.loader import load_glossary
from tools.build import NAME, SOURCE_DATE_EPOCH
from tools.project import TERMS

from ..conftest import DOCS, Build, make_pdf, require_tool, sphinx_build
from ..support.site import normalise

ROLE_LABELS = ("Software engineer", "Machine learning engineer")
COMPARISON_PAGES = ("differences", "difficulty", "career")  # in book order
#: The widest overfull line tolerated, in points (a hair, not a line into the margin).
OVERFULL_LIMIT = 3.0


@pytest.fixture(scope="module")
def pdf_text(pdf_file: Path) -> str:
    pdftotext = require_tool("pdftotext")
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
    pdftotext = require_tool("pdftotext")
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
    pdffonts = require_tool("pdffonts")
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
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-f", str(first), "-l", str(last), "-enc", "UTF-8", str(pdf_file), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return normalise(re.sub(r"(\w)-\n(\w)", r"\1\2", text).replace("\u00ad", ""))


def test_the_glossary_chapter_has_every_term_alias_and_see_also(pdf_file: Path) -> None:
    glossary = load_glossary(TERMS)
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
    """In reading order: the two labels (the columns' heads), then each side's text."""
    checked = 0
    for page in COMPARISON_PAGES:
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text("utf-8"), "html.parser")
        for tab_set in soup.select(".sd-tab-set"):
            position = 0
            labels = [label.get_text(strip=True) for label in tab_set.select("label.sd-tab-label")]
            assert labels == list(ROLE_LABELS)
            for label in labels:
                position = pdf_text.find(normalise(label), position)
                assert position >= 0, label
            for content in tab_set.select(".sd-tab-content"):
                start = words(content.get_text(" "))
                position = pdf_text.find(start, position)
                assert position >= 0, start
                checked += 1
    assert checked >= 26


def test_comparisons_add_no_headings_to_the_book(latex_build: Build) -> None:
    """sphinx-design would print each tab label as a \\subsubsection* (its issue 218)."""
    tex = (latex_build.outdir / f"{NAME}.tex").read_text("utf-8")
    assert not re.search(r"\\subsubsection\*\{(Software|Machine learning) engineer\}", tex)
    assert tex.count("\\begin{sphinxcomparison}") == tex.count("\\sphinxcomparisonswitch") >= 13


def test_the_index_lists_every_glossary_term(pdf_file: Path) -> None:
    index = chapter_text(pdf_file, "index")
    for term in load_glossary(TERMS):
        assert f"{normalise(term.term)}," in index, term.term


# -- Comparisons in two columns ----------------------------------------------------


def html_comparisons(html_dir: Path) -> list[list[BeautifulSoup]]:
    """Every comparison of the site, in book order: its two sides' contents, left then right."""
    sides = []
    for page in COMPARISON_PAGES:
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text("utf-8"), "html.parser")
        sides += [ts.select(":scope > .sd-tab-content") for ts in soup.select(".sd-tab-set")]
    return sides


@pytest.fixture(scope="module")
def layout_lines(pdf_file: Path) -> list[str]:
    """The PDF as pdftotext lays it out: one string per printed line, columns kept apart."""
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", "-enc", "UTF-8", str(pdf_file), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.translate(
        str.maketrans({"\u2019": "'", "\ufb01": "fi", "\ufb02": "fl"})
    ).splitlines()


def opening(content: BeautifulSoup, count: int = 3) -> re.Pattern[str]:
    """The first *count* words of a side, as they begin its first printed line."""
    text = " ".join(content.get_text(" ").replace("\u2019", "'").split())
    words = re.sub(r"\s+([,.;:!?)])", r"\1", text).split()[:count]
    return re.compile(r"\s+".join(map(re.escape, words)))


def test_each_comparison_prints_its_two_sides_on_shared_lines(layout_lines, html_dir) -> None:
    """Left column, gap, right column: both labels on one line, both openings on one line."""
    comparisons = html_comparisons(html_dir)
    assert len(comparisons) >= 13
    labels = re.compile(r"^\s*Software engineer\s{3,}Machine learning engineer\s*$")
    at = 0
    for left, right in comparisons:
        # The labels' line, then within a few lines the line where both sides begin.
        at = next((i for i in range(at, len(layout_lines)) if labels.match(layout_lines[i])), -1)
        assert at >= 0, "no line with both labels side by side"
        starts = opening(left), opening(right)
        shared = [
            line
            for line in layout_lines[at + 1 : at + 4]
            if (a := starts[0].search(line))
            and (b := starts[1].search(line))
            and a.end() < b.start()
        ]
        assert shared, (layout_lines[at : at + 4], starts)
        at += 1


def test_the_at_a_glance_table_stays_a_table(layout_lines) -> None:
    header = re.compile(r"^\s*Point\s{3,}Software engineer\s{3,}Machine learning engineer\s*$")
    assert sum(1 for line in layout_lines if header.match(line)) == 1


def text_runs(page, *, bold: bool = False) -> list[tuple[float, float, str]]:
    """(x, y, text) of each run of text on a PDF page (pypdf), in page coordinates."""
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() and (not bold or "Bold" in str((font or {}).get("/BaseFont", ""))):
            runs.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return runs


def label_rows(pdf_file: Path) -> list[tuple[int, float, float]]:
    """(page index, x of the right column, y) of every pair of labels set side by side."""
    rows = []
    for number, page in enumerate(PdfReader(pdf_file).pages):
        runs = text_runs(page, bold=True)
        for x, y, text in runs:
            if text.strip() != ROLE_LABELS[0]:
                continue
            rows += [
                (number, x2, y)
                for x2, y2, text2 in runs
                if text2.strip() == ROLE_LABELS[1] and abs(y2 - y) < 1 and x2 > x + 100
            ]
    return rows


def test_every_comparison_is_labelled_at_the_top_of_two_columns(pdf_file, html_dir) -> None:
    """Software engineer on the left, Machine learning engineer on the right, level."""
    assert len(label_rows(pdf_file)) == len(html_comparisons(html_dir))


def link_key(text: str) -> str:
    """What identifies a link's text even when a line break splits it: its first letters."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())[:3]


def test_every_link_in_both_columns_is_live(pdf_file, html_dir) -> None:
    """Each term link and citation of each side is a link annotation in its own column."""
    reader = PdfReader(pdf_file)
    rows = label_rows(pdf_file)
    found: list[Counter[str]] = [Counter(), Counter()]
    for number in sorted({row[0] for row in rows}):
        page = reader.pages[number]
        column = min(x for n, x, _ in rows if n == number)  # where the right column begins
        runs = text_runs(page)
        for annotation in page.get("/Annots") or []:
            x0, y0, x1, y1 = map(float, annotation.get_object()["/Rect"])
            # A run of text may start with the space before the link: a few points early.
            text = "".join(t for x, y, t in runs if x0 - 5 <= x < x1 - 1 and y0 - 1 <= y <= y1)
            found[x0 >= column - 1][link_key(text)] += 1
    wanted: list[Counter[str]] = [Counter(), Counter()]
    for sides in html_comparisons(html_dir):
        for side, content in enumerate(sides):
            wanted[side].update(link_key(a.get_text()) for a in content.select("a.reference"))
    assert sum(wanted[1].values()) >= 40
    for side in (0, 1):
        assert wanted[side] - found[side] == Counter(), ROLE_LABELS[side]


def test_the_book_calls_itself_a_book(pdf_text: str) -> None:
    """The web's own words ("this site") are not the book's."""
    assert "this site" not in pdf_text
    assert "this book explains" in pdf_text


# -- The glossary chapter: compact, "Used in" as page numbers that are links ---------

#: The glossary chapter's longest allowed span, in pages (it was 39 set as field lists).
GLOSSARY_PAGES = 22


def chapter_pages(reader: PdfReader, title: str) -> range:
    """The indexes of the pages of chapter *title* (from its start to the next one's)."""
    starts = [
        (normalise(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ((first, end),) = [
        (page, next_page)
        for (name, page), (_, next_page) in zip(
            starts, [*starts[1:], ("", len(reader.pages))], strict=True
        )
        if name == title
    ]
    return range(first, end)


def test_the_glossary_chapter_is_compact(pdf_file: Path) -> None:
    assert len(chapter_pages(PdfReader(pdf_file), "glossary")) <= GLOSSARY_PAGES


def link_target(reader: PdfReader, annotation) -> int | None:
    """The index of the page an internal link annotation goes to (None: not one)."""
    if annotation.get("/Subtype") != "/Link":
        return None
    target = annotation.get("/Dest")
    if target is None and "/A" in annotation and annotation["/A"].get("/S") == "/GoTo":
        target = annotation["/A"]["/D"]
    if target is None:
        return None
    if isinstance(target, str | bytes) or not hasattr(target, "__getitem__"):
        target = reader.named_destinations[str(target)]
        return reader.get_destination_page_number(target)
    return reader.get_page_number(target[0].get_object())


def link_name(annotation) -> str | None:
    """The named destination an internal link annotation goes to (None: not one)."""
    target = annotation.get("/Dest")
    if target is None and "/A" in annotation and annotation["/A"].get("/S") == "/GoTo":
        target = annotation["/A"]["/D"]
    return str(target) if isinstance(target, str) else None


def test_links_to_the_references_page_open_the_bibliography(pdf_file: Path) -> None:
    """The book's References page is its bibliography (docs/_ext/latex_references.py): the
    links to it (from the home and About pages) open the bibliography's first page."""
    reader = PdfReader(pdf_file)
    aux = (pdf_file.parent / f"{NAME}.aux").read_text("utf-8")
    # \newlabel{label}{{number}{page}{title}{anchor}{}}: the anchor that links to it name.
    (anchor,) = re.findall(r"^\\newlabel\{references::doc\}.*\{([^{}]*)\}\{\}\}$", aux, re.M)
    links = [
        link_target(reader, annotation)
        for page in reader.pages
        for annotation in (a.get_object() for a in page.get("/Annots") or [])
        if link_name(annotation) == anchor
    ]
    assert len(links) >= 2
    assert set(links) == {chapter_pages(reader, "bibliography")[0]}


def words_in(pdf_file: Path, index: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, word) of each word of page *index*, in PDF coordinates (pdftotext)."""
    pdftotext = require_tool("pdftotext")
    number = str(index + 1)
    xml = subprocess.run(
        [pdftotext, "-bbox", "-f", number, "-l", number, str(pdf_file), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    soup = BeautifulSoup(xml, "html.parser")
    height = float(soup.select_one("page")["height"])
    return [
        (
            float(w["xmin"]),
            height - float(w["ymax"]),
            float(w["xmax"]),
            height - float(w["ymin"]),
            w.get_text(),
        )
        for w in soup.select("word")
    ]


def used_in_links(pdf_file: Path) -> list[tuple[str, int]]:
    """(link text, target page index) of each link from the glossary to another chapter.

    Term links stay in the glossary and citations go to the bibliography: what
    leaves for another chapter is a "Used in" reference.
    """
    reader = PdfReader(pdf_file)
    glossary = chapter_pages(reader, "glossary")
    bibliography = chapter_pages(reader, "bibliography")
    links = []
    for index in glossary:
        words = words_in(pdf_file, index)
        for annotation in reader.pages[index].get("/Annots") or []:
            annotation = annotation.get_object()
            target = link_target(reader, annotation)
            if target is None or target in glossary or target in bibliography:
                continue
            x0, y0, x1, y1 = map(float, annotation["/Rect"])
            text = " ".join(
                w
                for wx0, wy0, wx1, wy1, w in words
                if x0 - 1 <= (wx0 + wx1) / 2 <= x1 + 1 and y0 - 1 <= (wy0 + wy1) / 2 <= y1 + 1
            )
            links.append((text.strip(",."), target))
    return links


def test_used_in_gives_page_numbers_that_link_to_those_pages(pdf_file, html_dir) -> None:
    """Each "Used in" reference is the printed number of the page it links to, a page
    that links the glossary; there are as many as the web glossary's "Used in" links,
    but for the References page, which the book replaces by its bibliography."""
    reader = PdfReader(pdf_file)
    glossary = chapter_pages(reader, "glossary")
    links = used_in_links(pdf_file)
    html = BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")
    wanted = [
        a
        for a in html.select("dl.glossary-entry dd.glossary-used-in a[href]")
        if not a["href"].startswith("references.html")
    ]
    assert len(wanted) >= 100
    assert len(links) == len(wanted)
    labels = reader.page_labels
    assert [(text, labels[target]) for text, target in links if text != labels[target]] == []
    for target in {target for _, target in links}:
        back = [link_target(reader, a.get_object()) for a in reader.pages[target].get("/Annots")]
        assert any(page in glossary for page in back), labels[target]


#: An entry's details as the PDF and EPUB set them: one run-in paragraph.
DETAILS = re.compile(
    r"category: [^.]+\. (see also: [^.]+\. )?sources: \[[\d, ]+\]\."
    r"( used in pp?\. \d+(, \d+)*\.)?"
)


def test_each_entry_s_details_are_one_run_in_line(pdf_file: Path) -> None:
    chapter = chapter_text(pdf_file, "glossary")
    glossary = load_glossary(TERMS)
    assert chapter.count("category:") == len(glossary)
    runs = DETAILS.findall(chapter)
    assert len(runs) == len(glossary)
    assert chapter.count(" used in p") >= len(glossary) // 2
    # An entry no page links says nothing of it: no placeholder a reader would see.
    assert "no page yet" not in chapter and "no page of this book" not in chapter
