"""The glossary as readers get it in HTML: entries, details, backlinks, data, search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from glossary.loader import load_glossary
from glossary.names import fold
from tools.project import TERMS, copy_project

from ..conftest import ROOT, assert_clean, sphinx_build
from ..support.site import pages, resolve, used_in, written_pages


@pytest.fixture(scope="module")
def glossary_page(html_dir: Path) -> BeautifulSoup:
    return BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")


def test_every_term_file_is_an_entry_with_every_alias_an_anchor(glossary_page) -> None:
    terms = list(load_glossary(TERMS))
    entries = glossary_page.select("dl.glossary-entry")
    assert len(entries) == len(terms) >= 80
    for term, entry in zip(terms, entries, strict=True):
        names = [dt.get_text(strip=True).rstrip("¶") for dt in entry.select(":scope > dt")]
        assert names == list(term.names)
        assert all(dt.get("id", "").startswith("term-") for dt in entry.select(":scope > dt"))


def test_entries_are_grouped_a_to_z_with_a_jump_bar(glossary_page) -> None:
    groups = glossary_page.select(".glossary-letter")
    letters = [g.select_one(".glossary-letter-heading").get_text(strip=True) for g in groups]
    assert letters == sorted(letters) and len(letters) >= 15
    jump = [a["href"] for a in glossary_page.select(".glossary-jump-bar a")]
    assert jump == [f"#{g['id']}" for g in groups]
    for group, letter in zip(groups, letters, strict=True):
        for dt in group.select("dl.glossary-entry > dt:first-child"):
            assert fold(dt.get_text(strip=True))[0].upper() == letter


def test_each_entry_shows_category_see_also_sources_and_used_in(glossary_page, html_dir) -> None:
    fields_unused = ["Category", "See also", "Sources"]
    for entry in glossary_page.select("dl.glossary-entry"):
        fields = {
            dt.get_text(strip=True).rstrip(":"): dt.find_next_sibling("dd")
            for dt in entry.select("dl.glossary-details > dt")
        }
        # "Used in" only when a page links the entry: no placeholder instead.
        assert list(fields) in (["Category", "See also", "Sources", "Used in"], fields_unused)
        assert "no page yet" not in entry.get_text()
        see_also = fields["See also"].select("a[href^='#term-']")
        assert see_also and all(glossary_page.find(id=a["href"][1:]) for a in see_also)
        sources = fields["Sources"].select("a[href]")
        assert sources
        for link in sources:
            target, fragment = resolve(html_dir / "glossary.html", link["href"])
            assert target.name == "references.html" and fragment


def test_used_in_lists_exactly_the_pages_that_link_the_entry(glossary_page, html_dir) -> None:
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    owner = {anchor: r["term"] for r in records for anchor in r["anchors"]}
    expected: dict[str, set[str]] = {r["term"]: set() for r in records}
    for page in pages(html_dir):
        if page.name == "glossary.html":
            continue
        for link in page.main.select("a[href*='glossary.html#term-']"):
            expected[owner[resolve(page.path, link["href"])[1]]].add(page.name)
    shown = used_in(glossary_page)
    assert {term: set(files) for term, files in shown.items()} == expected
    assert sum(1 for files in shown.values() if files) >= 40


def test_glossary_json_describes_every_entry(html_dir: Path) -> None:
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    terms = {t.term: t for t in load_glossary(TERMS)}
    assert [r["term"] for r in records] == sorted(terms, key=fold)
    for record in records:
        term = terms[record["term"]]
        assert record["aliases"] == list(term.aliases)
        assert record["see_also"] == list(term.see_also)
        assert record["category"] == term.category
        assert record["definition"] and record["summary"]
        assert record["definition"].startswith(record["summary"])
        page, anchor = record["url"].split("#")
        assert page == "glossary.html" and anchor == record["anchors"][0]
    script = (html_dir / "_static" / "glossary-index.js").read_text("utf-8")
    assert script.startswith("window.GLOSSARY_INDEX = [")


def search_index_entries(html_dir: Path) -> dict[str, list]:
    script = (html_dir / "searchindex.js").read_text("utf-8")
    data = json.loads(script.removeprefix("Search.setIndex(").removesuffix(")"))
    return data["indexentries"]


def test_terms_and_aliases_are_in_the_general_and_search_index(html_dir: Path) -> None:
    genindex = (html_dir / "genindex.html").read_text("utf-8")
    entries = search_index_entries(html_dir)
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    for record in records:
        for name, anchor in zip(
            [record["term"], *record["aliases"]], record["anchors"], strict=True
        ):
            assert f'href="glossary.html#{anchor}"' in genindex, name
            assert any(entry[1] == anchor for entry in entries[name.lower()]), name


def test_used_in_is_the_same_when_pages_are_read_in_parallel(tmp_path, glossary_page) -> None:
    build = sphinx_build(ROOT / "docs", "html", tmp_path / "html", "-j", "2")
    assert_clean(build)
    parallel = BeautifulSoup((build.outdir / "glossary.html").read_text("utf-8"), "html.parser")
    assert used_in(parallel) == used_in(glossary_page)


def link_an_unused_term_from_about(root: Path, out: Path) -> str:
    """Add to the About page a link to a term it did not link; return the term."""
    before = used_in(BeautifulSoup((out / "glossary.html").read_text("utf-8"), "html.parser"))
    unused = next(term for term, files in before.items() if "about.html" not in files)
    about = root / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + f"\n\nSee also {{term}}`{unused}`.\n", "utf-8")
    return unused


def test_incremental_builds_update_used_in_and_edited_terms(tmp_path) -> None:
    root = copy_project(tmp_path / "project")
    out = tmp_path / "html"
    assert_clean(sphinx_build(root / "docs", "html", out))
    unused = link_an_unused_term_from_about(root, out)
    term_file = next(t.path for t in load_glossary(root / "docs" / "terms") if t.term == unused)
    term_file.write_text(
        term_file.read_text("utf-8") + "\nAn added sentence for this test.\n", "utf-8"
    )
    assert_clean(sphinx_build(root / "docs", "html", out))
    html = (out / "glossary.html").read_text("utf-8")
    after = used_in(BeautifulSoup(html, "html.parser"))
    assert "about.html" in after[unused]
    assert "An added sentence for this test." in html

    # A rebuild with nothing changed keeps every term and alias searchable.
    assert_clean(sphinx_build(root / "docs", "html", out))
    assert_every_name_searchable(out)


def assert_every_name_searchable(html_dir: Path) -> None:
    """Every term and alias is an index entry of the search index, at its anchor."""
    entries = search_index_entries(html_dir)
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    missing = [
        name
        for record in records
        for name, anchor in zip(
            [record["term"], *record["aliases"]], record["anchors"], strict=True
        )
        if not any(entry[1] == anchor for entry in entries.get(name.lower(), []))
    ]
    assert len(records) >= 80 and missing == [], missing[:5]


#: The one run-time change left (docs/_ext/stable_config.py says why it is harmless).
LEFT_CHANGE = "The configuration has changed (1 option: 'pygments_dark_style')"


def test_a_rebuild_with_nothing_changed_writes_no_page_and_keeps_the_search(tmp_path) -> None:
    root = copy_project(tmp_path / "project")
    out = tmp_path / "html"
    assert_clean(sphinx_build(root / "docs", "html", out))
    # The search index too: the glossary page's entries come back, and nothing else
    # (from its unresolved doctree, citation keys came back as words of the page);
    # and the site search's index, every page's sections kept with the environment.
    kept = ("glossary.json", "glossary.jsonld", "searchindex.js", "_static/search-index.js")
    data = {name: (out / name).read_bytes() for name in kept}
    again = sphinx_build(root / "docs", "html", out)
    assert_clean(again)
    assert written_pages(again.output) == []
    changes = [line for line in again.output.splitlines() if "configuration has changed" in line]
    assert all(LEFT_CHANGE in line for line in changes), changes
    # Not written again, and still whole: rendered definitions and all.
    assert {name: (out / name).read_bytes() for name in data} == data
    assert_every_name_searchable(out)


def retitle_about(root: Path, out: Path) -> None:
    about = root / "docs" / "about.md"
    text = about.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    about.write_text(text.replace(title, title + " (retitled)", 1), "utf-8")


def add_a_sentence_to_about(root: Path, out: Path) -> None:
    about = root / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n\nA sentence with no term link.\n", "utf-8")


# The home page is written with the page: its table of contents shows the page's title.
@pytest.mark.parametrize(
    ("edit", "written"),
    [
        (link_an_unused_term_from_about, ["about", "glossary", "index"]),
        (retitle_about, ["about", "glossary", "index"]),  # "Used in" shows the title
        (add_a_sentence_to_about, ["about", "index"]),
    ],
    ids=["new-term-link", "new-title", "no-new-link"],
)
def test_a_one_page_edit_writes_the_glossary_only_when_its_used_in_changes(
    tmp_path, edit, written
) -> None:
    root = copy_project(tmp_path / "project")
    out = tmp_path / "html"
    assert_clean(sphinx_build(root / "docs", "html", out))
    before = used_in(BeautifulSoup((out / "glossary.html").read_text("utf-8"), "html.parser"))
    edit(root, out)
    build = sphinx_build(root / "docs", "html", out)
    assert_clean(build)
    assert sorted(written_pages(build.output)) == written
    after = used_in(BeautifulSoup((out / "glossary.html").read_text("utf-8"), "html.parser"))
    assert (after != before) == (edit is link_an_unused_term_from_about)
    if edit is retitle_about:
        soup = BeautifulSoup((out / "glossary.html").read_text("utf-8"), "html.parser")
        shown = {a.get_text() for a in soup.select("dd.glossary-used-in a[href^='about.html']")}
        assert shown == {"About (retitled)"}, shown
    assert_every_name_searchable(out)


TEX = re.compile(r"[\\{}$`]")


def test_glossary_json_holds_no_tex_or_markup(html_dir: Path) -> None:
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    with_tex = [r["term"] for r in records if TEX.search(r["definition"] + r["summary"])]
    assert with_tex == []
    precision = next(r for r in records if r["term"] == "Precision")
    assert "precision = TP / (TP + FP)" in precision["definition"]
    formula = BeautifulSoup(precision["definition_html"], "html.parser").select_one("math mfrac")
    assert formula is not None and "TP" in formula.get_text("").replace("\n", "").replace(" ", "")


def test_the_command_line_reads_the_same_text_as_the_build(html_dir: Path) -> None:
    """The command line reduces the source itself; it must agree with the parsed definition."""
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    terms = {t.term: t for t in load_glossary(TERMS)}
    assert {r["term"]: r["definition"] for r in records} == {
        name: term.plain_text() for name, term in terms.items()
    }


def test_definition_html_is_the_rendered_definition_with_links_from_the_root(html_dir) -> None:
    records = json.loads((html_dir / "glossary.json").read_text("utf-8"))
    page = BeautifulSoup((html_dir / "glossary.html").read_text("utf-8"), "html.parser")
    for record in records:
        html = BeautifulSoup(record["definition_html"], "html.parser")
        shown = page.find(id=record["anchors"][0]).find_next_sibling("dd")
        rendered = shown.select_one(".glossary-definition")
        assert html.get_text(" ", strip=True) == rendered.get_text(" ", strip=True)
        for link in html.select("a[href]"):
            target, fragment = resolve(html_dir / "index.html", link["href"])
            assert target.exists() and (not fragment or fragment in target.read_text("utf-8"))
