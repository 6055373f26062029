"""Sphinx configuration: one section per concern, settings only.

The code lives in ``glossary/`` (term files and their extension) and in
``docs/_ext/`` (the role comparisons); this file wires them in.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "docs" / "_ext")]

# -- Project --------------------------------------------------------------------
project = "ML Engineer vs. Software Engineer"
subtitle = "What's the difference? A guide with a glossary and sources"
author = "The mle-vs-swe-docs authors"
# Reproducible builds: the date comes from SOURCE_DATE_EPOCH when it is set.
_built = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())))
copyright = f"{_built.tm_year}, {author}"
today = time.strftime("%d %B %Y", _built)
release = version = "1.0"
language = "en"

# -- Extensions -----------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "glossary.sphinxext",
    "comparisons",
    "latex_references",
    "mathml",
    "accessibility",
]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
nitpicky = True

# -- MyST -----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist"]
myst_heading_anchors = 3

# -- Glossary and bibliography --------------------------------------------------
glossary_terms_dir = str(ROOT / "glossary" / "terms")
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "label"
# Stable, readable anchors: references.html#cite-gama2014.
bibtex_cite_id = "cite-{key}"
bibtex_bibliography_id = "bibliography"

# -- HTML (furo) ----------------------------------------------------------------
html_theme = "furo"
html_math_renderer = "mathml"  # no MathJax from a CDN
html_title = project
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "top_of_page_buttons": [],
}

# -- LaTeX / PDF (XeLaTeX through latexmk) ---------------------------------------
latex_engine = "xelatex"
latex_documents = [("index", "mle-vs-swe.tex", project, author, "manual", False)]
latex_elements = {
    "papersize": os.environ.get("PAPER", "a4") + "paper",
    "extraclassoptions": "openany,oneside",
}
latex_show_urls = "footnote"

# -- EPUB -----------------------------------------------------------------------
epub_basename = "mle-vs-swe"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_identifier = "mle-vs-swe-docs-1.0"
epub_uid = epub_identifier
epub_scheme = "URL"
epub_show_urls = "footnote"
epub_css_files = []
epub_exclude_files = ["search.html", "genindex.html"]
