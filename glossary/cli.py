"""Command line for the glossary: check the term files, search or list them.

python -m glossary check [--bib docs/references.bib]
python -m glossary search QUERY [--limit N]
python -m glossary list [--category NAME]

Installed with the project (``pip install .``), the same command is ``mle-glossary``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .files import CATEGORIES, TERMS_DIR
from .loader import load_glossary
from .search import search

#: This site's bibliography, relative to the project's root (as TERMS_DIR is).
DEFAULT_BIB = Path("docs") / "references.bib"


def program_name() -> str:
    """How the reader started us: ``python -m glossary`` or the ``mle-glossary`` script."""
    started = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m glossary" if started in {"", "__main__.py", "-m"} else started


def parser() -> argparse.ArgumentParser:
    """The command line, with a help text for every subcommand and option."""
    top = argparse.ArgumentParser(
        prog=program_name(), description="Check, search or list the glossary's term files."
    )
    top.add_argument(
        "--terms",
        type=Path,
        default=TERMS_DIR,
        metavar="FOLDER",
        help=f"folder of term files (default: {TERMS_DIR}, this site's, from its root)",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="validate every term file; exit 1 on a problem",
        description="Validate every term file and the glossary as a whole; print each "
        "problem with its file and line, and exit 1 if there is one.",
    )
    check.add_argument(
        "--bib",
        type=Path,
        default=DEFAULT_BIB,
        help="BibTeX file whose keys 'sources' and citations must name "
        "(default: docs/references.bib; skipped when the file does not exist)",
    )
    find = commands.add_parser(
        "search",
        help="print the entries that best match QUERY",
        description="Print the entries that match QUERY, best first: exact term, alias, "
        "a name one edit away, a name containing the query, a definition containing "
        "every word. Exit 1 when nothing matches.",
    )
    find.add_argument("query", nargs="+", metavar="QUERY", help="words to look for")
    find.add_argument(
        "--limit", type=int, default=5, metavar="N", help="print at most N entries (default: 5)"
    )
    listing = commands.add_parser(
        "list", help="print every term, A to Z", description="Print every term, A to Z."
    )
    listing.add_argument("--category", choices=CATEGORIES, help="only the terms of this category")
    return top


def run(argv: list[str] | None = None) -> tuple[int, list[str], list[str]]:
    """Carry out one command: the exit status, then the lines for stdout and for stderr.

    The status is settled before a line is printed, so that a reader who closes
    the pipe early (``| head``) still gets it.
    """
    args = parser().parse_args(argv)

    bib = args.bib if args.command == "check" and args.bib.exists() else None
    glossary = load_glossary(args.terms, bib=bib)
    errors = [str(problem) for problem in glossary.problems]

    if args.command == "check":
        if glossary.problems:
            return 1, [], [*errors, f"{len(glossary.problems)} problem(s) in {args.terms}"]
        return 0, [f"{len(glossary)} terms, no problems"], errors
    if args.command == "list":
        lines = []
        for term in glossary:
            if args.category in (None, term.category):
                aliases = f" ({', '.join(term.aliases)})" if term.aliases else ""
                lines.append(f"{term.term}{aliases} [{term.category}]")
        return 0, lines, errors

    matches = search(glossary, " ".join(args.query))[: args.limit]
    if not matches:
        return 1, [], [*errors, f"no entry matches {' '.join(args.query)!r}"]
    lines = []
    for match in matches:
        lines.append(f"{match.term.term}  [{match.term.category}; {match.reason}]")
        lines.append(f"    {match.term.summary()}")
    return 0, lines, errors


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m glossary`` and ``mle-glossary``.

    A reader who pipes the output into ``head`` closes the pipe early: that is
    not an error in itself, so we stop quietly, as other Unix tools do, with
    the status the command had come to (``check`` still fails on a problem).
    """
    status, out, err = run(argv)
    try:
        for line in err:
            print(line, file=sys.stderr)
        sys.stderr.flush()
        for line in out:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes the streams at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.dup2(devnull, sys.stderr.fileno())
    return status
