"""The publishing extensions in-process (sphinx.testing) on a two-term site whose address has a
path, as on Read the Docs (``/en/latest/``): every absolute URL carries it."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

SITE = "https://site.invalid/docs/"


def read(app, name: str) -> str:
    return (Path(app.outdir) / name).read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="publishing", freshenv=True)
def test_every_absolute_address_is_under_the_sites_path(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    locs = [
        loc.text
        for loc in ElementTree.fromstring(read(app, "sitemap.xml")).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert sorted(locs) == [SITE + "glossary.html", SITE + "index.html"]
    assert read(app, "robots.txt").endswith(f"Sitemap: {SITE}sitemap.xml\n")
    vocabulary = json.loads(read(app, "glossary.jsonld"))
    concepts = [n for n in vocabulary["@graph"] if n["@type"] == "skos:Concept"]
    assert {c["@id"] for c in concepts} == {
        SITE + "glossary.html#term-Algorithm",
        SITE + "glossary.html#term-Program",
    }
    program = next(c for c in concepts if c["skos:prefLabel"] == "Program")
    # "procedure" is the algorithm's alias: the relation names the algorithm's entry.
    assert program["skos:related"] == [{"@id": SITE + "glossary.html#term-Algorithm"}]
    page = BeautifulSoup(read(app, "glossary.html"), "html.parser")
    scripts = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert sorted(s["@type"] for s in scripts) == ["DefinedTermSet", "WebPage"]
    assert page.find("meta", property="og:url")["content"] == SITE + "glossary.html"
    missing = BeautifulSoup(read(app, "404.html"), "html.parser")
    assets = [tag["href"] for tag in missing.select('link[rel="stylesheet"]')]
    assert assets and all(href.startswith("/docs/_static/") for href in assets)


@pytest.mark.sphinx(
    "html",
    testroot="publishing",
    srcdir="publishing-without-address",  # a build folder of its own
    freshenv=True,
    confoverrides={"html_baseurl": ""},
)
def test_without_an_address_the_build_says_what_is_missing(app) -> None:
    app.build()
    assert "html_baseurl is not set: the glossary's linked data needs" in app.warning.getvalue()
    assert not (Path(app.outdir) / "glossary.jsonld").exists()


@pytest.mark.sphinx("dirhtml", testroot="publishing", srcdir="publishing-dirhtml", freshenv=True)
def test_the_sitemap_lists_the_pages_at_their_addresses_and_no_deprecated_api_is_used(
    make_app, app_params
) -> None:
    """dirhtml gives every page a folder; a build reads nothing Sphinx has deprecated (as
    sphinx-sitemap's env.app was: RemovedInSphinx11Warning)."""
    args, kwargs = app_params
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = make_app(*args, **kwargs)
        app.build()
    assert app.warning.getvalue() == ""
    assert [str(w.message) for w in caught if w.category.__name__.startswith("RemovedIn")] == []
    locs = [
        loc.text
        for loc in ElementTree.fromstring(read(app, "sitemap.xml")).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert locs == [SITE + "glossary/", SITE]
