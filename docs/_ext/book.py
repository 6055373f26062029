"""The site as a book: PDF chapters, a valid and reproducible EPUB, download links.

* LaTeX: the home page's toctree sits inside its last section, so Sphinx would
  make every other page a section of that one chapter.  :class:`BookChapters`
  gathers the home page into its own first chapter and lifts the other pages
  out of it, so that each page is a chapter (and a top-level PDF bookmark).
* EPUB: :class:`ReproducibleEpub3Builder` declares the ``mathml`` manifest
  property for pages that contain MathML and ``cover-image`` for the cover
  (EPUB 3 requires both; Sphinx's template writes no properties), and writes
  the zip with fixed entry times and order, so that two builds with the same
  ``SOURCE_DATE_EPOCH`` give the same bytes.
* ``{book-downloads}``: "Download PDF" and "Download EPUB" links, with sizes,
  through Sphinx's own download mechanism (files go to ``_downloads/``).  The
  files are named by the ``book_downloads`` setting (``nox -s dist`` sets it);
  without it the directive renders nothing, so no link is ever dead.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

#: What each downloadable file is called in the links, by extension.
FORMATS = {".pdf": "PDF", ".epub": "EPUB"}


class BookChapters(SphinxPostTransform):
    """Make the home page the first chapter and every other page a chapter after it."""

    # After the toctrees are inlined (assemble_doctree), before the writer runs.
    default_priority = 770
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        root = self.document.next_node(nodes.section)
        if root is None:
            return
        wrappers = [
            node
            for node in root.findall(nodes.compound)
            if "toctree-wrapper" in node["classes"] and node.next_node(addnodes.start_of_file)
        ]
        for wrapper in wrappers:
            wrapper.parent.remove(wrapper)
        # The writer takes the root's title as the book's title; the rest of the
        # home page becomes a chapter under the same heading.
        title = root.next_node(nodes.title)
        assert title is not None, "the home page has a title"
        chapter = nodes.section("", ids=["book-home"], names=[])
        chapter += nodes.title("", "", *[child.deepcopy() for child in title.children])
        chapter += [child for child in root.children if child is not title]
        root.children = [title, chapter]
        for child in (title, chapter):
            child.parent = root
        root += wrappers


def source_date() -> tuple[int, int, int, int, int, int]:
    """The zip timestamp: SOURCE_DATE_EPOCH when set, else the earliest a zip can hold."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return (1980, 1, 1, 0, 0, 0)
    return tuple(time.gmtime(max(int(epoch), 315532800))[:6])  # type: ignore[return-value]


class ReproducibleEpub3Builder(Epub3Builder):
    """Sphinx's EPUB 3 builder with manifest properties and a reproducible zip."""

    def build_content(self) -> None:
        super().build_content()
        opf = self.outdir / "content.opf"
        text = opf.read_text("utf-8")
        properties: dict[str, list[str]] = {}
        for name in self.files:
            if name.endswith(self.out_suffix) and "<math" in (self.outdir / name).read_text(
                "utf-8"
            ):
                properties.setdefault(name, []).append("mathml")
        if self.config.epub_cover:
            properties.setdefault(self.config.epub_cover[0], []).append("cover-image")
        for href, props in properties.items():
            # The template writes each item as <item id=".." href=".." media-type=".." />.
            pattern = rf'(<item id="[^"]*" href="{re.escape(href)}" media-type="[^"]*")'
            text, count = re.subn(pattern, rf'\1 properties="{" ".join(props)}"', text)
            if count != 1:
                raise RuntimeError(f"content.opf: no manifest item for {href}")
        opf.write_text(text, "utf-8")

    def build_epub(self) -> None:
        """Write the zip: mimetype first and stored, then every file in a fixed order."""
        names = ["META-INF/container.xml", "content.opf", "toc.ncx", *sorted(self.files)]
        stamp = source_date()
        epub = self.outdir / f"{self.config.epub_basename}.epub"
        with zipfile.ZipFile(epub, "w") as archive:
            for name in ["mimetype", *names]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = (
                    zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                )
                archive.writestr(info, (self.outdir / name).read_bytes())


def human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{round(size / 1000)} kB"


class BookDownloads(SphinxDirective):
    """``{book-downloads}``: a list of download links, or nothing when there is no file."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        if self.env.app.builder.format != "html" or self.env.app.builder.name.startswith("epub"):
            return []
        items = nodes.bullet_list()
        for path in map(Path, self.config.book_downloads):
            if not path.is_file():
                raise self.error(f"book_downloads: no file {path}")
            label = f"Download {FORMATS.get(path.suffix, path.suffix)}"
            # Sphinx reads a download target relative to the page (or, with a
            # leading "/", to the source folder), never as an absolute path.
            here = self.env.doc2path(self.env.docname).parent
            link = addnodes.download_reference(
                "",
                "",
                reftarget=os.path.relpath(path.resolve(), here),
                refdoc=self.env.docname,
                refexplicit=True,
            )
            link += nodes.inline("", label)
            size = nodes.Text(f" ({human_size(path.stat().st_size)}, {path.name})")
            items += nodes.list_item("", nodes.paragraph("", "", link, size))
        if not items.children:
            return []
        intro = nodes.paragraph("", "The whole site as a book, to read offline or print:")
        return [nodes.container("", intro, items, classes=["book-downloads"])]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(BookChapters)
    app.add_builder(ReproducibleEpub3Builder, override=True)
    app.add_config_value("book_downloads", [], "env", types=frozenset({list}))
    app.add_directive("book-downloads", BookDownloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
