"""The bibliography: every entry cited, every citation resolved, the article's six in place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from glossary.files import read_bib_keys

from ..conftest import DOCS
from ..support.site import normalise, pages, resolve

#: Where the article cites each of its references: page, words of the cited passage.
ARTICLE_CITATIONS = [
    ("machine-learning.html", "without being explicitly programmed to perform the task", "sertis"),
    (
        "software-engineer.html",
        "translating user requirements into practical code",
        "interviewquery",
    ),
    (
        "machine-learning-engineer.html",
        "from self-driving cars to recommendation systems",
        "dataseries",
    ),
    ("differences.html", "data preprocessing techniques", "futurice"),
    ("differences.html", "will always produce the same output", "datasciencenerd"),
    (
        "difficulty.html",
        "not typically emphasized in traditional software engineering",
        "datasciencenerd",
    ),
    ("faq.html", "surpass those of software engineers with similar experience", "reddit"),
]


@pytest.fixture(scope="module")
def references(html_dir: Path) -> BeautifulSoup:
    return BeautifulSoup((html_dir / "references.html").read_text("utf-8"), "html.parser")


def test_every_bib_entry_is_cited_and_listed(references) -> None:
    keys = read_bib_keys(DOCS / "references.bib")
    listed = {div["id"].removeprefix("cite-") for div in references.select("div.citation[id]")}
    assert len(keys) >= 21
    assert listed == keys


def test_every_citation_links_to_its_entry(html_dir: Path, references) -> None:
    count = 0
    for page in pages(html_dir):
        for link in page.main.select(".bibtex-citation a[href]"):
            target, fragment = resolve(page.path, link["href"])
            assert target.name == "references.html", link
            assert references.find(id=fragment) is not None, link["href"]
            count += 1
    assert count >= 100


def test_the_article_cites_its_six_references_where_it_did(html_dir: Path) -> None:
    for page_name, passage, key in ARTICLE_CITATIONS:
        soup = BeautifulSoup((html_dir / page_name).read_text("utf-8"), "html.parser")
        blocks = [
            b
            for b in soup.select("article p, article li")
            if normalise(passage) in normalise(b.get_text(" "))
        ]
        assert blocks, f"{page_name}: {passage!r} not found"
        cited = {
            a["href"].split("#")[1] for b in blocks for a in b.select(".bibtex-citation a[href]")
        }
        assert f"cite-{key}" in cited, f"{page_name}: {passage!r} does not cite {key}"


def test_each_entry_links_out_to_its_doi_or_url(references) -> None:
    bib = (DOCS / "references.bib").read_text("utf-8")
    for div in references.select("div.citation[id]"):
        key = div["id"].removeprefix("cite-")
        entry = bib[bib.index(f"{{{key},") :].split("\n}", 1)[0]
        if re.search(r"^\s*(doi|url)\s*=", entry, re.M):
            assert div.select("a[href^='https://']"), key


def test_the_article_references_are_online_entries_with_nothing_invented() -> None:
    bib = (DOCS / "references.bib").read_text("utf-8")
    for key in ("sertis", "interviewquery", "dataseries", "futurice", "datasciencenerd", "reddit"):
        entry = re.search(rf"@online\{{{key},(.*?)\n\}}", bib, re.S)
        assert entry, key
        fields = set(re.findall(r"^\s*(\w+)\s*=", entry.group(1), re.M))
        assert {"title", "url"} <= fields
        assert not fields & {"author", "year", "date", "doi", "urldate", "month", "day"}, key
