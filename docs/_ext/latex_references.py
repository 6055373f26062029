"""PDF: no empty "References" chapter.

In LaTeX, Sphinx gathers every citation into one bibliography at the end of
the book, which leaves the References page an empty chapter.  This transform
empties that page in the assembled LaTeX document once the citations have been
gathered, keeping its label so that links to the page still land on the
bibliography.
"""

from __future__ import annotations

from typing import Any

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.typing import ExtensionMetadata

REFERENCES_DOC = "references"


class DropReferencesChapter(SphinxPostTransform):
    # After sphinx.builders.latex.transforms.BibliographyTransform (750).
    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for start in self.document.findall(addnodes.start_of_file):
            if start.get("docname") == REFERENCES_DOC:
                start.children = []


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(DropReferencesChapter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
