"""The books (LaTeX, EPUB): a compact glossary, with page numbers in the PDF.

Each entry's details become one run-in line, as printed glossaries set them,
its names one line, and in the PDF "Used in" gives the numbers of the pages
that link the entry, each a link to that page's first link to it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import GlossaryDomain, glossary_domain
from .names import fold
from .nodes import page_ref, use_anchor, used_in
from .transforms import drop_used_in


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
                drop_used_in(placeholder)
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
            if not kept:  # every link to the entry was dropped from the book
                drop_used_in(numbers)
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
