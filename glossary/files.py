"""Reading one term file, without Sphinx: its bytes, its YAML front matter, its entry.

A term file is ``<slug>.md`` in the terms folder: YAML front matter between two
``---`` lines, then the definition in MyST Markdown.  Term files are data sent
in pull requests, so this module trusts nothing: a size limit, UTF-8 (a
byte-order mark allowed), lines counted as editors count them, and YAML with
no anchors, aliases, repeated or non-text keys, checked before anything is
built from it.  What is wrong is a :class:`Problem` at a file and line.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .markup import markup_to_text
from .names import fold
from .text import first_sentence

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


#: Size limits: a term file is a short entry, and nothing a pull request sends may make the
#: build read, parse or hold more (the README states them).
MAX_FILE_BYTES = 64 * 1024


MAX_FRONT_MATTER_CHARS = 8 * 1024


#: How much of a bad value a message quotes.
QUOTE_CHARS = 40


#: Where this site keeps its term files, relative to the project's root: the command
#: line's default when it runs there.
TERMS_DIR = Path("docs") / "terms"


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


def read_bib_keys(path: Path) -> set[str]:
    """The entry keys of a BibTeX file (only the keys: rendering is pybtex's job)."""
    return set(_BIB_KEY.findall(path.read_text(encoding="utf-8")))


class YamlProblem(Exception):
    """A construct the front matter may not use, at a 0-based line of the YAML text."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def _line(text: str, mark: Any) -> int:
    """The 0-based line of a YAML mark, counting ``\\n`` only (YAML also breaks at U+2028)."""
    return text.count("\n", 0, mark.index)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse *text* once: the node tree (for line numbers) and the data built from it.

    Before anything is built from it, the YAML is checked for what a term file
    has no use for and an attacker has: anchors and aliases (a kilobyte of
    nested aliases expands to gigabytes), keys that are not text, and keys
    given twice (the last would silently win).  libyaml's parser, when PyYAML
    has it, is several times faster, which counts with thousands of terms; but
    it places some errors on another line, so a file it rejects is parsed
    again by PyYAML for the message.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        with contextlib.suppress(yaml.YAMLError):
            return _parse_with(fast, text)
    return _parse_with(yaml.SafeLoader, text)


def _parse_with(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    _refuse_references(loader_class, text)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode):
            _check_keys(text, node)
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _refuse_references(loader_class: type, text: str) -> None:
    """Stop at the first anchor (``&name``) or alias (``*name``): data is written out."""
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                _line(text, event.start_mark),
                "the front matter uses a YAML anchor or alias ('&name', '*name')",
                "write each value out in full",
            )


def _check_keys(text: str, node: yaml.MappingNode) -> None:
    """Field names are plain text, each given once."""
    seen: set[str] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
            shown = key.value if isinstance(key, yaml.ScalarNode) else "a list or mapping"
            raise YamlProblem(
                _line(text, key.start_mark),
                f"a field name must be text, not {quote(shown)}",
                f"the fields are {', '.join(REQUIRED_FIELDS)}",
            )
        if key.value in seen:
            raise YamlProblem(
                _line(text, key.start_mark),
                f"the field {quote(key.value)} is given twice",
                "keep one of the two lines",
            )
        seen.add(key.value)


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


def quote(value: object) -> str:
    """*value* as a message shows it: its repr, cut to :data:`QUOTE_CHARS` characters."""
    # Values are small (the front matter has a size limit, aliases are refused), so repr is cheap.
    text = repr(value)
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "\N{HORIZONTAL ELLIPSIS}"


def source_lines(text: str) -> list[str]:
    """*text* split into lines as editors count them: at ``\\n`` only.

    ``str.splitlines`` also breaks at U+2028, form feeds and other characters
    that editors show inside a line, which would shift every later line number.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def split_front_matter(path: Path, text: str) -> FrontMatter | Problem:
    """Separate the YAML fields from the definition, or say why they cannot be."""
    lines = source_lines(text)
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
    yaml_text = "\n".join(lines[1:closing])
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        return Problem(
            path,
            1,
            f"the front matter is longer than {MAX_FRONT_MATTER_CHARS} characters",
            "a term's fields are a few short lines: move text into the definition",
        )
    try:
        node, data = _parse_yaml(yaml_text)
    except YamlProblem as problem:
        return Problem(path, problem.line + 2, problem.message, problem.hint)
    except yaml.YAMLError as error:
        # Where the broken construct starts (an unclosed list, say) is where the
        # writer has to look; the parser notices only further down.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return Problem(
            path,
            _line(yaml_text, mark) + 2 if mark else 1,
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
    field_lines = {key.value: _line(yaml_text, key.start_mark) + 2 for key, _ in node.value}
    items = {
        key.value: tuple(_line(yaml_text, item.start_mark) + 2 for item in value.value)
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


def is_name_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


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


def decode(path: Path, data: bytes) -> str | Problem:
    """The text of a term file: UTF-8, a byte-order mark allowed; else where the bad byte is."""
    if len(data) > MAX_FILE_BYTES:
        return Problem(
            path,
            1,
            f"the file is larger than {MAX_FILE_BYTES // 1024} KiB",
            "a definition is one to four sentences: shorten it",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Problem(
            path,
            data.count(b"\n", 0, error.start) + 1,
            f"byte {data[error.start]:#04x} is not UTF-8 ({error.reason})",
            "save the file as UTF-8",
        )


def term_files(directory: Path) -> list[Path]:
    """The term files of *directory*, A to Z: its ``*.md`` files, less what editors leave.

    Hidden files (an editor's lock file ``.#name.md``, often a dangling link,
    or a swap file) and backups (``name.md~``, ``#name.md#``) are not terms.
    """
    return sorted(
        path
        for path in directory.glob("*.md")
        if not path.name.startswith((".", "#")) and not path.name.endswith("~")
    )
