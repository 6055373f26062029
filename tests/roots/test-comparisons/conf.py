"""A small project with role comparisons, for the in-process tests of docs/_ext/comparisons.py.

The tests put docs/_ext on sys.path (this file is copied to a temporary folder).
"""

project = "Comparisons"
extensions = ["myst_parser", "sphinx_design", "comparisons"]
myst_enable_extensions = ["colon_fence"]
latex_engine = "xelatex"
latex_documents = [("index", "book.tex", project, "Test", "manual", False)]
version = release = "1.0"
copyright = "Test"  # EPUB 3 asks for both
