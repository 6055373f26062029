"""One set of search rules: the cases in data/search-cases.json, in Python and in Chromium.

The command line's search (glossary/search.py) and the site's (glossary.js: the
glossary page's filter and the search page's box) must find the same entries
for every query, in the same order; and they must fold text the same way, on
every character.  The site search's full-text cases (sections and entries) run
in Chromium (tests/browser/test_site_search.py); the command line must lead
with the same entries wherever such a case's first result is an entry.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.loader import load_glossary
from glossary.names import fold
from glossary.search import search
from tools.loopback import serve

from ..conftest import DATA, ROOT, ROOTS, assert_clean, sphinx_build
from ..support.browser import chromium

SPEC = json.loads((DATA / "search-cases.json").read_text("utf-8"))
CASES = SPEC["cases"]
IDS = [f"{case['query']!r}: {case['rule']}" for case in CASES]
#: How a full-text case writes a section (an entry is written as its term).
SECTION = "\N{SECTION SIGN} "


def leading_entries(expect: list[str]) -> list[str]:
    """The entries a full-text case expects before its first section."""
    entries = []
    for result in expect:
        if result.startswith(SECTION):
            break
        entries.append(result)
    return entries


#: The full-text cases about glossary entries: no result at all, or an entry first.
ENTRY_CASES = [
    (spec["site"], case)
    for spec in (SPEC["full_text"], SPEC["site_cases"])
    for case in spec["cases"]
    if not case["expect"] or not case["expect"][0].startswith(SECTION)
]


def test_the_cases_use_the_fixture_glossary() -> None:
    assert ROOT / SPEC["glossary"] == ROOTS / "test-glossary" / "terms"
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_search_finds_each_case(case) -> None:
    glossary = load_glossary(ROOT / SPEC["glossary"])
    assert [m.term.term for m in search(glossary, case["query"])] == case["expect"]


@pytest.mark.parametrize(
    ("site", "case"), ENTRY_CASES, ids=[f"{site}: {case['query']!r}" for site, case in ENTRY_CASES]
)
def test_the_command_line_leads_with_the_entries_of_each_full_text_case(site, case) -> None:
    found = [m.term.term for m in search(load_glossary(ROOT / site / "terms"), case["query"])]
    expected = leading_entries(case["expect"])
    assert found[: len(expected)] == expected
    if not case["expect"]:
        assert found == []


# -- The same cases in Chromium -------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build = sphinx_build(ROOTS / "test-glossary", "html", tmp_path_factory.mktemp("fx") / "html")
    assert_clean(build)
    with serve(build.outdir) as base:
        yield base


@pytest.fixture
def tab(fixture_site: str, tmp_path: Path):
    with chromium(fixture_site, tmp_path) as (page, _problems):
        yield page


#: The terms of the entries the filter shows, for each query typed into it.
FILTER_SHOWS = """queries => queries.map(query => {
    const input = document.getElementById("glossary-filter-input");
    input.value = query;
    input.dispatchEvent(new Event("input"));
    return [...document.querySelectorAll("dl.glossary-entry")]
        .filter(dl => !dl.hidden)
        .map(dl => dl.querySelector("dt").firstChild.textContent);
})"""


@pytest.mark.browser
def test_the_filter_shows_exactly_the_entries_of_each_case(tab) -> None:
    tab.goto(f"{tab.base}/glossary.html")
    tab.wait_for_function("document.querySelector('.glossary-filter-status')")
    shown = tab.evaluate(FILTER_SHOWS, [case["query"] for case in CASES])
    every = sorted(load_glossary(ROOT / SPEC["glossary"]), key=lambda t: fold(t.term))
    wrong = []
    for case, entries in zip(CASES, shown, strict=True):
        # An empty query filters nothing out: the filter shows every entry.
        expected = case["expect"] if case["query"].strip() else [t.term for t in every]
        if sorted(entries) != sorted(expected):
            wrong.append((case["query"], entries, expected))
    assert wrong == []


@pytest.mark.browser
def test_the_search_box_and_the_scripts_search_follow_each_case(tab) -> None:
    wrong = []
    for case in CASES:
        tab.goto(f"{tab.base}/search.html?q={case['query']}")
        found = tab.evaluate(
            "q => glossarySearch.search(window.GLOSSARY_INDEX, q).map(m => m.entry.term)",
            case["query"],
        )
        box = tab.locator(".glossary-search-box-title a")
        first = box.inner_text() if box.count() else None
        expected_first = case["expect"][0] if case["expect"] else None
        if found != case["expect"] or first != expected_first:
            wrong.append((case["query"], found, first, case["expect"]))
    assert wrong == []


def assigned_code_points() -> Iterator[int]:
    """Every character this Python's Unicode database knows (surrogates aside)."""
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) not in ("Cn", "Cs"):
            yield code


#: Each character's fold in the browser, compared with Python's; the mismatches.
FOLD_MISMATCHES = """([codes, expected]) => {
    const wrong = [];
    for (const code of codes) {
        const char = String.fromCodePoint(code);
        const got = glossarySearch.fold(char);
        if (got !== (code in expected ? expected[code] : char)) wrong.push([code, got]);
        if (wrong.length > 20) break;
    }
    return wrong;
}"""


@pytest.mark.browser
def test_python_and_javascript_fold_every_character_alike(tab) -> None:
    codes = list(assigned_code_points())
    expected = {code: fold(chr(code)) for code in codes if fold(chr(code)) != chr(code)}
    assert (
        expected[ord("ẞ")] == "ss" and expected[ord("\N{FULLWIDTH LATIN CAPITAL LETTER A}")] == "a"
    )
    tab.goto(f"{tab.base}/search.html")
    wrong = tab.evaluate(FOLD_MISMATCHES, [codes, expected])
    assert [(hex(code), chr(code), got, fold(chr(code))) for code, got in wrong] == []
