"""Names the engine's modules share: its static files, the builders that write HTML."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"


HTML_BUILDERS = frozenset({"html", "dirhtml"})


#: The page whose glossary box needs every entry; other pages get only their previews.
SEARCH_PAGE = "search"
