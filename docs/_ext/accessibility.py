"""HTML that passes axe-core and the Nu HTML Checker, and a description for every page.

Sphinx, docutils and furo write a few things that accessibility checkers and
the Nu HTML Checker reject; each is fixed here where it is written, by
overriding one HTML visitor, rather than by editing the output:

* a toctree caption is ``<p role="heading">`` without the ``aria-level`` the
  heading role requires (axe aria-required-attr, a Nu error): it gets level 2,
  as it sits under the page's h1 (in the sidebar and on the home page);
* docutils marks each citation ``role="doc-biblioentry"``, a role deprecated in
  WAI-ARIA 1.3 and not allowed on a ``<div>`` inside ``role="list"`` (axe
  aria-deprecated-role, aria-allowed-role, aria-required-children): the
  bibliography becomes a plain list of list items.

Search engines and Lighthouse want a ``<meta name="description">`` on every
page: it is derived from the page's first paragraph, unless the page sets its
own (MyST front matter ``html_meta: {description: ...}``).
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.html5 import HTML5Translator

#: Level of a toctree caption: a section heading under the page's h1.
CAPTION_LEVEL = "2"
#: Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 155
#: Shorter paragraphs (a date line, a "see also") do not describe a page.
MIN_PARAGRAPH = 40
#: Titles of the pages Sphinx generates, which have no title in their context.
GENERATED_TITLES = {"genindex": "Index", "search": "Search"}


def is_toctree_caption(node: nodes.Element) -> bool:
    parent = node.parent
    return isinstance(parent, addnodes.compact_paragraph) and bool(parent.get("toctree"))


def visit_title(self: HTML5Translator, node: nodes.title) -> None:
    if is_toctree_caption(node):
        # Sphinx's own markup for the caption, plus the level.
        attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": CAPTION_LEVEL}
        self.body.append(self.starttag(node, "p", "", empty=False, **attributes))
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")
    else:
        HTML5Translator.visit_title(self, node)


def depart_title(self: HTML5Translator, node: nodes.title) -> None:
    HTML5Translator.depart_title(self, node)


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    # Adjacent citations form one list, as docutils groups them.
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: HTML5Translator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def has_own_description(doctree: nodes.document) -> bool:
    return any(meta.get("name") == "description" for meta in doctree.findall(nodes.meta))


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """*text* on one line, cut at a word boundary to at most *length* characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut if cut.endswith(".") else cut + "\u2026"


def describe(doctree: nodes.document | None, title: str, project: str) -> str:
    """The page's first real paragraph; for generated pages, its title and the site's."""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            text = paragraph.astext()
            if len(text) >= MIN_PARAGRAPH:
                return shorten(text)
    return f"{title}: {project}" if title and title != project else project


def page_title(pagename: str, context: dict[str, Any]) -> str:
    """The page's title as plain text; generated pages (index, search) have at most a short one."""
    return html.unescape(context.get("title") or GENERATED_TITLES.get(pagename, pagename))


def page_description(
    app: Sphinx, pagename: str, context: dict[str, Any], doctree: nodes.document | None
) -> str:
    """The page's description: its own (front matter) if it sets one, else from its text.

    docs/_ext/publishing.py gives link previews the same text.
    """
    if doctree is not None:
        for meta in doctree.findall(nodes.meta):
            if meta.get("name") == "description":
                return str(meta["content"])
    return describe(doctree, page_title(pagename, context), app.config.project)


def add_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is not None and has_own_description(doctree):
        return
    description = page_description(app, pagename, context, doctree)
    # The EPUB builder writes XHTML, where an empty element must close itself.
    end = " />" if app.builder.name == "epub" else ">"
    tag = f'<meta name="description" content="{html.escape(description)}"{end}\n'
    context["metatags"] = context.get("metatags", "") + tag


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.connect("html-page-context", add_description)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
