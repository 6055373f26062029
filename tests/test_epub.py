"""The EPUB: builds cleanly, and each comparison shows both roles as labelled blocks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import Build
from .site import normalise

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


def test_the_epub_holds_the_glossary_and_references(epub_pages) -> None:
    assert len(epub_pages["glossary.xhtml"].select("dl.glossary-entry")) >= 80
    assert len(epub_pages["references.xhtml"].select(".citation, [role=doc-biblioentry]")) >= 20
