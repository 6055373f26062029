"""Read and validate the glossary's term files, without Sphinx.

Each term lives in ``glossary/terms/<slug>.md``: YAML front matter between two
``---`` lines, then the definition in MyST Markdown.  :func:`load_glossary`
reads every file, checks each one and the set as a whole, and returns the
entries together with every problem found, each tied to a file and a line, so
that a writer sees all mistakes of one build at once.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: The fixed set of categories; a term file must name one of them.
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
    #: 1-based line of each front-matter field, and of the first body line.
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    body_line: int = 1

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
        """The definition as plain text: roles reduced to the words a reader sees."""
        return markup_to_text(self.body)

    def summary(self) -> str:
        """The first sentence of the definition, used for previews."""
        return first_sentence(self.plain_text())


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
    """Compare names the way readers do: case, width and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def markup_to_text(body: str) -> str:
    """Reduce MyST inline markup to its visible text."""

    def replace(match: re.Match[str]) -> str:
        name, content = match["name"], match["content"]
        if name.startswith("cite"):
            return ""
        explicit = _EXPLICIT_TARGET.match(content)
        return explicit["text"] if explicit else content

    text = _ROLE.sub(replace, body)
    text = re.sub(r"\$([^$]+)\$", r"\1", text)
    text = re.sub(r"[*_]{1,2}([^*_]+)[*_]{1,2}", r"\1", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    """The text up to and including the first full stop that ends a sentence."""
    match = re.search(r"(?<![A-Z][a-z]\.)(?<!\be\.g\.)(?<!\bi\.e\.)[.!?](\s|$)", text)
    return text[: match.end()].strip() if match else text


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


def parse_term_file(path: Path) -> tuple[Term | None, list[Problem]]:
    """Read one term file; return the entry (or None) and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(path, 1, f"cannot read the file: {error}", "save it as UTF-8")]
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, [
            Problem(
                path,
                1,
                "the file does not start with front matter ('---' line)",
                "begin the file with '---', the YAML fields, then '---'",
            )
        ]
    try:
        closing = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        return None, [
            Problem(
                path,
                1,
                "the front matter is never closed",
                "add a line '---' after the last YAML field",
            )
        ]

    header = "\n".join(lines[1:closing])
    try:
        node, data = _parse_yaml(header)
    except yaml.YAMLError as error:
        # Where the broken construct starts (an unclosed list, say) is where the
        # writer has to look; the parser notices only further down.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, [
            Problem(
                path,
                line,
                f"the front matter is not valid YAML: {reason}",
                "check the indentation, colons and quotes on this line",
            )
        ]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, [
            Problem(
                path,
                2,
                "the front matter must be YAML fields ('name: value')",
                f"write the fields {', '.join(REQUIRED_FIELDS)}",
            )
        ]

    field_lines = {key.value: key.start_mark.line + 2 for key, _ in node.value}
    body_lines = lines[closing + 1 :]
    body_offset = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
    body = "\n".join(body_lines[body_offset:]).strip()
    body_line = closing + 2 + body_offset

    problems: list[Problem] = []

    def check(condition: bool, key: str, message: str, hint: str) -> None:
        if not condition:
            problems.append(Problem(path, field_lines.get(key, 1), message, hint))

    for key in REQUIRED_FIELDS:
        check(key in data, key, f"the field '{key}' is missing", f"add a line '{key}: ...'")
    for key in sorted(set(data) - set(REQUIRED_FIELDS)):
        check(False, key, f"unknown field '{key}'", f"the fields are {', '.join(REQUIRED_FIELDS)}")

    term = data.get("term")
    check(
        "term" not in data or (isinstance(term, str) and term.strip() != ""),
        "term",
        "the field 'term' must be non-empty text",
        "write the term as readers see it",
    )
    category = data.get("category")
    check(
        "category" not in data or category in CATEGORIES,
        "category",
        f"unknown category {category!r}",
        f"use one of: {', '.join(CATEGORIES)}",
    )

    lists: dict[str, tuple[str, ...]] = {}
    for key, may_be_empty in (("aliases", True), ("see_also", False), ("sources", False)):
        value = data.get(key, [])
        valid = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        check(
            key not in data or valid,
            key,
            f"the field '{key}' must be a list of names",
            f"write it as '{key}: [a, b]' or one '- name' per line",
        )
        check(
            key not in data or may_be_empty or not valid or value,
            key,
            f"the field '{key}' is empty",
            f"give at least one entry in '{key}'",
        )
        lists[key] = tuple(" ".join(v.split()) for v in value) if valid else ()
    check(
        body != "",
        "term",
        "the definition is empty",
        "write the definition below the closing '---'",
    )

    if not isinstance(term, str) or not term.strip():
        return None, problems
    # Keep an entry with field problems: the checks across files still run on
    # it, so one build reports every mistake; the problems fail the build.
    return Term(
        term=" ".join(term.split()),
        aliases=lists["aliases"],
        category=str(category),
        see_also=lists["see_also"],
        sources=lists["sources"],
        body=body,
        path=path,
        lines=field_lines,
        body_line=body_line,
    ), problems


def check_glossary(terms: Iterable[Term], bib_keys: set[str] | None) -> list[Problem]:
    """Check what no single file can: unique names, and references that resolve."""
    problems: list[Problem] = []
    owner: dict[str, Term] = {}
    for term in terms:
        for name in term.names:
            key = "aliases" if name in term.aliases else "term"
            first = owner.setdefault(fold(name), term)
            if first is not term:
                problems.append(
                    Problem(
                        term.path,
                        term.lines.get(key, 1),
                        f"{name!r} is already a term or alias in {first.path.name}",
                        "each term and alias may be used once (case is ignored): "
                        "merge the two entries or remove one name",
                    )
                )
            elif name is not term.term and fold(name) == fold(term.term):
                problems.append(
                    Problem(
                        term.path,
                        term.lines.get(key, 1),
                        f"the alias {name!r} repeats the term",
                        "remove the alias",
                    )
                )

    for term in terms:
        for name in term.see_also:
            target = owner.get(fold(name))
            if target is None:
                problems.append(
                    Problem(
                        term.path,
                        term.lines["see_also"],
                        f"see_also names {name!r}, which is no glossary term",
                        "spell it as another file's 'term:' or add that term",
                    )
                )
            elif target is term:
                problems.append(
                    Problem(
                        term.path,
                        term.lines["see_also"],
                        f"see_also names the entry itself ({name!r})",
                        "list other terms only",
                    )
                )
        for name, offset in role_targets(term.body, "term"):
            if fold(name) not in owner:
                problems.append(
                    Problem(
                        term.path,
                        term.body_line + offset,
                        f"{{term}} names {name!r}, which is no glossary term",
                        "link an existing term or alias, or add the term",
                    )
                )
        if bib_keys is not None:
            for key in term.sources:
                if key not in bib_keys:
                    problems.append(
                        Problem(
                            term.path,
                            term.lines["sources"],
                            f"source {key!r} is not in the bibliography",
                            "add the entry to docs/references.bib or fix the key",
                        )
                    )
            for key, offset in role_targets(term.body, "cite:p"):
                if key not in bib_keys:
                    problems.append(
                        Problem(
                            term.path,
                            term.body_line + offset,
                            f"citation {key!r} is not in the bibliography",
                            "add the entry to docs/references.bib or fix the key",
                        )
                    )
    return problems


def load_glossary(directory: Path = TERMS_DIR, bib: Path | None = None) -> Glossary:
    """Load every ``*.md`` term file under *directory*, sorted A to Z.

    *bib*, when given, is the BibTeX file whose keys ``sources`` must name.
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
        term, found = parse_term_file(path)
        problems.extend(found)
        if term is not None:
            terms.append(term)
    bib_keys = read_bib_keys(bib) if bib is not None else None
    problems.extend(check_glossary(terms, bib_keys))
    terms.sort(key=lambda t: (fold(t.term), t.term))
    return Glossary(terms=terms, problems=problems)
