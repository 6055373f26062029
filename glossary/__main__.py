"""Command line for the glossary: check the term files, search or list them.

python -m glossary check [--bib docs/references.bib]
python -m glossary search QUERY
python -m glossary list [--category NAME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loader import CATEGORIES, TERMS_DIR, load_glossary
from .search import search

DEFAULT_BIB = Path(__file__).resolve().parent.parent / "docs" / "references.bib"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glossary", description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=Path, default=TERMS_DIR, help="folder of term files")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every term file; exit 1 on a problem")
    check.add_argument("--bib", type=Path, default=DEFAULT_BIB, help="BibTeX file for 'sources'")
    find = commands.add_parser("search", help="print the entries that best match QUERY")
    find.add_argument("query", nargs="+")
    find.add_argument("--limit", type=int, default=5)
    listing = commands.add_parser("list", help="print every term, A to Z")
    listing.add_argument("--category", choices=CATEGORIES)
    args = parser.parse_args(argv)

    bib = args.bib if args.command == "check" and args.bib.exists() else None
    glossary = load_glossary(args.terms, bib=bib)
    for problem in glossary.problems:
        print(problem, file=sys.stderr)

    if args.command == "check":
        if glossary.problems:
            print(f"{len(glossary.problems)} problem(s) in {args.terms}", file=sys.stderr)
            return 1
        print(f"{len(glossary)} terms, no problems")
        return 0
    if args.command == "list":
        for term in glossary:
            if args.category in (None, term.category):
                aliases = f" ({', '.join(term.aliases)})" if term.aliases else ""
                print(f"{term.term}{aliases} [{term.category}]")
        return 0

    matches = search(glossary, " ".join(args.query))[: args.limit]
    if not matches:
        print(f"no entry matches {' '.join(args.query)!r}", file=sys.stderr)
        return 1
    for match in matches:
        print(f"{match.term.term}  [{match.term.category}; {match.reason}]")
        print(f"    {match.term.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
