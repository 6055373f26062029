"""Post-transforms for every builder: the "Used in" line of each entry."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import glossary_domain
from .nodes import used_in


def drop_used_in(node: nodes.Node) -> None:
    """Leave an entry's "Used in" line out: no page links it (there is nothing true to say)."""
    field = node.parent
    while field is not None and not isinstance(field, nodes.field):
        field = field.parent
    if field is not None and field.parent is not None:
        field.parent.remove(field)


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
            if pages:
                placeholder.replace_self(self.page_links(placeholder, pages))
            else:
                drop_used_in(placeholder)

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
