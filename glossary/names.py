"""Names as readers compare them, and the one index from each name to its entry.

Every part of the engine that looks a term or alias up (the loader's checks,
the directive, the collector, the linked data) goes through :func:`fold` and
:func:`name_index`, so that they agree on what is the same name and on who
owns a name two entries claim: the first, in the order of the term files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

Entry = TypeVar("Entry")


def fold(text: str) -> str:
    """Compare names the way readers do: case, width and spacing ignored.

    NFKC (full-width letters, ligatures), Unicode case folding ("ß" and "ẞ"
    match "ss"), NFKC again (folding may leave decomposed letters), then runs
    of white space as one space.  ``fold`` in ``static/glossary.js`` does the
    same; a browser test compares the two on every character.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def name_index(
    entries: Iterable[Entry], names: Callable[[Entry], Iterable[str]]
) -> dict[str, Entry]:
    """Each folded name of *entries* -> the first entry that has it.

    Two entries claiming one name is a writer's mistake that the loader
    reports; until it is fixed, the first entry (A to Z, as the glossary lists
    them) keeps the name, everywhere.
    """
    index: dict[str, Entry] = {}
    for entry in entries:
        for name in names(entry):
            index.setdefault(fold(name), entry)
    return index
