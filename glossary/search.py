"""Find glossary entries for a query, forgiving one slip of the keyboard.

The same rules drive the command line (``python -m glossary search``) and,
mirrored in ``static/glossary.js``, the glossary filter and the search page's
glossary box: exact term, then exact alias, then a name one edit away (for
names of five letters or more), then names containing the query, then
definitions containing every word of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .loader import Term, fold

#: Names shorter than this must be typed exactly: one edit turns "SVM" into "SQL".
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Match:
    """An entry found for a query, and why (lower rank sorts first)."""

    term: Term
    rank: int
    reason: str


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


def search(terms: Iterable[Term], query: str) -> list[Match]:
    """Every entry matching *query*, best first."""
    wanted = fold(query)
    if not wanted:
        return []
    words = wanted.split()
    found: list[Match] = []
    for term in terms:
        names = [fold(name) for name in term.names]
        if names[0] == wanted:
            found.append(Match(term, 0, "term"))
        elif wanted in names[1:]:
            found.append(Match(term, 1, "alias"))
        elif any(  # a name of five letters or more with one missing reads as four
            len(name) >= FUZZY_MIN_LENGTH and within_one_edit(wanted, name) for name in names
        ):
            found.append(Match(term, 2, "near match"))
        elif any(wanted in name for name in names):
            found.append(Match(term, 3, "name contains the query"))
        elif all(word in fold(term.plain_text()) for word in words):
            found.append(Match(term, 4, "definition"))
    return sorted(found, key=lambda m: (m.rank, fold(m.term.term)))
