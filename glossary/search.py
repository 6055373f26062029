"""Find glossary entries for a query, forgiving one slip of the keyboard.

The same rules drive the command line (``python -m glossary search``) and,
in ``static/glossary.js``, the glossary filter and the search page's glossary
box: exact term, then exact alias, then a name one edit away (for names of
five letters or more), then names containing the query, then definitions
containing every word of it; ties A to Z.  Both implementations are tested
against the same cases, ``tests/data/search-cases.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .names import fold

#: Names shorter than this must be typed exactly: one edit turns "SVM" into "SQL".
FUZZY_MIN_LENGTH = 5

#: Why an entry matched, by rank (lower sorts first).
REASONS: tuple[str, ...] = (
    "term",
    "alias",
    "near match",
    "name contains the query",
    "definition",
)


class Searchable(Protocol):
    """What the search reads of an entry: its names (term first) and its plain definition."""

    @property
    def names(self) -> tuple[str, ...]: ...

    @property
    def definition(self) -> str: ...


E = TypeVar("E", bound=Searchable)


@dataclass(frozen=True)
class Match(Generic[E]):
    """An entry found for a query, and why (lower rank sorts first)."""

    term: E
    rank: int

    @property
    def reason(self) -> str:
        return REASONS[self.rank]


def within_one_edit(a: str, b: str) -> bool:
    """True if *b* is *a* with at most one letter wrong, missing, extra or swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1 :]


def rank(names: list[str], definition: str, query: str) -> int | None:
    """How well folded *names* and *definition* match a folded *query*; None: not at all."""
    if names[0] == query:
        return 0
    if query in names[1:]:
        return 1
    # A name of five letters or more, with one letter missing, reads as four.
    if any(len(name) >= FUZZY_MIN_LENGTH and within_one_edit(query, name) for name in names):
        return 2
    if any(query in name for name in names):
        return 3
    if all(word in definition for word in query.split(" ")):
        return 4
    return None


def search(entries: Iterable[E], query: str) -> list[Match[E]]:
    """Every entry matching *query*, best first."""
    wanted = fold(query)
    if not wanted:
        return []
    found: list[Match[E]] = []
    for entry in entries:
        found_rank = rank([fold(name) for name in entry.names], fold(entry.definition), wanted)
        if found_rank is not None:
            found.append(Match(entry, found_rank))
    return sorted(found, key=lambda m: (m.rank, fold(m.term.names[0])))
