"""Each HTML page loads only the data and assets it uses (found by the page-weight benchmark)."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

PREVIEWS = re.compile(r"window\.GLOSSARY_PREVIEWS = (\{.*\});\s*$", re.DOTALL)


def soups(html_dir: Path) -> dict[str, BeautifulSoup]:
    return {
        path.name: BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for path in sorted(html_dir.glob("*.html"))
    }


def asset_urls(soup: BeautifulSoup) -> list[str]:
    """The addresses of the page's scripts and stylesheets, as written."""
    urls = [tag["src"] for tag in soup.find_all("script", src=True)]
    return urls + [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]


def loaded(soup: BeautifulSoup) -> set[str]:
    """The file names of the page's scripts and stylesheets."""
    return {Path(urlsplit(url).path).name for url in asset_urls(soup)}


def test_only_the_search_page_loads_the_whole_glossary_index(html_dir: Path) -> None:
    pages = soups(html_dir)
    assert len(pages) > 5
    loading = {name for name, soup in pages.items() if "glossary-index.js" in loaded(soup)}
    assert loading == {"search.html"}


def test_previews_carry_exactly_the_terms_a_page_links(html_dir: Path) -> None:
    checked = 0
    for name, soup in soups(html_dir).items():
        anchors = {
            unquote(urlsplit(link["href"]).fragment)
            for link in soup.select("a.reference.internal")
            if link.select_one(".std-term")
        }
        scripts = [PREVIEWS.search(s.string or "") for s in soup.find_all("script", src=False)]
        data = [json.loads(match[1]) for match in scripts if match]
        if not anchors:
            assert data == [], name
            continue
        assert len(data) == 1, name
        assert set(data[0]) == anchors, name
        assert all(record["term"] and record["summary"] for record in data[0].values())
        checked += 1
    assert checked >= 5


def test_sphinx_design_assets_only_on_pages_with_a_component(html_dir: Path) -> None:
    with_tabs = set()
    for name, soup in soups(html_dir).items():
        has_component = soup.select_one("[class*='sd-']") is not None
        assets = {"sphinx-design.min.css", "design-tabs.js"} & loaded(soup)
        assert bool(assets) == has_component, name
        if has_component:
            assert len(assets) == 2, name
            with_tabs.add(name)
    assert "differences.html" in with_tabs


def test_the_comparison_view_only_on_pages_with_a_comparison(html_dir: Path) -> None:
    """Its script and style, and the view choice itself, once, before the first comparison."""
    with_comparisons = set()
    for name, soup in soups(html_dir).items():
        comparisons = soup.select("article .sd-tab-set")
        assets = {"comparisons.css", "comparisons.js"} & loaded(soup)
        choices = soup.select("article fieldset.comparison-view")
        assert (assets, len(choices)) == (
            ({"comparisons.css", "comparisons.js"}, 1) if comparisons else (set(), 0)
        ), name
        if comparisons:
            assert choices[0].find_next(class_="sd-tab-set") is comparisons[0], name
            with_comparisons.add(name)
    assert {"differences.html", "career.html", "difficulty.html"} <= with_comparisons


def test_no_script_holds_up_the_first_paint_but_on_the_search_page(html_dir: Path) -> None:
    """docs/_ext/page_speed.py: external scripts are deferred; the search page's
    searchtools.js needs doctools.js at once, so that page keeps Sphinx's order."""
    blocking = {
        name: [
            Path(urlsplit(tag["src"]).path).name
            for tag in soup.find_all("script", src=True)
            if not (tag.has_attr("defer") or tag.has_attr("async"))
        ]
        for name, soup in soups(html_dir).items()
    }
    assert len(blocking) > 5
    assert {name: files for name, files in blocking.items() if files} == {
        "search.html": [
            "documentation_options.js",
            "doctools.js",
            "sphinx_highlight.js",
            "furo.js",
            "searchtools.js",
            "language_data.js",
            "searchindex.js",
        ]
    }


#: Named without a checksum by Sphinx's own search template (basic/search.html).
UNSTAMPED_BY_SPHINX = {("search.html", "searchtools.js"), ("search.html", "language_data.js")}
#: Stamped with Sphinx's own version of the file, which furo overwrites at
#: build-finished with its light-and-dark one (it changes with the same styles).
REWRITTEN_BY_FURO = "pygments.css"


def test_each_asset_link_names_the_version_of_the_file_beside_it(html_dir: Path) -> None:
    """A changed stylesheet or script gets a new address (?v=), so no browser keeps
    the old one; Sphinx stamps only the files that are in place when it writes a page."""
    stamps = 0
    for name, soup in soups(html_dir).items():
        for url in asset_urls(soup):
            parts = urlsplit(url)
            if parts.scheme or not parts.path.startswith("_static/"):
                continue
            file = html_dir / unquote(parts.path)
            if (name, file.name) in UNSTAMPED_BY_SPHINX or file.name == REWRITTEN_BY_FURO:
                continue
            assert parts.query == f"v={zlib.crc32(file.read_bytes()):08x}", (name, url)
            stamps += 1
    assert stamps > 50
