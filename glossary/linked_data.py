"""The glossary as linked data: schema.org JSON-LD on its page, and a SKOS vocabulary file.

Pure functions turn the glossary's records (the entries of ``glossary.json``:
term, aliases, category, definition as plain text, url relative to the site
root, see_also) and the site's absolute address into:

* :func:`defined_term_set`: a schema.org ``DefinedTermSet`` whose
  ``hasDefinedTerm`` lists every entry as a ``DefinedTerm``, for search
  engines, in a ``<script type="application/ld+json">`` on the glossary page;
* :func:`concept_scheme`: the glossary as a SKOS ``ConceptScheme`` in JSON-LD,
  written as ``glossary.jsonld`` next to ``glossary.json``: one
  ``skos:Concept`` per entry, each category a ``skos:Collection``.

Each entry is identified by the absolute address of its anchor on the
glossary page, in both; the vocabulary itself by the address of
``glossary.jsonld``. The Sphinx wiring at the end reads the records from
the glossary domain (:meth:`glossary.domain.GlossaryDomain.records`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata

from .domain import GlossaryRecord, glossary_domain
from .jsonhtml import json_script
from .names import fold, name_index
from .shared import HTML_BUILDERS

logger = logging.getLogger(__name__)

#: The vocabulary file, next to glossary.json in the HTML output.
VOCABULARY_FILE = "glossary.jsonld"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"

Record = Mapping[str, Any]


def absolute(site: str, url: str) -> str:
    """A record's address (relative to the site root) made absolute."""
    if not site.endswith("/"):
        raise ValueError(f"the site's address must end with '/': {site!r}")
    path = url.partition("#")[0].partition("?")[0]
    if path and not path.startswith((".", "/")) and ":" not in path and "/." not in path:
        # A plain relative path joins by concatenation (RFC 3986, 5.2.3): urljoin
        # took a quarter of a second for the 15,000 addresses of 5,000 terms.
        return site + url
    return urljoin(site, url)


def page_of(records: Iterable[Record]) -> str:
    """The glossary page's address relative to the site root (its entries' url before '#')."""
    url: str = next(iter(records))["url"]
    return url.partition("#")[0]


def _targets(records: Iterable[Record], site: str) -> dict[str, str]:
    """Each folded term and alias -> the absolute address of its entry."""
    index = name_index(records, lambda record: (record["term"], *record["aliases"]))
    return {name: absolute(site, record["url"]) for name, record in index.items()}


def _related(record: Record, targets: Mapping[str, str]) -> list[str]:
    # A see-also name that names no entry is reported by the loader (file and line);
    # it has no address to point at.
    return [targets[fold(name)] for name in record.get("see_also", ()) if fold(name) in targets]


def defined_term_set(
    records: Iterable[Record], site: str, *, name: str, description: str
) -> dict[str, Any]:
    """The schema.org DefinedTermSet of every entry, for the glossary page."""
    records = list(records)
    vocabulary = absolute(site, VOCABULARY_FILE)
    terms = []
    for record in records:
        url = absolute(site, record["url"])
        term: dict[str, Any] = {"@type": "DefinedTerm", "@id": url, "url": url}
        term["name"] = record["term"]
        if record["aliases"]:
            term["alternateName"] = list(record["aliases"])
        term["description"] = record["definition"]
        term["inDefinedTermSet"] = {"@id": vocabulary}
        terms.append(term)
    return {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": vocabulary,
        "name": name,
        "description": description,
        "url": absolute(site, page_of(records)),
        "hasDefinedTerm": terms,
    }


def category_id(site: str, category: str) -> str:
    """The address of a category's collection: a fragment of the vocabulary file."""
    slug = re.sub(r"[^a-z0-9]+", "-", category.casefold()).strip("-")
    return f"{absolute(site, VOCABULARY_FILE)}#category-{slug}"


def concept_scheme(
    records: Iterable[Record], site: str, *, title: str, description: str, language: str = "en"
) -> dict[str, Any]:
    """The glossary as a SKOS ConceptScheme in JSON-LD (its context inline, nothing to fetch)."""
    records = list(records)
    targets = _targets(records, site)
    scheme = absolute(site, VOCABULARY_FILE)
    concepts = []
    members: dict[str, list[dict[str, str]]] = {}
    for record in records:
        url = absolute(site, record["url"])
        concept: dict[str, Any] = {
            "@id": url,
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": scheme},
            "skos:topConceptOf": {"@id": scheme},
            "skos:prefLabel": record["term"],
        }
        if record["aliases"]:
            concept["skos:altLabel"] = list(record["aliases"])
        concept["skos:definition"] = record["definition"]
        if related := _related(record, targets):
            concept["skos:related"] = [{"@id": target} for target in related]
        concepts.append(concept)
        members.setdefault(record["category"], []).append({"@id": url})
    collections = [
        {
            "@id": category_id(site, category),
            "@type": "skos:Collection",
            "skos:prefLabel": category,
            "skos:member": members[category],
        }
        for category in sorted(members)
    ]
    return {
        "@context": {"skos": SKOS, "dct": DCTERMS, "@language": language},
        "@graph": [
            {
                "@id": scheme,
                "@type": "skos:ConceptScheme",
                "skos:prefLabel": title,
                "dct:title": title,
                "dct:description": description,
                "skos:hasTopConcept": [{"@id": concept["@id"]} for concept in concepts],
            },
            *concepts,
            *collections,
        ],
    }


# -- Wiring ---------------------------------------------------------------------


def _records(app: Sphinx) -> list[GlossaryRecord]:
    """The glossary's records, from the glossary domain (the one place they are kept)."""
    return glossary_domain(app.env).records(app.builder)


def _site(app: Sphinx) -> str | None:
    site: str = app.config.html_baseurl
    if not site:
        logger.warning(
            "html_baseurl is not set: the glossary's linked data needs the site's address",
            type="glossary",
            subtype="linked-data",
        )
        return None
    return site if site.endswith("/") else site + "/"


def _title(app: Sphinx) -> str:
    return f"{app.config.project}: Glossary"


def _description(records: list[GlossaryRecord], app: Sphinx) -> str:
    return f"The {len(records)} terms of {app.config.project}, each with its definition."


def add_defined_terms(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The glossary page's DefinedTermSet, as a JSON-LD script of that page only."""
    if app.builder.name not in HTML_BUILDERS or doctree is None:
        return
    if pagename != glossary_domain(app.env).docname:
        return
    records = _records(app)
    if not records:
        return
    site = _site(app)
    if site is None:
        return
    data = defined_term_set(records, site, name=_title(app), description=_description(records, app))
    app.add_js_file(None, body=json_script(data), type="application/ld+json")


def write_vocabulary(app: Sphinx, exception: Exception | None) -> None:
    """glossary.jsonld, the SKOS vocabulary, next to glossary.json."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    if not glossary_domain(app.env).written():
        return  # written with the glossary page, which this build left as it was
    records = _records(app)
    site = _site(app)
    if not records or site is None:
        return
    data = concept_scheme(
        records,
        site,
        title=_title(app),
        description=_description(records, app),
        language=app.config.language or "en",
    )
    # Not indented: json's C encoder (indenting takes the Python one, 0.6 s at 5,000 terms).
    text = json.dumps(data, ensure_ascii=False)
    (Path(app.outdir) / VOCABULARY_FILE).write_text(text + "\n", encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("glossary")
    app.connect("html-page-context", add_defined_terms)
    app.connect("build-finished", write_vocabulary)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
