"""The glossary engine: term files as data, rendered through Sphinx's own glossary.

A package any Sphinx project can use (``extensions = ["glossary"]``), one
module per phase, each importing only the ones before it:

* without Sphinx: :mod:`~glossary.names` (names as readers compare them),
  :mod:`~glossary.text` (plain text for readers), :mod:`~glossary.markup` (what
  a definition's Markdown holds), :mod:`~glossary.files` (one term file),
  :mod:`~glossary.checks`, :mod:`~glossary.loader` (a folder of them),
  :mod:`~glossary.search` and :mod:`~glossary.cli` (``python -m glossary``);
* with Sphinx: :mod:`~glossary.nodes`, :mod:`~glossary.domain` (the build's one
  state), :mod:`~glossary.directive` (``{glossary-terms}``),
  :mod:`~glossary.entries` (each entry parsed on its own and stored),
  :mod:`~glossary.collector` (what a rebuild reads and writes again),
  :mod:`~glossary.transforms`, :mod:`~glossary.assembly` (the page put together
  from its stored entries, their HTML kept), :mod:`~glossary.book` (LaTeX, EPUB),
  :mod:`~glossary.html` (records, previews, Sphinx's search index),
  :mod:`~glossary.search_index` (the site search's index of sections and
  entries) and, as an extension of its own, :mod:`~glossary.linked_data` (JSON-LD).

This module only registers them with Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the glossary's settings, domain, nodes, directive, transforms and events."""
    # Sphinx's side is imported here, not with the package: the command line reads
    # term files without Sphinx.
    from .assembly import ExpandEntries, prune_entries, render_entries, save_html
    from .book import CheckPageRefs, CompactDetails, FillUsedInPages, RunInAliases
    from .collector import GlossaryCollector, check_categories, load_and_report, note_resolved
    from .directive import GlossaryTermsDirective
    from .domain import GlossaryDomain
    from .files import CATEGORIES
    from .html import copy_static, keep_index_entries, page_data, write_glossary_data
    from .nodes import (
        definition_text,
        depart_definition_html,
        depart_definition_text,
        depart_rendered_part,
        entry_html,
        filter_form,
        page_ref,
        rendered_part,
        skip_node,
        use_anchor,
        used_in,
        visit_definition_html,
        visit_definition_text,
        visit_entry_html,
        visit_filter_form,
        visit_page_ref_latex,
        visit_rendered_part,
        visit_use_anchor_latex,
    )
    from .search_index import setup_search_index
    from .transforms import FillUsedIn

    app.add_config_value("glossary_terms_dir", "terms", "env", types=frozenset({str}))
    app.add_config_value(
        "glossary_categories", list(CATEGORIES), "env", types=frozenset({list, tuple})
    )
    app.add_domain(GlossaryDomain)
    app.add_node(used_in)
    app.add_node(rendered_part, html=(visit_rendered_part, depart_rendered_part))
    app.add_node(use_anchor, latex=(visit_use_anchor_latex, None))
    app.add_node(page_ref, latex=(visit_page_ref_latex, None))
    passthrough = (visit_definition_text, depart_definition_text)
    app.add_node(
        definition_text,
        html=(visit_definition_html, depart_definition_html),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    skip = (skip_node, None)
    app.add_node(
        filter_form,
        html=(visit_filter_form, None),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_node(entry_html, html=(visit_entry_html, None))
    app.add_directive("glossary-terms", GlossaryTermsDirective)
    app.add_post_transform(ExpandEntries)
    app.add_post_transform(FillUsedInPages)
    app.add_post_transform(FillUsedIn)
    app.add_post_transform(CompactDetails)
    app.add_post_transform(RunInAliases)
    app.add_post_transform(CheckPageRefs)
    app.add_latex_package("sphinxglossary")
    app.connect("config-inited", check_categories)
    app.connect("builder-inited", load_and_report)
    app.add_env_collector(GlossaryCollector)
    app.connect("doctree-resolved", note_resolved)
    app.connect("doctree-resolved", render_entries)
    app.connect("env-updated", prune_entries)
    app.connect("build-finished", save_html)
    app.connect("html-collect-pages", keep_index_entries)
    app.connect("html-page-context", page_data)
    app.connect("html-collect-pages", write_glossary_data)
    app.connect("write-started", copy_static)
    setup_search_index(app)
    return {
        "version": "2.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 4,
    }
