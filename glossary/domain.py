"""The glossary domain: every fact of the build in one place.

Sphinx keeps a domain's data with the environment between incremental
builds and merges it across parallel readers; the collector
(:mod:`glossary.collector`) writes what pages link into it, the directive
the entries of the glossary page, and the writers read it back.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from pathlib import Path
from typing import Any, ClassVar, TypedDict, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .entries import EntryInfo, EntryStore, entry_key
from .files import Term
from .loader import Glossary, load_glossary
from .names import fold
from .shared import HTML_BUILDERS
from .text import first_sentence

logger = logging.getLogger(__name__)


class GlossaryRecord(TypedDict):
    """One entry as ``glossary.json`` gives it (see the README's "Glossary data")."""

    term: str
    aliases: list[str]
    category: str
    see_also: list[str]
    definition: str
    definition_html: str | None
    summary: str
    url: str
    anchors: list[str]


class EntryData(TypedDict):
    """What reading the glossary page learns about one entry."""

    anchors: list[tuple[str, str]]  # (name, HTML id), the term first
    definition: str
    key: str  # its stored definition and details (glossary.entries)


class SearchData(TypedDict):
    """What the search index takes from a page besides its words.

    Sphinx 9.0 keeps the words and titles of a page it does not write from
    the last ``searchindex.js``, but not its index entries; this is enough to
    give them back without the page's doctree.
    """

    titles: list[tuple[str, list[str]]]  # each title's text and its section's ids
    entries: list[tuple[str, str, str, str, str | None]]  # as in addnodes.index


class GlossaryDomain(Domain):
    """The glossary's build state, kept by Sphinx with the environment.

    ``glossary``: the term files as loaded at the start of the build;
    ``parsed``: each term file's last parse (:data:`~glossary.loader.ParseCache`);
    ``shape``: what the glossary page's doctree holds of them, when it was last
    read (:meth:`shape`);
    ``docname``: the page that holds ``{glossary-terms}``;
    ``entries``: term -> its anchors, plain definition and stored entry's key,
    from that page;
    ``fragments``: key -> what the build keeps of each stored entry
    (:class:`~glossary.entries.EntryInfo`; the entries themselves are in
    :attr:`store`);
    ``backlinks``: page -> the names it links, folded (mapped to entries only
    when asked, so a renamed term or a new alias needs no page read again);
    ``indexed``: page -> its :class:`SearchData`, for the pages with index
    entries (the glossary page's terms);
    ``sections``: page -> its sections as the site search indexes them
    (:mod:`glossary.search_index`);
    ``uses_shown``: each entry's "Used in" pages and their titles, as the
    glossary page was last written with them;
    ``previews_shown``: each entry's anchors and preview, as the pages that
    link it were last written with them;
    ``citations_shown``: each reference's label and text, as the pages that
    cite it were last written with them;
    ``rendered``: term -> its definition as HTML, filled when an HTML builder
    resolves the glossary page (it is output, so it is not merged).

    :attr:`resolved` is not data: the pages resolved for writing in this
    build, which Sphinx does not keep.
    """

    name = "glossary"
    label = "Glossary"
    data_version = 8
    #: The data kept per page: forgotten with the page, taken from a parallel reader.
    per_page = ("backlinks", "indexed", "sections")
    initial_data: ClassVar[dict[str, Any]] = {
        "glossary": None,
        "parsed": {},
        "shape": None,
        "docname": None,
        "entries": {},
        "fragments": {},
        "backlinks": {},
        "indexed": {},
        "sections": {},
        "uses_shown": None,
        "previews_shown": None,
        "citations_shown": None,
        "rendered": {},
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.resolved: set[str] = set()
        #: What parsing an entry depends on besides its file (set when the glossary loads).
        self.context = ""
        self.store = EntryStore(Path(env.doctreedir))
        #: Whether this build parsed entries without reading the glossary page again.
        self.entries_updated = False

    @property
    def fragments(self) -> dict[str, EntryInfo]:
        return cast("dict[str, EntryInfo]", self.data["fragments"])

    def entry_key(self, term: Term) -> str:
        """The key of *term*'s stored entry: its file's bytes and the parse context."""
        digest: bytes = self.data["parsed"][str(term.path)][0][0]
        return entry_key(self.context, digest, term.path)

    def keep_entry(self, key: str, body: nodes.Element, info: EntryInfo) -> None:
        """Store a parsed entry under *key*, and what the build keeps of it."""
        self.store.save(key, body)
        self.fragments[key] = info

    def prune_entries(self) -> None:
        """Forget the stored entries the glossary page no longer shows."""
        keep = {entry["key"] for entry in self.entries.values()}
        for key in self.fragments.keys() - keep:
            del self.fragments[key]
        self.store.prune(keep)

    @property
    def glossary(self) -> Glossary:
        loaded: Glossary | None = self.data["glossary"]
        if loaded is None:
            raise RuntimeError("the glossary is loaded in builder-inited, before any reading")
        return loaded

    @property
    def docname(self) -> str | None:
        return cast("str | None", self.data["docname"])

    @property
    def entries(self) -> dict[str, EntryData]:
        return cast("dict[str, EntryData]", self.data["entries"])

    @property
    def backlinks(self) -> dict[str, set[str]]:
        return cast("dict[str, set[str]]", self.data["backlinks"])

    def load(self, terms_dir: Path, categories: list[str]) -> Glossary:
        """Read the term files (links are left to Sphinx to check).

        Only files changed since the last build are parsed again.
        """
        self.data["glossary"] = load_glossary(
            terms_dir, categories=categories, references=False, cache=self.data["parsed"]
        )
        return self.glossary

    def shape(self, categories: list[str]) -> tuple[object, ...]:
        """All the glossary page's own doctree holds of the term files.

        Each entry's term, file, letter, category, line and the names it owns,
        and the categories: while this is unchanged, a term edit changes only
        stored entries, and the page need not be read again.
        """
        owners = self.glossary.by_name()
        return (
            tuple(categories),
            tuple(
                (
                    term.term,
                    term.path.name,
                    term.letter,
                    term.category,
                    term.lines.get("term", 1),
                    tuple(name for name in term.names if owners[fold(name)] is term),
                )
                for term in self.glossary
            ),
        )

    def note_glossary_page(self, docname: str, categories: list[str]) -> None:
        self.data["docname"] = docname
        self.data["shape"] = self.shape(categories)
        self.data["entries"] = {}
        self.data["rendered"] = {}

    def note_entry(
        self, term: str, anchors: list[tuple[str, str]], definition: str, key: str
    ) -> None:
        self.entries[term] = {"anchors": anchors, "definition": definition, "key": key}

    @property
    def indexed(self) -> dict[str, SearchData]:
        return cast("dict[str, SearchData]", self.data["indexed"])

    def clear_doc(self, docname: str) -> None:
        for key in self.per_page:
            self.data[key].pop(docname, None)
        if docname == self.docname:
            self.data["docname"] = None
            self.data["entries"] = {}
            self.data["rendered"] = {}

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Bring a parallel reader's findings in: only its own pages count."""
        for key in self.per_page:
            self.data[key].update(
                (docname, data) for docname, data in otherdata[key].items() if docname in docnames
            )
        if otherdata["docname"] in docnames:
            self.data["docname"] = otherdata["docname"]
            self.data["entries"] = otherdata["entries"]
            self.fragments.update(otherdata["fragments"])

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """The domain has no roles: terms are linked through Sphinx's own ``{term}``."""
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def linked_terms(self) -> dict[str, set[str]]:
        """Page -> the entries it links, by the names the glossary gives them now."""
        names = self.glossary.by_name()
        return {
            docname: {names[name].term for name in linked if name in names}
            for docname, linked in self.backlinks.items()
        }

    def used_in(self) -> dict[str, list[str]]:
        """Term -> the pages that link it, in reading order."""
        pages: dict[str, list[str]] = {term.term: [] for term in self.glossary}
        linked = self.linked_terms()
        for docname in reading_order(self.env):
            for term in sorted(linked.get(docname, ())):
                pages.setdefault(term, []).append(docname)
        return pages

    def uses_shown(self) -> dict[str, list[tuple[str, str]]]:
        """Term -> (page, title) of each page that links it: what "Used in" shows."""
        titles = self.env.titles
        return {
            term: [(page, titles[page].astext() if page in titles else page) for page in pages]
            for term, pages in self.used_in().items()
        }

    def records(self, builder: Builder) -> list[GlossaryRecord]:
        """Every entry of the glossary page, A to Z, as ``glossary.json`` gives it.

        URLs are relative to the site root, for *builder*'s output.
        ``definition_html`` is rendered by HTML builders only (None for others).
        """
        if self.docname is None:
            return []
        page = builder.get_target_uri(self.docname)
        if builder.name in HTML_BUILDERS and self.docname in self.env.all_docs:
            self._render(builder)
        rendered: dict[str, str] = self.data["rendered"]
        records: list[GlossaryRecord] = []
        for term, anchors, entry in self.listed():
            records.append(
                {
                    "term": term.term,
                    "aliases": list(term.aliases),
                    "category": term.category,
                    "see_also": list(term.see_also),
                    "definition": entry["definition"],
                    "definition_html": rendered.get(term.term),
                    "summary": first_sentence(entry["definition"]),
                    "url": f"{page}#{anchors[0]}",
                    "anchors": anchors,
                }
            )
        return records

    def listed(self) -> Iterator[tuple[Term, list[str], EntryData]]:
        """Each entry the glossary page shows, A to Z: its term file, its anchors, its text."""
        for term in self.glossary:
            entry = self.entries.get(term.term)
            if entry and entry["anchors"]:
                yield term, [anchor for _, anchor in entry["anchors"]], entry

    def _render(self, builder: Builder) -> None:
        """Render the definitions if this build has not (it did not write the page)."""
        if self.docname is None or self.docname in self.resolved:
            return
        # Resolving emits doctree-resolved, which renders (render_definitions); the
        # page is still not written, nor indexed, by this build.
        resolved = set(self.resolved)
        self.env.get_and_resolve_doctree(self.docname, builder, tags=builder.tags)
        self.resolved = resolved

    def written(self) -> bool:
        """Whether this build wrote the glossary page (its records are rendered)."""
        return self.docname is not None and self.docname in self.resolved

    def previews(self) -> dict[str, dict[str, str]]:
        """Anchor -> term and summary, for every anchor of every entry."""
        return {
            anchor: preview
            for term, (anchors, preview) in self.previews_by_term().items()
            for anchor in anchors
        }

    def previews_by_term(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        """Term -> its anchors and its preview, the term and summary pages show."""
        return {
            term: (
                [anchor for _, anchor in entry["anchors"]],
                {"term": term, "summary": first_sentence(entry["definition"])},
            )
            for term, entry in self.entries.items()
        }


def glossary_domain(env: BuildEnvironment) -> GlossaryDomain:
    return cast(GlossaryDomain, env.get_domain(GlossaryDomain.name))


def reading_order(env: BuildEnvironment) -> list[str]:
    """Every page in the order of the table of contents, depth first."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.all_docs) - set(order))
