"""A second project using the glossary extension: its own terms and categories."""

project = "Field notes"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "glossary"]
exclude_patterns = ["_build", "terms"]
nitpicky = True

glossary_terms_dir = "terms"  # relative to this file
glossary_categories = ["plants", "animals", "weather", "minerals"]
bibtex_bibfiles = ["refs.bib"]
