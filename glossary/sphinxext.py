"""Sphinx extension: render the term files through Sphinx's own glossary machinery.

``{glossary-terms}`` in a page expands to one glossary entry per term file,
filed A to Z.  Every term and alias becomes a real glossary term (via
:func:`sphinx.domains.std.make_glossary_term`), so ``{term}`` roles, the
general index and the search index work the standard way.  Around that the
extension adds what the stock glossary lacks:

* validation of every file on every build, each problem reported as an error
  with the term file and line (``-W`` turns them into a failed build); links
  (``{term}``, see also, sources) are resolved and reported by Sphinx itself,
  at the line of the term file they are written on;
* "Used in" backlinks, gathered from each page's doctree as it is read;
  in the PDF they are page numbers (``\\pageref`` to a label where each page
  first links the entry), elsewhere links to the pages;
* for the books (LaTeX, EPUB), each entry's details as one run-in line
  (:class:`CompactDetails`), styled for LaTeX by ``static/sphinxglossary.sty``;
* for the HTML builder, ``glossary.json`` and ``_static/glossary-index.js``
  (the same records, for the filter and the search page's box), and on each
  page the summaries of just the entries it links, for the previews.

Every fact of the build lives in one place, :class:`GlossaryDomain`'s data,
which Sphinx keeps between incremental builds and merges across parallel
readers.  Configuration, in ``conf.py``: ``glossary_terms_dir`` (the folder of
term files, relative to ``conf.py``) and ``glossary_categories``.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, ClassVar, TypedDict, cast
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import roles
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders._epub_base import EpubBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.domains import Domain
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxTranslator, new_document
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.latex import LaTeXTranslator

from .jsonhtml import json_script
from .loader import (
    CATEGORIES,
    Glossary,
    Term,
    fold,
    load_glossary,
    quote,
    role_targets,
    source_lines,
)
from .markup import RAW_HTML_HINT, is_comment
from .text import first_sentence, tex_to_text, tidy

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
HTML_BUILDERS = frozenset({"html", "dirhtml"})
#: The page whose glossary box needs every entry; other pages get only their previews.
SEARCH_PAGE = "search"


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


class SearchData(TypedDict):
    """What the search index takes from a page besides its words.

    Sphinx 9.0 keeps the words and titles of a page it does not write from
    the last ``searchindex.js``, but not its index entries; this is enough to
    give them back without the page's doctree.
    """

    titles: list[tuple[str, list[str]]]  # each title's text and its section's ids
    entries: list[tuple[str, str, str, str, str | None]]  # as in addnodes.index


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


# -- Nodes ------------------------------------------------------------------------


class used_in(nodes.Element):
    """Placeholder for an entry's "Used in" line, filled once every page is read."""


class definition_text(nodes.Element):
    """Wraps the parsed definition of one entry, so the build can render it alone."""


class use_anchor(nodes.Inline, nodes.Element):
    """LaTeX: a label where a page first links an entry, for its "Used in" page number."""


class page_ref(nodes.Inline, nodes.Element):
    """LaTeX: the number of the page a label is on, as a link to the label."""


def visit_use_anchor_latex(translator: LaTeXTranslator, node: use_anchor) -> None:
    translator.body.append(r"\phantomsection\label{" + translator.idescape(node["label"]) + "}")
    raise nodes.SkipNode


def visit_page_ref_latex(translator: LaTeXTranslator, node: page_ref) -> None:
    # hyperref's \pageref is itself a link to the label's anchor.
    translator.body.append(r"\pageref{" + translator.idescape(node["label"]) + "}")
    raise nodes.SkipNode


class filter_form(nodes.General, nodes.Element):
    """The glossary filter's form: label, input, category select, status line."""


def visit_definition_text(translator: SphinxTranslator, node: definition_text) -> None:
    """Only a wrapper: its children are rendered as they are."""


def depart_definition_text(translator: SphinxTranslator, node: definition_text) -> None:
    pass


def visit_definition_html(translator: SphinxTranslator, node: definition_text) -> None:
    """A ``div`` carrying what the filter matches: the plain definition and the category.

    The filter must match exactly what the command line matches; the page's
    own text differs from it (curly quotes, MathML), so the text travels along.
    """
    attributes = ""
    if "text" in node:
        attributes = (
            f' data-category="{html.escape(node["category"])}"'
            f' data-search-text="{html.escape(node["text"])}"'
        )
    cast(Any, translator).body.append(f'<div class="glossary-definition"{attributes}>')


def depart_definition_html(translator: SphinxTranslator, node: definition_text) -> None:
    cast(Any, translator).body.append("</div>")


def visit_filter_form(translator: SphinxTranslator, node: filter_form) -> None:
    """Write the form; an EPUB has no scripting, so no filter either."""
    if not isinstance(translator.builder, EpubBuilder):
        cast(Any, translator).body.append(filter_form_html(node["categories"], node["total"]))
    raise nodes.SkipNode


def skip_node(translator: SphinxTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def filter_form_html(categories: Iterable[str], total: int) -> str:
    """The form as the reader gets it before any script runs; glossary.js wires it up."""
    options = "".join(
        f'<option value="{html.escape(name)}">{html.escape(name)}</option>' for name in categories
    )
    return (
        '<form class="glossary-filter" role="search" aria-label="Glossary filter">'
        '<div class="glossary-filter-field">'
        '<label for="glossary-filter-input">Filter terms</label>'
        '<input type="search" id="glossary-filter-input" name="q" autocomplete="off"'
        ' placeholder="e.g. drift, F1, Docker"></div>'
        '<div class="glossary-filter-field">'
        '<label for="glossary-filter-category">Category</label>'
        '<select id="glossary-filter-category" name="category">'
        f'<option value="">All categories</option>{options}</select></div>'
        '<p class="glossary-filter-status" role="status" aria-live="polite">'
        f"{total} of {total} entries</p></form>\n"
    )


# -- The domain: every fact of the build in one place ------------------------------


class GlossaryDomain(Domain):
    """The glossary's build state, kept by Sphinx with the environment.

    ``glossary``: the term files as loaded at the start of the build;
    ``parsed``: each term file's last parse (:data:`~glossary.loader.ParseCache`);
    ``files``: their names when the glossary page was last read;
    ``docname``: the page that holds ``{glossary-terms}``;
    ``entries``: term -> its anchors and plain definition, from that page;
    ``backlinks``: page -> the terms it links;
    ``indexed``: page -> its :class:`SearchData`, for the pages with index
    entries (the glossary page's terms);
    ``uses_shown``: each entry's "Used in" pages and their titles, as the
    glossary page was last written with them;
    ``previews_shown``: each entry's anchors and preview, as the pages that
    link it were last written with them;
    ``rendered``: term -> its definition as HTML, filled when an HTML builder
    resolves the glossary page (it is output, so it is not merged).

    :attr:`resolved` is not data: the pages resolved for writing in this
    build, which Sphinx does not keep.
    """

    name = "glossary"
    label = "Glossary"
    data_version = 6
    initial_data: ClassVar[dict[str, Any]] = {
        "glossary": None,
        "parsed": {},
        "files": None,
        "docname": None,
        "entries": {},
        "backlinks": {},
        "indexed": {},
        "uses_shown": None,
        "previews_shown": None,
        "rendered": {},
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.resolved: set[str] = set()

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

    def note_glossary_page(self, docname: str) -> None:
        self.data["docname"] = docname
        self.data["entries"] = {}
        self.data["rendered"] = {}

    def note_entry(self, term: str, anchors: list[tuple[str, str]], definition: str) -> None:
        self.entries[term] = {"anchors": anchors, "definition": definition}

    @property
    def indexed(self) -> dict[str, SearchData]:
        return cast("dict[str, SearchData]", self.data["indexed"])

    def clear_doc(self, docname: str) -> None:
        self.backlinks.pop(docname, None)
        self.indexed.pop(docname, None)
        if docname == self.docname:
            self.data["docname"] = None
            self.data["entries"] = {}
            self.data["rendered"] = {}

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Bring a parallel reader's findings in: only its own pages count."""
        for docname, linked in otherdata["backlinks"].items():
            if docname in docnames:
                self.backlinks[docname] = linked
        self.indexed.update(
            (docname, data) for docname, data in otherdata["indexed"].items() if docname in docnames
        )
        if otherdata["docname"] in docnames:
            self.data["docname"] = otherdata["docname"]
            self.data["entries"] = otherdata["entries"]

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

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Record which entries a page links (before references resolve)."""
        searched = search_data(document)
        if searched is not None:
            self.indexed[docname] = searched
        if docname == self.docname:
            return
        names = self.glossary.by_name()
        linked = {
            names[fold(node["reftarget"])].term
            for node in document.findall(addnodes.pending_xref)
            if node.get("reftype") == "term" and fold(node["reftarget"]) in names
        }
        if linked:
            self.backlinks[docname] = linked

    def used_in(self) -> dict[str, list[str]]:
        """Term -> the pages that link it, in reading order."""
        pages: dict[str, list[str]] = {term.term: [] for term in self.glossary}
        for docname in reading_order(self.env):
            for term in sorted(self.backlinks.get(docname, ())):
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
        for term in self.glossary:
            entry = self.entries.get(term.term)
            if not entry or not entry["anchors"]:
                continue
            anchors = [anchor for _, anchor in entry["anchors"]]
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


# -- Plain text and locations from the parsed definition ----------------------------


def _skipped(node: nodes.Node) -> bool:
    """Citations, footnote marks and error messages are no part of the text."""
    if isinstance(node, addnodes.pending_xref):
        return bool(node.get("refdomain") == "cite")
    return isinstance(node, nodes.footnote_reference | nodes.system_message)


def plain_text(node: nodes.Node) -> str:
    """What a reader reads of *node*: math as text without TeX, citations left out."""
    parts: list[str] = []

    def visit(current: nodes.Node) -> None:
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
        elif isinstance(current, nodes.math | nodes.math_block):
            parts.append(tex_to_text(current.astext()))
        elif not _skipped(current):
            for child in current.children:
                visit(child)
            if not isinstance(current, nodes.Inline):
                parts.append(" ")  # between paragraphs

    visit(node)
    return tidy("".join(parts))


def _relocate(node: nodes.Element, path: Path, first_line: int) -> None:
    """Point every node parsed from a term file back at that file and line.

    The definition is parsed inside the glossary page, so docutils records that
    page as the source; warnings about it (an unknown term, a missing citation)
    must name the term file a writer has to edit.  *first_line* is the file's
    line of the first parsed line.
    """
    found = [child.line for child in node.findall(nodes.Element) if child.line is not None]
    base = min(found, default=0)
    for child in node.findall(nodes.Element):
        child.source = str(path)
        child.line = first_line + ((child.line if child.line is not None else base) - base)


def _render_at(renderer: Any, term: Term, parent: nodes.Element) -> None:
    """MyST's nested render of *term*'s body into *parent*, at the term file's lines.

    The same steps as MyST's ``{include}`` (``myst_parser.mocking``): the
    document's and the reporter's source name the term file while it renders.
    """
    document, reporter, source = renderer.document, renderer.reporter, str(term.path)
    saved = document["source"], reporter.source, reporter.get_source_and_line
    try:
        document["source"] = reporter.source = source
        reporter.get_source_and_line = lambda line=None: (source, line)
        with renderer.current_node_context(parent):
            # MyST counts the first line of the text as line 0 + this offset.
            renderer.nested_render_text("\n".join(source_lines(term.body)), term.body_line - 1)
    finally:
        document["source"], reporter.source, reporter.get_source_and_line = saved


def _line_of(term: Term, text: str, start: int | None) -> int | None:
    """The term file's first line from *start* on that holds *text* (else *start*)."""
    lines = source_lines(term.body)
    first = max((start or term.body_line) - term.body_line, 0)
    found = (i for i in range(first, len(lines)) if text and text in lines[i])
    index = next(found, None)
    return start if index is None else term.body_line + index


def _locate_roles(definition: nodes.Element, term: Term) -> None:
    """Give each ``{term}`` link its own line: Markdown gives only the paragraph's."""
    written = iter(role_targets(term.body, "term"))
    for xref in definition.findall(addnodes.pending_xref):
        if xref.get("reftype") != "term":
            continue
        target = " ".join(xref["reftarget"].split())
        for name, offset in written:
            if fold(name) == fold(target):
                xref.line = term.body_line + offset
                break


# -- The directive ------------------------------------------------------------------


def category_class(category: str) -> str:
    return "glossary-cat-" + "-".join(category.split())


class GlossaryTermsDirective(SphinxDirective):
    """``{glossary-terms}``: every term file as a glossary entry, A to Z."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        domain = glossary_domain(self.env)
        if domain.docname not in (None, self.env.docname):
            logger.warning(
                "the glossary is already on page %r; a site has one {glossary-terms}",
                domain.docname,
                location=self.get_location(),
                type="glossary",
                subtype="duplicate",
            )
            return []
        glossary = domain.glossary
        domain.note_glossary_page(self.env.docname)
        for term in glossary:
            self.env.note_dependency(str(term.path))

        letters = sorted({term.letter for term in glossary})
        jump_bar = nodes.paragraph(classes=["glossary-jump-bar"])
        for index, letter in enumerate(letters):
            if index:
                jump_bar += nodes.Text(" ")
            jump_bar += nodes.reference("", letter, refid=f"glossary-letter-{letter.lower()}")
        used = {term.category for term in glossary}
        categories = [name for name in self.config.glossary_categories if name in used]
        form = filter_form(categories=categories, total=len(glossary))
        only_html = addnodes.only(expr="html")
        only_html += jump_bar
        result: list[nodes.Node] = [form, only_html]

        registered: set[str] = set()
        for letter in letters:
            group = nodes.container(
                classes=["glossary-letter"], ids=[f"glossary-letter-{letter.lower()}"]
            )
            group += nodes.rubric(letter, letter, classes=["glossary-letter-heading"])
            for term in glossary:
                if term.letter == letter:
                    group += self.entry(domain, term, registered)
            result.append(group)
        return result

    def entry(self, domain: GlossaryDomain, term: Term, registered: set[str]) -> nodes.Element:
        """One entry: its names as glossary terms, the definition, then its details."""
        item = nodes.definition_list_item()
        anchors: list[tuple[str, str]] = []
        for name in term.names:
            if fold(name) in registered:
                continue  # the loader has reported the clash; keep the first owner
            registered.add(fold(name))
            node = make_glossary_term(
                self.env,
                [nodes.Text(name)],
                term.letter,
                str(term.path),
                term.lines.get("term", 1),
                None,
                self.state.document,
            )
            if name != term.term:
                node["classes"].append("glossary-alias")
            anchors.append((name, node["ids"][0]))
            item += node

        text = definition_text(term=term.term)
        self.parse_definition(term, text)
        _locate_roles(text, term)
        text["category"], text["text"] = term.category, plain_text(text)
        domain.note_entry(term.term, anchors, text["text"])
        item += nodes.definition("", text, self.details(term))

        entry = addnodes.glossary(sorted=False)
        entry += nodes.definition_list(
            "", item, classes=["glossary", "glossary-entry", category_class(term.category)]
        )
        return entry

    def parse_definition(self, term: Term, text: definition_text) -> None:
        """Parse *term*'s definition into *text*, every message at the term file's own line.

        The definition is parsed inside the glossary page, so docutils and MyST
        would name that page, at the directive's line, in what they report (an
        unknown directive, a failing include).  The parse is MyST's own nested
        render at the term file's line numbers (as MyST's ``{include}`` does for
        an included file); what it logs is held back and logged again naming
        the term file.  Raw HTML, which a term file may not carry, is reported
        and dropped (comments silently: they are the writer's notes).
        """
        renderer = getattr(self.state, "_renderer", None)
        source = str(term.path)
        with logging.suppress_logging() as held:
            try:
                if renderer is None:  # not a MyST page: docutils' own nested parse
                    lines = StringList(source_lines(term.body), source)
                    self.state.nested_parse(lines, 0, text)
                else:
                    _render_at(renderer, term, text)
            except Exception as error:
                # A term file is data from a pull request: whatever MyST or docutils
                # cannot digest in it stops the build at the file, not with a traceback.
                text.clear()
                logger.error(
                    "cannot read the definition (%s: %s)",
                    type(error).__name__,
                    str(error)[:120],
                    location=f"{source}:{term.body_line}",
                    type="glossary",
                    subtype="term-file",
                )
        for node in text.findall(nodes.Element):
            node.source = source
            if node.line is None:  # an inline node: its paragraph's line
                parent = node.parent
                node.line = parent.line if parent is not None else term.body_line
        for record in held.clear():
            location = getattr(record, "location", None)
            if isinstance(location, tuple):
                record.location = f"{source}:{location[1]}" if location[1] else source
            logging.getLogger(__name__).logger.handle(record)
        for raw in list(text.findall(nodes.raw)):
            if not is_comment(raw.astext()):
                # Markdown gives inline HTML its paragraph's line: find its own.
                raw.line = _line_of(term, raw.astext().strip().split("\n")[0], raw.line)
                logger.error(
                    "raw HTML in the definition: %s\n    hint: %s",
                    quote(raw.astext().strip()),
                    RAW_HTML_HINT,
                    location=raw,
                    type="glossary",
                    subtype="raw-html",
                )
            raw.parent.remove(raw)

    def details(self, term: Term) -> nodes.field_list:
        """Category, see-also, sources and the "Used in" placeholder, as a field list.

        The fields hold their links and words directly, with no ``inline``
        around each: on the glossary page those were 800 empty ``<span>``
        elements, a tenth of the page's, for the browser to style and lay out.
        """
        fields = nodes.field_list(classes=["glossary-details"])

        def add(name: str, body: list[nodes.Node], line: int, *classes: str) -> nodes.paragraph:
            paragraph = nodes.paragraph("", "", *body)
            field = nodes.field(
                "", nodes.field_name("", name), nodes.field_body("", paragraph), classes=[*classes]
            )
            _relocate(field, term.path, line)
            fields.append(field)
            return paragraph

        add("Category", [nodes.Text(term.category)], term.lines.get("category", 1))
        links = add("See also", [], term.lines.get("see_also", 1))
        for index, name in enumerate(term.see_also):
            if index:
                links += nodes.Text(", ")
            for node in self.role("term", name):
                if isinstance(node, nodes.Element):  # each link at its own line of the list
                    _relocate(node, term.path, term.item_line("see_also", index))
                links += node
        sources = self.role("cite:p", ",".join(term.sources))
        add("Sources", sources, term.lines.get("sources", 1))
        add("Used in", [used_in(term=term.term)], term.lines.get("term", 1), "glossary-used-in")
        return fields

    def role(self, name: str, text: str) -> list[nodes.Node]:
        """The nodes of ``{name}`text``` as MyST makes them, without parsing Markdown.

        About 250 inline parses otherwise (one per see-also link and sources
        field), a quarter of reading the glossary page.
        """
        language: Any = self.state_machine.language
        found, messages = roles.role(name, language, self.lineno, self.state.reporter)
        if found is None:
            raise self.error(f'Unknown interpreted text role "{name}".')
        rawtext = f":{name}:`{text}`"
        made, more = found(name, rawtext, text, self.lineno, self.state.inliner, {}, [])
        return [*made, *messages, *more]


# -- "Used in": which pages link which entry -----------------------------------------


def outdated_glossary(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Re-read the glossary page when a term file is added or removed.

    Edits to existing files are caught by the dependencies the directive notes.
    """
    domain = glossary_domain(env)
    files = sorted(term.path.name for term in domain.glossary)
    stale = domain.data["files"] != files
    domain.data["files"] = files
    docname = domain.docname
    return [docname] if stale and docname and docname not in removed else []


def rewrite_glossary(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages whose output depends on a page or term file that changed.

    The glossary page, when what its "Used in" lines show has changed: a page
    gained or lost a term link, or changed its title.  A page that links an
    entry whose preview (its term or first sentence) has changed, since its
    previews are written into it.  Any other edit leaves the pages as they were
    written.
    """
    domain = glossary_domain(env)
    docname = domain.docname
    if docname is None or docname not in env.all_docs:
        return []
    rewrite: list[str] = []
    shown = domain.uses_shown()
    if shown != domain.data["uses_shown"]:
        domain.data["uses_shown"] = shown  # pickled with the environment, before writing
        rewrite.append(docname)
    previews = domain.previews_by_term()
    before: dict[str, Any] = domain.data["previews_shown"] or {}
    changed = {
        term for term in previews.keys() | before.keys() if previews.get(term) != before.get(term)
    }
    domain.data["previews_shown"] = previews
    rewrite += sorted(
        page
        for page, linked in domain.backlinks.items()
        if linked & changed and page != docname and page in env.all_docs
    )
    return rewrite


def note_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    glossary_domain(app.env).resolved.add(docname)


def keep_index_entries(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Index the pages with index entries that this build did not write.

    Sphinx 9.0 reloads the words and titles of unwritten pages from the last
    ``searchindex.js`` but not their index entries (they are not pickled with
    the environment either), so after a build that did not write the glossary
    page its terms would vanish from the search (Sphinx issue #12599).  The
    HTML builder indexes them again from the titles and entries the domain
    kept when the page was read (:class:`SearchData`), as it would when
    writing the page.
    Runs at ``html-collect-pages``: after every page is written, before the
    search index is dumped.
    """
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder) or builder.indexer is None:
        return []
    env = app.env
    domain = glossary_domain(env)
    for docname in sorted(domain.indexed.keys() - domain.resolved):
        if docname in env.all_docs:
            # Titles and entries only: the page's words are in the loaded index, and
            # its whole doctree, unresolved, would add citation keys as words.
            title = env.longtitles.get(docname)
            document = search_document(domain.indexed[docname])
            builder.index_page(docname, document, title.astext() if title else "")
    return []


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


def _no_page_yet() -> nodes.inline:
    return nodes.inline(
        "", "", nodes.emphasis("", "no page yet"), classes=["glossary-used-in-pages"]
    )


class FillUsedIn(SphinxPostTransform):
    """Turn each "Used in" placeholder into links to the pages that use the entry.

    Runs before Sphinx resolves references, so the links are ordinary ``doc``
    cross-references that every builder renders its own way (LaTeX has
    already had its page numbers from :class:`FillUsedInPages`).
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(used_in))
        if not placeholders:
            return
        used = glossary_domain(self.env).used_in()
        for placeholder in placeholders:
            pages = used.get(placeholder["term"], [])
            placeholder.replace_self(
                self.page_links(placeholder, pages) if pages else _no_page_yet()
            )

    def page_links(self, placeholder: used_in, pages: list[str]) -> nodes.inline:
        links = nodes.inline(classes=["glossary-used-in-pages"])
        for index, docname in enumerate(pages):
            if index:
                links += nodes.Text(", ")
            ref = addnodes.pending_xref(
                "",
                nodes.inline("", "", classes=["doc"]),
                refdomain="std",
                reftype="doc",
                reftarget="/" + docname,
                refexplicit=False,
                refdoc=self.env.docname,
                refwarn=True,
            )
            ref.source, ref.line = placeholder.source, placeholder.line
            links += ref
        return links


def _in_heading(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.title | nodes.caption):
            return True
        parent = parent.parent
    return False


class FillUsedInPages(SphinxPostTransform):
    """LaTeX: "Used in" as page numbers, the way a printed glossary gives them.

    The whole book is one doctree here.  Every link to an entry gets a label
    (headings excepted: no place for one), and each page's "Used in" number is
    a ``\\pageref`` to the first of its labels that is still in the book once
    every transform has run (:class:`CheckPageRefs`): content may yet be
    dropped (``{only}`` for other builders, this project's References page).
    """

    default_priority = 4  # before FillUsedIn, which then finds no placeholder
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(used_in))
        if not placeholders:
            return
        domain = glossary_domain(self.env)
        labels = self.label_links(domain)
        used = domain.used_in()
        for placeholder in placeholders:
            term = placeholder["term"]
            pages = used.get(term, [])
            if not pages:
                placeholder.replace_self(_no_page_yet())
                continue
            numbers = nodes.inline(classes=["glossary-used-in-pages", "glossary-page-numbers"])
            for docname in pages:
                numbers += page_ref(
                    candidates=labels.get((docname, term), []),
                    fallback=f"{docname}::doc",  # Sphinx's label at the start of each page
                )
            placeholder.replace_self(numbers)

    def label_links(self, domain: GlossaryDomain) -> dict[tuple[str, str], list[str]]:
        """Label every link to an entry; (page, term) -> its labels in reading order.

        The same links :meth:`GlossaryDomain.process_doc` counts as uses.
        """
        names = domain.glossary.by_name()
        labels: dict[tuple[str, str], list[str]] = {}
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "term" or fold(node["reftarget"]) not in names:
                continue
            docname, term = node.get("refdoc", ""), names[fold(node["reftarget"])].term
            if docname == domain.docname or _in_heading(node):
                continue
            found = labels.setdefault((docname, term), [])
            found.append(f"{docname}:glossary-use-{nodes.make_id(term)}-{len(found) + 1}")
            node.parent.insert(node.parent.index(node), use_anchor(label=found[-1]))
        return labels


class CheckPageRefs(SphinxPostTransform):
    """LaTeX: point each "Used in" number at the page's first link still in the book.

    A page whose links to the entry were all dropped no longer uses it here;
    one that links it only in headings gets its start.  Labels no number
    points to are removed.
    """

    default_priority = 900  # after every content transform, before the writer
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        anchors = {anchor["label"]: anchor for anchor in self.document.findall(use_anchor)}
        chosen: set[str] = set()
        for numbers in list(self.document.findall(nodes.inline)):
            if "glossary-page-numbers" not in numbers["classes"]:
                continue
            kept: list[page_ref] = []
            for ref in numbers.findall(page_ref):
                present = [label for label in ref["candidates"] if label in anchors]
                if present or not ref["candidates"]:
                    ref["label"] = present[0] if present else ref["fallback"]
                    chosen.add(ref["label"])
                    kept.append(ref)
            numbers.clear()
            numbers += nodes.Text("pp. " if len(kept) > 1 else "p. " if kept else "")
            for index, ref in enumerate(kept):
                if index:
                    numbers += nodes.Text(", ")
                numbers += ref
            if not kept:
                numbers += nodes.emphasis("", "no page of this book")
        for label, anchor in anchors.items():
            if label not in chosen:
                anchor.parent.remove(anchor)


def _blank(node: nodes.Node) -> bool:
    """Nothing to show (a reference's text is only filled in when it resolves)."""
    if isinstance(node, addnodes.pending_xref | page_ref):
        return False
    if isinstance(node, nodes.Text):
        return not node.strip()
    return all(_blank(child) for child in node.children)


class CompactDetails(SphinxPostTransform):
    """Books: an entry's details as one run-in line, the way printed glossaries set them.

    "Category: x. See also: a, b. Sources: [1]. Used in pp. 5, 9." in a
    ``glossary-details`` container, instead of the web's field list (a
    description list per entry in LaTeX, far taller than its words).  The
    links are moved, not copied, so they stay links.
    """

    default_priority = 6  # after FillUsedIn; before references resolve
    builders = ("latex", "epub")

    def run(self, **kwargs: Any) -> None:
        for fields in list(self.document.findall(nodes.field_list)):
            if "glossary-details" not in fields["classes"]:
                continue
            line = nodes.paragraph()
            for field in fields.findall(nodes.field):
                name, body = field[0].astext(), field[1]
                content = [child for para in body.children for child in para.children]
                if all(_blank(child) for child in content):
                    continue  # no see-also
                if line.children:
                    line += nodes.Text(" ")
                first = content[0]
                numbers = (
                    isinstance(first, nodes.Element) and "glossary-page-numbers" in first["classes"]
                )
                # "Used in pp. 5, 9" reads without a colon; "Used in: What is ...?" with one.
                line += nodes.emphasis("", name if numbers else name + ":")
                line += nodes.Text(" ")
                for child in content:
                    child.parent.remove(child)
                    line += child
                line += nodes.Text(".")
            fields.replace_self(nodes.container("", line, classes=["glossary-details"]))


class RunInAliases(SphinxPostTransform):
    """LaTeX: an entry's names on one line, "Term, alias", not a line each.

    Each alias keeps its label and index entry (they move with it).
    """

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for entry in self.document.findall(nodes.definition_list):
            if "glossary-entry" not in entry["classes"]:
                continue
            for item in entry.findall(nodes.definition_list_item):
                first, *aliases = [
                    child for child in item.children if isinstance(child, nodes.term)
                ]
                for alias in aliases:
                    item.remove(alias)
                    name = nodes.inline(classes=["glossary-alias"])
                    name.extend(alias.children)
                    first += nodes.Text(", ")
                    first += name
                    first["ids"].extend(alias["ids"])


# -- Rendered definitions (HTML only) -------------------------------------------------


def _from_root(uri: str, page: str) -> str:
    """*uri*, written relative to *page*, made relative to the site root."""
    parts = urlsplit(uri)
    if parts.scheme or parts.netloc or uri.startswith("/"):
        return uri
    if not parts.path:
        return page.partition("#")[0] + uri
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    return joined + ("#" + parts.fragment if parts.fragment else "")


def _standalone(text: definition_text, page: str) -> nodes.Element:
    """A copy of a rendered definition whose links work from the site root."""
    copy = text.deepcopy()
    for attribute in ("category", "text"):  # the search data: not part of the definition
        copy.attributes.pop(attribute, None)
    for ref in copy.findall(nodes.reference):
        if "refid" in ref:
            ref["refuri"] = f"{page}#{ref['refid']}"
            del ref["refid"]
        elif "refuri" in ref:
            ref["refuri"] = _from_root(ref["refuri"], page)
    return copy


class rendered_part(nodes.compound):
    """One part of a definition, rendered for ``glossary.json`` (never in a page).

    A compound, so that a paragraph in it is set as a paragraph (``<p>``), as it
    is when rendered alone; the HTML visitor notes the part's own markup.
    """


def visit_rendered_part(translator: SphinxTranslator, node: rendered_part) -> None:
    node["start"] = len(cast(Any, translator).body)


def depart_rendered_part(translator: SphinxTranslator, node: rendered_part) -> None:
    node["html"] = "".join(cast(Any, translator).body[node["start"] :]).strip()


def render_definitions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Render each definition of the resolved glossary page with the HTML builder.

    All of them in one partial document: rendering each part alone cost a
    document, its transforms and a translator apiece (a quarter of a second here).
    """
    domain = glossary_domain(app.env)
    if docname != domain.docname or app.builder.name not in HTML_BUILDERS:
        return
    builder = cast(StandaloneHTMLBuilder, app.builder)
    page = builder.get_target_uri(docname)
    parts: dict[str, list[rendered_part]] = {}
    whole = nodes.container()
    for text in doctree.findall(definition_text):
        copy = _standalone(text, page)
        parts[text["term"]] = [rendered_part("", part) for part in list(copy.children)]
        whole.extend(parts[text["term"]])
    builder.render_partial(whole)
    domain.data["rendered"] = {
        term: "\n".join(part["html"] for part in rendered) for term, rendered in parts.items()
    }


# -- Data for the filter, previews and search box (HTML only) ------------------------


def copy_static(app: Sphinx, builder: Builder) -> None:
    """The builder's static files, in place before any page is written.

    HTML: the filter's CSS and JavaScript in ``_static`` (Sphinx stamps a link
    with its file's checksum, ``?v=``, only if the file is in place when it
    writes the page); copied here rather than listed in ``html_static_path``,
    since changing a setting at run time makes Sphinx see a changed
    configuration on every rebuild.  LaTeX: the glossary's style next to the
    .tex (the preamble loads it).
    """
    if builder.name in HTML_BUILDERS:
        static = builder.outdir / "_static"
        static.mkdir(parents=True, exist_ok=True)  # else the first copy would be named _static
        for name in ("glossary.css", "glossary.js"):
            copy_asset_file(STATIC_DIR / name, static / name, force=True)
    elif builder.format == "latex":
        copy_asset_file(STATIC_DIR / "sphinxglossary.sty", builder.outdir, force=True)


def write_glossary_data(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """glossary.json and the same records as a script, once every page is written.

    At ``html-collect-pages``: before the search page, whose link to the
    script is stamped with the script's checksum.
    """
    if app.builder.name not in HTML_BUILDERS:
        return []
    domain = glossary_domain(app.env)
    outdir = Path(app.outdir)
    if not domain.written():
        return []  # the data written with the page last time still describes it
    records = domain.records(app.builder)
    text = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True)
    (outdir / "glossary.json").write_text(text + "\n", encoding="utf-8")
    script = f"window.GLOSSARY_INDEX = {json_script(records, sort_keys=True)};\n"
    (outdir / "_static" / "glossary-index.js").write_text(script, encoding="utf-8")
    return []


def page_data(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give each page only the glossary data it uses.

    The whole index (every definition) is for the search page's box and the
    glossary page's filter; a page with term links gets the term and summary
    of just the entries it links, inline, for the previews.  Loading the whole
    index everywhere made every page 99 KB heavier.
    """
    if app.builder.name not in HTML_BUILDERS:
        return
    domain = glossary_domain(app.env)
    if pagename == SEARCH_PAGE:
        # Before glossary.js (priority 500), which reads it when it starts.
        app.add_js_file("glossary-index.js", loading_method="defer", priority=499)
    if doctree is None:
        return
    previews = domain.previews()
    linked = {
        anchor: previews[anchor] for anchor in sorted(linked_anchors(doctree)) if anchor in previews
    }
    if linked:
        data = json_script(linked, sort_keys=True)
        app.add_js_file(None, body=f"window.GLOSSARY_PREVIEWS = {data};")


def linked_anchors(doctree: nodes.document) -> set[str]:
    """The anchors of the glossary terms a resolved page links to."""
    anchors = set()
    for ref in doctree.findall(nodes.reference):
        if any(
            isinstance(child, nodes.Element) and "std-term" in child["classes"]
            for child in ref.children
        ):
            target = ref.get("refuri", "").partition("#")[2] or ref.get("refid", "")
            anchors.add(target)
    return anchors


# -- Wiring ---------------------------------------------------------------------------


def terms_dir(app: Sphinx) -> Path:
    """``glossary_terms_dir``, relative to the folder of ``conf.py``."""
    return Path(app.confdir, app.config.glossary_terms_dir)


def load_and_report(app: Sphinx) -> None:
    """Read every term file and report each problem as an error with file and line."""
    glossary = glossary_domain(app.env).load(terms_dir(app), list(app.config.glossary_categories))
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


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("glossary_terms_dir", "terms", "env", types=frozenset({str}))
    app.add_config_value(
        "glossary_categories", list(CATEGORIES), "env", types=frozenset({list, tuple})
    )
    app.add_domain(GlossaryDomain)
    app.add_node(used_in)
    app.add_node(rendered_part, html=(visit_rendered_part, depart_rendered_part))
    app.add_node(use_anchor, latex=(visit_use_anchor_latex, None))
    app.add_node(page_ref, latex=(visit_page_ref_latex, None))
    passthrough = (visit_definition_text, depart_definition_text)
    app.add_node(
        definition_text,
        html=(visit_definition_html, depart_definition_html),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    skip = (skip_node, None)
    app.add_node(
        filter_form,
        html=(visit_filter_form, None),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_directive("glossary-terms", GlossaryTermsDirective)
    app.add_post_transform(FillUsedInPages)
    app.add_post_transform(FillUsedIn)
    app.add_post_transform(CompactDetails)
    app.add_post_transform(RunInAliases)
    app.add_post_transform(CheckPageRefs)
    app.add_latex_package("sphinxglossary")
    app.connect("config-inited", check_categories)
    app.connect("builder-inited", load_and_report)
    app.connect("env-get-outdated", outdated_glossary)
    app.connect("env-get-updated", rewrite_glossary)
    app.connect("doctree-resolved", note_resolved)
    app.connect("doctree-resolved", render_definitions)
    app.connect("html-collect-pages", keep_index_entries)
    app.connect("html-page-context", page_data)
    app.connect("html-collect-pages", write_glossary_data)
    app.connect("write-started", copy_static)
    return {
        "version": "2.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 3,
    }
