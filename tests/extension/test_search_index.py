"""The site search's index (glossary/search_index.py), built in-process on roots/test-glossary.

One document per section of each page (its own text, not its sub-sections'),
one per glossary entry; kept across a rebuild that reads one page; written for
the HTML builders only.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from glossary.search_index import GLOBAL, INDEX_FILE

from ..conftest import ROOTS
from .test_glossary_extension import build, records, written

pytestmark = pytest.mark.sphinx("html", testroot="glossary", confoverrides={"nitpicky": True})


def index(outdir: Path) -> dict:
    script = (outdir / "_static" / INDEX_FILE).read_text("utf-8")
    match = re.fullmatch(rf"window\.{GLOBAL} = (\{{.*\}});\n", script, re.DOTALL)
    assert match, script[:200]
    return json.loads(match[1])


def sections_of(data: dict, page: str) -> list[tuple[str, str, str]]:
    return [
        (s["heading"], s["url"], s["text"])
        for s in data["sections"]
        if s["url"].partition("#")[0] == page
    ]


def test_each_section_is_a_document_with_its_own_text_and_anchor(app) -> None:
    outdir = build(app)
    data = index(outdir)
    garden = sections_of(data, "garden.html")
    assert [(heading, text) for heading, _, text in garden] == [
        ("Garden", "An oak shades the fern bed; a red fox walks by at dusk."),
        ("Compost heap", "Fallen leaves and kitchen scraps rot here into dark soil by spring."),
        ("Morning dew", "At sunrise the air cools to its dew point and the lawn is wet."),
        (
            "Café corner",
            "A bench under the old wall, in the shade until noon and out of the thunder.",
        ),
    ]
    assert all(s["page"] == "Garden" for s in data["sections"] if s["url"].startswith("garden"))
    # The first section links the page; every other one an id that is in the page.
    assert garden[0][1] == "garden.html"
    page = BeautifulSoup((outdir / "garden.html").read_text("utf-8"), "html.parser")
    for heading, url, _ in garden[1:]:
        section = page.find(id=url.partition("#")[2])
        assert section is not None and section.find(re.compile("h[2-6]")).get_text().startswith(
            heading
        )
    # In the order of the table of contents: the home page, then garden, weather, ...
    pages = list(dict.fromkeys(s["url"].partition("#")[0] for s in data["sections"]))
    assert pages[:3] == ["index.html", "garden.html", "weather.html"]


def test_the_glossary_page_gives_entries_not_sections_of_definitions(app) -> None:
    outdir = build(app)
    data = index(outdir)
    glossary_text = " ".join(text for _, _, text in sections_of(data, "glossary.html"))
    assert "acorns" not in glossary_text and "syrup" not in glossary_text
    assert "lee2001" not in json.dumps(data)  # citations are no part of any text
    by_term = {entry["term"]: entry for entry in data["entries"]}
    assert list(by_term) == list(records(outdir))  # every entry, A to Z
    for term, record in records(outdir).items():
        assert by_term[term] == {
            "term": term,
            "aliases": record["aliases"],
            "summary": record["summary"],
            "url": record["url"],
        }


def test_a_rebuild_that_reads_one_page_keeps_the_others(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    before = index(build(make_app("html", srcdir=src)))
    weather = src / "weather.md"
    weather.write_text(weather.read_text("utf-8") + "\nHail in May.\n", "utf-8")
    app = make_app("html", srcdir=src)
    after = index(build(app))
    assert "garden" not in written(app)  # nor read again
    assert sections_of(after, "garden.html") == sections_of(before, "garden.html")
    assert sections_of(after, "weather.html")[-1][2].endswith("Hail in May.")
    assert after["entries"] == before["entries"]


@pytest.mark.sphinx("epub", testroot="glossary", confoverrides={"nitpicky": True})
def test_the_epub_has_no_search_index(app) -> None:
    app.build()
    assert not (Path(app.outdir) / "_static" / INDEX_FILE).exists()
    assert not (Path(app.outdir) / "_static" / "minisearch.min.js").exists()
