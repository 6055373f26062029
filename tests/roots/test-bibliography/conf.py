"""A small project citing two entries, for the in-process tests of docs/_ext/pybtex_plugins.py
and of writer_checks.py's BibTeX check.

The tests put docs/_ext on sys.path (this file is copied to a temporary folder).
"""

project = "Citations"
extensions = ["myst_parser", "pybtex_plugins", "sphinxcontrib.bibtex", "writer_checks"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
nitpicky = True
