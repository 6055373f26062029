"""The sitemap: ``sitemap.xml`` for the web builds, listing every page of the site.

Each page is listed at ``html_baseurl`` plus the link the builder gives it
(``about.html``; ``about/`` with dirhtml), unless its name matches a pattern
of ``sitemap_excludes`` (fnmatch on page names such as ``search``;
``publishing.configure`` puts the noindex pages there).  The pages are the
project's documents, all of which are in the output after any build, full or
partial, then the pages the builder made without a source (the general index,
search, the 404 page), in the order it wrote them.

The EPUB builder writes HTML too, but its pages have no address: the sitemap
is written for the web builders only, once the build has succeeded.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata

from glossary.shared import HTML_BUILDERS

logger = logging.getLogger(__name__)

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(site: str, links: list[str]) -> ElementTree.ElementTree:
    """The sitemaps.org document listing *site* (ending in "/") plus each of *links*."""
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for link in links:
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = site + link
    return ElementTree.ElementTree(root)


class Sitemap:
    """One app's sitemap: the generated pages as they are written, then the file."""

    def __init__(self) -> None:
        self.generated: list[str] = []

    def start(self, app: Sphinx) -> None:
        self.generated.clear()

    def note_page(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> None:
        # Documents are written in worker processes in a parallel build; generated pages
        # always in this one.
        if doctree is None and pagename not in self.generated:
            self.generated.append(pagename)

    def write(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.name not in HTML_BUILDERS:
            return
        site = app.config.html_baseurl
        if not site:
            logger.warning(
                "html_baseurl is not set: no sitemap (conf.py)", type="sitemap", subtype="config"
            )
            return
        excludes = app.config.sitemap_excludes
        links = [
            app.builder.get_target_uri(page)
            for page in [*sorted(app.env.found_docs), *self.generated]
            if not any(fnmatch.fnmatch(page, pattern) for pattern in excludes)
        ]
        target = Path(app.outdir, app.config.sitemap_filename)
        site = site if site.endswith("/") else site + "/"
        sitemap_xml(site, links).write(target, xml_declaration=True, encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("sitemap_filename", "sitemap.xml", "", types=frozenset({str}))
    app.add_config_value("sitemap_excludes", [], "", types=frozenset({list, tuple}))
    sitemap = Sitemap()
    app.connect("builder-inited", sitemap.start)
    app.connect("html-page-context", sitemap.note_page)
    app.connect("build-finished", sitemap.write)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
