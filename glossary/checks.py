"""The checks of the term files: each field of one file, then what no single file can see.

Each check yields :class:`~glossary.files.Problem` objects with the line a
writer has to edit, so that one build or one ``python -m glossary check``
reports every mistake at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set

from .files import REQUIRED_FIELDS, FrontMatter, Problem, Term, _problem, is_name_list, quote
from .markup import RAW_HTML_HINT, has_text, raw_html, role_targets
from .names import fold, name_index


def check_fields(front: FrontMatter) -> Iterator[Problem]:
    """Every required field is there, and no other."""
    for key in REQUIRED_FIELDS:
        if key not in front.data:
            yield _problem(
                front.path, 1, f"the field '{key}' is missing", f"add a line '{key}: ...'"
            )
    for key in sorted(set(front.data) - set(REQUIRED_FIELDS)):
        yield _problem(
            front.path,
            front.line(key),
            f"unknown field '{key}'",
            f"the fields are {', '.join(REQUIRED_FIELDS)}",
        )


def check_term(front: FrontMatter) -> Iterator[Problem]:
    term = front.data.get("term")
    if "term" in front.data and not (isinstance(term, str) and term.strip()):
        yield _problem(
            front.path,
            front.line("term"),
            "the field 'term' must be non-empty text",
            "write the term as readers see it",
        )


def check_category(front: FrontMatter, categories: Sequence[str]) -> Iterator[Problem]:
    category = front.data.get("category")
    if "category" in front.data and (not isinstance(category, str) or category not in categories):
        yield _problem(
            front.path,
            front.line("category"),
            f"unknown category {quote(category)}",
            f"use one of: {', '.join(categories)}",
        )


#: The list fields, and whether each may be empty.
LIST_FIELDS: tuple[tuple[str, bool], ...] = (
    ("aliases", True),
    ("see_also", False),
    ("sources", False),
)


def check_lists(front: FrontMatter) -> Iterator[Problem]:
    """The list fields are lists of names; see_also and sources name at least one."""
    for key, may_be_empty in LIST_FIELDS:
        if key not in front.data:
            continue
        value = front.data[key]
        if not is_name_list(value):
            yield _problem(
                front.path,
                front.line(key),
                f"the field '{key}' must be a list of names",
                f"write it as '{key}: [a, b]' or one '- name' per line",
            )
        elif not value and not may_be_empty:
            yield _problem(
                front.path,
                front.line(key),
                f"the field '{key}' is empty",
                f"give at least one entry in '{key}'",
            )


def check_body(front: FrontMatter) -> Iterator[Problem]:
    if not front.body or not has_text(front.body):
        yield _problem(
            front.path,
            front.body_line if front.body else front.line("term"),
            "the definition is empty",
            "write the definition below the closing '---'",
        )


def check_raw_html(front: FrontMatter) -> Iterator[Problem]:
    """No raw HTML in a definition (a Sphinx build finds it in the parsed definition)."""
    for offset, html in raw_html(front.body):
        yield _problem(
            front.path,
            front.body_line + offset,
            f"raw HTML in the definition: {quote(html)}",
            RAW_HTML_HINT,
        )


def check_file(
    front: FrontMatter, categories: Sequence[str], *, references: bool = True
) -> Iterator[Problem]:
    """Every check of a single term file (*references*: see :func:`check_glossary`)."""
    yield from check_fields(front)
    yield from check_term(front)
    yield from check_category(front, categories)
    yield from check_lists(front)
    yield from check_body(front)
    if references:
        yield from check_raw_html(front)


def owners(terms: Iterable[Term]) -> dict[str, Term]:
    """Each folded name and the first entry that claims it."""
    return name_index(terms, lambda term: term.names)


def check_unique_names(terms: Sequence[Term], owner: Mapping[str, Term]) -> Iterator[Problem]:
    """Each term and alias is used once, whatever its case (*owner*: :func:`owners`)."""
    for term in terms:
        for name in term.names:
            key = "aliases" if name in term.aliases else "term"
            first = owner[fold(name)]
            if first is not term:
                yield Problem(
                    term.path,
                    term.lines.get(key, 1),
                    f"{name!r} is already a term or alias in {first.path.name}",
                    "each term and alias may be used once (case is ignored): "
                    "merge the two entries or remove one name",
                )
            elif name is not term.term and fold(name) == fold(term.term):
                yield Problem(
                    term.path,
                    term.lines.get(key, 1),
                    f"the alias {name!r} repeats the term",
                    "remove the alias",
                )


def check_see_also_itself(terms: Sequence[Term]) -> Iterator[Problem]:
    """No entry sends the reader to itself."""
    for term in terms:
        own = {fold(name) for name in term.names}
        for index, name in enumerate(term.see_also):
            if fold(name) in own:
                yield Problem(
                    term.path,
                    term.item_line("see_also", index),
                    f"see_also names the entry itself ({name!r})",
                    "list other terms only",
                )


def check_see_also_resolves(terms: Sequence[Term], owner: Mapping[str, Term]) -> Iterator[Problem]:
    for term in terms:
        for index, name in enumerate(term.see_also):
            if fold(name) not in owner:
                yield Problem(
                    term.path,
                    term.item_line("see_also", index),
                    f"see_also names {name!r}, which is no glossary term",
                    "spell it as another file's 'term:' or add that term",
                )


def check_term_links(terms: Sequence[Term], owner: Mapping[str, Term]) -> Iterator[Problem]:
    """Every ``{term}`` in a definition names a term or alias."""
    for term in terms:
        for name, offset in role_targets(term.body, "term"):
            if fold(name) not in owner:
                yield Problem(
                    term.path,
                    term.body_line + offset,
                    f"{{term}} names {name!r}, which is no glossary term",
                    "link an existing term or alias, or add the term",
                )


def check_sources(terms: Sequence[Term], bib_keys: Set[str]) -> Iterator[Problem]:
    for term in terms:
        for index, key in enumerate(term.sources):
            if key not in bib_keys:
                yield Problem(
                    term.path,
                    term.item_line("sources", index),
                    f"source {key!r} is not in the bibliography",
                    "add the entry to docs/references.bib or fix the key",
                )


def check_citations(terms: Sequence[Term], bib_keys: Set[str]) -> Iterator[Problem]:
    for term in terms:
        for key, offset in role_targets(term.body, "cite:p"):
            if key not in bib_keys:
                yield Problem(
                    term.path,
                    term.body_line + offset,
                    f"citation {key!r} is not in the bibliography",
                    "add the entry to docs/references.bib or fix the key",
                )


def check_glossary(
    terms: Sequence[Term], bib_keys: Set[str] | None, *, references: bool = True
) -> Iterator[Problem]:
    """Check what no single file can: unique names, and references that resolve.

    *references* False leaves out the checks that a link resolves (see also,
    ``{term}`` and citations in definitions, sources): a Sphinx build resolves
    those links itself and reports each one that does not, so each mistake is
    reported once.
    """
    owner = owners(terms)
    yield from check_unique_names(terms, owner)
    yield from check_see_also_itself(terms)
    if not references:
        return
    yield from check_see_also_resolves(terms, owner)
    yield from check_term_links(terms, owner)
    if bib_keys is not None:
        yield from check_sources(terms, bib_keys)
        yield from check_citations(terms, bib_keys)
