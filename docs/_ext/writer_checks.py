"""Mistakes a writer makes, reported so a writer can fix them.

Three things, all through Sphinx's own logging and events:

* every warning of a known kind gets a second line, ``hint: ...``, saying what
  to do (Sphinx's messages name the problem, not the fix);
* a MyST directive that is opened and never closed silently swallows the rest
  of its page; ``source-read`` finds it and reports the line it was opened on;
* a malformed ``references.bib`` makes sphinxcontrib-bibtex crash with a
  traceback and no file name; it is parsed first and reported with file,
  line and entry instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from docutils import nodes
from pybtex.database import BibliographyDataError, parse_string
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError
from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging
from sphinx.util.logging import WarningStreamHandler
from sphinx.util.typing import ExtensionMetadata
from sphinxcontrib.bibtex.bibfile import is_bibdata_outdated
from sphinxcontrib.bibtex.domain import BibtexDomain

logger = sphinx_logging.getLogger(__name__)

#: What to do about each kind of warning, by "type.subtype" as Sphinx shows it.
HINTS: dict[str, str] = {
    "ref.term": "link an existing glossary term or alias (docs/terms/*.md), "
    "or add a term file for it",
    "ref.ref": "put a label line '(name)=' just before the heading you link to, "
    "or fix the label's spelling",
    "ref.doc": "name an existing page: its file name without '.md'",
    "myst.xref_missing": "link an existing page ('page.md') or a heading on it "
    "('page.md#heading-anchor'); check the spelling",
    "myst.directive_unknown": "check the directive's name (e.g. note, tab-set, tab-item, "
    "glossary-terms, bibliography)",
    "toc.not_included": "list the page in the toctree of docs/index.md, or delete the file",
    "image.not_readable": "put the image next to the page or fix its path "
    "(paths are relative to the page)",
    "bibtex.key_not_found": "add the entry to docs/references.bib or fix the key",
    "comparisons.tabs": "give the tab set ':sync-group: role' and two tab-items: "
    "'Software engineer' with ':sync: swe', then 'Machine learning engineer' with ':sync: mle'",
    "writer.unclosed": "close it with a line of the same fence characters, at least as many",
}
#: Hints for messages whose kind is too general (docutils' own) to key on.
MESSAGE_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r'Directive "include": file not found'),
        "fix the path of the included file (relative to the page)",
    ),
)

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})(?P<info>.*)$")


class HintFilter(logging.Filter):
    """Append ``hint: ...`` on a second line to warnings of a known kind."""

    def filter(self, record: logging.LogRecord) -> bool:
        kind = ".".join(filter(None, (getattr(record, "type", ""), getattr(record, "subtype", ""))))
        hint = getattr(record, "hint", None) or HINTS.get(kind)
        if hint is None:
            text = str(record.msg)
            hint = next((h for pattern, h in MESSAGE_HINTS if pattern.search(text)), None)
        if hint and "\n    hint:" not in str(record.msg):
            record.msg = f"{record.msg}\n    hint: {hint}"
        return True


@dataclass(frozen=True)
class OpenFence:
    char: str
    length: int
    line: int
    name: str
    literal: bool


def unclosed_fences(lines: list[str]) -> list[OpenFence]:
    """The fences (code blocks and directives) still open at the end of *lines*.

    Colon fences hold MyST and may nest; backtick fences are literal to their
    closing line, as CommonMark reads them.
    """
    stack: list[OpenFence] = []
    for number, line in enumerate(lines, start=1):
        match = _FENCE.match(line)
        if match is None:
            continue
        fence, info = match["fence"], match["info"].strip()
        top = stack[-1] if stack else None
        closes = not info and top is not None and fence[0] == top.char and len(fence) >= top.length
        if closes:
            stack.pop()
        elif top is not None and top.literal:
            continue
        elif fence[0] == "`" or info.startswith("{"):
            name = info[1:].split("}")[0] if info.startswith("{") else "code block"
            stack.append(OpenFence(fence[0], len(fence), number, name, fence[0] == "`"))
    return stack


def check_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    for fence in unclosed_fences(source[0].splitlines()):
        logger.warning(
            "the '%s' opened here is never closed, so it swallows the rest of the page",
            fence.name,
            location=(docname, fence.line),
            type="writer",
            subtype="unclosed",
        )


def check_one_title(app: Sphinx, doctree: nodes.document) -> None:
    """A page has one top-level title: a second ``# `` heading is reported where it is.

    Sphinx takes the first as the page's title and files the second as a
    chapter of its own in the table of contents and the PDF, out of the
    writer's sight.
    """
    sections = [child for child in doctree.children if isinstance(child, nodes.section)]
    for section in sections[1:]:
        title = section.next_node(nodes.title)
        logger.error(
            "a second top-level title (%s): a page has one",
            title.astext() if title else "",
            location=title or section,
            type="writer",
            subtype="titles",
            extra={"hint": "make it a section of the page ('## ') or move it to a page of its own"},
        )


@dataclass(frozen=True)
class BibProblem:
    """One thing wrong in a .bib file, at a line."""

    line: int
    message: str
    hint: str


#: The fields pybtex's styles make a link of as they are (doi, eprint and pubmed get a fixed
#: https:// prefix, so only their shape is checked).
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _entry_line(text: str, key: str, occurrence: int = 1) -> int:
    """The line of the *occurrence*-th entry with *key* (1 if not found)."""
    pattern = re.compile(r"^[ \t]*@\s*\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", re.M)
    starts = [match.start() for match in pattern.finditer(text)]
    if len(starts) < occurrence:
        return 1
    return text.count("\n", 0, starts[occurrence - 1]) + 1


def safe_address(url: str) -> bool:
    """Whether a reader may be sent to *url*: an http(s) address, or one relative to the page.

    ``javascript:``, ``data:`` and the like would run or show something of the
    writer's choosing on the site's own origin.  Browsers drop tabs and line
    breaks inside a scheme (``java\\tscript:``); so does :func:`urlsplit`.
    """
    parts = urlsplit(url.strip())
    if parts.scheme:
        return parts.scheme in {"http", "https"} and bool(parts.netloc)
    return not parts.netloc and ":" not in parts.path.partition("/")[0]


def bib_problems(path: Path, encoding: str) -> list[BibProblem]:
    """What stops *path* from being a bibliography the site can show safely."""
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return [
            BibProblem(line, f"a byte is not {encoding} ({error.reason})", f"save as {encoding}")
        ]
    try:
        bibliography = parse_string(text, bib_format="bibtex")
    except PybtexSyntaxError as error:
        lines = text.split("\n")[: error.lineno]
        start = next(
            (i + 1 for i in reversed(range(len(lines))) if lines[i].lstrip().startswith("@")),
            error.lineno,
        )
        reason = error.args[0] if error.args else error
        return [
            BibProblem(
                error.lineno,
                f"malformed BibTeX entry (it starts on line {start}: "
                f"{lines[start - 1].strip()}): {reason}",
                "check the braces, quotes and the commas between fields",
            )
        ]
    except BibliographyDataError as error:
        key = str(error).rpartition(": ")[2]
        return [
            BibProblem(
                _entry_line(text, key, 2),
                f"the key {key!r} is given to a second entry",
                "give each entry a key of its own, or remove the repeated entry",
            )
        ]
    except PybtexError as error:
        # pybtex's other complaints (a name with too many commas, say) quote the bad text.
        quoted = re.search(r"'(.+)'", str(error))
        found = text.find(quoted[1]) if quoted else -1
        return [
            BibProblem(
                text.count("\n", 0, found) + 1 if found >= 0 else 1,
                f"pybtex cannot read this entry: {str(error)[:120]}",
                "check the field on this line (names are 'Last, First' joined by 'and')",
            )
        ]
    problems = []
    for key, entry in bibliography.entries.items():
        url, doi = entry.fields.get("url"), entry.fields.get("doi")
        if url is not None and not safe_address(url):
            problems.append(
                BibProblem(
                    _entry_line(text, key),
                    f"entry {key!r}: the url {url[:40]!r} is not an http(s) address",
                    "link the source's web page (https://...), or leave the url out",
                )
            )
        if doi is not None and not _DOI.match(doi.strip()):
            problems.append(
                BibProblem(
                    _entry_line(text, key),
                    f"entry {key!r}: {doi[:40]!r} is not a DOI",
                    "write the DOI itself, e.g. 10.1145/2523813, without https://doi.org/",
                )
            )
    return problems


def check_bibliography(app: Sphinx) -> None:
    """Stop with file, line and entry if a .bib file is broken or links anywhere unsafe.

    sphinxcontrib-bibtex would crash on a malformed file or a repeated key with a
    traceback that names neither file nor entry, and would publish a ``url``
    of any scheme as a link.  Files sphinxcontrib-bibtex parsed in the last
    build and that have not changed since are not checked again (it will not
    parse them either); so a file with a problem is never handed to it, and
    a build after a failed one checks it again.
    """
    paths = [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles or []]
    parsed = cast(BibtexDomain, app.env.get_domain("cite")).bibdata
    if not is_bibdata_outdated(parsed, paths, app.config.bibtex_encoding):
        return
    failed = False
    for path in paths:
        if not path.is_file():
            continue  # sphinxcontrib-bibtex reports a missing file itself
        for problem in bib_problems(path, app.config.bibtex_encoding):
            failed = True
            logger.error(
                "%s",
                problem.message,
                location=f"{path}:{problem.line}",
                type="writer",
                subtype="bibtex",
                extra={"hint": problem.hint},
            )
    if failed:
        raise SystemExit(2)


def setup(app: Sphinx) -> ExtensionMetadata:
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(HintFilter())
    app.connect("source-read", check_fences)
    app.connect("doctree-read", check_one_title)
    # Before sphinxcontrib-bibtex parses the same files (default priority 500).
    app.connect("builder-inited", check_bibliography, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
