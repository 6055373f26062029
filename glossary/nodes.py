"""The glossary's docutils nodes, and how each builder writes them.

``used_in`` is a placeholder filled once every page is read; ``definition_text``
wraps one parsed definition (the HTML carries the text the filter matches);
``use_anchor`` and ``page_ref`` give the PDF its "Used in" page numbers;
``filter_form`` is the web's filter; ``rendered_part`` renders one part of a
definition for ``glossary.json`` and is never in a page; ``entry_ref``,
``entry_render`` and ``entry_html`` carry an entry from its store to the page
(:mod:`glossary.entries`, :mod:`glossary.html`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders._epub_base import EpubBuilder
from sphinx.util.docutils import SphinxTranslator
from sphinx.writers.latex import LaTeXTranslator

from .text import tex_to_text, tidy


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


class rendered_part(nodes.compound):
    """One part of a definition, rendered for ``glossary.json`` (never in a page).

    A compound, so that a paragraph in it is set as a paragraph (``<p>``), as it
    is when rendered alone; the HTML visitor notes the part's own markup.
    """


def visit_rendered_part(translator: SphinxTranslator, node: rendered_part) -> None:
    node["start"] = len(cast(Any, translator).body)


def depart_rendered_part(translator: SphinxTranslator, node: rendered_part) -> None:
    node["html"] = "".join(cast(Any, translator).body[node["start"] :]).strip()


def _skipped(node: nodes.Node) -> bool:
    """Citations, footnote marks and error messages are no part of the text."""
    if isinstance(node, addnodes.pending_xref):
        return bool(node.get("refdomain") == "cite")
    return isinstance(node, nodes.footnote_reference | nodes.system_message)


def readable_text(roots: Iterable[nodes.Node], skip: Callable[[nodes.Node], bool]) -> str:
    """What a reader reads of *roots*: math as text without TeX, what *skip* names left out.

    The glossary's plain definitions and the site search's sections are both read so.
    """
    parts: list[str] = []

    def visit(current: nodes.Node) -> None:
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
        elif isinstance(current, nodes.math | nodes.math_block):
            parts.append(tex_to_text(current.astext()))
        elif not skip(current):
            for child in current.children:
                visit(child)
            if not isinstance(current, nodes.Inline):
                parts.append(" ")  # between paragraphs

    for root in roots:
        visit(root)
    return tidy("".join(parts))


def plain_definition(node: nodes.Node) -> str:
    """What a reader reads of a definition: citations, footnote marks and errors left out."""
    return readable_text([node], _skipped)


class entry_ref(nodes.Element):
    """An entry's definition and details on the glossary page, kept apart until written.

    Its ``term`` names the entry; the domain knows its stored entry's key
    (:mod:`glossary.entries`) and its plain text, which the search indexes in
    place of the entry.
    """


class entry_render(nodes.Element):
    """HTML: a stored entry, resolved, waiting to be rendered (and kept) once resolved."""


class entry_html(nodes.Element):
    """HTML: an entry as rendered, written as it is; its text is for the search only."""


def visit_entry_html(translator: SphinxTranslator, node: entry_html) -> None:
    cast(Any, translator).body.append(node["html"])
    raise nodes.SkipNode
