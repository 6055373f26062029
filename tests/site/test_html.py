"""The HTML site: complete article, no extraction artifacts, role tabs, working links."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from glossary.loader import load_glossary
from tools.project import TERMS

from ..conftest import DATA, Build
from ..support.site import Page, name_pattern, normalise, pages, resolve

ARTICLE_CAPTIONS = [
    "What Is Machine Learning?",
    "Responsibilities",
    "What Is a Machine Learning Engineer",
    "Differences Between Machine Learning Engineers And Software Engineers",
    "Is Machine Learning Difficult",
    "Software Engineer",
]
DIMENSIONS = [
    "Developer perspective",
    "Product perspective",
    "Demand",
    "Work environment",
    "Communication style",
    "Skills",
    "Prospects",
    "Tools and languages",
    "Approach to problem-solving",
    "Education and skills",
    "Proof of concept",
]
ROLE_TABS = [("swe", "Software engineer"), ("mle", "Machine learning engineer")]


@pytest.fixture(scope="module")
def site(html_dir: Path) -> dict[str, Page]:
    return {page.name: page for page in pages(html_dir)}


def test_the_html_build_succeeds_without_a_warning(html_build: Build) -> None:
    assert html_build.returncode == 0, html_build.output[-3000:]
    assert html_build.problems == []


def test_every_sentence_of_the_article_is_on_the_site(site) -> None:
    corpus = " ".join(normalise(page.text()) for page in site.values())
    lines = (DATA / "article.txt").read_text(encoding="utf-8").splitlines()
    missing = [line for line in lines if line.strip() and normalise(line) not in corpus]
    assert len(lines) > 150
    assert missing == []


def test_no_extraction_artifact_is_left(site) -> None:
    everywhere: list[str] = []
    for page in site.values():
        headings = [
            normalise(h.get_text(" ")).rstrip("¶ ?:")
            for h in page.main.select("h1, h2, h3, h4, h5, h6")
        ]
        assert len(headings) == len(set(headings)), f"{page.name}: a heading repeats"
        everywhere += headings
        text = page.text()
        assert "output5" not in text, page.name
        assert not re.search(r"\b1\.\s+(Do|What|Can|How|Is|Does|Why|Where|Should)\b", text), (
            page.name
        )
        assert not page.main.select("li h1, li h2, li h3, li h4, li p.rubric"), page.name
    for caption in ARTICLE_CAPTIONS:
        wanted = normalise(caption).rstrip("?:")
        limit = 2 if caption == "Responsibilities" else 1  # one per role page
        assert everywhere.count(wanted) <= limit, caption


def test_every_comparison_has_both_role_tabs_in_order(site) -> None:
    tab_sets = [(page.name, ts) for page in site.values() for ts in page.main.select(".sd-tab-set")]
    assert len(tab_sets) >= len(DIMENSIONS) + 1
    for name, tab_set in tab_sets:
        labels = tab_set.select(":scope > label.sd-tab-label")
        found = [(label.get("data-sync-id"), label.get_text(strip=True)) for label in labels]
        assert found == ROLE_TABS, name
        assert {label.get("data-sync-group") for label in labels} == {"role"}, name
        assert all(len(c.get_text(strip=True)) > 20 for c in tab_set.select(".sd-tab-content"))


def test_each_difference_is_a_linkable_heading_over_one_tab_set(site) -> None:
    page = site["differences.html"]
    sections = {
        normalise(s.find("h2").get_text(" ").rstrip("¶")): s
        for s in page.main.select("section section")
        if s.find("h2")
    }
    for dimension in DIMENSIONS:
        section = sections.get(normalise(dimension))
        assert section is not None, dimension
        assert section.get("id"), dimension
        assert len(section.select(".sd-tab-set")) == 1, dimension


def test_the_career_page_compares_the_roles_in_tabs(site) -> None:
    assert site["career.html"].main.select(".sd-tab-set")


def test_every_faq_question_is_a_linkable_entry(site) -> None:
    questions = (DATA / "faq-questions.txt").read_text(encoding="utf-8").splitlines()
    faq = site["faq.html"]
    headings = {normalise(h.get_text(" ").rstrip("¶")): h for h in faq.main.select("h2")}
    merged = normalise("Do ML engineers make more than software engineers?")
    for question in questions:
        if normalise(question) == merged:
            assert merged in normalise(faq.text()), "the merged question is kept as text"
            continue
        heading = headings.get(normalise(question))
        assert heading is not None, question
        assert heading.find_parent("section").get("id"), question
    assert len(headings) == len(questions) - 1


def test_home_table_rows_link_to_their_tabbed_sections(site, html_dir) -> None:
    index = site["index.html"]
    rows = index.main.select("table tbody tr")
    assert len(rows) == len(DIMENSIONS)
    for row in rows:
        link = row.select_one("a[href]")
        assert link is not None, row.get_text(" ")
        target, fragment = resolve(index.path, link["href"])
        assert target.name == "differences.html"
        assert site[target.name].soup.find(id=fragment) is not None, link["href"]


def test_the_output_holds_no_build_cache(html_dir: Path) -> None:
    leftovers = [
        p.name
        for p in html_dir.rglob("*")
        if p.name in {".doctrees", ".buildinfo.bak"}
        or p.suffix == ".doctree"
        or p.name.endswith(".pickle")
    ]
    assert leftovers == []


def test_the_site_loads_nothing_from_another_host(html_dir: Path) -> None:
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""")
    # A canonical link names the page's public address; browsers load nothing from it.
    canonical = re.compile(r"""<link\s+rel="canonical"\s""")
    for path in html_dir.glob("*.html"):
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", path.read_text("utf-8")):
            assert canonical.match(tag) or not external.search(tag), f"{path.name}: {tag}"
    for path in html_dir.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", path.read_text("utf-8")), path


def glossary_anchor_map(html_dir: Path) -> dict[str, str]:
    records = json.loads((html_dir / "glossary.json").read_text(encoding="utf-8"))
    return {anchor: record["term"] for record in records for anchor in record["anchors"]}


def test_every_page_links_each_term_it_mentions(site, html_dir) -> None:
    anchors = glossary_anchor_map(html_dir)
    terms = list(load_glossary(TERMS))
    unlinked: list[str] = []
    for page in site.values():
        if page.name == "glossary.html":
            continue
        linked = set()
        for link in page.main.select("a[href]"):
            target, fragment = resolve(page.path, link["href"])
            if target.name == "glossary.html" and fragment in anchors:
                linked.add(anchors[fragment])
        text = page.text(".toctree-wrapper", "div.citation", "dl.citation", "pre", "code")
        for term in terms:
            if term.term in linked:
                continue
            hits = [n for n in term.names if name_pattern(n).search(text)]
            if hits:
                unlinked.append(f"{page.name}: mentions {hits[0]!r} but never links {term.term!r}")
    assert unlinked == []


def test_every_definition_links_the_terms_it_mentions(site, html_dir) -> None:
    anchors = glossary_anchor_map(html_dir)
    terms = {term.term: term for term in load_glossary(TERMS)}
    unlinked: list[str] = []
    for entry in site["glossary.html"].main.select("dl.glossary-entry"):
        own = anchors[entry.select_one("dt")["id"]]
        definition = entry.select_one(":scope > dd")
        for details in definition.select("dl.glossary-details"):
            details.decompose()
        linked = {
            anchors[resolve(Path("glossary.html"), a["href"])[1]]
            for a in definition.select("a[href]")
            if resolve(Path("glossary.html"), a["href"])[1] in anchors
        }
        # Words inside a link are accounted for: "machine learning engineers"
        # linked to its entry needs no second link for "machine learning".
        for link in definition.select("a[href]"):
            link.decompose()
        text = " ".join(definition.get_text(" ").split())
        for own_name in terms[own].names:  # the entry naming itself is no mention
            text = name_pattern(own_name).sub(" ", text)
        for name, term in terms.items():
            if name == own or name in linked:
                continue
            hits = [n for n in term.names if name_pattern(n).search(text)]
            if hits:
                unlinked.append(f"{own}: mentions {hits[0]!r} but never links {name!r}")
    assert unlinked == []
