"""The stock twin: a copy of a site with Sphinx's own glossary in place of the glossary engine.

The benchmark compares the project with its *twin*, the fastest the same site
could be built with what Sphinx has: the same pages, configuration, theme and
bibliography, the same terms, but the glossary page holds Sphinx's ``glossary``
directive, generated from the term files, instead of ``{glossary-terms}``, and
the glossary extension (``glossary`` and its ``glossary.*`` extensions) is not
loaded.  Each entry is its term and its aliases as term lines, then its
definition's Markdown as the body, indented; ``{term}`` roles resolve to those
term lines through Sphinx's standard domain.  What the engine adds (categories,
see-also, sources, the pages that use a term, the filter, the search's records)
the twin does without: that is the cost being measured.

:func:`make_twin` turns a copy of a Sphinx project into its twin, in place; its
:meth:`Twin.write` writes the glossary page from a folder of term files again,
as a term-file edit does to the project.  Nothing here times anything.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from glossary.files import Problem, Term, decode, split_front_matter, term_files, term_from

#: The engine's directive, which the twin's glossary page replaces.
DIRECTIVE = "glossary-terms"
#: The definitions' indentation under their term lines (any indentation would do).
INDENT = "   "
#: The page that holds the glossary, in the project and in the test projects.
PAGE = "glossary.md"
#: Where the project's conf.py keeps its term files (excluded from the pages).
TERMS = "terms"

# A MyST directive written as a backtick or colon fence, opened and closed alone:
# ```{glossary-terms}\n``` (the engine's directive takes no content).
_ENGINE_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{" + re.escape(DIRECTIVE) + r"\}[ \t]*\n(?P=fence)[ \t]*$",
    re.MULTILINE,
)
_BACKTICKS = re.compile(r"`+")

# Appended to the project's conf.py: the same settings, less the engine.  A setting of
# the engine's (glossary_terms_dir) is left: Sphinx ignores a value nothing declares.
_CONF_SUFFIX = """

# -- The stock twin (benchmarks/twin.py) -------------------------------------------
# Sphinx's own glossary directive on the glossary page stands in for the glossary
# engine, which is not loaded: neither "glossary" nor its "glossary.*" extensions.
extensions = [
    name for name in extensions if name != "glossary" and not name.startswith("glossary.")
]
"""


def read_terms(terms_dir: Path) -> list[Term]:
    """The entries of the term files in *terms_dir*, as :mod:`glossary.files` reads them.

    The names and definitions only: checking the glossary is the project's build's
    job, and the twin is built from term files that build.
    """
    terms = []
    for path in term_files(terms_dir):
        text = decode(path, path.read_bytes())
        front = text if isinstance(text, Problem) else split_front_matter(path, text)
        term = front if isinstance(front, Problem) else term_from(front)
        if not isinstance(term, Term):
            raise ValueError(f"{path}: not a term file: {term or 'it names no term'}")
        terms.append(term)
    return terms


def entry_lines(term: Term) -> list[str]:
    """One entry of Sphinx's glossary: the term and each alias on a line, then the definition.

    Sphinx takes unindented lines as terms and the indented lines after them as
    their definition, dedented by the first one's indentation; blank lines stay
    inside the definition, so a definition of several paragraphs is kept whole.
    """
    body = [f"{INDENT}{line}" if line.strip() else "" for line in term.body.splitlines()]
    return [*term.names, *body]


def glossary_block(terms: Iterable[Term]) -> str:
    """Sphinx's ``glossary`` directive in MyST, listing *terms* (sorted by Sphinx, A to Z)."""
    entries = list(terms)
    longest = max((len(run) for t in entries for run in _BACKTICKS.findall(t.body)), default=0)
    # The fence is longer than any run of backticks in a definition, which could close it.
    fence = "`" * max(3, longest + 1)
    lines = [f"{fence}{{glossary}}", ":sorted:"]
    for term in entries:
        lines += ["", *entry_lines(term)]
    return "\n".join([*lines, fence])


def twin_page(page: str, block: str) -> str:
    """*page* with its one ``{glossary-terms}`` directive replaced by *block*."""
    found = _ENGINE_DIRECTIVE.findall(page)
    if len(found) != 1:
        raise ValueError(f"expected one {{{DIRECTIVE}}} directive in the page, found {len(found)}")
    return _ENGINE_DIRECTIVE.sub(lambda _: block, page)


def twin_conf(conf: str) -> str:
    """The project's *conf* (conf.py's text) with the glossary engine's extensions left out."""
    return conf + _CONF_SUFFIX


@dataclass(frozen=True)
class Twin:
    """A stock twin in *srcdir*; *template* is the project's glossary page."""

    srcdir: Path
    template: str
    page: str = PAGE

    def write(self, terms_dir: Path) -> bool:
        """Write the glossary page from the term files in *terms_dir*; False if unchanged.

        An unchanged page is not written again, so that Sphinx, which compares
        modification times, reads it again only when an entry changed.
        """
        text = twin_page(self.template, glossary_block(read_terms(terms_dir)))
        path = self.srcdir / self.page
        if path.read_text(encoding="utf-8") == text:
            return False
        path.write_text(text, encoding="utf-8")
        return True


def make_twin(srcdir: Path, terms_dir: Path, page: str = PAGE) -> Twin:
    """Turn the copy of a Sphinx project in *srcdir* into its stock twin, with *terms_dir*'s terms.

    conf.py loses the engine's extensions; the glossary page *page* gets Sphinx's
    glossary in place of ``{glossary-terms}``; the project's own term files are
    removed, so that nothing in the twin reads them.
    """
    conf = srcdir / "conf.py"
    conf.write_text(twin_conf(conf.read_text(encoding="utf-8")), encoding="utf-8")
    twin = Twin(srcdir, (srcdir / page).read_text(encoding="utf-8"), page)
    terms = srcdir / TERMS
    if terms.resolve() != terms_dir.resolve():
        shutil.rmtree(terms, ignore_errors=True)
    twin.write(terms_dir)
    return twin
