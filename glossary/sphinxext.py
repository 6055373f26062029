"""Sphinx extension: render the term files through Sphinx's own glossary machinery.

``{glossary-terms}`` in a page expands to one glossary entry per term file,
filed A to Z.  Every term and alias becomes a real glossary term (via
:func:`sphinx.domains.std.make_glossary_term`), so ``{term}`` roles, the
general index and the search index work the standard way.  Around that the
extension adds what the stock glossary lacks:

* validation of every file on every build, each problem reported as an error
  with the term file and line (``-W`` turns them into a failed build);
* "Used in" backlinks, gathered from each page's doctree as it is read and
  merged across parallel readers, so they stay right under ``-j`` and in
  incremental builds;
* for the HTML builder, ``glossary.json`` and ``_static/glossary-index.js``
  (the same data, for the search page's box), and on each page the summaries
  of just the entries it links, for the previews.
"""

from __future__ import annotations

import json
from collections.abc import Set
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from .loader import TERMS_DIR, Glossary, Term, fold, load_glossary

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
HTML_BUILDERS = frozenset({"html", "dirhtml"})

# Loaded once per build in builder-inited; parallel readers are forked after it
# and inherit it, so no worker reads the term files again.
_loaded: dict[str, Glossary] = {}


class used_in(nodes.Element):
    """Placeholder for an entry's "Used in" line, filled once every page is read."""


def glossary_of(env: BuildEnvironment) -> Glossary:
    return _loaded[str(env.srcdir)]


def category_class(category: str) -> str:
    return "glossary-cat-" + category.replace(" ", "-")


def _relocate(node: nodes.Node, path: Path, first_line: int, parsed_from: int) -> None:
    """Point every node parsed from a term file back at that file and line.

    The definition is parsed inside the glossary page, so docutils records that
    page as the source; warnings about it (an unknown term, a missing citation)
    must name the term file a writer has to edit.
    """
    for child in node.findall(nodes.Element):
        child.source = str(path)
        line = child.line if child.line is not None else parsed_from
        child.line = first_line + max(line - parsed_from, 0)


class GlossaryTermsDirective(SphinxDirective):
    """``{glossary-terms}``: every term file as a glossary entry, A to Z."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        glossary = glossary_of(self.env)
        self.env.glossary_docname = self.env.docname  # type: ignore[attr-defined]
        self.env.glossary_anchors = {}  # type: ignore[attr-defined]
        for term in glossary:
            self.env.note_dependency(str(term.path))

        letters = sorted({term.letter for term in glossary})
        jump_bar = nodes.paragraph(classes=["glossary-jump-bar"])
        for index, letter in enumerate(letters):
            if index:
                jump_bar += nodes.Text(" ")
            jump_bar += nodes.reference("", letter, refid=f"glossary-letter-{letter.lower()}")
        # Where glossary.js puts the filter: its space is kept from the first paint
        # (glossary.css), so the page does not jump when the filter appears.
        filter_slot = addnodes.only(expr="html and not epub")
        filter_slot += nodes.container(classes=["glossary-filter-slot"])
        only_html = addnodes.only(expr="html")
        only_html += jump_bar
        result: list[nodes.Node] = [filter_slot, only_html]

        registered: set[str] = set()
        for letter in letters:
            group = nodes.container(
                classes=["glossary-letter"], ids=[f"glossary-letter-{letter.lower()}"]
            )
            group += nodes.rubric(letter, letter, classes=["glossary-letter-heading"])
            for term in glossary:
                if term.letter == letter:
                    group += self.entry(term, registered)
            result.append(group)
        return result

    def entry(self, term: Term, registered: set[str]) -> nodes.Element:
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
        self.env.glossary_anchors[term.term] = anchors  # type: ignore[attr-defined]

        definition = nodes.definition()
        self.state.nested_parse(StringList(term.body.splitlines(), str(term.path)), 0, definition)
        _relocate(definition, term.path, term.body_line, self.lineno)
        definition += self.details(term)
        item += definition

        entry = addnodes.glossary(sorted=False)
        entry += nodes.definition_list(
            "", item, classes=["glossary", "glossary-entry", category_class(term.category)]
        )
        return entry

    def details(self, term: Term) -> nodes.field_list:
        """Category, see-also, sources and the "Used in" placeholder, as a field list."""
        fields = nodes.field_list(classes=["glossary-details"])

        def add(name: str, body: nodes.Node, key: str) -> None:
            fields.append(
                nodes.field(
                    "",
                    nodes.field_name("", name),
                    nodes.field_body("", nodes.paragraph("", "", body)),
                )
            )
            _relocate(fields[-1], term.path, term.lines.get(key, 1), self.lineno)

        add("Category", nodes.inline(term.category, term.category), "category")
        see_also = ", ".join(f"{{term}}`{name}`" for name in term.see_also)
        add("See also", self.inline(see_also), "see_also")
        sources = "{cite:p}`" + ",".join(term.sources) + "`"
        add("Sources", self.inline(sources), "sources")
        placeholder = used_in(term=term.term)
        add("Used in", placeholder, "term")
        fields[-1]["classes"].append("glossary-used-in")
        return fields

    def inline(self, text: str) -> nodes.inline:
        parsed, messages = self.parse_inline(text, lineno=self.lineno)
        return nodes.inline("", "", *parsed, *messages)


# -- "Used in": which pages link which entry -----------------------------------


def _backlinks(env: BuildEnvironment) -> dict[str, set[str]]:
    if not hasattr(env, "glossary_backlinks"):
        env.glossary_backlinks = {}  # type: ignore[attr-defined]
    return env.glossary_backlinks  # type: ignore[attr-defined]


def collect_backlinks(app: Sphinx, doctree: nodes.document) -> None:
    """Record which entries the page just read links to (before references resolve)."""
    env = app.env
    if getattr(env, "glossary_docname", None) == env.docname:
        return
    names = glossary_of(env).by_name()
    linked = {
        names[fold(node["reftarget"])].term
        for node in doctree.findall(addnodes.pending_xref)
        if node.get("reftype") == "term" and fold(node["reftarget"]) in names
    }
    if linked:
        _backlinks(env)[env.docname] = linked


def purge_backlinks(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _backlinks(env).pop(docname, None)
    if getattr(env, "glossary_docname", None) == docname:
        del env.glossary_docname  # type: ignore[attr-defined]


def merge_backlinks(
    app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
) -> None:
    """Bring a parallel reader's findings into the main environment."""
    ours = _backlinks(env)
    for docname, linked in _backlinks(other).items():
        if docname in docnames:
            ours[docname] = linked
    # Only the reader that parsed the glossary page has its current anchors.
    if getattr(other, "glossary_docname", None) in docnames:
        env.glossary_docname = other.glossary_docname  # type: ignore[attr-defined]
        env.glossary_anchors = other.glossary_anchors  # type: ignore[attr-defined]


def outdated_glossary(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Re-read the glossary page when a term file is added or removed.

    Edits to existing files are caught by the dependencies the directive notes.
    """
    files = sorted(term.path.name for term in glossary_of(env))
    docname = getattr(env, "glossary_docname", None)
    stale = getattr(env, "glossary_files", None) != files
    env.glossary_files = files  # type: ignore[attr-defined]
    return [docname] if stale and docname and docname not in removed else []


def rewrite_glossary(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write the glossary page on every build.

    Its "Used in" links change whenever another page does; and Sphinx 9.0
    drops index entries from the search index of a page it does not write
    again (the index it reloads keeps no index entries), which would make
    glossary terms unsearchable after a no-change rebuild.
    """
    docname = getattr(env, "glossary_docname", None)
    return [docname] if docname and docname in env.all_docs else []


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


class FillUsedIn(SphinxPostTransform):
    """Turn each "Used in" placeholder into links to the pages that use the entry.

    Runs before Sphinx resolves references, so the links are ordinary ``doc``
    cross-references that every builder renders its own way.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(used_in))
        if not placeholders:
            return
        order = reading_order(self.env)
        backlinks = _backlinks(self.env)
        for placeholder in placeholders:
            pages = [doc for doc in order if placeholder["term"] in backlinks.get(doc, ())]
            replacement = nodes.inline(classes=["glossary-used-in-pages"])
            for index, docname in enumerate(pages):
                if index:
                    replacement += nodes.Text(", ")
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
                replacement += ref
            if not pages:
                replacement += nodes.emphasis("", "no page yet")
            placeholder.replace_self(replacement)


# -- Data for the filter, previews and search box (HTML only) -------------------


def glossary_records(app: Sphinx) -> list[dict[str, Any]]:
    env = app.env
    docname = getattr(env, "glossary_docname", None)
    if docname is None:
        return []
    page = app.builder.get_target_uri(docname)
    anchors: dict[str, list[tuple[str, str]]] = getattr(env, "glossary_anchors", {})
    return [
        {
            "term": term.term,
            "aliases": list(term.aliases),
            "category": term.category,
            "definition": term.plain_text(),
            "summary": term.summary(),
            "see_also": list(term.see_also),
            "url": f"{page}#{anchors[term.term][0][1]}",
            "anchors": [anchor for _, anchor in anchors[term.term]],
        }
        for term in glossary_of(env)
        if anchors.get(term.term)
    ]


def write_glossary_data(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    records = glossary_records(app)
    outdir = Path(app.outdir)
    text = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True)
    (outdir / "glossary.json").write_text(text + "\n", encoding="utf-8")
    script = f"window.GLOSSARY_INDEX = {json.dumps(records, ensure_ascii=False, sort_keys=True)};\n"
    (outdir / "_static" / "glossary-index.js").write_text(script, encoding="utf-8")


# -- Wiring ---------------------------------------------------------------------


def load_and_report(app: Sphinx) -> None:
    """Read every term file and report each problem as an error with file and line."""
    bib = next(iter(getattr(app.config, "bibtex_bibfiles", []) or []), None)
    bib_path = Path(app.confdir, bib) if bib else None
    glossary = load_glossary(Path(app.config.glossary_terms_dir), bib=bib_path)
    _loaded[str(app.srcdir)] = glossary
    for problem in glossary.problems:
        # The hint travels on the record; docs/_ext/writer_checks.py prints it below.
        logger.error(
            problem.message,
            location=f"{problem.path}:{problem.line}",
            type="glossary",
            subtype="term-file",
            extra={"hint": problem.hint},
        )

    if app.builder.name in HTML_BUILDERS:
        app.config.html_static_path.append(str(STATIC_DIR))
        app.add_css_file("glossary.css")
        app.add_js_file("glossary.js", loading_method="defer")


#: The page whose glossary box needs every entry; other pages get only their previews.
SEARCH_PAGE = "search"


def page_data(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give each page only the glossary data it uses.

    The whole index (every definition) is for the search page's box; a page
    with term links gets the term and summary of just the entries it links,
    inline, for the previews. Loading the whole index everywhere made every
    page 99 KB heavier.
    """
    if app.builder.name not in HTML_BUILDERS:
        return
    if pagename == SEARCH_PAGE:
        # Before glossary.js (priority 500), which reads it when it starts.
        app.add_js_file("glossary-index.js", loading_method="defer", priority=499)
    if doctree is None:
        return
    previews = preview_records(app)
    linked = {
        anchor: previews[anchor] for anchor in sorted(linked_anchors(doctree)) if anchor in previews
    }
    if linked:
        data = json.dumps(linked, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
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


def preview_records(app: Sphinx) -> dict[str, dict[str, str]]:
    """Anchor -> term and summary, for every anchor of every entry (built once)."""
    cache: dict[str, dict[str, str]] | None = getattr(app.builder, "glossary_previews", None)
    if cache is None:
        cache = {
            anchor: {"term": record["term"], "summary": record["summary"]}
            for record in glossary_records(app)
            for anchor in record["anchors"]
        }
        app.builder.glossary_previews = cache  # type: ignore[attr-defined]
    return cache


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("glossary_terms_dir", str(TERMS_DIR), "env", types=frozenset({str}))
    app.add_node(used_in)
    app.add_directive("glossary-terms", GlossaryTermsDirective)
    app.add_post_transform(FillUsedIn)
    app.connect("builder-inited", load_and_report)
    app.connect("doctree-read", collect_backlinks)
    app.connect("env-purge-doc", purge_backlinks)
    app.connect("env-merge-info", merge_backlinks)
    app.connect("env-get-outdated", outdated_glossary)
    app.connect("env-get-updated", rewrite_glossary)
    app.connect("html-page-context", page_data)
    app.connect("build-finished", write_glossary_data)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
