"""Read and validate the glossary's term files, without Sphinx.

Each term lives in ``glossary/terms/<slug>.md``: YAML front matter between two
``---`` lines, then the definition in MyST Markdown.  :func:`load_glossary`
reads every file, checks each one and the set as a whole, and returns the
entries together with every problem found, each tied to a file and a line, so
that a writer sees all mistakes of one build at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, MutableMapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .text import first_sentence, tex_to_text, tidy

#: This project's categories (the Sphinx option ``glossary_categories`` defaults to them).
CATEGORIES: tuple[str, ...] = (
    "machine learning",
    "data",
    "evaluation",
    "software engineering",
    "tools and languages",
    "mathematics",
    "roles and work",
)

REQUIRED_FIELDS: tuple[str, ...] = ("term", "aliases", "category", "see_also", "sources")

#: Where the term files live, next to this module.
TERMS_DIR = Path(__file__).parent / "terms"

# A MyST role as written in a definition: {name}`text` or {name}`text <target>`.
_ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<content>[^`]*)`")
_EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_MATH = re.compile(r"\$([^$]+)\$")
_CODE = re.compile(r"`([^`]+)`")
_BIB_KEY = re.compile(r"^\s*@\s*(?!comment|preamble|string)\w+\s*[{(]\s*([^,\s]+)\s*,", re.I | re.M)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the glossary, located in a file and line."""

    path: Path
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Term:
    """One glossary entry as written in its file."""

    term: str
    aliases: tuple[str, ...]
    category: str
    see_also: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    path: Path
    #: 1-based line of each front-matter field, of each list item, and of the first body line.
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    items: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)
    body_line: int = 1

    def item_line(self, key: str, index: int) -> int:
        """The line of item *index* of a list field (the field's line if unknown)."""
        lines = self.items.get(key, ())
        return lines[index] if index < len(lines) else self.lines.get(key, 1)

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def names(self) -> tuple[str, ...]:
        """The term first, then its aliases: every name a reader may look up."""
        return (self.term, *self.aliases)

    @property
    def letter(self) -> str:
        """The A-to-Z group the entry is filed under."""
        first = next((c for c in fold(self.term) if c.isalnum()), "#")
        return first.upper() if first.isalpha() else "#"

    def plain_text(self) -> str:
        """The definition as plain text, read from the source (for the command line).

        A Sphinx build takes the same text from the parsed definition instead;
        a test checks that the two agree for every entry.
        """
        return markup_to_text(self.body)

    @property
    def definition(self) -> str:
        """What the search matches besides the names (see :mod:`glossary.search`)."""
        return self.plain_text()

    def summary(self) -> str:
        """The first sentence of the definition, used for previews."""
        return first_sentence(self.plain_text())


#: Path -> (the file's digest and the categories it was checked against, the
#: entry parsed from it, its problems): the last parse of each term file.
ParseCache = MutableMapping[
    str, tuple[tuple[bytes, tuple[str, ...]], "Term | None", list["Problem"]]
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
        """Map each folded term and alias to its entry."""
        return {fold(name): term for term in self.terms for name in term.names}

    def lookup(self, name: str) -> Term | None:
        return self.by_name().get(fold(name))


def fold(text: str) -> str:
    """Compare names the way readers do: case, width and spacing ignored.

    NFKC (full-width letters, ligatures), Unicode case folding ("ß" and "ẞ"
    match "ss"), NFKC again (folding may leave decomposed letters), then runs
    of white space as one space.  ``fold`` in ``static/glossary.js`` does the
    same; a browser test compares the two on every character.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def markup_to_text(body: str) -> str:
    """Reduce MyST inline markup to its visible text, math to readable text without TeX."""

    def role(match: re.Match[str]) -> str:
        name, content = match["name"], match["content"]
        if name.startswith("cite"):
            return ""
        explicit = _EXPLICIT_TARGET.match(content)
        return explicit["text"] if explicit else content

    text = _ROLE.sub(role, body)
    text = _MATH.sub(lambda match: tex_to_text(match[1]), text)
    text = _CODE.sub(r"\1", text)
    text = re.sub(r"[*_]{1,2}([^*_]+)[*_]{1,2}", r"\1", text)
    return tidy(text)


def role_targets(body: str, role: str) -> Iterator[tuple[str, int]]:
    """Yield each target of ``{role}`` in a definition, with its 0-based line offset."""
    for match in _ROLE.finditer(body):
        if match["name"] != role:
            continue
        content = match["content"]
        explicit = _EXPLICIT_TARGET.match(content)
        target = explicit["target"] if explicit else content
        offset = body.count("\n", 0, match.start())
        if role.startswith("cite"):
            for key in target.split(","):
                yield key.strip(), offset
        else:
            yield " ".join(target.split()), offset


def read_bib_keys(path: Path) -> set[str]:
    """The entry keys of a BibTeX file (only the keys: rendering is pybtex's job)."""
    return set(_BIB_KEY.findall(path.read_text(encoding="utf-8")))


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse *text* once: the node tree (for line numbers) and the data built from it.

    libyaml's parser, when PyYAML has it, is several times faster, which
    counts with thousands of terms; but it places some errors on another
    line, so a file it rejects is parsed again by PyYAML for the message.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        with contextlib.suppress(yaml.YAMLError):
            return _parse_with(fast, text)
    return _parse_with(yaml.SafeLoader, text)


def _parse_with(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass(frozen=True)
class FrontMatter:
    """A term file split into its parsed YAML fields and its definition."""

    path: Path
    data: dict[str, Any]
    #: 1-based line of each field, and of each item of a list field.
    lines: dict[str, int]
    items: dict[str, tuple[int, ...]]
    body: str
    body_line: int

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def _problem(path: Path, line: int, message: str, hint: str) -> Problem:
    return Problem(path, line, message, hint)


def split_front_matter(path: Path, text: str) -> FrontMatter | Problem:
    """Separate the YAML fields from the definition, or say why they cannot be."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return Problem(
            path,
            1,
            "the file does not start with front matter ('---' line)",
            "begin the file with '---', the YAML fields, then '---'",
        )
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), 0)
    if not closing:
        return Problem(
            path,
            1,
            "the front matter is never closed",
            "add a line '---' after the last YAML field",
        )
    try:
        node, data = _parse_yaml("\n".join(lines[1:closing]))
    except yaml.YAMLError as error:
        # Where the broken construct starts (an unclosed list, say) is where the
        # writer has to look; the parser notices only further down.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return Problem(
            path,
            mark.line + 2 if mark else 1,
            f"the front matter is not valid YAML: {reason}",
            "check the indentation, colons and quotes on this line",
        )
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return Problem(
            path,
            2,
            "the front matter must be YAML fields ('name: value')",
            f"write the fields {', '.join(REQUIRED_FIELDS)}",
        )
    field_lines = {key.value: key.start_mark.line + 2 for key, _ in node.value}
    items = {
        key.value: tuple(item.start_mark.line + 2 for item in value.value)
        for key, value in node.value
        if isinstance(value, yaml.SequenceNode)
    }
    body_lines = lines[closing + 1 :]
    offset = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
    return FrontMatter(
        path=path,
        data=data,
        lines=field_lines,
        items=items,
        body="\n".join(body_lines[offset:]).strip(),
        body_line=closing + 2 + offset,
    )


# -- Checks of one file: each yields what is wrong, with its line ----------------


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
    if "category" in front.data and category not in categories:
        yield _problem(
            front.path,
            front.line("category"),
            f"unknown category {category!r}",
            f"use one of: {', '.join(categories)}",
        )


#: The list fields, and whether each may be empty.
LIST_FIELDS: tuple[tuple[str, bool], ...] = (
    ("aliases", True),
    ("see_also", False),
    ("sources", False),
)


def is_name_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


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
    if not front.body:
        yield _problem(
            front.path,
            front.line("term"),
            "the definition is empty",
            "write the definition below the closing '---'",
        )


def check_file(front: FrontMatter, categories: Sequence[str]) -> Iterator[Problem]:
    """Every check of a single term file."""
    yield from check_fields(front)
    yield from check_term(front)
    yield from check_category(front, categories)
    yield from check_lists(front)
    yield from check_body(front)


def term_from(front: FrontMatter) -> Term | None:
    """The entry a file describes, or None when it names no term."""
    term = front.data.get("term")
    if not isinstance(term, str) or not term.strip():
        return None

    def names(key: str) -> tuple[str, ...]:
        value = front.data.get(key, [])
        return tuple(" ".join(v.split()) for v in value) if is_name_list(value) else ()

    return Term(
        term=" ".join(term.split()),
        aliases=names("aliases"),
        category=str(front.data.get("category")),
        see_also=names("see_also"),
        sources=names("sources"),
        body=front.body,
        path=front.path,
        lines=front.lines,
        items=front.items,
        body_line=front.body_line,
    )


def parse_term_file(
    path: Path, categories: Sequence[str] = CATEGORIES, cache: ParseCache | None = None
) -> tuple[Term | None, list[Problem]]:
    """Read one term file; return the entry (or None) and what is wrong with it.

    An entry with field problems is kept: the checks across files still run
    on it, so one build reports every mistake; the problems fail the build.
    With *cache*, a file whose bytes and *categories* are those of the last
    parse is not parsed again (the Sphinx extension keeps the cache between
    builds).
    """
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(path, 1, f"cannot read the file: {error}", "save it as UTF-8")]
    key = (hashlib.blake2b(data, digest_size=16).digest(), tuple(categories))
    if cache is not None and (found := cache.get(str(path))) is not None and found[0] == key:
        return found[1], list(found[2])
    front = split_front_matter(path, text)
    parsed: tuple[Term | None, list[Problem]]
    if isinstance(front, Problem):
        parsed = None, [front]
    else:
        parsed = term_from(front), list(check_file(front, categories))
    if cache is not None:
        cache[str(path)] = (key, *parsed)
    return parsed


# -- Checks across files ----------------------------------------------------------


def owners(terms: Iterable[Term]) -> dict[str, Term]:
    """Each folded name and the first entry that claims it."""
    owner: dict[str, Term] = {}
    for term in terms:
        for name in term.names:
            owner.setdefault(fold(name), term)
    return owner


def check_unique_names(terms: Sequence[Term]) -> Iterator[Problem]:
    """Each term and alias is used once, whatever its case."""
    owner: dict[str, Term] = {}
    for term in terms:
        for name in term.names:
            key = "aliases" if name in term.aliases else "term"
            first = owner.setdefault(fold(name), term)
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


def check_see_also_resolves(terms: Sequence[Term]) -> Iterator[Problem]:
    owner = owners(terms)
    for term in terms:
        for index, name in enumerate(term.see_also):
            if fold(name) not in owner:
                yield Problem(
                    term.path,
                    term.item_line("see_also", index),
                    f"see_also names {name!r}, which is no glossary term",
                    "spell it as another file's 'term:' or add that term",
                )


def check_term_links(terms: Sequence[Term]) -> Iterator[Problem]:
    """Every ``{term}`` in a definition names a term or alias."""
    owner = owners(terms)
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
    yield from check_unique_names(terms)
    yield from check_see_also_itself(terms)
    if not references:
        return
    yield from check_see_also_resolves(terms)
    yield from check_term_links(terms)
    if bib_keys is not None:
        yield from check_sources(terms, bib_keys)
        yield from check_citations(terms, bib_keys)


def load_glossary(
    directory: Path = TERMS_DIR,
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
    paths = sorted(directory.glob("*.md"))
    if not paths:
        problems.append(
            Problem(directory, 0, "no term files found", "add files named <slug>.md to this folder")
        )
    for path in paths:
        term, found = parse_term_file(path, categories, cache)
        problems.extend(found)
        if term is not None:
            terms.append(term)
    if cache is not None:
        for gone in cache.keys() - {str(path) for path in paths}:
            del cache[gone]
    bibs = [bib] if isinstance(bib, Path) else list(bib or [])
    bib_keys = set().union(*map(read_bib_keys, bibs)) if bib is not None else None
    problems.extend(check_glossary(terms, bib_keys, references=references))
    terms.sort(key=lambda t: (fold(t.term), t.term))
    return Glossary(terms=terms, problems=problems)
