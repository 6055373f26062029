"""Find glossary entries for a query, forgiving slips of the keyboard.

The same rules drive the command line (``python -m glossary search``) and,
in ``static/glossary.js``, the glossary filter and the search page's glossary
box: exact term, then exact alias, then a near match (word by word, one edit
allowed in a word of five letters or more, two in a word of nine or more),
then names containing the query, then definitions containing every word of
it; ties A to Z.  The site's search as you type (``static/glossary-search.js``)
puts the entries these rules name first.  Every implementation is tested
against the same cases, ``tests/data/search-cases.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .names import fold

#: Words shorter than this must be typed exactly: one edit turns "SVM" into "SQL".
FUZZY_MIN_LENGTH = 5
#: Words this long or longer forgive two edits.
TWO_EDITS_MIN_LENGTH = 9

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


def allowed_edits(word: str) -> int:
    """How many typos a word of a name forgives: 0 under five letters, 1, then 2 from nine."""
    if len(word) >= TWO_EDITS_MIN_LENGTH:
        return 2
    return 1 if len(word) >= FUZZY_MIN_LENGTH else 0


def within_edits(a: str, b: str, limit: int) -> bool:
    """True if *b* is *a* with at most *limit* letters wrong, missing, extra or swapped.

    The optimal string alignment distance (Levenshtein's, with a swap of two
    neighbouring letters as one edit), computed in a band of width *limit*.
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    previous: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, row = previous, row, [i] + [limit + 1] * len(b)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return False
    return row[len(b)] <= limit


def within_one_edit(a: str, b: str) -> bool:
    """True if *b* is *a* with at most one letter wrong, missing, extra or swapped."""
    return within_edits(a, b, 1)


def near(name: str, query: str) -> bool:
    """Whether a folded *query* is a folded *name* typed with the typos its words forgive.

    Word by word, each as long as the name's word allows (a word typed with a
    letter missing is one letter shorter than the name's).
    """
    names, words = name.split(" "), query.split(" ")
    return len(names) == len(words) and all(
        within_edits(word, part, allowed_edits(part))
        for word, part in zip(words, names, strict=True)
    )


def rank(names: list[str], definition: str, query: str) -> int | None:
    """How well folded *names* and *definition* match a folded *query*; None: not at all."""
    if names[0] == query:
        return 0
    if query in names[1:]:
        return 1
    if any(near(name, query) for name in names):
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
