"""Publishing: the site's public address, and what search engines and link previews read.

The address comes from one setting, :func:`site_url`; ``conf.py`` gives it to
``html_baseurl`` (every page's ``<link rel="canonical">``, the sitemap), to
sphinxext-opengraph and to sphinx-notfound-page. On top of those extensions
this one adds, for the HTML builder only:

* link previews that say what the page's own ``<meta name="description">``
  says (``docs/_ext/accessibility.py`` makes it), on every page, the pages
  Sphinx generates included (sphinxext-opengraph skips pages without a
  doctree);
* ``noindex`` on the pages that are no content of their own (:data:`NOINDEX`),
  which the sitemap (``docs/_ext/sitemap.py``) is told to leave out;
* a schema.org ``WebPage`` in JSON-LD on every content page;
* ``robots.txt``, naming the sitemap by its absolute address.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from accessibility import page_description, page_title
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinx.util.typing import ExtensionMetadata
from sphinxext.opengraph import get_tags

from glossary.jsonhtml import json_script
from glossary.shared import HTML_BUILDERS

logger = logging.getLogger(__name__)

#: The address when neither SITE_URL nor Read the Docs names one: where ``nox -s serve``
#: shows the site. Publishing anywhere else than Read the Docs means setting SITE_URL.
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
#: Pages that are no content of their own: out of the sitemap, and marked noindex.
NOINDEX = frozenset({"search", "genindex", "404"})
#: furo's search template writes its own noindex.
NOINDEX_BY_TEMPLATE = frozenset({"search"})
NOINDEX_TAG = '<meta name="robots" content="noindex">\n'


#: What an address may hold, as RFC 3986 writes one: no space, quote, angle bracket or
#: control character (an address from the environment is written into pages and files).
_URL_CHARACTERS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def site_url(environ: Mapping[str, str] = os.environ) -> str:
    """The site's public address, ending in "/".

    ``SITE_URL`` when set, else ``READTHEDOCS_CANONICAL_URL`` (set by Read the
    Docs during its builds), else :data:`DEFAULT_SITE_URL`.  Anything but an
    absolute http(s) address of plain URL characters is a configuration error
    (:func:`configured_site_url` reports it).
    """
    for name in ("SITE_URL", "READTHEDOCS_CANONICAL_URL"):
        value = environ.get(name, "").strip()
        if value:
            shown = repr(value[:60])
            if not _URL_CHARACTERS.match(value):
                raise ValueError(
                    f"{name} must be an address of URL characters only (no space, quote, "
                    f"angle bracket; non-ASCII written as %XX): {shown}"
                )
            parts = urlsplit(value)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise ValueError(f"{name} must be an absolute http(s) address, not {shown}")
            if parts.query or parts.fragment:
                raise ValueError(f"{name} must have no query or fragment: {shown}")
            return value if value.endswith("/") else value + "/"
    return DEFAULT_SITE_URL


def configured_site_url() -> str:
    """:func:`site_url` for ``conf.py``: a bad address is an error message, not a traceback.

    Sphinx prints any exception raised while it reads ``conf.py`` with a
    traceback; the address comes from the environment, so a mistake in it is
    the writer's, reported as an error (a failed build under ``-W``), and the
    build goes on with the default address, which is safe to write anywhere.
    """
    try:
        return site_url()
    except ValueError as error:
        logger.error(
            "%s",
            error,
            type="publishing",
            subtype="site-url",
            extra={"hint": "set SITE_URL to the site's address, e.g. https://example.org/guide/"},
        )
        return DEFAULT_SITE_URL


def url_path(url: str) -> str:
    """The path part of an address ending in "/": the prefix of absolute links on the 404 page."""
    return urlsplit(url).path or "/"


def web_page(url: str, title: str, description: str, site: str, site_name: str) -> dict[str, Any]:
    """A schema.org WebPage for one content page, part of the WebSite at *site*."""
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "headline": title,
        "name": title,
        "description": description,
        "isPartOf": {"@type": "WebSite", "@id": site, "url": site, "name": site_name},
    }


def page_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Previews, noindex and JSON-LD for one page (before sphinxext-opengraph's handler)."""
    if app.builder.name not in HTML_BUILDERS:
        return
    description = page_description(app, pagename, context, doctree)
    # sphinxext-opengraph lets a page's metadata set any og: tag. A copy: context["meta"]
    # is the environment's own record of the page.
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    if doctree is None:
        # Generated pages (search, index, 404): sphinxext-opengraph skips them; the same
        # tags from its own function, for a page with no text of its own.
        # Sphinx's generated index page has no title in its context.
        titled = {**context, "title": page_title(pagename, context)}
        context["metatags"] = context.get("metatags", "") + get_tags(
            titled,
            new_document(pagename),
            srcdir=app.srcdir,
            outdir=app.outdir,
            config=app.config,
            builder=app.builder,
            env=app.env,
        )
    if pagename in NOINDEX - NOINDEX_BY_TEMPLATE:
        context["metatags"] = context.get("metatags", "") + NOINDEX_TAG
    if pagename in NOINDEX or doctree is None:
        return
    site = app.config.html_baseurl
    page = web_page(
        urljoin(site, app.builder.get_target_uri(pagename)),
        page_title(pagename, context),
        description,
        site,
        app.config.project,
    )
    app.add_js_file(None, body=json_script(page), type="application/ld+json")


def robots_txt(site: str, sitemap: str) -> str:
    """Every crawler may read every page (noindex needs the page read); where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urljoin(site, sitemap)}\n"


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    text = robots_txt(app.config.html_baseurl, app.config.sitemap_filename)
    (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")


def configure(app: Sphinx, config: Config) -> None:
    """Link previews use the site's address; the noindex pages stay out of the sitemap."""
    config.ogp_site_url = config.ogp_site_url or config.html_baseurl
    # Page names, not addresses: the same with every builder (about.html, about/).
    config.sitemap_excludes = sorted({*config.sitemap_excludes, *NOINDEX})


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("accessibility")
    app.setup_extension("sitemap")
    app.setup_extension("sphinxext.opengraph")
    # Before sphinxext-opengraph's handler (500), which reads the page's og: metadata.
    app.connect("config-inited", configure)
    app.connect("html-page-context", page_metadata, priority=499)
    app.connect("build-finished", write_robots_txt)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
