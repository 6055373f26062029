"""Accessibility and validity of every page: axe-core in Chromium, and the Nu HTML Checker.

axe-core runs with the WCAG 2.0-2.2 A/AA tags and its best practices, in light
and dark mode, on a desktop and a phone width, with a term preview open where
a page has one, so the site's own styles are checked too: no violation at all.
The Nu HTML Checker (npm's vnu-jar, installed into .cache/, run with java)
must report no error on any page.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tools.loopback import serve

from ..conftest import ROOT, require_tool
from ..support.browser import DESKTOP, PHONE, chromium, open_page, site_pages

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
#: furo shows the "on this page" column from 1350 px on: its links' size is checked there.
WIDE = {"width": 1400, "height": 900}
TARGET_SIZE = {"runOnly": {"type": "rule", "values": ["target-size"]}}
VNU_VERSION = "26.9.27"
NPM_CACHE = ROOT / ".cache" / "npm-tools" / "vnu"  # one folder per npm tool: no pruning


@pytest.fixture(scope="module")
def server(html_dir: Path) -> Iterator[str]:
    with serve(html_dir) as base:
        yield base


def violations(tab, axe, options=AXE_OPTIONS) -> list[tuple[str, str, list[str]]]:
    """axe's violations on the loaded page: (rule, impact, first targets)."""
    found = axe.run(tab, options=options).response["violations"]
    return [
        (rule["id"], rule["impact"], [str(node["target"]) for node in rule["nodes"][:3]])
        for rule in found
    ]


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")],
    ids=["1280-light", "1280-dark", "375-light", "375-dark"],
)
def test_axe_finds_no_violation_on_any_page(server, html_dir, tmp_path, viewport, scheme) -> None:
    axe = Axe()
    found = {}
    with chromium(server, tmp_path) as (tab, _problems):
        tab.set_viewport_size(viewport)
        tab.emulate_media(color_scheme=scheme)
        for name in site_pages(html_dir):
            open_page(tab, name)
            assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
                scheme == "dark"
            )
            term = tab.locator("article a.reference.internal:has(.std-term)")
            if term.count():  # the preview's colours are checked too
                term.first.focus()
                assert tab.locator("#glossary-preview").is_visible()
            if problems := violations(tab, axe):
                found[name] = problems
    assert found == {}


#: Where the reader can choose to see the comparisons side by side.
SIDE_BY_SIDE = {"width": 1440, "height": 900}
COMPARISON_PAGES = ("differences.html", "difficulty.html", "career.html")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["tabs", "columns"])
def test_axe_finds_no_violation_in_either_comparison_view(server, tmp_path, view, scheme) -> None:
    """The view choice and both views of the comparisons, at a width that offers them."""
    axe = Axe()
    found = {}
    with chromium(server, tmp_path) as (tab, _problems):
        tab.set_viewport_size(SIDE_BY_SIDE)
        tab.emulate_media(color_scheme=scheme)
        for name in COMPARISON_PAGES:
            tab.goto(f"{server}/{name}?view={view}")
            assert tab.get_by_role("radio", name="Side by side").is_checked() == (view == "columns")
            if problems := violations(tab, axe):
                found[name] = problems
    assert found == {}


def test_wide_screens_keep_every_link_large_enough(server, html_dir, tmp_path) -> None:
    """The rest of axe's rules ran above; only the "on this page" column is new here."""
    axe = Axe()
    found = {}
    with chromium(server, tmp_path) as (tab, _problems):
        tab.set_viewport_size(WIDE)
        for name in site_pages(html_dir):
            open_page(tab, name)
            if problems := violations(tab, axe, TARGET_SIZE):
                found[name] = problems
        assert tab.locator(".toc-tree a.reference:visible").count() > 0
    assert found == {}


def vnu_jar() -> Path:
    """The Nu HTML Checker's jar, installed with npm into .cache/ on first use."""
    jar = NPM_CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    installed = NPM_CACHE / "node_modules" / "vnu-jar" / "package.json"
    if not jar.exists() or f'"version": "{VNU_VERSION}"' not in installed.read_text():
        npm = require_tool("npm")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        # --ignore-scripts: its install script would download a Java; Debian's is used.
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--prefix",
                str(NPM_CACHE),
                f"vnu-jar@{VNU_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return jar


def nu_errors(java: str, jar: Path, files: list[Path]) -> list[str]:
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "gnu", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_the_nu_html_checker_finds_no_error_on_any_page(html_dir, tmp_path) -> None:
    java = require_tool("java")
    jar = vnu_jar()
    pages = sorted(html_dir.glob("*.html"))
    assert len(pages) >= 12
    assert nu_errors(java, jar, pages) == []
    # The checker does catch what this site once had: aria-controls on a tab's label.
    broken = tmp_path / "broken.html"
    broken.write_text(
        (html_dir / "differences.html")
        .read_text(encoding="utf-8")
        .replace('<label class="sd-tab-label"', '<label aria-controls="x" class="sd-tab-label"', 1),
        encoding="utf-8",
    )
    assert any("aria-controls" in line for line in nu_errors(java, jar, [broken]))


def test_the_nu_html_checker_finds_no_error_in_the_side_by_side_view(server, tmp_path) -> None:
    """The pages as the browser holds them once the script has set the view to columns."""
    java = require_tool("java")
    jar = vnu_jar()
    files = []
    with chromium(server, tmp_path / "browser") as (tab, _problems):
        tab.set_viewport_size(SIDE_BY_SIDE)
        for name in COMPARISON_PAGES:
            tab.goto(f"{server}/{name}?view=columns")
            assert tab.evaluate("document.documentElement.dataset.comparisonView") == "columns"
            files.append(tmp_path / name)
            files[-1].write_text(tab.content(), encoding="utf-8")  # with its doctype
    assert nu_errors(java, jar, files) == []


def test_every_page_has_one_short_description_from_its_text(html_dir) -> None:
    """Search engines (and Lighthouse's SEO audit) want a meta description on each page."""
    from bs4 import BeautifulSoup

    descriptions = {}
    for path in sorted(html_dir.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        metas = soup.select('head meta[name="description"]')
        assert len(metas) == 1, path.name
        descriptions[path.name] = metas[0]["content"]
        assert 20 <= len(descriptions[path.name]) <= 155, path.name
    assert len(set(descriptions.values())) == len(descriptions)  # each page its own
    soup = BeautifulSoup((html_dir / "career.html").read_text(encoding="utf-8"), "html.parser")
    first = " ".join(soup.select_one("article[role=main] p").get_text().split())
    assert first.startswith(descriptions["career.html"].rstrip("\u2026"))


def test_furo_s_two_asides_are_named_on_every_page(html_dir) -> None:
    """axe's landmark-unique: the navigation and the table of contents are both <aside>."""
    from bs4 import BeautifulSoup

    for path in sorted(html_dir.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        labels = [(aside["class"][0], aside.get("aria-label")) for aside in soup.find_all("aside")]
        assert labels == [("sidebar-drawer", "Site navigation"), ("toc-drawer", "On this page")]


def test_a_changed_furo_page_stops_the_build_rather_than_lose_the_labels(tmp_path) -> None:
    from accessibility import ASIDE_LABELS, LabelledAsides
    from jinja2 import Environment
    from sphinx.errors import ThemeError

    page = tmp_path / "furo" / "page.html"
    environment = Environment(extensions=[LabelledAsides])
    environment.extend(furo_page_template=page)
    furo = "".join(ASIDE_LABELS)
    labelled = environment.preprocess(furo, "page.html", str(page))
    assert labelled.count(" aria-label=") == 2
    # Another template is left as it is; a furo page without either tag stops the build.
    assert environment.preprocess(furo, "page.html", str(tmp_path / "page.html")) == furo
    for tag in ASIDE_LABELS:
        with pytest.raises(ThemeError, match="label its asides anew"):
            environment.preprocess(furo.replace(tag, "<aside>"), "page.html", str(page))
