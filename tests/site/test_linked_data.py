"""Structured data: JSON-LD on every content page, the glossary's DefinedTermSet, and the SKOS
vocabulary glossary.jsonld, counted against the term files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from rdflib import RDF, SKOS, Graph, URIRef

from glossary.jsonhtml import json_script
from glossary.linked_data import concept_scheme, defined_term_set
from glossary.loader import load_glossary
from tools.project import TERMS as TERMS_DIR

from ..support.site import site_address

GLOSSARY = load_glossary(TERMS_DIR)


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string or "") for s in soup.find_all("script", type="application/ld+json")]


def robots_noindex(soup: BeautifulSoup) -> bool:
    return any(
        "noindex" in str(m["content"]) for m in soup.find_all("meta", attrs={"name": "robots"})
    )


# -- The pure functions, on a small glossary ------------------------------------------

SITE = "https://site.invalid/guide/"
RECORDS = [
    {
        "term": "Machine learning",
        "aliases": ["ML"],
        "category": "machine learning",
        "definition": "Programs that learn </script> from data.",
        "url": "glossary.html#term-Machine-learning",
        "see_also": ["AI", "Nothing by that name"],
    },
    {
        "term": "Artificial intelligence",
        "aliases": ["AI"],
        "category": "machine learning",
        "definition": "Machines doing what takes intelligence.",
        "url": "glossary.html#term-Artificial-intelligence",
        "see_also": [],
    },
    {
        "term": "Git",
        "aliases": [],
        "category": "tools and languages",
        "definition": "A version control system.",
        "url": "glossary.html#term-Git",
        "see_also": ["machine learning"],
    },
]


def test_a_defined_term_set_lists_every_entry_with_absolute_anchors() -> None:
    data = defined_term_set(RECORDS, SITE, name="G", description="D")
    assert data["@type"] == "DefinedTermSet"
    assert data["url"] == SITE + "glossary.html"
    terms = data["hasDefinedTerm"]
    assert [t["name"] for t in terms] == ["Machine learning", "Artificial intelligence", "Git"]
    assert terms[0]["alternateName"] == ["ML"] and "alternateName" not in terms[2]
    assert terms[0]["@id"] == terms[0]["url"] == SITE + "glossary.html#term-Machine-learning"
    assert {t["inDefinedTermSet"]["@id"] for t in terms} == {data["@id"]}
    # Inside a <script>, "</script>" in a definition would end it.
    assert "</" not in json_script(data) and json.loads(json_script(data)) == data
    with pytest.raises(ValueError, match="end with '/'"):
        defined_term_set(RECORDS, SITE.rstrip("/"), name="G", description="D")


def test_skos_relations_follow_see_also_through_aliases_and_folded_names() -> None:
    graph = Graph().parse(
        data=json.dumps(concept_scheme(RECORDS, SITE, title="G", description="D")), format="json-ld"
    )
    ml, ai, git = (URIRef(SITE + r["url"]) for r in RECORDS)
    assert set(graph.objects(ml, SKOS.related)) == {ai}  # "AI" is an alias; the unknown name goes
    assert set(graph.objects(git, SKOS.related)) == {ml}  # case folded
    assert set(graph.objects(ai, SKOS.related)) == set()
    collections = set(graph.subjects(RDF.type, SKOS.Collection))
    members = {
        str(graph.value(c, SKOS.prefLabel)): set(graph.objects(c, SKOS.member)) for c in collections
    }
    assert members == {"machine learning": {ml, ai}, "tools and languages": {git}}


# -- The built site ----------------------------------------------------------------


def test_every_content_page_carries_a_web_page_object(html_dir) -> None:
    base = site_address(html_dir)
    checked = 0
    for path in sorted(html_dir.glob("*.html")):
        soup = soup_of(path)
        pages = [d for d in json_ld(soup) if d.get("@type") == "WebPage"]
        if robots_noindex(soup):
            assert pages == [], path.name
            continue
        assert len(pages) == 1, path.name
        page = pages[0]
        assert page["@context"] == "https://schema.org"
        assert page["url"] == page["@id"] == base + path.name
        assert page["headline"] == soup.find("meta", property="og:title")["content"]
        assert page["description"] == soup.find("meta", attrs={"name": "description"})["content"]
        assert page["isPartOf"] == {
            "@type": "WebSite",
            "@id": base,
            "url": base,
            "name": soup.find("meta", property="og:site_name")["content"],
        }
        checked += 1
    assert checked >= 11


def test_the_glossary_page_carries_one_defined_term_per_entry(html_dir) -> None:
    base = site_address(html_dir)
    soup = soup_of(html_dir / "glossary.html")
    sets = [d for d in json_ld(soup) if d.get("@type") == "DefinedTermSet"]
    assert len(sets) == 1
    terms = sets[0]["hasDefinedTerm"]
    assert len(terms) == len(GLOSSARY) > 100
    by_name = {t["name"]: t for t in terms}
    ids = {tag["id"]: tag for tag in soup.select("[id]")}
    for entry in GLOSSARY:
        term = by_name[entry.term]
        assert term["@type"] == "DefinedTerm"
        assert term.get("alternateName", []) == list(entry.aliases)
        assert term["description"] == entry.plain_text()
        assert term["inDefinedTermSet"] == {"@id": sets[0]["@id"]}
        # Each @id is the entry's anchor on the glossary page: the <dt> of the term itself.
        assert term["@id"] == term["url"]
        assert term["@id"].startswith(base + "glossary.html#")
        anchor = ids.get(urlsplit(term["@id"]).fragment)
        assert anchor is not None and anchor.name == "dt", term["@id"]
        assert " ".join(anchor.get_text().split()).removesuffix("¶").strip() == entry.term
    others = [p.name for p in html_dir.glob("*.html") if p.name != "glossary.html"]
    assert all("DefinedTermSet" not in (html_dir / name).read_text("utf-8") for name in others)


@pytest.fixture(scope="module")
def vocabulary(html_dir) -> Graph:
    return Graph().parse(html_dir / "glossary.jsonld", format="json-ld")


def test_the_skos_vocabulary_has_a_concept_per_term_file_with_its_labels(html_dir, vocabulary):
    graph = vocabulary
    schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes == [URIRef(site_address(html_dir) + "glossary.jsonld")]
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(GLOSSARY)
    assert set(graph.objects(schemes[0], SKOS.hasTopConcept)) == concepts
    assert all((c, SKOS.inScheme, schemes[0]) in graph for c in concepts)
    labels = sorted(str(graph.value(concept, SKOS.prefLabel)) for concept in concepts)
    assert labels == sorted(entry.term for entry in GLOSSARY)
    categories = {entry.category for entry in GLOSSARY}
    # One preferred label each: every concept, the scheme, every category's collection.
    pref = list(graph.triples((None, SKOS.prefLabel, None)))
    assert len(pref) == len(GLOSSARY) + 1 + len(categories)
    alt = sorted(str(label) for label in graph.objects(None, SKOS.altLabel))
    assert alt == sorted(alias for entry in GLOSSARY for alias in entry.aliases)
    assert all(label.language == "en" for label in graph.objects(None, SKOS.prefLabel))
    definitions = {str(d) for d in graph.objects(None, SKOS.definition)}
    assert definitions == {entry.plain_text() for entry in GLOSSARY}


def test_the_skos_vocabulary_relates_each_see_also_and_groups_the_categories(vocabulary):
    graph = vocabulary
    related = list(graph.triples((None, SKOS.related, None)))
    assert len(related) == sum(len(entry.see_also) for entry in GLOSSARY) > 100
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert all(o in concepts for _, _, o in related)
    label = {c: str(graph.value(c, SKOS.prefLabel)) for c in concepts}
    by_term = {entry.term: entry for entry in GLOSSARY}
    names = {n.casefold(): entry.term for entry in GLOSSARY for n in entry.names}
    for concept in concepts:
        expected = {names[n.casefold()] for n in by_term[label[concept]].see_also}
        assert {label[o] for o in graph.objects(concept, SKOS.related)} == expected
    collections = set(graph.subjects(RDF.type, SKOS.Collection))
    assert len(collections) == len({entry.category for entry in GLOSSARY})
    for collection in collections:
        category = str(graph.value(collection, SKOS.prefLabel))
        members = {label[m] for m in graph.objects(collection, SKOS.member)}
        assert members == {e.term for e in GLOSSARY if e.category == category}
