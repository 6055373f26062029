"""The site search's index: every section of every page and every glossary entry.

As each page is read, :class:`SectionCollector` keeps its sections (anchor,
heading and the section's own text, without its sub-sections) with the
environment, so a rebuild that reads one page still indexes all of them.  At
``html-collect-pages`` (HTML builders only) :func:`write_search_index` writes
``_static/search-index.js``, which sets ``window.GLOSSARY_SEARCH_INDEX``:

* ``sections``: one per section of each page, in the order of the table of
  contents: ``page`` (the page's title), ``heading``, ``url`` (relative to the
  site root; a page's first section links the page itself) and ``text``;
* ``entries``: one per glossary entry, A to Z: ``term``, ``aliases``,
  ``summary`` (the first sentence) and ``url``.

A script rather than JSON: ``fetch()`` does not work from ``file://``.  The
browser loads it when the search box is first focused (``static/glossary.js``)
and searches it with MiniSearch (``static/glossary-search.js``).
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import Any, TypedDict, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from .domain import glossary_domain, reading_order
from .jsonhtml import json_script
from .nodes import filter_form, readable_text
from .shared import HTML_BUILDERS
from .text import first_sentence

#: The script's name in ``_static`` and the global it sets.
INDEX_FILE = "search-index.js"
GLOBAL = "GLOSSARY_SEARCH_INDEX"
#: Elements whose text is not the section's: the glossary's entries (one document each)
#: and its jump bar, and whatever a writer marks as not for search.
_SKIPPED_CLASSES = frozenset({"glossary-letter", "glossary-jump-bar", "no-search"})
_SKIPPED_NODES = (
    nodes.comment,
    nodes.raw,
    nodes.substitution_definition,
    nodes.system_message,
    nodes.target,
    nodes.footnote_reference,
    addnodes.index,
    addnodes.toctree,
    filter_form,
)


class Section(TypedDict):
    """One section as the environment keeps it; the URL is the builder's business."""

    anchor: str  # its HTML id; "" for the page's first section, which links the page
    heading: str
    text: str


class Document(TypedDict):
    """One section as the index gives it."""

    page: str
    heading: str
    url: str
    text: str


class Entry(TypedDict):
    """One glossary entry as the index gives it."""

    term: str
    aliases: list[str]
    summary: str
    url: str


def stored(env: BuildEnvironment) -> dict[str, list[Section]]:
    """Page -> its sections, as the glossary domain keeps them with the environment."""
    return cast("dict[str, list[Section]]", glossary_domain(env).data["sections"])


def _skipped(node: nodes.Node, tags: Any) -> bool:
    if isinstance(node, _SKIPPED_NODES):
        return True
    if isinstance(node, addnodes.pending_xref):
        # Citations are no part of the text; a cross-reference without a title of its
        # own holds its target's name until it is resolved ("diff-demand"), not words.
        return node.get("refdomain") == "cite" or (
            not node.get("refexplicit") and node.get("reftype") != "term"
        )
    if isinstance(node, addnodes.only):
        # Read once for every builder: keep what HTML shows (its tags are the builder's).
        try:
            return not tags.eval_condition(node["expr"])
        except Exception:  # an expression Sphinx itself would report when resolving
            return False
    return isinstance(node, nodes.Element) and bool(_SKIPPED_CLASSES & set(node["classes"]))


def _text(node: nodes.Node, tags: Any, *, top: bool = True) -> str:
    """What a reader reads of *node*, without its sub-sections (or its title, at the top).

    Math as text without TeX, as the glossary's plain definitions have it.
    """

    def skip(current: nodes.Node) -> bool:
        if isinstance(current, nodes.section) or _skipped(current, tags):
            return True
        return top and isinstance(current, nodes.title) and current.parent is node

    return readable_text(node.children if isinstance(node, nodes.Element) else [node], skip)


def sections(doctree: nodes.document, tags: Any = None) -> list[Section]:
    """Every section of a read page, in document order; the first one links the page."""
    found: list[Section] = []
    for section in doctree.findall(nodes.section):
        if any(_skipped(parent, tags) for parent in _ancestors(section)):
            continue
        title = section.next_node(nodes.title)
        heading = _text(title, tags) if title is not None and title.parent is section else ""
        anchor = section["ids"][0] if found and section["ids"] else ""
        found.append({"anchor": anchor, "heading": heading, "text": _text(section, tags)})
    return found


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    parents = []
    while node.parent is not None:
        node = node.parent
        parents.append(node)
    return parents


class SectionCollector(EnvironmentCollector):
    """Keeps each page's sections in the glossary domain as the page is read."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Nothing here: the domain's ``clear_doc`` forgets the page's sections."""

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        """Nothing here: the domain's ``merge_domaindata`` brings a reader's pages in."""

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        stored(app.env)[app.env.docname] = sections(doctree, app.builder.tags)


def index_data(app: Sphinx) -> dict[str, Any]:
    """The index: sections in reading order, then glossary entries A to Z."""
    env, builder = app.env, app.builder
    kept = stored(env)
    documents: list[Document] = []
    for docname in reading_order(env):
        if docname not in kept or docname not in env.all_docs:
            continue
        page = builder.get_target_uri(docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        for section in kept[docname]:
            anchor = section["anchor"]
            documents.append(
                {
                    "page": title,
                    "heading": section["heading"] or title,
                    "url": f"{page}#{anchor}" if anchor else page,
                    "text": section["text"],
                }
            )
    domain = glossary_domain(env)
    entries: list[Entry] = []
    if domain.docname is not None and domain.docname in env.all_docs:
        page = builder.get_target_uri(domain.docname)
        entries = [
            {
                "term": term.term,
                "aliases": list(term.aliases),
                "summary": first_sentence(entry["definition"]),
                "url": f"{page}#{anchors[0]}",
            }
            for term, anchors, entry in domain.listed()
        ]
    return {"sections": documents, "entries": entries}


def write_search_index(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``_static/search-index.js``, written on every HTML build (pages change on their own)."""
    if app.builder.name not in HTML_BUILDERS:
        return []
    script = f"window.{GLOBAL} = {json_script(index_data(app))};\n"
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / INDEX_FILE).write_text(script, encoding="utf-8")
    return []


def setup_search_index(app: Sphinx) -> None:
    """Register the collector and the writer (called by the package's ``setup``)."""
    app.add_env_collector(SectionCollector)
    app.connect("html-collect-pages", write_search_index)
