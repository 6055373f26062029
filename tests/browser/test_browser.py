"""What a reader sees in a real browser: Debian's Chromium driven by Playwright.

The built site is served on 127.0.0.1; every test gets a fresh browser
profile (tab choices persist in localStorage) and fails on any request to
another host and on any console error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from glossary.loader import load_glossary
from glossary.names import fold
from glossary.search import search
from tools.loopback import serve
from tools.project import TERMS

from ..support.browser import PHONE, chromium, open_page, site_pages
from .test_search_cases import FILTER_SHOWS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(html_dir: Path) -> Iterator[str]:
    with serve(html_dir) as base:
        yield base


@pytest.fixture
def page(server: str, tmp_path: Path):
    with chromium(server, tmp_path) as (tab, _problems):
        yield tab


def checked_roles(page) -> list[str]:
    """For each tab set on the page, the sync id of the tab that is showing."""
    return page.eval_on_selector_all(
        ".sd-tab-set",
        """sets => sets.map(set => {
            const input = set.querySelector(':scope > input:checked');
            return set.querySelector(`label[for="${input.id}"]`).dataset.syncId;
        })""",
    )


def test_choosing_a_role_switches_every_comparison_and_holds(page) -> None:
    page.goto(f"{page.base}/differences.html")
    roles = checked_roles(page)
    assert len(roles) >= 11 and set(roles) == {"swe"}
    page.locator("label.sd-tab-label", has_text="Machine learning engineer").nth(3).click()
    assert set(checked_roles(page)) == {"mle"}
    first_mle = page.locator(".sd-tab-set").first.locator(".sd-tab-content").nth(1)
    assert first_mle.is_visible()
    page.goto(f"{page.base}/career.html")
    assert set(checked_roles(page)) == {"mle"}


def test_the_role_can_be_chosen_in_the_address(page) -> None:
    page.goto(f"{page.base}/differences.html?role=mle")
    assert set(checked_roles(page)) == {"mle"}


#: What moved in the article while the page loaded (the Layout Instability API).  Furo's
#: phone header shifts a little on every page, outside the article: not counted here.
SHIFTED_IN_ARTICLE = """() => new Promise(done => {
    const moved = [];
    const article = document.querySelector("article[role=main]");
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            for (const source of entry.sources) {
                if (source.node && article.contains(source.node)) {
                    moved.push(source.node.nodeName + "." + (source.node.className || ""));
                }
            }
        }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(moved), 500);
})"""


def test_the_glossary_page_does_not_shift_when_the_filter_starts(page) -> None:
    """The form is in the page from the first paint; glossary.js only wires it up."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{page.base}/glossary.html")
        expect(page.locator(".glossary-filter-status")).to_have_text(re.compile(r"^\d+ of \d+"))
        assert page.evaluate(SHIFTED_IN_ARTICLE) == [], width


#: Where the element with *id* ends up once scrolling has settled (furo scrolls smoothly).
SETTLED_TOP = """async (id) => {
    const target = document.getElementById(id);
    let last = NaN;
    for (let still = 0; still < 5;) {
        await new Promise((done) => setTimeout(done, 100));
        const top = Math.round(target.getBoundingClientRect().top);
        still = top === last ? still + 1 : 0;
        last = top;
    }
    return last;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_links_to_an_entry_or_a_letter_land_on_it(page, width) -> None:
    """Every page links entries; the jump bar links letters: each lands under the header."""
    page.set_viewport_size({"width": width, "height": 800})
    for letter in "cmsv":
        page.goto(f"{page.base}/glossary.html")
        page.click(f'.glossary-jump-bar a[href="#glossary-letter-{letter}"]')
        assert 0 <= page.evaluate(SETTLED_TOP, f"glossary-letter-{letter}") < 100, letter
    for anchor in ("term-Concept-drift", "term-Model", "term-Recall"):
        page.goto(f"{page.base}/index.html")
        page.goto(f"{page.base}/glossary.html#{anchor}")
        assert 0 <= page.evaluate(SETTLED_TOP, anchor) < 100, anchor


def test_without_javascript_every_entry_shows_and_the_filter_is_hidden(server, tmp_path) -> None:
    with chromium(server, tmp_path, javascript=False) as (tab, _problems):
        tab.goto(f"{server}/glossary.html")
        entries = tab.locator("dl.glossary-entry")
        assert entries.count() >= 80
        assert tab.locator("dl.glossary-entry:visible").count() == entries.count()
        assert tab.locator("form.glossary-filter").count() == 1  # written by the build
        assert tab.eval_on_selector("form.glossary-filter", "f => f.offsetHeight") == 0


def test_the_glossary_filter_narrows_counts_and_keeps_the_query(page) -> None:
    page.goto(f"{page.base}/glossary.html")
    total = page.locator("dl.glossary-entry").count()
    status = page.locator(".glossary-filter-status")
    assert status.inner_text() == f"{total} of {total} entries"
    page.fill("#glossary-filter-input", "concpt drift")
    visible = page.locator("dl.glossary-entry:visible")
    assert visible.count() >= 1
    # Entries off screen are rendered on the next frame (content-visibility): wait for it.
    expect(visible.first.locator("dt").first).to_have_text(re.compile(r"^Concept drift"))
    page.wait_for_url("**/glossary.html?q=concpt+drift")  # written once typing pauses
    page.fill("#glossary-filter-input", "xqzw")
    assert page.locator("dl.glossary-entry:visible").count() == 0
    assert status.inner_text().startswith("No entry matches")
    page.fill("#glossary-filter-input", "")
    page.select_option("#glossary-filter-category", "mathematics")
    shown = page.locator("dl.glossary-entry:visible")
    assert 0 < shown.count() < total
    assert (
        page.locator("dl.glossary-entry.glossary-cat-mathematics:visible").count() == shown.count()
    )
    page.goto(f"{page.base}/glossary.html?q=docker")
    assert page.input_value("#glossary-filter-input") == "docker"
    assert page.locator("dl.glossary-entry:visible").count() < total


#: For the filter's hidden entries and letter groups: any that takes room (a
#: box or margins of some height), and any whose links still take the focus.
HIDDEN_BUT_REACHABLE = """() => {
    const hidden = [
        ...document.querySelectorAll("dl.glossary-entry[hidden], .glossary-letter[hidden]"),
    ];
    const tall = hidden.filter((node) => {
        const style = getComputedStyle(node);
        return node.getBoundingClientRect().height + parseFloat(style.marginTop) +
               parseFloat(style.marginBottom) > 0;
    });
    const focusable = hidden.filter((node) => [...node.querySelectorAll("a[href]")].some((link) => {
        link.focus();
        return document.activeElement === link;
    }));
    return { hidden: hidden.length, tall: tall.length, focusable: focusable.length };
}"""


def test_in_a_large_glossary_hidden_entries_take_no_space_and_no_focus(page) -> None:
    """From LARGE_GLOSSARY entries on, glossary.css skips hidden entries rather than remove them."""
    page.goto(f"{page.base}/glossary.html")
    total = page.locator("dl.glossary-entry").count()
    # The class glossary.js sets from 1,000 entries on: this page's entries, styled as such.
    page.evaluate("document.documentElement.classList.add('glossary-large')")
    for query, category in (("drift", ""), ("", "mathematics"), ("xqzw", "")):
        page.fill("#glossary-filter-input", query)
        page.select_option("#glossary-filter-category", category)
        result = page.evaluate(HIDDEN_BUT_REACHABLE)
        assert result["hidden"] > 0 and result["tall"] == 0 and result["focusable"] == 0, query
        shown = total - page.locator("dl.glossary-entry[hidden]").count()
        assert page.locator("dl.glossary-entry:visible").count() == shown


#: Types *query* and at once, before any idle moment, names the first *count* entries shown.
FIRST_SHOWN_AT_ONCE = """([query, count]) => {
    const input = document.getElementById("glossary-filter-input");
    input.value = query;
    input.dispatchEvent(new Event("input"));
    return [...document.querySelectorAll("dl.glossary-entry")]
        .filter((dl) => !dl.hidden).slice(0, count)
        .map((dl) => dl.querySelector("dt").firstChild.textContent);
}"""

#: Whether exactly the *names* are shown (the page's state once the idle writes are done).
SHOWS_EXACTLY = """(names) => {
    const shown = [...document.querySelectorAll("dl.glossary-entry")]
        .filter((dl) => !dl.hidden).map((dl) => dl.querySelector("dt").firstChild.textContent);
    return shown.length === names.length && shown.every((name) => names.includes(name));
}"""


def test_in_a_large_glossary_the_screen_is_right_at_once_and_the_rest_when_idle(page) -> None:
    """From LARGE_GLOSSARY entries on, entries far from the screen are written in idle time."""
    glossary = load_glossary(TERMS)
    in_page_order = [term.term for term in sorted(glossary, key=lambda term: fold(term.term))]
    # The threshold lowered for this page of ~100 entries: the large glossary's code path.
    page.add_init_script("window.GLOSSARY_LARGE_FROM = 10")
    page.goto(f"{page.base}/glossary.html")
    assert page.evaluate("document.documentElement.classList.contains('glossary-large')")
    # Wait until the browser has said which entries it renders (content-visibility: auto).
    page.wait_for_timeout(200)
    for query in ("drift", "model", "", "xqzw", "data"):
        found = {m.term.term for m in search(glossary, query)} if query else set(in_page_order)
        expected = [name for name in in_page_order if name in found]
        first = page.evaluate(FIRST_SHOWN_AT_ONCE, [query, 3])
        assert first == expected[:3], query
        page.wait_for_function(SHOWS_EXACTLY, arg=expected, timeout=5000)
        result = page.evaluate(HIDDEN_BUT_REACHABLE)
        assert result["tall"] == 0 and result["focusable"] == 0, query


def test_term_links_preview_the_definition_on_hover_and_focus(page) -> None:
    page.goto(f"{page.base}/machine-learning.html")
    link = page.locator("article a.reference.internal:has(.std-term)").first
    preview = page.locator("#glossary-preview")
    link.hover()
    assert preview.is_visible() and len(preview.inner_text()) > 20
    box = link.bounding_box()
    assert box
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)  # still on the link
    assert preview.is_visible()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 200)  # off it
    assert preview.is_hidden()
    link.hover()
    page.keyboard.press("Escape")
    assert preview.is_hidden()
    link.focus()
    assert preview.is_visible()
    assert link.get_attribute("aria-describedby") == "glossary-preview"


def test_the_search_page_shows_the_glossary_entry_even_misspelt(page) -> None:
    page.goto(f"{page.base}/search.html?q=concpt+drift")
    box = page.locator(".glossary-search-box")
    box.wait_for()
    assert "Concept drift" in box.inner_text()
    box.locator(".glossary-search-box-title a").click()
    assert page.url.endswith("glossary.html#term-Concept-drift")


def test_arrow_keys_switch_every_comparison(page) -> None:
    """The tabs are radio buttons: a reader tabs to one and switches it with the arrows."""
    page.goto(f"{page.base}/differences.html")
    first = page.locator(".sd-tab-set").first.locator(":scope > input").first
    assert first.evaluate("input => input.tabIndex") >= 0
    first.focus()
    page.keyboard.press("ArrowRight")
    assert set(checked_roles(page)) == {"mle"}
    assert page.evaluate("document.activeElement.id") != first.get_attribute("id")
    page.keyboard.press("ArrowLeft")
    assert set(checked_roles(page)) == {"swe"}
    assert page.evaluate("document.activeElement.id") == first.get_attribute("id")


def glossary_names(html_dir: Path) -> list[tuple[str, str, str]]:
    """(name, its anchor, its entry's URL) for every glossary term and alias."""
    records = json.loads((html_dir / "glossary.json").read_text(encoding="utf-8"))
    return [
        (name, anchor, record["url"])
        for record in records
        for name, anchor in zip(
            [record["term"], *record["aliases"]], record["anchors"], strict=True
        )
    ]


#: Sphinx's own ranking, as its search page uses it: the results come back in
#: rising order of score and the page shows them from the end of the list.
TOP_RESULTS = """names => names.map(name => {
    const results = Search._performSearch(...Search._parseQuery(name));
    const top = results[results.length - 1];
    return top ? top[0] + ".html" + top[2] : null;
})"""


def test_every_glossary_name_finds_its_entry_first_in_the_search(page, html_dir) -> None:
    names = glossary_names(html_dir)
    assert len(names) > 100
    page.goto(f"{page.base}/search.html?q=concept+drift")
    page.wait_for_selector("#search-results p.search-summary")
    shown = page.locator("#search-results ul.search li a").first.get_attribute("href")
    assert shown.endswith("glossary.html#term-Concept-drift")
    links = page.eval_on_selector_all(
        "#search-results ul.search li a",
        "links => links.map(a => a.getAttribute('href').replace(/^[.][/]/, ''))",
    )
    assert links.count("glossary.html#term-Concept-drift") == 1, links  # listed once
    # One page asks Sphinx's search for every name: 180 page loads would take minutes.
    top = page.evaluate(TOP_RESULTS, [name for name, _, _ in names])
    wrong = [
        (name, found)
        for (name, anchor, _), found in zip(names, top, strict=True)
        if found != f"glossary.html#{anchor}"
    ]
    assert wrong == []


def misspell(name: str, kind: int) -> str:
    """*name* with one letter missing, wrong or extra (by *kind* modulo 3) in the middle of
    its longest word: a typo is forgiven word by word, in words of five letters or more."""
    longest = max(name.split(" "), key=len)
    start = name.index(longest)
    middle = start + len(longest) // 2
    if kind % 3 == 0:
        return name[:middle] + name[middle + 1 :]
    if kind % 3 == 1:
        wrong = "q" if name[middle].lower() != "q" else "z"
        return name[:middle] + wrong + name[middle + 1 :]
    return name[:middle] + "q" + name[middle:]


def forgives_a_typo(name: str) -> bool:
    return max(len(word) for word in name.split(" ")) >= 5


#: The glossary box for each query, computed by the site's own glossary.js run
#: again in one search page with the query in its address, as a page load would
#: (160 page loads take over a minute).  Returns each box's link, or null.
BOXES_FOR = """async queries => {
    const source = await (await fetch("_static/glossary.js")).text();
    return queries.map(query => {
        document.querySelectorAll(".glossary-search-box, #glossary-preview")
            .forEach(node => node.remove());
        history.replaceState(null, "", "?q=" + encodeURIComponent(query));
        new Function(source)();
        const link = document.querySelector(".glossary-search-box-title a");
        return link ? link.getAttribute("href") : null;
    });
}"""


def test_a_misspelt_name_still_shows_its_glossary_entry(page, html_dir) -> None:
    """Every name with a word of five letters or more, misspelt there, brings up its entry."""
    names = [entry for entry in glossary_names(html_dir) if forgives_a_typo(entry[0])]
    queries = [misspell(name, kind) for kind, (name, _, _) in enumerate(names)]
    page.goto(f"{page.base}/search.html?q=concpt+drift")
    assert (
        page.locator(".glossary-search-box-title a")
        .get_attribute("href")
        .endswith("glossary.html#term-Concept-drift")
    )
    found = page.evaluate(BOXES_FOR, queries)
    missing = [
        (name, query, href)
        for (name, _, url), query, href in zip(names, queries, found, strict=True)
        if href is None or not href.endswith(url)
    ]
    assert missing == []
    assert page.evaluate(BOXES_FOR, ["xqzwv"]) == [None]


def real_queries(html_dir: Path) -> list[str]:
    """Every name, each misspelt, words of definitions, and a formula as readers type it."""
    names = [name for name, _, _ in glossary_names(html_dir)]
    misspelt = [misspell(name, kind) for kind, name in enumerate(names) if forgives_a_typo(name)]
    words = ["model", "data quality", "costly", "tp / (tp + fp)", "θ ← θ", "ÉTÉ", "ML", "ml"]
    return [
        *names,
        *misspelt,
        *words,
        "\N{FULLWIDTH LATIN CAPITAL LETTER D}ocker",
        "KUBERNETES",
        "xqzwv",
    ]


def test_the_filter_shows_exactly_what_the_command_line_finds(page, html_dir) -> None:
    glossary = load_glossary(TERMS)
    queries = real_queries(html_dir)
    page.goto(f"{page.base}/glossary.html")
    shown = page.evaluate(FILTER_SHOWS, queries)
    wrong = [
        (query, sorted(entries), found)
        for query, entries in zip(queries, shown, strict=True)
        if sorted(entries) != (found := sorted(m.term.term for m in search(glossary, query)))
    ]
    assert wrong == []


def test_the_search_box_shows_the_command_lines_first_result(page, html_dir) -> None:
    glossary = load_glossary(TERMS)
    url = {name: record_url for name, _, record_url in glossary_names(html_dir)}
    queries = real_queries(html_dir)
    page.goto(f"{page.base}/search.html?q=precision")
    box = page.locator(".glossary-search-box")
    box.wait_for()
    # Precision's formula, as the build rendered it: MathML, not TeX.
    assert box.locator("math mfrac").count() == 1
    assert "precision" in box.inner_text() and "\\" not in box.inner_text()
    found = page.evaluate(BOXES_FOR, queries)
    wrong = []
    for query, href in zip(queries, found, strict=True):
        matches = search(glossary, query)
        expected = url[matches[0].term.term] if matches else None
        if (href and href.removeprefix("./")) != expected:
            wrong.append((query, href, expected))
    assert wrong == []


def test_the_theme_toggle_cycles_and_is_remembered(page) -> None:
    page.goto(f"{page.base}/index.html")
    toggle = page.locator(".theme-toggle:visible")
    themes = [page.evaluate("document.body.dataset.theme")]
    for _ in range(3):
        toggle.click()
        themes.append(page.evaluate("document.body.dataset.theme"))
    assert set(themes) == {"auto", "light", "dark"} and themes[0] == themes[3]
    toggle.click()
    page.goto(f"{page.base}/career.html")
    assert page.evaluate("document.body.dataset.theme") == themes[1]


def test_no_page_fails_to_load_anything_or_logs_an_error(page, html_dir) -> None:
    """Every page, with its styles, scripts and favicon (the fixture fails on errors)."""
    names = site_pages(html_dir)
    assert "glossary.html" in names and "search.html" in names
    for name in names:
        open_page(page, name)
        assert page.title(), name
    icon = page.locator("link[rel~=icon]").get_attribute("href")
    assert page.request.get(f"{page.base}/{icon}").ok


def test_on_a_phone_no_page_scrolls_sideways(page, html_dir) -> None:
    page.set_viewport_size(PHONE)
    wide = []
    for name in site_pages(html_dir):
        open_page(page, name)
        width = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if width[0] > width[1]:
            wide.append((name, width))
    assert wide == []


def test_on_a_phone_the_tabs_and_the_comparison_table_work(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/differences.html")
    page.locator("label.sd-tab-label", has_text="Machine learning engineer").first.click()
    assert set(checked_roles(page)) == {"mle"}
    side = page.locator(".sd-tab-set").first.locator(".sd-tab-content").nth(1).bounding_box()
    assert side is not None and side["x"] >= 0 and side["x"] + side["width"] <= PHONE["width"]
    page.goto(f"{page.base}/index.html")
    wrapper = page.locator("article .table-wrapper").first
    box = wrapper.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # A table wider than the phone scrolls inside its wrapper to its last column.
    last = wrapper.locator("tr").first.locator("th, td").last
    last.scroll_into_view_if_needed()
    cell = last.bounding_box()
    assert cell is not None and cell["x"] + cell["width"] <= PHONE["width"] + 1


# -- The view choice: tabs or side by side -----------------------------------------

WIDE = {"width": 1440, "height": 900}
VIEW_CHOICE = re.compile("side by side", re.IGNORECASE)

#: For each comparison: each side's label and content boxes, whether both are displayed,
#: its first line's top, and the width of its own first 55 characters.
COLUMNS = """sets => sets.map(set => [...set.querySelectorAll(':scope > .sd-tab-content')]
    .map(content => {
        const label = document.querySelector(`label[for="${content.id.replace(/-content$/, '')}"]`);
        const first = content.firstElementChild;
        const probe = document.createElement('span');
        probe.style.whiteSpace = 'nowrap';
        probe.textContent = content.textContent.replace(/\\s+/g, ' ').trim().slice(0, 55);
        first.append(probe);
        const chars55 = probe.getBoundingClientRect().width;
        probe.remove();
        const box = element => {
            const r = element.getBoundingClientRect();
            return {x: r.x, y: r.y, right: r.right, width: r.width};
        };
        return {label: box(label), content: box(content), first: box(first), chars55,
                shown: content.checkVisibility() && label.checkVisibility()};
    }))"""


def comparison_columns(page) -> list[list[dict]]:
    return page.eval_on_selector_all(".sd-tab-set", COLUMNS)


def side_by_side(sides: list[dict]) -> bool:
    """Both shown, Software engineer left of Machine learning engineer, labels and tops level."""
    left, right = sides
    return (
        left["shown"]
        and right["shown"]
        and left["content"]["right"] <= right["content"]["x"]
        and abs(left["label"]["y"] - right["label"]["y"]) <= 1
        and abs(left["first"]["y"] - right["first"]["y"]) <= 1
    )


def view_control(page):
    return page.get_by_role("radio", name=VIEW_CHOICE)


def test_side_by_side_shows_every_comparison_in_two_columns_and_holds(page) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base}/differences.html")
    assert not any(side_by_side(sides) for sides in comparison_columns(page))
    choice = view_control(page)
    assert choice.count() == 1 and choice.is_visible() and not choice.is_checked()
    expect(page.get_by_role("radio", name="Tabs")).to_be_checked()
    choice.check()
    columns = comparison_columns(page)
    assert len(columns) >= 11
    assert [index for index, sides in enumerate(columns) if not side_by_side(sides)] == []
    # Readable columns: each holds at least 55 characters of its own text on one line.
    narrow = [
        sides for sides in columns for side in sides if side["content"]["width"] < side["chars55"]
    ]
    assert narrow == []
    assert page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")[0] <= WIDE["width"]
    page.goto(f"{page.base}/career.html")
    assert view_control(page).is_checked()
    assert all(side_by_side(sides) for sides in comparison_columns(page))
    page.reload()
    assert view_control(page).is_checked()
    assert all(side_by_side(sides) for sides in comparison_columns(page))


def test_the_view_choice_works_with_the_keyboard(page) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base}/difficulty.html")
    page.get_by_role("radio", name="Tabs").focus()
    page.keyboard.press("ArrowRight")
    assert view_control(page).is_checked()
    assert all(side_by_side(sides) for sides in comparison_columns(page))
    # Nothing to switch in columns: the tab radios are out of the way of the Tab key.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.sd-tab-set > input')") is False
    view_control(page).focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("radio", name="Tabs")).to_be_checked()
    assert not any(side_by_side(sides) for sides in comparison_columns(page))


def test_the_view_can_be_chosen_in_the_address(page) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base}/differences.html?view=columns")
    assert view_control(page).is_checked()
    assert all(side_by_side(sides) for sides in comparison_columns(page))
    page.goto(f"{page.base}/differences.html?view=tabs&role=mle")
    expect(page.get_by_role("radio", name="Tabs")).to_be_checked()
    assert set(checked_roles(page)) == {"mle"}
    sides = comparison_columns(page)[0]
    assert [side["shown"] for side in sides] == [False, True]


def test_narrow_screens_keep_the_tabs_whatever_was_chosen(page, html_dir) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base}/differences.html?view=columns")
    assert all(side_by_side(sides) for sides in comparison_columns(page))
    for size in ({"width": 1200, "height": 900}, PHONE):
        page.set_viewport_size(size)
        assert page.locator(".comparison-view").is_hidden(), size
        columns = comparison_columns(page)
        assert all([side["shown"] for side in sides] == [True, False] for sides in columns), size
    wide = []  # the phone test above covers the tab view; this is the stored columns view
    for name in site_pages(html_dir):
        open_page(page, name)
        scroll = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll[0] > scroll[1]:
            wide.append((name, scroll))
    assert wide == []


def test_without_javascript_the_tabs_work_and_no_choice_is_offered(server, tmp_path) -> None:
    with chromium(server, tmp_path, javascript=False) as (tab, _problems):
        tab.set_viewport_size(WIDE)
        tab.goto(f"{server}/differences.html?view=columns")
        assert tab.locator(".comparison-view").count() == 1
        assert tab.locator(".comparison-view").is_hidden()
        tab.locator("label.sd-tab-label", has_text="Machine learning engineer").first.click()
        assert [side["shown"] for side in comparison_columns(tab)[0]] == [False, True]


def test_printing_shows_every_comparison_in_two_columns(page) -> None:
    """Whatever the screen shows (here the tabs), print has both sides, side by side."""
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base}/differences.html")
    page.emulate_media(media="print")
    assert page.locator(".comparison-view").is_hidden()
    columns = comparison_columns(page)
    assert len(columns) >= 11
    assert [index for index, ok in enumerate(columns) if not side_by_side(ok)] == []
    page.emulate_media(media="screen")
    assert not page.locator(".sd-tab-set").first.locator(".sd-tab-content").nth(1).is_visible()
