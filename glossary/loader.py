"""Loading a folder of term files: every entry that loaded and every problem, A to Z.

:func:`load_glossary` reads each file (:mod:`glossary.files`), checks each one
and the set as a whole (:mod:`glossary.checks`), and keeps each file's parse
in an optional cache keyed by its bytes, so that a rebuild parses only the
files that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .checks import check_file, check_glossary
from .files import (
    CATEGORIES,
    MAX_FILE_BYTES,
    Problem,
    Term,
    decode,
    read_bib_keys,
    split_front_matter,
    term_files,
    term_from,
)
from .names import fold, name_index

#: Path -> (the file's digest and the categories and checks it was checked with, the
#: entry parsed from it, its problems): the last parse of each term file.
ParseCache = MutableMapping[
    str, tuple[tuple[bytes, tuple[str | bool, ...]], "Term | None", list["Problem"]]
]


@dataclass
class Glossary:
    """Every entry that loaded cleanly, and every problem found."""

    terms: list[Term]
    problems: list[Problem]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def by_name(self) -> dict[str, Term]:
        """Map each folded term and alias to its entry (:func:`~glossary.names.name_index`)."""
        return name_index(self.terms, lambda term: term.names)

    def lookup(self, name: str) -> Term | None:
        return self.by_name().get(fold(name))


def parse_term_file(
    path: Path,
    categories: Sequence[str] = CATEGORIES,
    cache: ParseCache | None = None,
    *,
    references: bool = True,
) -> tuple[Term | None, list[Problem]]:
    """Read one term file; return the entry (or None) and what is wrong with it.

    An entry with field problems is kept: the checks across files still run
    on it, so one build reports every mistake; the problems fail the build.
    With *cache*, a file whose bytes and *categories* are those of the last
    parse is not parsed again (the Sphinx extension keeps the cache between
    builds).
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # never more than the limit into memory
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [Problem(path, 1, f"cannot read the file: {reason}", "check the file")]
    checked: tuple[str | bool, ...] = (*categories, references)
    key = (hashlib.blake2b(data, digest_size=16).digest(), checked)
    if cache is not None and (found := cache.get(str(path))) is not None and found[0] == key:
        return found[1], list(found[2])
    text = decode(path, data)
    front = text if isinstance(text, Problem) else split_front_matter(path, text)
    parsed: tuple[Term | None, list[Problem]]
    if isinstance(front, Problem):
        parsed = None, [front]
    else:
        parsed = term_from(front), list(check_file(front, categories, references=references))
    if cache is not None:
        cache[str(path)] = (key, *parsed)
    return parsed


def load_glossary(
    directory: Path,
    bib: Path | Iterable[Path] | None = None,
    *,
    categories: Sequence[str] = CATEGORIES,
    references: bool = True,
    cache: ParseCache | None = None,
) -> Glossary:
    """Load every ``*.md`` term file under *directory*, sorted A to Z.

    *bib*, when given, is the BibTeX file (or files) whose keys ``sources``
    must name; *categories* are the names a file may use; *references* False
    leaves the checks of links to Sphinx (see :func:`check_glossary`);
    *cache* keeps each file's parse for the next load (:func:`parse_term_file`;
    files no longer there are dropped from it).
    Entries whose front matter cannot be read, or that have no term, are left
    out; every other problem is reported and the entry kept.
    """
    terms: list[Term] = []
    problems: list[Problem] = []
    paths = term_files(directory) if directory.is_dir() else []
    if not directory.is_dir():
        problems.append(
            Problem(
                directory,
                0,
                "no such folder of term files",
                "run from the project's root, or name the folder (--terms FOLDER)",
            )
        )
    elif not paths:
        problems.append(
            Problem(directory, 0, "no term files found", "add files named <slug>.md to this folder")
        )
    for path in paths:
        term, found = parse_term_file(path, categories, cache, references=references)
        problems.extend(found)
        if term is not None:
            terms.append(term)
    if cache is not None:
        for gone in cache.keys() - {str(path) for path in paths}:
            del cache[gone]
    bibs = [bib] if isinstance(bib, Path) else list(bib or [])
    bib_keys = set().union(*map(read_bib_keys, bibs)) if bib is not None else None
    # A to Z first: the checks and every index of names then agree on which of two
    # entries claiming one name comes first (names.name_index).
    terms.sort(key=lambda t: (fold(t.term), t.term, t.path.name))
    problems.extend(check_glossary(terms, bib_keys, references=references))
    return Glossary(terms=terms, problems=problems)
