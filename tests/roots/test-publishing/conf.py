"""A two-term site at an address with a path: the publishing extensions in-process."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "docs" / "_ext")]

project = "Tiny guide"
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "glossary",
    "notfound.extension",
    "publishing",
    "glossary.linked_data",
]
html_baseurl = "https://site.invalid/docs/"
notfound_urls_prefix = "/docs/"
glossary_terms_dir = str(HERE / "terms")
exclude_patterns = ["terms"]  # term files, not pages
bibtex_bibfiles = ["refs.bib"]
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False
