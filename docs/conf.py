"""Sphinx configuration: one section per concern, settings only.

The code lives in ``glossary/`` (term files and their extension) and in
``docs/_ext/`` (the role comparisons); this file wires them in.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import io
import os
import string
import sys
import time
from pathlib import Path

from sphinx.util import logging

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "docs" / "_ext")]

# sphinxext-opengraph, which publishing imports, prints this on import when matplotlib is
# missing; only its social cards need matplotlib, and they are off (ogp_social_cards below).
# Imported first, that one line is dropped and anything else it prints is kept.
_NO_MATPLOTLIB = "matplotlib is not installed, social cards will not be generated\n"
with contextlib.redirect_stdout(io.StringIO()) as _printed:
    importlib.import_module("sphinxext.opengraph")
sys.stdout.write(_printed.getvalue().replace(_NO_MATPLOTLIB, "", 1))

# docs/_ext/publishing.py (on the path only from the line above): the site's address.
publishing = importlib.import_module("publishing")

# -- Project --------------------------------------------------------------------
project = "ML Engineer vs. Software Engineer"
subtitle = "What's the difference? A guide with a glossary and sources"
author = "The mle-vs-swe-docs authors"
# Reproducible builds: the date comes from SOURCE_DATE_EPOCH when it is set.
_built = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())))
copyright = f"{_built.tm_year}, {author}"
today = time.strftime("%d %B %Y", _built)
release = version = "1.0"
#: The article the site is made from (it names no author, publisher or date).
source_article = "Machine Learning Engineer vs. Software Engineer: What's the Difference?"
description = (
    "The article \u201c" + source_article + "\u201d restructured into pages that compare the two "
    "roles side by side, with a glossary of the field's terms and a list of sources."
)
language = "en"

# -- Extensions -----------------------------------------------------------------
extensions = [
    # First: fewer garbage collections for the rest of the build.
    "build_speed",
    "myst_parser",
    "sphinx_design",
    # Before sphinxcontrib.bibtex, whose modules look up pybtex plugins on import.
    "pybtex_plugins",
    "sphinxcontrib.bibtex",
    "glossary",
    "comparisons",
    "latex_references",
    "mathml",
    "writer_checks",
    "book",
    "accessibility",
    "page_speed",
    # Publishing: sitemap (docs/_ext/sitemap.py), link previews, 404 page, structured data.
    "sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
    "publishing",
    "glossary.linked_data",
    # Keeps sphinx-design's run-time change out of the compared configuration.
    "stable_config",
]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "terms"]  # term files are no pages
templates_path = ["_templates"]
nitpicky = True

# -- MyST -----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist"]
myst_heading_anchors = 3
# The site renders math as MathML (docs/_ext/mathml.py); left on, myst-parser rewrites
# mathjax4_config at run time and every rebuild sees a changed configuration.
myst_update_mathjax = False

# -- Glossary and bibliography --------------------------------------------------
glossary_terms_dir = "terms"  # relative to this file: docs/terms/, one file per term
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
# In the form Sphinx turns it into (it adds the priority at run time; written
# out here, the pickled configuration matches conf.py's on a rebuild).
html_css_files = [("site.css", {"priority": 800})]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "top_of_page_buttons": [],
}

# -- Publishing: the public address, sitemap, link previews, 404 page ----------------
# SITE_URL, else Read the Docs' READTHEDOCS_CANONICAL_URL, else the address of
# `nox -s serve` (README, "Publishing"). Every absolute URL of the site comes from it.
html_baseurl = publishing.configured_site_url()
ogp_image = "_static/social-card.png"
ogp_image_alt = project + ": " + subtitle
ogp_social_cards = {"enable": False}  # the card is the one image above, made once
ogp_enable_meta_description = False  # docs/_ext/accessibility.py writes it
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image" />']
# The 404 page is served at any missing address: its links and assets start at the site's root.
notfound_urls_prefix = publishing.url_path(html_baseurl)
notfound_context = {
    "title": "Page not found",
    "body": string.Template(
        """<h1>Page not found</h1>
<p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
<ul>
<li><a href="${prefix}index.html">Home: what the two roles are and how they differ</a></li>
<li><a href="${prefix}glossary.html">Glossary of the field's terms</a></li>
<li><a href="${prefix}search.html">Search the site</a></li>
</ul>
"""
    ).substitute(prefix=html.escape(notfound_urls_prefix)),
}

# -- LaTeX / PDF (XeLaTeX through latexmk) ---------------------------------------
latex_engine = "xelatex"
latex_documents = [("index", "mle-vs-swe.tex", project, author, "manual", False)]
# A4 unless PAPER=letter (README: `PAPER=letter nox -s pdf`).
_paper = os.environ.get("PAPER", "a4")
if _paper not in {"a4", "letter"}:
    # An error, not an exception: Sphinx prints those from conf.py with a traceback.
    logging.getLogger(__name__).error("PAPER must be a4 or letter, not %r", _paper[:20])
    _paper = "a4"
# Title page, then a colophon on its back ($names are filled in from this file).
_LATEX_TITLE_PAGE = r"""
\begin{titlepage}
  \centering\sffamily
  \vspace*{0.2\textheight}
  {\bfseries\Huge $project\par}
  \vspace{1.5em}
  {\Large $subtitle\par}
  \vfill
  {\large $author\par}
  \vspace{3em}
  {\small Based on the article \\ \textit{$source_article}\par}
  \vspace{1.5em}
  {\small Version $release, $today\par}
\end{titlepage}
\thispagestyle{empty}
\vspace*{\fill}
{\small\noindent $project. $subtitle\par\medskip
\noindent\copyright{} $copyright. The text written for this book is available under the
Creative Commons Attribution 4.0 licence (CC BY 4.0); the article text remains its authors'.\par}
\clearpage
"""
_LATEX_PREAMBLE = r"""
\hypersetup{
  pdftitle={$project},
  pdfauthor={$author},
  pdfsubject={$subtitle},
  pdfkeywords={machine learning, software engineering, machine learning engineer,
    software engineer, careers, glossary},
  pdflang={en},
}
% The index lists terms, not code: in the text face, not in typewriter.
\renewcommand{\sphinxstyleindexentry}[1]{#1}
% Long URLs: a ragged right edge rather than words stretched apart.
\usepackage{etoolbox}
\AtBeginEnvironment{sphinxthebibliography}{\raggedright}
"""
latex_elements = {
    "papersize": _paper + "paper",
    "extraclassoptions": "openany,oneside",
    "maketitle": string.Template(_LATEX_TITLE_PAGE).substitute(globals()),
    "preamble": string.Template(_LATEX_PREAMBLE).substitute(globals()),
}
latex_show_urls = "footnote"

# -- EPUB -----------------------------------------------------------------------
epub_basename = "mle-vs-swe"
epub_title = project
epub_author = author
epub_contributor = author
epub_publisher = author
epub_copyright = copyright
epub_description = description
epub_identifier = "mle-vs-swe-docs-1.0"
epub_uid = epub_identifier  # must equal the identifier and be an XML name
epub_scheme = "URL"
epub_show_urls = "footnote"
epub_cover = ("_static/cover.svg", "epub-cover.html")
# Sphinx's plain "epub" theme plus a stylesheet for e-ink (no furo, no JavaScript).
epub_theme = "epub"
epub_css_files = ["book.css"]
epub_use_index = False  # a general index of links is of little use in a reader
epub_exclude_files = [
    "search.html",
    "genindex.html",
    "_static/site.css",
    "_static/favicon.svg",
    "_static/social-card.png",  # the web's link-preview image
]

# -- Book downloads -------------------------------------------------------------
# `nox -s dist` names the PDF and EPUB here (os.pathsep-separated) for the
# {book-downloads} links; plain builds leave it empty and show no link.
book_downloads = [p for p in os.environ.get("BOOK_DOWNLOADS", "").split(os.pathsep) if p]
