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

from pybtex.database import parse_file
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
    "ref.term": "link an existing glossary term or alias (glossary/terms/*.md), "
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


def check_bibliography(app: Sphinx) -> None:
    """Stop with file, line and entry if a .bib file cannot be parsed.

    Files sphinxcontrib-bibtex parsed in the last build and that have not
    changed since are not parsed again (it will not parse them either).
    """
    paths = [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles or []]
    parsed = cast(BibtexDomain, app.env.get_domain("cite")).bibdata
    if not is_bibdata_outdated(parsed, paths, app.config.bibtex_encoding):
        return
    for path in paths:
        try:
            parse_file(str(path), bib_format="bibtex")
        except PybtexSyntaxError as error:
            lines = path.read_text("utf-8").splitlines()[: error.lineno]
            start = next(
                (i + 1 for i in reversed(range(len(lines))) if lines[i].lstrip().startswith("@")),
                error.lineno,
            )
            logger.error(
                "malformed BibTeX entry (it starts on line %d: %s): %s",
                start,
                lines[start - 1].strip(),
                error.args[0] if error.args else error,
                location=f"{path}:{error.lineno}",
                type="writer",
                subtype="bibtex",
                extra={"hint": "check the braces, quotes and the commas between fields"},
            )
            # sphinxcontrib-bibtex would now crash on the same file with a traceback
            # that names neither file nor entry; the error above is the whole story.
            raise SystemExit(2) from None


def setup(app: Sphinx) -> ExtensionMetadata:
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(HintFilter())
    app.connect("source-read", check_fences)
    # Before sphinxcontrib-bibtex parses the same files (default priority 500).
    app.connect("builder-inited", check_bibliography, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
