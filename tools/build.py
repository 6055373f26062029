"""The site's build steps, each defined once: for nox, Read the Docs, the tests and the benchmark.

The commands: sphinx-build with the project's flags (:func:`sphinx_build`), latexmk as
Sphinx's LaTeX Makefile runs it (:func:`latexmk`), epubcheck as a jar with any warning
failing (:func:`epubcheck`), and the Debian package that provides each system tool
(:data:`SYSTEM_TOOLS`, :func:`require`).  The steps (:class:`Steps`) put them together:
each build from clean, its doctrees outside the output, into a fresh staging folder that
replaces the published output only when the build succeeded.

``noxfile.py`` runs the steps through ``session.run`` and ``tools/readthedocs.py`` through
:func:`print_and_run`; the tests and the benchmark run the commands alone, into temporary
folders.  The EPUB's zip is made reproducible inside the Sphinx build itself
(``docs/_ext/book.py``), so every one of these gets it.

Standard library only: the noxfile imports it in nox's own Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Where the nox sessions publish their output.
BUILD = ROOT / "build"

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

# -- System tools -----------------------------------------------------------------------

#: The Debian package that provides each system tool a build or a test runs.
SYSTEM_TOOLS: dict[str, str] = {
    "latexmk": "latexmk",
    "xelatex": "texlive-xetex",
    "xindy": "xindy",
    "java": "default-jre-headless",
    "epubcheck": "epubcheck",
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "npm": "npm",
}
#: What the PDF needs: latexmk running XeLaTeX, and xindy for the index.
PDF_TOOLS: tuple[str, ...] = ("latexmk", "xelatex", "xindy")
#: What checking the EPUB needs: Debian's epubcheck is a jar.
EPUB_TOOLS: tuple[str, ...] = ("java", "epubcheck")


class MissingTool(Exception):
    """System tools are not installed; the message names their Debian packages."""

    def __init__(self, *tools: str) -> None:
        names = ", ".join(f"'{tool}'" for tool in tools)
        packages = " ".join(dict.fromkeys(SYSTEM_TOOLS[tool] for tool in tools))
        verb = "is" if len(tools) == 1 else "are"
        super().__init__(f"{names} {verb} not installed: apt-get install {packages}")
        self.tools = tools


def require(*tools: str) -> None:
    """Raise :class:`MissingTool` naming every one of *tools* that is not on PATH."""
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        raise MissingTool(*absent)


def find(tool: str) -> str:
    """The path of *tool*, or :class:`MissingTool`."""
    path = shutil.which(tool)
    if path is None:
        raise MissingTool(tool)
    return path


# -- Commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A command line, the variables it adds to the environment, and the folder it runs in."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None

    def __str__(self) -> str:
        return " ".join(self.argv)

    def reproducible(self) -> Command:
        """The same command with the date fixed, so that its output is the same every time."""
        return replace(self, env={**self.env, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})

    def run(
        self, *, check: bool = True, capture: bool = False, environ: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run it in *environ* (this process's environment) plus its own variables."""
        return subprocess.run(
            self.argv,
            cwd=self.cwd,
            env={**(os.environ if environ is None else environ), **self.env},
            capture_output=capture,
            text=True,
            check=check,
        )


def doctrees_beside(outdir: Path) -> Path:
    """The doctrees folder of a build into *outdir*: next to it, never inside it.

    Inside, Sphinx would ship ``.doctrees`` with the HTML and warn on every file of an EPUB.
    """
    return outdir.parent / f"doctrees-{outdir.name}"


def sphinx_arguments(srcdir: Path, outdir: Path, doctrees: Path, *extra: str) -> tuple[str, ...]:
    """What sphinx-build (and sphinx-autobuild) gets after the builder: flags, then folders."""
    return (*SPHINX_FLAGS, "-d", str(doctrees), str(srcdir), str(outdir), *extra)


def sphinx_build(
    builder: str,
    srcdir: Path,
    outdir: Path,
    *extra: str,
    doctrees: Path | None = None,
    python: str = sys.executable,
) -> Command:
    """sphinx-build with the project's flags; *extra* goes after the folders."""
    doctrees = doctrees_beside(outdir) if doctrees is None else doctrees
    arguments = sphinx_arguments(srcdir, outdir, doctrees, *extra)
    return Command((python, "-m", "sphinx", "-b", builder, *arguments))


def latexmk(folder: Path, tex: str = f"{NAME}.tex") -> Command:
    """latexmk, with its environment, on *tex* in *folder* (the output of the LaTeX builder)."""
    return Command((*LATEXMK, tex), LATEXMK_ENV, folder)


def epubcheck(epub: Path, *options: str) -> Command:
    """epubcheck on *epub*: any warning fails too.

    Debian's epubcheck is a jar; its /usr/bin link needs binfmt support to run directly.
    """
    jar = find("epubcheck")
    return Command((find("java"), "-jar", jar, "--failonwarnings", *options, str(epub)))


# -- Steps ------------------------------------------------------------------------------

#: Runs one command and raises if it fails (nox's ``session.run`` in the noxfile).
Runner = Callable[[Command], object]


def print_and_run(command: Command) -> None:
    """Print *command*, then run it; raise :class:`subprocess.CalledProcessError` if it fails."""
    print("+", command, flush=True)
    command.run()


def publish(staging: Path, target: Path) -> Path:
    """Replace *target* with the freshly built *staging* folder or file; return *target*."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    # A rename; a copy only where the target is on another file system (Read the Docs' output).
    shutil.move(staging, target)
    if old.is_dir():
        shutil.rmtree(old)
    elif old.exists():
        old.unlink()
    return target


def publish_file(built: Path, folder: Path) -> Path:
    """Copy one built file into *folder*, replacing the old one only when the copy is whole."""
    folder.mkdir(parents=True, exist_ok=True)
    fresh = folder / f".{built.name}.new"
    shutil.copyfile(built, fresh)
    return publish(fresh, folder / built.name)


@dataclass(frozen=True)
class Steps:
    """The site's builds: each from clean into a fresh folder, published only when it succeeded.

    *run* runs each command, *python* is the Python that has Sphinx, and *out* the folder
    the builds stage and publish in.  *extra* arguments go to sphinx-build.
    """

    run: Runner = print_and_run
    python: str = sys.executable
    out: Path = BUILD

    def fresh(
        self,
        builder: str,
        outdir: Path,
        extra: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> Path:
        """Build from clean with *builder* into *outdir*, doctrees kept apart; return *outdir*."""
        doctrees = self.out / "doctrees" / builder
        for folder in (doctrees, outdir):
            shutil.rmtree(folder, ignore_errors=True)
        command = sphinx_build(builder, DOCS, outdir, *extra, doctrees=doctrees, python=self.python)
        try:
            self.run(replace(command, env=env or {}))
        except BaseException:
            # A failed or interrupted (Ctrl-C) build leaves nothing half-written behind.
            shutil.rmtree(outdir, ignore_errors=True)
            raise
        return outdir

    def html(
        self, extra: Sequence[str] = (), books: Sequence[Path] = (), target: Path | None = None
    ) -> Path:
        """The HTML site, with *books* as downloads, published in build/html (or *target*)."""
        env = {"BOOK_DOWNLOADS": os.pathsep.join(map(str, books))} if books else {}
        staging = self.fresh("html", self.out / "staging" / "html", extra, env)
        return publish(staging, self.out / "html" if target is None else target)

    def pdf(self, extra: Sequence[str] = ()) -> Path:
        """The PDF, with XeLaTeX through latexmk, published in build/pdf/."""
        require(*PDF_TOOLS)
        staging = self.fresh("latex", self.out / "staging" / "latex", extra)
        self.run(latexmk(staging))
        return publish_file(staging / f"{NAME}.pdf", self.out / "pdf")

    def epub(self, extra: Sequence[str] = ()) -> Path:
        """The EPUB, checked by epubcheck (any finding fails), published in build/epub/."""
        require(*EPUB_TOOLS)
        staging = self.fresh("epub", self.out / "staging" / "epub", extra)
        self.run(epubcheck(staging / f"{NAME}.epub"))
        return publish_file(staging / f"{NAME}.epub", self.out / "epub")

    def dist(self, extra: Sequence[str] = ()) -> Path:
        """The PDF and the EPUB, then the HTML site linking both; return the site."""
        return self.html(extra, books=[self.pdf(extra), self.epub(extra)])

    def linkcheck(self, extra: Sequence[str] = ()) -> Path:
        """Sphinx's check of the external links; its report is in the returned folder."""
        return self.fresh("linkcheck", self.out / "linkcheck", extra)

    def serve(self, extra: Sequence[str] = ()) -> None:
        """Serve the site on http://127.0.0.1:8000, rebuilding on every change."""
        watch = ("--host", "127.0.0.1", "--port", "8000", "--watch", str(ROOT / "glossary"))
        folders = (DOCS, self.out / "serve", self.out / "doctrees" / "serve")
        self.run(Command(("sphinx-autobuild", *watch, *sphinx_arguments(*folders, *extra))))
