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

furo's page has two ``<aside>`` landmarks without a name (axe landmark-unique).
They are plain markup in the one block of furo's ``page.html``, out of reach of
a block override, a visitor or the page's context; :class:`LabelledAsides`
names them in furo's template as Jinja compiles it, and stops the build if
furo's markup has changed, rather than keep a copy of that template.

Search engines and Lighthouse want a ``<meta name="description">`` on every
page: it is derived from the page's first paragraph, unless the page sets its
own (MyST front matter ``html_meta: {description: ...}``).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2.ext import Extension
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ThemeError
from sphinx.jinja2glue import BuiltinTemplateLoader
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


#: furo's two ``<aside>`` start tags (furo 2025.12.19, page.html) and the name each gets.
ASIDE_LABELS = {
    '<aside class="sidebar-drawer">': "Site navigation",
    '<aside class="toc-drawer{% if furo_hide_toc %} no-toc{% endif %}">': "On this page",
}


class LabelledAsides(Extension):
    """Gives the ``<aside>`` tags of :data:`ASIDE_LABELS` an ``aria-label`` in furo's page.html.

    The label is a translated string of the template, like furo's own texts.
    Which file is furo's page, the environment says (:func:`label_furo_asides`).
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        page = getattr(self.environment, "furo_page_template", None)
        if filename is None or page is None or Path(filename) != page:
            return source
        for tag, label in ASIDE_LABELS.items():
            if source.count(tag) != 1:
                message = f"furo's page.html no longer has {tag} once: label its asides anew"
                raise ThemeError(message)
            source = source.replace(tag, f"{tag[:-1]} aria-label=\"{{{{ _('{label}') }}}}\">")
        return source


def label_furo_asides(app: Sphinx) -> None:
    """Compile furo's page template with :class:`LabelledAsides` (HTML builders with furo)."""
    templates = getattr(app.builder, "templates", None)
    theme = getattr(app.builder, "theme", None)
    if not isinstance(templates, BuiltinTemplateLoader) or theme is None or theme.name != "furo":
        return
    # Jinja's place for an extension's settings: attributes of the environment.
    templates.environment.extend(furo_page_template=Path(theme.get_theme_dirs()[0], "page.html"))
    templates.environment.add_extension(LabelledAsides)


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
    app.connect("builder-inited", label_furo_asides)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
