"""Read and validate the glossary's term files, without Sphinx.

Each term lives in a file ``<slug>.md`` of the terms folder (this site's:
``docs/terms/``): YAML front matter between two ``---`` lines, then the
definition in MyST Markdown.  :func:`load_glossary`
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

from . import markup
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

#: Size limits: a term file is a short entry, and nothing a pull request sends may make the
#: build read, parse or hold more (the README states them).
MAX_FILE_BYTES = 64 * 1024
MAX_FRONT_MATTER_CHARS = 8 * 1024
#: How much of a bad value a message quotes.
QUOTE_CHARS = 40

#: Where this site keeps its term files, relative to the project's root: the command
#: line's default when it runs there.
TERMS_DIR = Path("docs") / "terms"

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
    if not front.body or not markup.has_text(front.body):
        yield _problem(
            front.path,
            front.body_line if front.body else front.line("term"),
            "the definition is empty",
            "write the definition below the closing '---'",
        )


def check_raw_html(front: FrontMatter) -> Iterator[Problem]:
    """No raw HTML in a definition (a Sphinx build finds it in the parsed definition)."""
    for offset, html in markup.raw_html(front.body):
        yield _problem(
            front.path,
            front.body_line + offset,
            f"raw HTML in the definition: {quote(html)}",
            markup.RAW_HTML_HINT,
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
    problems.extend(check_glossary(terms, bib_keys, references=references))
    terms.sort(key=lambda t: (fold(t.term), t.term))
    return Glossary(terms=terms, problems=problems)
