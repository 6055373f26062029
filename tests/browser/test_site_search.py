"""The site search in Chromium: the rules, the box as a combobox, the search page, file://.

The full-text cases of data/search-cases.json run against the engine
(glossary-search.js) on tests/roots/test-glossary, and the site's own cases on
this site; the box and the search page must show the same results in the same
order; the keyboard, ARIA and axe are checked with the list open.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from tools.loopback import serve

from ..conftest import DATA, ROOT, ROOTS, assert_clean, sphinx_build
from ..support.browser import DESKTOP, PHONE, chromium
from .test_accessibility import violations

pytestmark = pytest.mark.browser

SPEC = json.loads((DATA / "search-cases.json").read_text("utf-8"))
SECTION = "\N{SECTION SIGN} "
#: Each result as the cases write it: an entry's term, or "§ Page", a quote mark, "Heading".
RESULTS = """q => glossarySiteSearch.search(q).map(r =>
    r.doc.kind === "entry" ? r.doc.title : "\\u00a7 " + r.doc.title)"""
BOX = "#glossary-search-results"
INPUT = "input[role=combobox]"
#: The engine's scripts, which no page loads before the box is focused.
ENGINE = ("minisearch.min.js", "search-index.js", "glossary-search.js")


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = sphinx_build(ROOTS / "test-glossary", "html", tmp_path_factory.mktemp("fx") / "html")
    return assert_clean(build)


@pytest.fixture(scope="module")
def fixture_site(fixture_dir: Path) -> Iterator[str]:
    with serve(fixture_dir) as base:
        yield base


@pytest.fixture(scope="module")
def site(html_dir: Path) -> Iterator[str]:
    with serve(html_dir) as base:
        yield base


def engine_ready(tab, page: str = "index.html") -> None:
    """Open *page* and focus the box, which loads the engine."""
    tab.goto(f"{tab.base}/{page}")
    tab.focus(INPUT)
    tab.wait_for_function("window.glossarySiteSearch !== undefined")


def mismatches(tab, cases: list[dict]) -> list[tuple]:
    wrong = []
    for case in cases:
        found = tab.evaluate(RESULTS, case["query"])
        head = found[: len(case["expect"])]
        missing = [result for result in case.get("includes", []) if result not in found]
        if head != case["expect"] or (not case["expect"] and found) or missing:
            wrong.append((case["query"], case["rule"], found[:6], case["expect"]))
    return wrong


def test_the_engine_follows_each_full_text_case(fixture_site, tmp_path) -> None:
    assert ROOT / SPEC["full_text"]["site"] == ROOTS / "test-glossary"
    with chromium(fixture_site, tmp_path) as (tab, _problems):
        engine_ready(tab)
        assert mismatches(tab, SPEC["full_text"]["cases"]) == []


def test_the_engine_follows_the_site_cases(site, tmp_path) -> None:
    assert SPEC["site_cases"]["site"] == "docs"
    with chromium(site, tmp_path) as (tab, _problems):
        engine_ready(tab)
        assert mismatches(tab, SPEC["site_cases"]["cases"]) == []
        # "ml" finds sections that say "machine learning" and never "ML".
        synonyms_only = tab.evaluate("""() => glossarySiteSearch.search("ml")
            .filter(r => r.doc.kind === "section" && /machine learning/i.test(r.doc.text)
                    && !/\\bml\\b/i.test(r.doc.text + " " + r.doc.title)).length""")
        assert synonyms_only > 0


def box_results(tab, query: str) -> list[str]:
    """Type *query* into the box; the links of the options it shows (not "All results")."""
    tab.fill(INPUT, query)
    tab.wait_for_selector(f"{BOX}:not([hidden])")
    return tab.eval_on_selector_all(
        f"{BOX} [role=option]:not(.glossary-search-all)", "os => os.map(o => o.href)"
    )


def test_the_box_and_the_search_page_show_the_same_results_in_order(site, tmp_path) -> None:
    with chromium(site, tmp_path) as (tab, _problems):
        for query in ("concpt drift", "demand", "ml", "learni"):
            engine_ready(tab)
            in_box = box_results(tab, query)
            tab.goto(f"{site}/search.html?q={quote(query)}")
            tab.wait_for_selector("#search-results .glossary-search-list")
            on_page = tab.eval_on_selector_all(
                "#search-results .glossary-search-list > li > a", "links => links.map(a => a.href)"
            )
            assert in_box and on_page[: len(in_box)] == in_box, query
            # Sphinx's own results are not shown beside them.
            assert tab.locator("#search-results ul.search").count() == 1


def test_the_box_is_an_aria_combobox_of_link_options(site, tmp_path) -> None:
    with chromium(site, tmp_path) as (tab, _problems):
        tab.goto(f"{site}/differences.html")
        box = tab.locator(INPUT)
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("aria-expanded") == "false"
        listbox = tab.locator(f"#{box.get_attribute('aria-controls')}")
        assert listbox.get_attribute("role") == "listbox" and listbox.get_attribute("aria-label")
        engine_ready(tab, "differences.html")
        box_results(tab, "demand")
        assert box.get_attribute("aria-expanded") == "true"
        options = listbox.locator("> *")
        assert options.count() >= 2
        for index in range(options.count()):
            option = options.nth(index)
            assert option.evaluate("o => o.tagName") == "A"
            assert option.get_attribute("role") == "option" and option.get_attribute("href")
            assert option.locator("a, button, input, [tabindex]").count() == 0
        assert tab.locator(f"{BOX} mark").first.inner_text().casefold() == "demand"
        assert box.get_attribute("aria-activedescendant") is None


def test_the_keyboard_opens_moves_follows_and_closes(site, tmp_path) -> None:
    with chromium(site, tmp_path) as (tab, _problems):
        tab.goto(f"{site}/about.html")
        tab.keyboard.press("/")
        assert tab.evaluate("document.activeElement.matches('input[role=combobox]')")
        tab.keyboard.type("dema")
        tab.wait_for_selector(f"{BOX}:not([hidden])")
        box = tab.locator(INPUT)
        tab.keyboard.press("ArrowDown")
        first = tab.locator(f"{BOX} [role=option]").first
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        assert first.get_attribute("aria-selected") == "true"
        tab.keyboard.press("ArrowDown")
        tab.keyboard.press("ArrowUp")
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        tab.keyboard.press("Escape")
        assert tab.locator(BOX).is_hidden() and box.get_attribute("aria-expanded") == "false"
        assert box.get_attribute("aria-activedescendant") is None
        tab.keyboard.press("ArrowDown")  # opens the list again, on the first result
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        href = first.evaluate("a => a.href")
        tab.keyboard.press("Enter")
        tab.wait_for_url(href)
        # Ctrl+K from anywhere, even from another field.
        tab.locator("body").click(position={"x": 600, "y": 400})
        tab.keyboard.press("Control+k")
        assert tab.evaluate("document.activeElement.matches('input[role=combobox]')")


def test_on_a_phone_the_shortcut_opens_the_drawer_and_the_list_fits(site, tmp_path) -> None:
    with chromium(site, tmp_path) as (tab, _problems):
        tab.set_viewport_size(PHONE)
        tab.goto(f"{site}/index.html")
        assert not tab.locator(INPUT).is_visible() or tab.locator(INPUT).bounding_box()["x"] < 0
        tab.keyboard.press("/")
        tab.keyboard.type("concpt")
        tab.wait_for_selector(f"{BOX}:not([hidden])")
        tab.wait_for_timeout(400)  # the drawer slides in
        field, listbox = tab.locator(INPUT).bounding_box(), tab.locator(BOX).bounding_box()
        assert field["x"] >= 0 and listbox["x"] >= 0
        assert listbox["x"] + listbox["width"] <= PHONE["width"]
        assert listbox["y"] >= field["y"] + field["height"]


def test_the_engine_and_index_load_on_first_focus_only(site, tmp_path) -> None:
    with chromium(site, tmp_path) as (tab, _problems):
        loaded: list[str] = []
        tab.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
        tab.goto(f"{site}/differences.html", wait_until="networkidle")
        assert not [name for name in loaded if name.split("?")[0] in ENGINE]
        tab.focus(INPUT)
        tab.wait_for_function("window.glossarySiteSearch !== undefined")
        assert {name.split("?")[0] for name in loaded} >= set(ENGINE)


def test_it_works_from_file(html_dir, tmp_path) -> None:
    """The README's way: build/html/index.html opened from disk."""
    with chromium(html_dir.as_uri(), tmp_path) as (tab, _problems):
        tab.goto(f"{tab.base}/index.html")
        tab.focus(INPUT)
        assert box_results(tab, "concpt drift")[0].endswith("glossary.html#term-Concept-drift")
        tab.goto(f"{tab.base}/search.html?q=concpt+drift")
        tab.wait_for_selector("#search-results .glossary-search-list > li")
        assert "Concept drift" in tab.locator("#search-results li").first.inner_text()


def test_without_javascript_the_search_page_says_it_needs_it(html_dir, tmp_path) -> None:
    with chromium(html_dir.as_uri(), tmp_path, javascript=False) as (tab, _problems):
        tab.goto(f"{tab.base}/search.html?q=drift")
        assert "activate JavaScript" in tab.locator("article").inner_text()


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")],
    ids=["1280-light", "1280-dark", "375-light", "375-dark"],
)
def test_axe_finds_nothing_with_the_list_open(site, tmp_path, viewport, scheme) -> None:
    axe = Axe()
    found = {}
    with chromium(site, tmp_path) as (tab, _problems):
        tab.set_viewport_size(viewport)
        tab.emulate_media(color_scheme=scheme)
        for page in ("index.html", "search.html?q=drift"):
            tab.goto(f"{site}/{page}")
            tab.keyboard.press("/")
            tab.keyboard.type("concpt d")
            tab.wait_for_selector(f"{BOX}:not([hidden])")
            tab.keyboard.press("ArrowDown")  # an active option, its colours too
            if problems := violations(tab, axe):
                found[page] = problems
    assert found == {}


def test_every_name_even_misspelt_finds_its_entry_first(site, html_dir, tmp_path) -> None:
    """The issue's first promise: a term typed with a typo shows its entry first."""
    from .test_browser import forgives_a_typo, glossary_names, misspell

    names = glossary_names(html_dir)
    queries = [(name, url) for name, _, url in names]
    queries += [
        (misspell(name, kind), url)
        for kind, (name, _, url) in enumerate(names)
        if forgives_a_typo(name)
    ]
    assert len(queries) > 200
    with chromium(site, tmp_path) as (tab, _problems):
        engine_ready(tab)
        first = tab.evaluate(
            "qs => qs.map(q => (glossarySiteSearch.search(q)[0] || {doc: {}}).doc.url || null)",
            [query for query, _ in queries],
        )
    wrong = [
        (query, found) for (query, url), found in zip(queries, first, strict=True) if found != url
    ]
    assert wrong == []
