"""PDF: no empty "References" chapter.

In LaTeX, Sphinx gathers every citation into one bibliography at the end of
the book, which leaves the References page an empty chapter.  Once the
citations have been gathered, this transform replaces that page with just its
label, moved to the bibliography, so that links to the page land there.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.typing import ExtensionMetadata

REFERENCES_DOC = "references"


class DropReferencesChapter(SphinxPostTransform):
    # After sphinx.builders.latex.transforms.BibliographyTransform (750).
    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        bibliography = next(self.document.findall(thebibliography), None)
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start.get("docname") != REFERENCES_DOC:
                continue
            # ":doc" is the label Sphinx gives a page's first section, links to the page use it.
            start.clear()
            start += nodes.target("", "", ids=[":doc"])
            if bibliography is not None:
                start.parent.remove(start)
                bibliography.parent.insert(bibliography.parent.index(bibliography), start)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(DropReferencesChapter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
