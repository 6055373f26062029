"""What a build reads, and what a rebuild reads and writes again.

At ``builder-inited`` the term files are loaded and each problem reported at
its file and line; :class:`GlossaryCollector` records which entries each page
links (for "Used in" and the previews), asks for the glossary page to be read
again when what it holds of the term files changed, parses on their own the
entries whose files changed otherwise, and asks for the pages whose output
depends on a changed page, entry or reference to be written again.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import LoggingReporter, _get_settings, new_document, sphinx_domains

from .domain import SearchData, glossary_domain
from .entries import EntryInfo, EntryParser, bibtex_domain, citation_refs, parse_context
from .files import Term
from .names import fold
from .shared import HTML_BUILDERS

logger = logging.getLogger(__name__)


def search_data(document: nodes.document) -> SearchData | None:
    """A page's titles and index entries, or None for a page with no index entry.

    The titles are those Sphinx's indexer collects (it skips comments, raw
    HTML and elements of class ``no-search``), in document order.
    """
    entries = [entry for node in document.findall(addnodes.index) for entry in node["entries"]]
    if not entries:
        return None
    titles: list[tuple[str, list[str]]] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.comment | nodes.raw):
            return
        if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
            return
        if isinstance(node, nodes.title) and node.parent is not None:
            titles.append((node.astext(), list(node.parent["ids"])))
        for child in node.children:
            visit(child)

    visit(document)
    return {"titles": titles, "entries": [tuple(entry) for entry in entries]}


def search_document(data: SearchData) -> nodes.document:
    """A document the indexer reads as the page's titles and index entries."""
    document = new_document("")
    for text, ids in data["titles"]:
        document += nodes.section("", nodes.title(text, text), ids=ids)
    document += addnodes.index(entries=data["entries"])
    return document


class GlossaryCollector(EnvironmentCollector):
    """Which entries each page links, and what a rebuild must read and write again.

    The facts live in the domain (:class:`~glossary.domain.GlossaryDomain`),
    which clears a page's and merges a parallel reader's itself; the collector
    only writes them as each page is read and answers Sphinx's two questions.
    """

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Nothing here: the domain's ``clear_doc`` forgets the page."""

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        """Nothing here: the domain's ``merge_domaindata`` brings a reader's pages in."""

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Record which entries a page links (before references resolve), and its index."""
        env = app.env
        domain = glossary_domain(env)
        docname = env.docname
        searched = search_data(doctree)
        if searched is not None:
            domain.indexed[docname] = searched
        if docname == domain.docname:
            return
        linked = {
            fold(node["reftarget"])
            for node in doctree.findall(addnodes.pending_xref)
            if node.get("reftype") == "term"
        }
        if linked:
            domain.backlinks[docname] = linked

    def get_outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: Set[str],
        changed: Set[str],
        removed: Set[str],
    ) -> list[str]:
        return outdated_glossary(app, env, added, changed, removed)

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        return sorted({*rewrite_glossary(app, env), *rewrite_citing(env)})


def outdated_glossary(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Read the glossary page again only when what it holds of the term files changed.

    A term file added, removed or renamed, a term, alias, category or letter
    changed: the page's shape (:meth:`~glossary.domain.GlossaryDomain.shape`)
    differs, and the page is read again.  Otherwise the entries whose files
    changed are parsed here, on their own (:func:`update_entries`), and the
    page is only written again.
    """
    domain = glossary_domain(env)
    docname = domain.docname
    if docname is None or docname in removed | changed | added or docname not in env.all_docs:
        return []
    if domain.shape(list(app.config.glossary_categories)) != domain.data["shape"]:
        return [docname]
    keys = {term: entry["key"] for term, entry in domain.entries.items()}
    stale = [
        term
        for term in domain.glossary
        if keys.get(term.term) != (key := domain.entry_key(term)) or not domain.store.has(key)
    ]
    if stale and not update_entries(env, docname, stale):
        return [docname]
    return []


@contextmanager
def reading(env: BuildEnvironment, docname: str) -> Iterator[nodes.document]:
    """A stand-in for page *docname* being read, to parse its entries while no page is.

    The environment's current document, docutils settings as a reading of the
    page gets them, and Sphinx's lookup of roles and directives.
    """
    from docutils.readers import standalone
    from myst_parser.parsers.sphinx_ import MystParser

    saved, context = env.current_document, dict(env.ref_context)
    env.prepare_settings(docname)
    try:
        defaults = {"traceback": True, **env.settings}
        settings = _get_settings(standalone.Reader, MystParser, defaults=defaults)
        source = str(env.doc2path(docname))
        reporter = LoggingReporter(source, settings.report_level, settings.halt_level)
        with sphinx_domains(env):
            yield nodes.document(settings, reporter, source=source)
    finally:
        env.current_document = saved  # a post-transform may be resolving a page
        env.ref_context.clear()
        env.ref_context.update(context)


def parse_outside(
    env: BuildEnvironment, docname: str, terms: list[Term]
) -> tuple[list[tuple[Term, str, nodes.container, EntryInfo]], list[Any]]:
    """Parse and store *terms*' entries as if page *docname* were being read.

    Returns each term with its entry's key, the entry and what the build keeps
    of it, and the citations the parse noted: taken back out of
    sphinxcontrib-bibtex's list, which holds the page's own.
    """
    domain = glossary_domain(env)
    refs = citation_refs(env)
    before = len(refs) if refs is not None else 0
    with reading(env, docname) as page:
        parser = EntryParser(env, page)
        parsed = [(term, domain.entry_key(term), *parser.parse(term)) for term in terms]
    new = refs[before:] if refs is not None else []
    if refs is not None:
        del refs[before:]
    for _, key, body, info in parsed:
        domain.keep_entry(key, body, info)
    return parsed, new


def parse_again(env: BuildEnvironment, docname: str, term: Term) -> nodes.Element:
    """Parse *term*'s entry again: the store lost it or cannot read it (a damaged folder)."""
    parsed, _ = parse_outside(env, docname, [term])
    return parsed[0][2].deepcopy()  # the store keeps the one it was given


def update_entries(env: BuildEnvironment, docname: str, stale: list[Term]) -> bool:
    """Parse and store the *stale* entries as if their page were being read.

    Returns False, leaving the page to be read again, when an entry's
    citations changed: sphinxcontrib-bibtex's list of them for the page is
    in reading order, which only reading the page again keeps right.
    """
    domain = glossary_domain(env)
    parsed, new = parse_outside(env, docname, stale)
    unchanged = True
    for term, _, _, info in parsed:
        old = domain.fragments.get(domain.entries[term.term]["key"])
        cited = [(ref_id, targets) for ref_id, _, targets in info["citations"]]
        if old is None or cited != [(ref_id, targets) for ref_id, _, targets in old["citations"]]:
            unchanged = False
    if not unchanged:
        return False
    # The same citations: the page's notes of them take the new lines, in place.
    by_id = {ref.citation_ref_id: ref for ref in new}
    refs = citation_refs(env)
    if refs is not None:
        for index, ref in enumerate(refs):
            if ref.docname == docname and ref.citation_ref_id in by_id:
                refs[index] = by_id[ref.citation_ref_id]
    for term, key, _, info in parsed:
        entry = domain.entries[term.term]
        entry["key"], entry["definition"] = key, info["text"]
    domain.entries_updated = True
    logger.verbose(
        "glossary: %d of %d entries parsed, the glossary page not read again",
        len(parsed),
        len(domain.glossary),
    )
    return True


def rewrite_glossary(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages whose output depends on a page or term file that changed.

    The glossary page, when entries were parsed without reading it again, or
    when what its "Used in" lines show has changed: a page
    gained or lost a term link, or changed its title.  A page that links an
    entry whose preview (its term or first sentence) has changed, since its
    previews are written into it.  Any other edit leaves the pages as they were
    written.
    """
    domain = glossary_domain(env)
    docname = domain.docname
    if docname is None or docname not in env.all_docs:
        return []
    rewrite: list[str] = [docname] if domain.entries_updated else []
    shown = domain.uses_shown()
    if shown != domain.data["uses_shown"]:
        domain.data["uses_shown"] = shown  # pickled with the environment, before writing
        if docname not in rewrite:
            rewrite.append(docname)
    previews = domain.previews_by_term()
    before: dict[str, Any] = domain.data["previews_shown"] or {}
    changed = {
        term for term in previews.keys() | before.keys() if previews.get(term) != before.get(term)
    }
    domain.data["previews_shown"] = previews
    rewrite += sorted(
        page
        for page, linked in domain.linked_terms().items()
        if linked & changed and page != docname and page in env.all_docs
    )
    return rewrite


def citations_shown(env: BuildEnvironment) -> dict[str, tuple[object, ...]] | None:
    """Key -> what a citation of it shows: its id, page, label and text (None: no bibtex)."""
    citations = getattr(bibtex_domain(env), "citations", None)
    if citations is None:
        return None
    return {
        citation.key: (
            citation.citation_id,
            citation.bibliography_key,
            citation.formatted_entry.label,
            str(citation.formatted_entry.text),
            str(citation.tooltip_entry.text) if citation.tooltip_entry else "",
        )
        for citation in citations
    }


def rewrite_citing(env: BuildEnvironment) -> list[str]:
    """Write again the pages that cite a reference whose label or text changed.

    sphinxcontrib-bibtex reads the References page again when the ``.bib``
    changes, but leaves the pages that cite a changed entry as they were
    written (with its old label and tooltip), and the glossary's entries cite.
    """
    domain = glossary_domain(env)
    shown, refs = citations_shown(env), citation_refs(env)
    if shown is None or refs is None:
        return []
    before: dict[str, Any] = domain.data.get("citations_shown") or {}
    domain.data["citations_shown"] = shown
    changed = {key for key in shown.keys() | before.keys() if shown.get(key) != before.get(key)}
    return sorted(
        {
            ref.docname
            for ref in refs
            if ref.docname in env.all_docs and {target.key for target in ref.targets} & changed
        }
    )


def note_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    glossary_domain(app.env).resolved.add(docname)


def terms_dir(app: Sphinx) -> Path:
    """``glossary_terms_dir``, relative to the folder of ``conf.py``."""
    return Path(app.confdir, app.config.glossary_terms_dir)


def load_and_report(app: Sphinx) -> None:
    """Read every term file and report each problem as an error with file and line."""
    domain = glossary_domain(app.env)
    domain.context = parse_context(app)
    glossary = domain.load(terms_dir(app), list(app.config.glossary_categories))
    for problem in glossary.problems:
        # The hint on a line of its own, as docs/_ext/writer_checks.py writes the
        # hints of other warnings; a project without that extension gets it too.
        logger.error(
            "%s\n    hint: %s",
            problem.message,
            problem.hint,
            location=f"{problem.path}:{problem.line}",
            type="glossary",
            subtype="term-file",
        )
    if app.builder.name in HTML_BUILDERS:
        app.add_css_file("glossary.css")
        app.add_js_file("glossary.js", loading_method="defer")


def check_categories(app: Sphinx, config: Config) -> None:
    categories = config.glossary_categories
    if not categories or not all(isinstance(c, str) and c.strip() for c in categories):
        raise ConfigError("glossary_categories must be a non-empty list of category names")
