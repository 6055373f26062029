"""One nox session per output: ``nox`` builds the HTML site; ``nox -l`` lists the rest.

Every build starts from clean (fresh doctrees, fresh output folder) with
warnings as errors, builds into a temporary folder and only replaces the
published output in ``build/`` when it succeeded, so a failed build never
leaves a half-written site behind.  Extra arguments after ``--`` go to
sphinx-build (``nox -s html -- -j auto``).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import nox

# The `nox` console script, unlike `python -m nox`, does not put this folder on
# sys.path; the shared build settings are imported from here, wherever nox runs from.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools.build import LATEXMK, LATEXMK_ENV, NAME, SPHINX_FLAGS

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["html"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
#: Sessions run on the Python that runs nox (3.11 or newer, as pyproject.toml requires):
#: a newcomer with only 3.12 or 3.13 gets a build, and nothing is skipped for want of 3.11.
PYTHON = None
#: Debian's epubcheck is a jar (its /usr/bin link needs binfmt support); warnings fail too.
EPUBCHECK = ("java", "-jar", shutil.which("epubcheck") or "epubcheck", "--failonwarnings")

#: Debian packages that provide each system tool a session needs.
SYSTEM_TOOLS = {
    "latexmk": "latexmk",
    "xelatex": "texlive-xetex",
    "xindy": "xindy",
    "java": "default-jre-headless",
    "epubcheck": "epubcheck",
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "npm": "npm",
}


def install(session: nox.Session, group: str) -> None:
    """Install a dependency group from pyproject.toml, then this project."""
    session.install(*nox.project.dependency_groups(PYPROJECT, group))
    session.install("--no-deps", "-e", str(ROOT))


def require_tools(session: nox.Session, *tools: str) -> None:
    """Stop at once, naming the Debian package, when a system tool is missing."""
    for tool in tools:
        if shutil.which(tool) is None:
            session.error(f"'{tool}' is not installed: apt-get install {SYSTEM_TOOLS[tool]}")


def sphinx_build(
    session: nox.Session, builder: str, outdir: Path, extra: Sequence[str] | None = None
) -> None:
    """Build from clean with *builder* into *outdir* (doctrees kept apart).

    *extra* goes to sphinx-build: the session's arguments after ``--`` unless given.
    """
    doctrees = BUILD / "doctrees" / builder
    for folder in (doctrees, outdir):
        shutil.rmtree(folder, ignore_errors=True)
    command = ("python", "-m", "sphinx", "-b", builder, *SPHINX_FLAGS, "-d", str(doctrees))
    try:
        session.run(
            *command, str(DOCS), str(outdir), *(session.posargs if extra is None else extra)
        )
    except BaseException:
        # A failed or interrupted (Ctrl-C) build leaves nothing half-written behind.
        shutil.rmtree(outdir, ignore_errors=True)
        raise


def publish(staging: Path, target: Path) -> None:
    """Replace *target* with the freshly built *staging* folder or file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.is_dir():
        shutil.rmtree(old)
    elif old.exists():
        old.unlink()


@nox.session(python=PYTHON)
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    install(session, "docs")
    build_html(session)


def build_html(session: nox.Session, extra: Sequence[str] | None = None) -> None:
    """Build the HTML site and publish it in build/html/ (*extra*: see sphinx_build)."""
    staging = BUILD / "staging" / "html"
    sphinx_build(session, "html", staging, extra)
    publish(staging, BUILD / "html")
    session.log(f"HTML site: {BUILD / 'html' / 'index.html'}")


def build_pdf(session: nox.Session) -> Path:
    """Build the PDF with XeLaTeX through latexmk; publish it in build/pdf/."""
    require_tools(session, "latexmk", "xelatex", "xindy")
    staging = BUILD / "staging" / "latex"
    sphinx_build(session, "latex", staging)
    with session.chdir(staging):
        session.run(*LATEXMK, f"{NAME}.tex", env=LATEXMK_ENV, external=True)
    return publish_file(staging / f"{NAME}.pdf", BUILD / "pdf")


def build_epub(session: nox.Session) -> Path:
    """Build the EPUB, check it with epubcheck (any finding fails), publish it in build/epub/."""
    require_tools(session, "java", "epubcheck")
    staging = BUILD / "staging" / "epub"
    sphinx_build(session, "epub", staging)
    session.run(*EPUBCHECK, str(staging / f"{NAME}.epub"), external=True)
    return publish_file(staging / f"{NAME}.epub", BUILD / "epub")


def publish_file(built: Path, folder: Path) -> Path:
    """Copy one built file into *folder*, replacing the old one only when the copy is whole."""
    folder.mkdir(parents=True, exist_ok=True)
    fresh = folder / f".{built.name}.new"
    shutil.copyfile(built, fresh)
    publish(fresh, folder / built.name)
    return folder / built.name


@nox.session(python=PYTHON)
def pdf(session: nox.Session) -> None:
    """Build the PDF into build/pdf/ (A4; PAPER=letter for US Letter)."""
    install(session, "docs")
    session.log(f"PDF: {build_pdf(session)}")


@nox.session(python=PYTHON)
def epub(session: nox.Session) -> None:
    """Build the EPUB into build/epub/ and validate it with epubcheck."""
    install(session, "docs")
    session.log(f"EPUB: {build_epub(session)}")


@nox.session(python=PYTHON)
def dist(session: nox.Session) -> None:
    """Build PDF, EPUB and HTML: one folder, build/html/, with the book downloads linked."""
    install(session, "docs")
    books = [build_pdf(session), build_epub(session)]
    session.env["BOOK_DOWNLOADS"] = os.pathsep.join(map(str, books))
    build_html(session)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000 and rebuild on every change."""
    install(session, "serve")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        str(ROOT / "glossary"),
        *SPHINX_FLAGS,
        "-d",
        str(BUILD / "doctrees" / "serve"),
        str(DOCS),
        str(BUILD / "serve"),
        *session.posargs,
    )


@nox.session(python=PYTHON)
def linkcheck(session: nox.Session) -> None:
    """Check the external links (needs the internet)."""
    install(session, "docs")
    sphinx_build(session, "linkcheck", BUILD / "linkcheck")


# -- Lighthouse audit ----------------------------------------------------------
#: npm tools, pinned, installed into a cache folder that is not committed.
# Its own folder: an npm install elsewhere under .cache/npm-tools (the Nu checker's, by the
# tests) would prune it as extraneous.
NPM_CACHE = ROOT / ".cache" / "npm-tools" / "lighthouse"
LIGHTHOUSE = "lighthouse@12.8.2"  # 13.x needs Node 22; Debian 12 has Node 20


@nox.session(python=PYTHON)
def audit(session: nox.Session) -> None:
    """Lighthouse, desktop and mobile, on every page of a fresh HTML build served like a host.

    Prints each page's four scores for both and the phone targets a page misses;
    page names after ``--`` audit only those (``nox -s audit -- glossary.html``).
    """
    require_tools(session, "chromium", "npm")
    install(session, "docs")
    build_html(session, extra=())
    session.run(
        "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE),
        LIGHTHOUSE, external=True, silent=True,
    )  # fmt: skip
    lighthouse = NPM_CACHE / "node_modules" / ".bin" / "lighthouse"
    session.run(
        "python", "-m", "tools.audit", str(BUILD / "html"), str(lighthouse), str(BUILD / "audit"),
        *session.posargs,
    )  # fmt: skip


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run every test: unit, build, output and browser tests."""
    install(session, "test")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Measure build speed, the glossary at scale and page weight (prints, never fails on time).

    Arguments after ``--`` go to benchmarks/bench.py (``-- --runs 3``); figures go to
    build/bench.json.
    """
    install(session, "bench")
    session.run("python", "-m", "benchmarks.bench", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff (lint and format check), codespell and mypy (settings in pyproject.toml)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell", "docs", "glossary", "tests", "tools", "benchmarks", "README.md")
    # glossary/, docs/_ext/, tools/ and this file ([tool.mypy] files), strict.
    session.run("mypy")


if __name__ == "__main__":
    sys.exit("run this file with nox: python3 -m pip install nox && nox")
