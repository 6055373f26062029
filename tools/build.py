"""How the project is built, in one place for the nox sessions, the tests and the benchmark.

Standard library only: the noxfile imports it in nox's own Python.
"""

from __future__ import annotations

#: The base name of the PDF and EPUB (and of the LaTeX file).
NAME = "mle-vs-swe"

#: Nitpicky, warnings are errors, and every warning of a build is reported.
SPHINX_FLAGS: tuple[str, ...] = ("-n", "-W", "--keep-going")

#: latexmk as Sphinx's LaTeX Makefile runs it (its latexmkrc makes "pdf" mean XeLaTeX).
LATEXMK: tuple[str, ...] = ("latexmk", "-pdf", "-dvi-", "-ps-")
#: The environment Sphinx's Makefile gives latexmk: xindy's options and LaTeX's.
LATEXMK_ENV: dict[str, str] = {
    "XINDYOPTS": "-L english -C utf8 -M sphinx.xdy",
    "LATEXOPTS": "-interaction=nonstopmode -halt-on-error -file-line-error",
}

#: A fixed date for builds that must give the same bytes every time (tests, benchmark).
SOURCE_DATE_EPOCH = "1767225600"
