"""One nox session per output: ``nox`` builds the HTML site; ``nox -l`` lists the rest.

A session installs what it needs and calls one build step of ``tools/build.py``:
every build starts from clean (fresh doctrees, fresh output folder) with
warnings as errors, builds into a temporary folder and only replaces the
published output in ``build/`` when it succeeded, so a failed build never
leaves a half-written site behind.  Extra arguments after ``--`` go to
sphinx-build (``nox -s html -- -j auto``).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import nox

# The `nox` console script, unlike `python -m nox`, does not put this folder on
# sys.path; the build steps are imported from here, wherever nox runs from.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools.build import BUILD, EPUB_TOOLS, PDF_TOOLS, ROOT, Command, MissingTool, Steps, require

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["html"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
#: Sessions run on the Python that runs nox (3.11 or newer, as pyproject.toml requires):
#: a newcomer with only 3.12 or 3.13 gets a build, and nothing is skipped for want of 3.11.
PYTHON = None


def install(session: nox.Session, group: str) -> None:
    """Install a dependency group from pyproject.toml, then this project."""
    session.install(*nox.project.dependency_groups(PYPROJECT, group))
    session.install("--no-deps", "-e", str(ROOT))


def require_tools(session: nox.Session, *tools: str) -> None:
    """Stop at once, naming the Debian packages, when a system tool is missing."""
    try:
        require(*tools)
    except MissingTool as error:
        session.error(str(error))


def steps(session: nox.Session) -> Steps:
    """The build steps of tools/build.py, each command run by nox in the session's venv."""

    def run(command: Command) -> None:
        with session.chdir(command.cwd) if command.cwd else contextlib.nullcontext():
            session.run(*command.argv, env=dict(command.env), external=True)

    return Steps(run=run, python="python")


@nox.session(python=PYTHON)
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    install(session, "docs")
    session.log(f"HTML site: {steps(session).html(session.posargs) / 'index.html'}")


@nox.session(python=PYTHON)
def pdf(session: nox.Session) -> None:
    """Build the PDF into build/pdf/ (A4; PAPER=letter for US Letter)."""
    require_tools(session, *PDF_TOOLS)
    install(session, "docs")
    session.log(f"PDF: {steps(session).pdf(session.posargs)}")


@nox.session(python=PYTHON)
def epub(session: nox.Session) -> None:
    """Build the EPUB into build/epub/ and validate it with epubcheck."""
    require_tools(session, *EPUB_TOOLS)
    install(session, "docs")
    session.log(f"EPUB: {steps(session).epub(session.posargs)}")


@nox.session(python=PYTHON)
def dist(session: nox.Session) -> None:
    """Build PDF, EPUB and HTML: one folder, build/html/, with the book downloads linked."""
    require_tools(session, *PDF_TOOLS, *EPUB_TOOLS)
    install(session, "docs")
    session.log(f"HTML site: {steps(session).dist(session.posargs) / 'index.html'}")


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000 and rebuild on every change."""
    install(session, "serve")
    steps(session).serve(session.posargs)


@nox.session(python=PYTHON)
def linkcheck(session: nox.Session) -> None:
    """Check the external links (needs the internet)."""
    install(session, "docs")
    steps(session).linkcheck(session.posargs)


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
    site = steps(session).html()
    session.run(
        "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE),
        LIGHTHOUSE, external=True, silent=True,
    )  # fmt: skip
    lighthouse = NPM_CACHE / "node_modules" / ".bin" / "lighthouse"
    session.run(
        "python", "-m", "tools.audit", str(site), str(lighthouse), str(BUILD / "audit"),
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


#: The project's own Markdown files, spell-checked with the code.
MARKDOWN = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff (lint and format check), codespell and mypy (settings in pyproject.toml)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell", "docs", "glossary", "tests", "tools", "benchmarks", *MARKDOWN)
    # glossary/, docs/_ext/, tools/ and this file ([tool.mypy] files), strict.
    session.run("mypy")


if __name__ == "__main__":
    sys.exit("run this file with nox: python3 -m pip install nox && nox")
