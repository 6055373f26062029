"""PDF: no empty "References" chapter; links to that page open the bibliography.

In LaTeX, Sphinx gathers every citation into one bibliography at the end of
the book, which leaves the References page an empty chapter.  Once the
citations have been gathered, :class:`DropReferencesChapter` removes that page
and notes on the bibliography the page it stands for; the bibliography's
visitor then writes the page's label (``references::doc``, which links to the
page name) inside the environment, after its page break and heading, so that
such links open the bibliography's first page.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.latex import LaTeXTranslator

REFERENCES_DOC = "references"
#: The attribute of the bibliography node that names the pages it stands for.
STANDS_FOR = "stands_for_docs"


class DropReferencesChapter(SphinxPostTransform):
    # After sphinx.builders.latex.transforms.BibliographyTransform (750).
    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        bibliography = next(self.document.findall(thebibliography), None)
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start.get("docname") != REFERENCES_DOC:
                continue
            if bibliography is not None:
                bibliography[STANDS_FOR] = [*bibliography.get(STANDS_FOR, []), REFERENCES_DOC]
                start.parent.remove(start)
            else:
                # No citation, no bibliography: the page stays, as just its label (":doc" is
                # the label Sphinx gives a page's first section; links to the page use it).
                start.clear()
                start += nodes.target("", "", ids=[":doc"])


def visit_thebibliography(self: LaTeXTranslator, node: thebibliography) -> None:
    """Sphinx's ``\\begin{sphinxthebibliography}``, then the label of each page it stands for.

    The environment starts with the page break and the chapter heading, where
    hyperref sets an anchor: a plain ``\\label`` after it names that anchor.
    """
    LaTeXTranslator.visit_thebibliography(self, node)
    docnames: list[str] = node.get(STANDS_FOR, [])
    for docname in docnames:
        self.body.append(self.hypertarget(f"{docname}::doc", withdoc=False, anchor=False) + "\n")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(DropReferencesChapter)
    app.add_node(
        thebibliography,
        override=True,
        latex=(visit_thebibliography, LaTeXTranslator.depart_thebibliography),
    )
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
