"""The HTML side: rendered definitions, ``glossary.json``, the previews and the search index.

``glossary.json`` and ``_static/glossary-index.js`` hold the records (for the
filter and the search page's box); each page gets the previews of just the
entries it links; the glossary page's index entries stay in the search index
after a build that did not write the page.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.fileutil import copy_asset_file

from .collector import search_document
from .domain import glossary_domain
from .jsonhtml import json_script
from .nodes import definition_text, entry_html
from .shared import HTML_BUILDERS, SEARCH_PAGE, STATIC_DIR


def keep_index_entries(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Index the pages with index entries that this build did not write.

    Sphinx 9.0 reloads the words and titles of unwritten pages from the last
    ``searchindex.js`` but not their index entries (they are not pickled with
    the environment either), so after a build that did not write the glossary
    page its terms would vanish from the search (Sphinx issue #12599).  The
    HTML builder indexes them again from the titles and entries the domain
    kept when the page was read (:class:`SearchData`), as it would when
    writing the page.
    Runs at ``html-collect-pages``: after every page is written, before the
    search index is dumped.  Words left with no page are dropped too.
    """
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder) or builder.indexer is None:
        return []
    env = app.env
    domain = glossary_domain(env)
    for docname in sorted(domain.indexed.keys() - domain.resolved):
        if docname in env.all_docs:
            # Titles and entries only: the page's words are in the loaded index, and
            # its whole doctree, unresolved, would add citation keys as words.
            title = env.longtitles.get(docname)
            document = search_document(domain.indexed[docname])
            builder.index_page(docname, document, title.astext() if title else "")
    # A word no page has any more stays in the index, with no page (Sphinx 9.0
    # prunes the pages of a word, never the word): after an edit took the last
    # use of a word away, the index would differ from a cold build's.
    for mapping in (builder.indexer._mapping, builder.indexer._title_mapping):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]
    return []


def _from_root(uri: str, page: str) -> str:
    """*uri*, written relative to *page*, made relative to the site root."""
    parts = urlsplit(uri)
    if parts.scheme or parts.netloc or uri.startswith("/"):
        return uri
    if not parts.path:
        return page.partition("#")[0] + uri
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    return joined + ("#" + parts.fragment if parts.fragment else "")


def standalone(text: definition_text, page: str) -> list[nodes.Node]:
    """The parts of a copy of a resolved definition whose links work from the site root."""
    copy = text.deepcopy()
    for ref in copy.findall(nodes.reference):
        if "refid" in ref:
            ref["refuri"] = f"{page}#{ref['refid']}"
            del ref["refid"]
        elif "refuri" in ref:
            ref["refuri"] = _from_root(ref["refuri"], page)
    return list(copy.children)


def copy_static(app: Sphinx, builder: Builder) -> None:
    """The builder's static files, in place before any page is written.

    HTML: the filter's CSS and JavaScript in ``_static`` (Sphinx stamps a link
    with its file's checksum, ``?v=``, only if the file is in place when it
    writes the page); copied here rather than listed in ``html_static_path``,
    since changing a setting at run time makes Sphinx see a changed
    configuration on every rebuild.  LaTeX: the glossary's style next to the
    .tex (the preamble loads it).
    """
    if builder.name in HTML_BUILDERS:
        static = builder.outdir / "_static"
        static.mkdir(parents=True, exist_ok=True)  # else the first copy would be named _static
        # The search's engine and index load when the search box is first focused.
        for name in ("glossary.css", "glossary.js", "glossary-search.js", "minisearch.min.js"):
            copy_asset_file(STATIC_DIR / name, static / name, force=True)
    elif builder.format == "latex":
        copy_asset_file(STATIC_DIR / "sphinxglossary.sty", builder.outdir, force=True)


def write_glossary_data(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """glossary.json and the same records as a script, once every page is written.

    At ``html-collect-pages``: before the search page, whose link to the
    script is stamped with the script's checksum.
    """
    if app.builder.name not in HTML_BUILDERS:
        return []
    domain = glossary_domain(app.env)
    outdir = Path(app.outdir)
    if not domain.written():
        return []  # the data written with the page last time still describes it
    records = domain.records(app.builder)
    # One record per line: readable, and written by json's C encoder (indenting
    # takes its Python one: 0.3 s for 5,000 records, on every term edit).
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records)
    (outdir / "glossary.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    script = f"window.GLOSSARY_INDEX = {json_script(records, sort_keys=True)};\n"
    (outdir / "_static" / "glossary-index.js").write_text(script, encoding="utf-8")
    return []


def page_data(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give each page only the glossary data it uses.

    The whole index (every definition) is for the search page's box and the
    glossary page's filter; a page with term links gets the term and summary
    of just the entries it links, inline, for the previews.  Loading the whole
    index everywhere made every page 99 KB heavier.
    """
    if app.builder.name not in HTML_BUILDERS:
        return
    domain = glossary_domain(app.env)
    if pagename == SEARCH_PAGE:
        # Before glossary.js (priority 500), which reads it when it starts.
        app.add_js_file("glossary-index.js", loading_method="defer", priority=499)
    if doctree is None:
        return
    previews = domain.previews()
    linked = {
        anchor: previews[anchor] for anchor in sorted(linked_anchors(doctree)) if anchor in previews
    }
    if linked:
        data = json_script(linked, sort_keys=True)
        app.add_js_file(None, body=f"window.GLOSSARY_PREVIEWS = {data};")


def linked_anchors(doctree: nodes.Element) -> set[str]:
    """The anchors of the glossary terms a resolved page links to."""
    anchors = set()
    for kept in doctree.findall(entry_html):  # the glossary page's entries, as rendered
        anchors.update(kept["anchors"])
    for ref in doctree.findall(nodes.reference):
        if any(
            isinstance(child, nodes.Element) and "std-term" in child["classes"]
            for child in ref.children
        ):
            target = ref.get("refuri", "").partition("#")[2] or ref.get("refid", "")
            anchors.add(target)
    return anchors
