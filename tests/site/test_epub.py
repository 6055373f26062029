"""The EPUB: builds cleanly, and each comparison shows both roles as labelled blocks."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from glossary.files import read_bib_keys
from tools.build import EPUB_TOOLS, epubcheck

from ..conftest import DOCS, Build, require_tools, sphinx_build
from ..support.site import normalise

ROLE_LABELS = ["Software engineer", "Machine learning engineer"]


@pytest.fixture(scope="module")
def epub_pages(epub_file: Path) -> dict[str, BeautifulSoup]:
    with zipfile.ZipFile(epub_file) as epub:
        return {
            name.rsplit("/", 1)[-1]: BeautifulSoup(epub.read(name).decode(), "html.parser")
            for name in epub.namelist()
            if name.endswith(".xhtml")
        }


def test_the_epub_build_succeeds_without_a_warning(epub_build: Build) -> None:
    assert epub_build.returncode == 0, epub_build.output[-3000:]
    assert epub_build.problems == []


def test_the_build_writes_and_prints_nothing_that_is_for_the_web_only(epub_build: Build) -> None:
    """No sitemap beside the book (its pages have no address); no word about the link-preview
    images that sphinxext-opengraph could draw with matplotlib (they are off)."""
    assert epub_build.returncode == 0
    assert not (epub_build.outdir / "sitemap.xml").exists()
    assert "matplotlib" not in epub_build.output


def test_comparisons_are_flattened_into_both_labelled_sides(epub_pages, html_dir) -> None:
    checked = 0
    for page in ("differences", "career", "difficulty"):
        epub = epub_pages[f"{page}.xhtml"]
        html = BeautifulSoup((html_dir / f"{page}.html").read_text("utf-8"), "html.parser")
        assert not epub.select("input, .sd-tab-set, label")
        flat = epub.select("div.comparison")
        tabs = html.select(".sd-tab-set")
        assert len(flat) == len(tabs) > 0
        for block, tab_set in zip(flat, tabs, strict=True):
            sides = block.select(":scope > div.comparison-side")
            labels = [s.select_one(".comparison-label").get_text(strip=True) for s in sides]
            assert labels == ROLE_LABELS
            for side, content in zip(sides, tab_set.select(".sd-tab-content"), strict=True):
                assert normalise(content.get_text(" ")) in normalise(side.get_text(" "))
                checked += 1
    assert checked >= 24


def test_the_epub_offers_no_view_choice_and_calls_itself_a_book(epub_pages) -> None:
    """The web's Tabs / Side by side choice and its words ("this site") are not the book's."""
    assert not [name for name, page in epub_pages.items() if page.select(".comparison-view")]
    text = {name: normalise(page.get_text(" ")) for name, page in epub_pages.items()}
    assert [name for name, words in text.items() if "this site" in words] == []
    assert "this book explains" in text["index.xhtml"]


def test_the_epub_holds_the_glossary_and_references(epub_pages) -> None:
    assert len(epub_pages["glossary.xhtml"].select("dl.glossary-entry")) >= 80
    assert len(epub_pages["references.xhtml"].select(".citation, [role=doc-biblioentry]")) >= 20


#: An entry's details in the book: one run-in paragraph, "Used in" naming the pages.
DETAILS = re.compile(
    r"category: [^.]+\. (see also: [^.]+\. )?sources: \[[\d, ]+\]\.( used in: .+\.)?$"
)


def test_each_glossary_entry_s_details_are_one_run_in_line(epub_pages, html_dir) -> None:
    """Category, see also, sources and "Used in" as one paragraph, every link kept;
    "Used in" links each page by its title (an e-reader has no page numbers)."""
    page = epub_pages["glossary.xhtml"]
    html = BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")
    entries = page.select("dl.glossary-entry")
    assert len(entries) == len(html.select("dl.glossary-entry")) >= 80
    assert not page.select("dl.glossary-entry .field-list, dl.glossary-entry dl dl")
    titles = {
        name.removesuffix(".xhtml"): normalise(p.select_one("h1").get_text(" ")).rstrip("¶ ")
        for name, p in epub_pages.items()
        if p.select_one("h1")
    }
    used = 0
    for entry, web in zip(entries, html.select("dl.glossary-entry"), strict=True):
        (details,) = entry.select("dd > div.glossary-details > p")
        assert DETAILS.match(normalise(details.get_text(" "))), details.get_text(" ")
        # The same links as the web's field list: see also, citations, "Used in".
        web_links = [a["href"] for a in web.select("dl.glossary-details a[href]")]
        assert [a["href"].replace(".xhtml", ".html") for a in details.select("a[href]")] == (
            web_links
        )
        for link in details.select(".glossary-used-in-pages a[href]"):
            assert normalise(link.get_text(" ")) == titles[link["href"].removesuffix(".xhtml")]
            used += 1
    assert used >= 100


#: The namespaces of the package document (content.opf).
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def opf(epub_file: Path) -> ElementTree.Element:
    with zipfile.ZipFile(epub_file) as epub:
        return ElementTree.fromstring(epub.read("content.opf"))


def manifest(opf: ElementTree.Element) -> list[ElementTree.Element]:
    return opf.findall("opf:manifest/opf:item", NS)


def test_epubcheck_finds_nothing(epub_file: Path, tmp_path: Path) -> None:
    require_tools(*EPUB_TOOLS)
    report = tmp_path / "epubcheck.json"
    result = epubcheck(epub_file, "--json", str(report)).run(check=False, capture=True)
    messages = json.loads(report.read_text("utf-8"))["messages"]
    assert [(m["ID"], m["severity"], m["message"]) for m in messages] == []
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metadata_is_complete(opf: ElementTree.Element) -> None:
    def value(field: str) -> str:
        return opf.findtext(f"opf:metadata/dc:{field}", "", NS).strip()

    for field in ("title", "creator", "language", "identifier", "publisher", "date", "rights"):
        assert value(field) not in {"", "unknown"}, field
    assert len(value("description")) > 80
    assert value("date") == "2026-01-01T00:00:00Z"  # from SOURCE_DATE_EPOCH
    identifier = opf.find("opf:metadata/dc:identifier", NS)
    assert opf.get("unique-identifier") == identifier.get("id")


def test_the_cover_is_the_projects_own_image(opf: ElementTree.Element, epub_file: Path) -> None:
    (cover,) = [item for item in manifest(opf) if item.get("properties") == "cover-image"]
    with zipfile.ZipFile(epub_file) as epub:
        image = epub.read(cover.get("href"))
    assert image == (DOCS / cover.get("href")).read_bytes()
    assert b"ML Engineer" in image


def test_pages_with_mathml_declare_it(opf: ElementTree.Element, epub_file: Path) -> None:
    with zipfile.ZipFile(epub_file) as epub:
        with_math = {
            item.get("href")
            for item in manifest(opf)
            if item.get("media-type") == "application/xhtml+xml"
            and b"<math" in epub.read(item.get("href"))
        }
    declared = {
        item.get("href") for item in manifest(opf) if "mathml" in item.get("properties", "")
    }
    assert with_math == declared
    assert "glossary.xhtml" in declared


def test_every_page_is_in_the_spine_and_the_navigation(opf, epub_pages) -> None:
    items = {item.get("id"): item.get("href") for item in manifest(opf)}
    refs = opf.findall("opf:spine/opf:itemref", NS)
    spine = [items[ref.get("idref")] for ref in refs]
    pages = {name for name in items.values() if name.endswith(".xhtml")} - {"nav.xhtml"}
    assert set(spine) == pages
    assert all(ref.get("linear") != "no" for ref in refs)
    listed = {a["href"].split("#")[0] for a in epub_pages["nav.xhtml"].select("nav a")}
    assert pages - {"epub-cover.xhtml"} <= listed


def test_no_script_no_search_no_general_index(epub_file: Path, epub_pages) -> None:
    with zipfile.ZipFile(epub_file) as epub:
        names = epub.namelist()
    assert not [name for name in names if name.endswith(".js")]
    assert not [name for name in names if "search" in name or "genindex" in name]
    assert not [name for name, page in epub_pages.items() if page.find("script")]


def test_the_stylesheets_are_the_books_not_the_sites(epub_file: Path, epub_pages) -> None:
    with zipfile.ZipFile(epub_file) as epub:
        names = epub.namelist()
    assert "_static/book.css" in names
    assert not [
        name
        for name in names
        if "furo" in name or name.endswith(("site.css", "comparisons.css", "comparisons.js"))
    ]
    sheets = {link["href"] for link in epub_pages["index.xhtml"].select("link[rel=stylesheet]")}
    assert "_static/book.css" in sheets


def test_every_bibliography_entry_is_in_the_epub(epub_pages) -> None:
    keys = read_bib_keys(DOCS / "references.bib")
    listed = {
        div["id"].removeprefix("cite-")
        for div in epub_pages["references.xhtml"].select("div.citation[id]")
    }
    assert listed == keys


def test_the_zip_is_an_epub_container(epub_file: Path) -> None:
    with zipfile.ZipFile(epub_file) as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
    assert epub_file.read_bytes()[30:38] == b"mimetype"  # no extra field before it


def test_two_builds_give_the_same_epub(epub_file: Path, tmp_path: Path) -> None:
    again = sphinx_build(DOCS, "epub", tmp_path / "epub")
    assert again.returncode == 0, again.output[-3000:]
    assert (again.outdir / epub_file.name).read_bytes() == epub_file.read_bytes()
