"""The glossary extension in-process (sphinx.testing), on a second, small project.

``tests/roots/test-glossary`` lists only myst_parser, sphinxcontrib.bibtex and
glossary, with its own terms folder and categories: what another
project reusing the extension would write.  Its builds are nitpicky and must
give no warning at all.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_escape_sequences

from glossary.domain import GlossaryDomain

from ..conftest import ROOTS
from ..support.site import used_in, written_pages

pytestmark = pytest.mark.sphinx("html", testroot="glossary", confoverrides={"nitpicky": True})
TERMS = sorted(path.stem for path in (ROOTS / "test-glossary" / "terms").glob("*.md"))
CATEGORIES = ["plants", "animals", "weather"]  # in the order of its conf.py; "minerals" is unused


def build(app) -> Path:
    """Build *app* and fail on any warning (the project's builds use -n -W).

    The app then lets go of docutils' global registrations, so that the next
    app of the same test starts as a fresh sphinx-build would.
    """
    app.build()
    warnings = app.warning.getvalue()
    app.cleanup()
    assert app.statuscode == 0
    assert warnings == ""
    return Path(app.outdir)


def soup(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text("utf-8"), "html.parser")


def previews(outdir: Path, page: str) -> dict[str, dict[str, str]]:
    """The previews written into *page*: anchor -> term and summary."""
    script = next(
        s.string
        for s in soup(outdir, page).find_all("script", src=False)
        if s.string and "GLOSSARY_PREVIEWS" in s.string
    )
    return json.loads(re.search(r"= (\{.*\});", script)[1])


def records(outdir: Path) -> dict[str, dict]:
    return {r["term"]: r for r in json.loads((outdir / "glossary.json").read_text("utf-8"))}


def test_a_second_project_gets_its_glossary_page_and_categories(app) -> None:
    outdir = build(app)
    page = soup(outdir, "glossary.html")
    entries = page.select("dl.glossary-entry")
    assert [dl.select_one("dt").get_text(strip=True).rstrip("¶") for dl in entries] == [
        "Dew point",
        "Fern",
        "Fox terrier",
        "Maple",
        "Oak",
        "Rain",
        "Rainbow",
        "Red fox",
        "Weißdorn",
    ]
    assert len(entries) == len(TERMS)
    options = [o["value"] for o in page.select("#glossary-filter-category option")]
    assert options == ["", *CATEGORIES]
    assert page.select_one(".glossary-filter-status").get_text() == f"{len(TERMS)} of 9 entries"
    for dl in entries:
        definition = dl.select_one(":scope > dd > .glossary-definition")
        assert definition["data-category"] in CATEGORIES
        assert f"glossary-cat-{definition['data-category']}" in dl["class"]


def test_each_name_is_an_anchor_and_each_entry_a_record(app) -> None:
    outdir = build(app)
    data = records(outdir)
    assert sorted(data) == sorted(data, key=str.casefold) and len(data) == len(TERMS)
    oak = data["Oak"]
    assert oak["aliases"] == ["Quercus"] and oak["anchors"] == ["term-Oak", "term-Quercus"]
    assert oak["url"] == "glossary.html#term-Oak" and oak["see_also"] == ["Maple"]
    assert oak["category"] == "plants"
    # Text from the parsed definition: the citation is no part of it.
    assert oak["definition"] == "A long-lived tree that bears acorns. Its wood is hard."
    assert oak["summary"] == "A long-lived tree that bears acorns."
    assert data["Dew point"]["definition"].startswith(
        "The temperature at which air becomes saturated with water vapour"
    )
    html = BeautifulSoup(data["Red fox"]["definition_html"], "html.parser")
    assert [a["href"] for a in html.select("a")] == ["glossary.html#term-Fern"]
    assert "<em>water</em>" in data["Dew point"]["definition_html"]
    page = soup(outdir, "glossary.html")
    for record in data.values():
        for anchor in record["anchors"]:
            assert page.find(id=anchor).name == "dt"


def test_backlinks_and_previews_follow_the_pages_that_link(app) -> None:
    outdir = build(app)
    assert used_in(soup(outdir, "glossary.html")) == {
        "Dew point": [],
        "Fern": ["garden.html"],
        "Fox terrier": [],
        "Maple": [],
        "Oak": ["garden.html"],
        "Rain": ["weather.html"],
        "Rainbow": ["weather.html"],
        "Red fox": ["garden.html"],
        "Weißdorn": [],
    }
    assert previews(outdir, "garden.html") == {
        "term-Fern": {"term": "Fern", "summary": "A plant without flowers that spreads by spores."},
        "term-Oak": {"term": "Oak", "summary": "A long-lived tree that bears acorns."},
        "term-Red-fox": {
            "term": "Red fox",
            "summary": "A small wild canine with a bushy tail that hunts at dusk near a "
            "fern thicket.",
        },
    }


def test_the_domain_gives_other_extensions_the_records(app) -> None:
    build(app)
    domain = app.env.get_domain("glossary")
    assert isinstance(domain, GlossaryDomain)
    given = domain.records(app.builder)
    assert given == list(records(Path(app.outdir)).values())
    assert domain.used_in()["Oak"] == ["garden"]


@pytest.mark.sphinx("html", testroot="glossary", parallel=2)
def test_parallel_reading_gives_the_same_glossary(app, make_app, tmp_path) -> None:
    parallel = build(app)
    serial = build(make_app("html", srcdir=ROOTS / "test-glossary", builddir=tmp_path))
    assert records(parallel) == records(serial)
    assert used_in(soup(parallel, "glossary.html")) == used_in(soup(serial, "glossary.html"))


def test_incremental_builds_follow_added_removed_and_linked_terms(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    outdir = build(make_app("html", srcdir=src))
    assert "Hail" not in records(outdir)

    (src / "terms" / "hail.md").write_text(
        "---\nterm: Hail\naliases: []\ncategory: weather\nsee_also: [Rain]\n"
        "sources: [lee2001]\n---\nBalls of ice that fall in a storm.\n",
        "utf-8",
    )
    (src / "garden.md").write_text(
        (src / "garden.md").read_text("utf-8") + "\nThen {term}`hail`.\n", "utf-8"
    )
    outdir = build(make_app("html", srcdir=src))
    assert records(outdir)["Hail"]["summary"] == "Balls of ice that fall in a storm."
    assert used_in(soup(outdir, "glossary.html"))["Hail"] == ["garden.html"]

    (src / "garden.md").write_text("# Garden\n\nNo terms now.\n", "utf-8")
    (src / "terms" / "hail.md").unlink()
    outdir = build(make_app("html", srcdir=src))
    assert "Hail" not in records(outdir)
    assert used_in(soup(outdir, "glossary.html"))["Oak"] == []


def written(app) -> list[str]:
    """The pages the build's log says it wrote."""
    return sorted(written_pages(strip_escape_sequences(app.status.getvalue())))


def test_a_term_edit_rewrites_the_pages_whose_previews_it_changes(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    build(make_app("html", srcdir=src))
    oak = src / "terms" / "oak.md"

    # The second sentence: only the glossary page (and the home page, whose
    # table of contents lists it) shows it.
    oak.write_text(oak.read_text("utf-8").replace("Its wood is hard.", "It is hard."), "utf-8")
    app = make_app("html", srcdir=src)
    outdir = build(app)
    assert written(app) == ["glossary", "index"]

    # The first sentence is the preview of every page that links the oak.
    oak.write_text(oak.read_text("utf-8").replace("A long-lived tree", "A tall tree"), "utf-8")
    app = make_app("html", srcdir=src)
    outdir = build(app)
    assert written(app) == ["garden", "glossary", "index"]
    assert previews(outdir, "garden.html")["term-Oak"]["summary"].startswith("A tall tree")


# -- Validation: each mistake reported once, at its file and line ------------------


def build_with(make_app, tmp_path, edits: dict[str, tuple[str, str]]) -> tuple[Path, str]:
    """A copy of the project with *edits* (file: (old, new)); its warnings."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    for name, (old, new) in edits.items():
        path = src / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    app = make_app("dummy", srcdir=src, confoverrides={"nitpicky": True})
    app.build()
    app.cleanup()
    return src, app.warning.getvalue()


def line_of(path: Path, text: str) -> int:
    """The line holding *text*, counted as editors count lines (at "\\n" only)."""
    return next(i for i, line in enumerate(path.read_text("utf-8").split("\n"), 1) if text in line)


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "message"),
    [
        (
            "terms/rain.md",
            "as drops.",
            "as drops, unlike\n{term}`snow`.",
            "{term}`snow`",
            "term not in glossary: 'snow'",
        ),
        ("terms/rain.md", "[Rainbow]", "[Rainbow, Sleet]", "see_also", "'Sleet'"),
        ("terms/rain.md", "[lee2001]", "[lee2001, nobody]", "sources:", 'key "nobody"'),
        ("terms/rain.md", "weather", "climate", "category:", "unknown category 'climate'"),
        ("terms/rain.md", "aliases: []", "aliases: [oak]", "aliases:", "'oak' is already"),
        ("terms/rain.md", "see_also: [Rainbow]", "see_also: [Rain]", "see_also", "itself"),
        ("terms/rain.md", "term: Rain\n", "", "---", "the field 'term' is missing"),
        (
            "terms/rain.md",
            "as drops.",
            "as drops,\nnot <img src=x onerror=alert(1)> images.",
            "<img",
            "raw HTML in the definition: '<img src=x onerror=alert(1)>'",
        ),
        (
            "terms/rain.md",
            "as drops.",
            "as drops.\n\n```{raw} html\n<script>alert(1)</script>\n```",
            "<script>alert",
            "raw HTML in the definition: '<script>",
        ),
        (
            "terms/rain.md",
            "as drops.",
            "as drops.\n\n```{no-such-directive}\nx\n```",
            "{no-such-directive}",
            "Unknown directive type: 'no-such-directive'",
        ),
        (
            "terms/rain.md",
            "as drops.",
            "as drops.\n\n```{include} no-such-file.md\n```",
            "{include}",
            "no-such-file.md",
        ),
        (
            "terms/rain.md",
            "as drops.",
            "as\u2028drops, unlike\n{term}`snow`.",
            "{term}`snow`",
            "term not in glossary: 'snow'",
        ),
    ],
    ids=[
        *("term link", "see also", "source", "category", "duplicate", "see itself", "no term"),
        *("raw HTML", "raw directive", "unknown directive", "failing include", "line separator"),
    ],
)
def test_each_mistake_is_reported_once_at_its_line(
    make_app, tmp_path, name, old, new, marker, message
) -> None:
    src, warnings = build_with(make_app, tmp_path, {name: (old, new)})
    reported = [line for line in warnings.splitlines() if message in line]
    assert len(reported) == 1, warnings
    assert f"{src / name}:{line_of(src / name, marker)}:" in reported[0], warnings


def test_raw_html_in_a_term_file_reaches_no_output(make_app, tmp_path) -> None:
    """Reported, and dropped: not in the page, the records or the search index."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    rain = src / "terms" / "rain.md"
    rain.write_text(
        rain.read_text("utf-8").replace("as drops.", "as <b onclick=alert(1)>drops</b>."), "utf-8"
    )
    app = make_app("html", srcdir=src)
    app.build()
    app.cleanup()
    assert "raw HTML in the definition" in app.warning.getvalue()
    written = [path for path in Path(app.outdir).rglob("*") if path.is_file()]
    assert any(path.name == "glossary.json" for path in written)
    assert not [path for path in written if b"onclick" in path.read_bytes()]


def test_data_scripts_hold_any_text_of_an_entry(make_app, tmp_path) -> None:
    """First sentences showing ``<!--`` and ``<script>`` (as entries about HTML do).

    Together in one inline script they would put it into its "double escaped"
    state, where its own ``</script>`` no longer ends it.
    """
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    for name, shown in (("oak.md", "`<!--`"), ("fern.md", "`<script>` and `</script>`")):
        path = src / "terms" / name
        text = path.read_text("utf-8").split("---\n")
        text[2] = f"A plant not to be written {shown} in a page. " + text[2]
        path.write_text("---\n".join(text), "utf-8")
    outdir = build(make_app("html", srcdir=src))
    shown = previews(outdir, "garden.html")
    assert "<!--" in shown["term-Oak"]["summary"]
    assert "<script>" in shown["term-Fern"]["summary"]
    page = (outdir / "garden.html").read_text("utf-8")
    script = next(s for s in re.findall(r"<script>(.*?)</script>", page, re.S) if "PREVIEWS" in s)
    assert "<" not in script and ">" not in script


def test_unknown_categories_are_those_of_the_project(make_app, tmp_path) -> None:
    """This project's categories, not the main site's, are the valid ones."""
    _, warnings = build_with(make_app, tmp_path, {"terms/oak.md": ("plants", "mathematics")})
    assert "unknown category 'mathematics'" in warnings
    assert "use one of: plants, animals, weather, minerals" in warnings


@pytest.mark.sphinx("latex", testroot="glossary", confoverrides={"nitpicky": True})
def test_the_book_glossary_is_compact_with_page_numbers(app) -> None:
    """LaTeX: details as one run-in paragraph; "Used in" as \\pageref links to a label
    set where each page first links the entry; the style ships with the .tex."""
    outdir = build(app)
    (tex_file,) = outdir.glob("*.tex")
    tex = tex_file.read_text("utf-8")
    assert (outdir / "sphinxglossary.sty").is_file()
    assert r"\usepackage{sphinxglossary}" in tex
    glossary = tex[tex.index(r"\label{\detokenize{glossary::doc}}") :]
    assert r"\begin{quote}\begin{description}" not in glossary  # no field list
    assert glossary.count(r"\begin{sphinxuseclass}{glossary-details}") == len(TERMS)
    label = r"\detokenize{garden:glossary-use-fern-1}"
    assert tex.count(r"\label{" + label + "}") == 1
    assert (
        r"\phantomsection\label{" + label + r"}{\hyperref[\detokenize{glossary:term-Fern}]"
    ) in tex
    fern = glossary[glossary.index(r"\sphinxlineitem{Fern") :]
    line = fern[: fern.index(r"\end{sphinxuseclass}")]
    assert re.search(
        r"\\sphinxstyleemphasis\{Category:\} plants\. \\sphinxstyleemphasis\{See also:\} .*Oak.*"
        r"\\sphinxstyleemphasis\{Sources:\} .*\. \\sphinxstyleemphasis\{Used in\} "
        r".*p\. \\pageref\{" + re.escape(label) + r"\}\}\}\.",
        line,
    ), line
    dew = glossary[glossary.index(r"\sphinxlineitem{Dew point") :]
    # No page of the book links it: its details say nothing of where it is used.
    assert "Used in" not in dew[: dew.index(r"\end{sphinxuseclass}")]
