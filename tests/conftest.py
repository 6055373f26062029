"""Shared fixtures: the site built once per test run for each output format.

Builds run the commands of tools/build.py, as the nox sessions do (warnings are
errors, nitpicky, keep going), in a temporary folder, so tests never touch ``build/``.
A test that needs a system tool fails in CI when the tool is missing and is
skipped elsewhere, with the Debian package to install as the reason.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tools.build import DOCS, NAME, PDF_TOOLS, MissingTool, find, latexmk, require
from tools.build import ROOT as ROOT  # the tests import it from here
from tools.build import sphinx_build as sphinx_command

#: sphinx.testing's fixtures (make_app, app) for in-process builds of the projects in roots/.
pytest_plugins = ["sphinx.testing.fixtures"]

DATA = Path(__file__).parent / "data"
# The project's Sphinx extensions import each other as conf.py puts them: from docs/_ext.
if str(DOCS / "_ext") not in sys.path:
    sys.path.append(str(DOCS / "_ext"))
#: Small projects for in-process builds with sphinx.testing (``testroot="glossary"``
#: is ``roots/test-glossary``).
ROOTS = Path(__file__).parent / "roots"


@dataclass(frozen=True)
class Build:
    """The result of one sphinx-build run."""

    outdir: Path
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        return [line for line in self.output.splitlines() if "WARNING" in line or "ERROR" in line]


def unavailable(message: str) -> NoReturn:
    """Something a test needs is missing: in CI the test fails, elsewhere it is skipped."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_tool(tool: str) -> str:
    """The tool's path, or :func:`unavailable` naming its Debian package."""
    try:
        return find(tool)
    except MissingTool as error:
        unavailable(str(error))


def require_tools(*tools: str) -> None:
    """:func:`unavailable`, naming their Debian packages, unless all *tools* are installed."""
    try:
        require(*tools)
    except MissingTool as error:
        unavailable(str(error))


#: The site's address variables: the browser tests serve the site from the root, where its
#: 404 page's links point, so builds take the default (docs/_ext/publishing.py) whatever
#: the shell exports.
ADDRESS_VARIABLES = ("SITE_URL", "READTHEDOCS_CANONICAL_URL")


def sphinx_build(srcdir: Path, builder: str, outdir: Path, *extra: str) -> Build:
    """Run sphinx-build as the nox sessions do, reproducibly; return exit code and output."""
    # Sphinx colours its output when CI=true; tests read it as text.
    command = sphinx_command(builder, srcdir, outdir, "--no-color", *extra)
    environ = {name: value for name, value in os.environ.items() if name not in ADDRESS_VARIABLES}
    result = command.reproducible().run(check=False, capture=True, environ=environ)
    return Build(outdir, result.returncode, result.stdout + result.stderr)


def assert_clean(build: Build) -> Path:
    """Fail unless *build* succeeded without a warning; return its output folder."""
    assert build.returncode == 0, build.output[-4000:]
    assert build.problems == [], "\n".join(build.problems)
    return build.outdir


def build_site(tmp_path_factory: pytest.TempPathFactory, builder: str) -> Build:
    """The site built with *builder* into a fresh temporary folder."""
    return sphinx_build(DOCS, builder, tmp_path_factory.mktemp(builder) / builder)


@pytest.fixture(scope="session")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_site(tmp_path_factory, "html")


@pytest.fixture(scope="session")
def html_dir(html_build: Build) -> Path:
    return assert_clean(html_build)


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_site(tmp_path_factory, "epub")


@pytest.fixture(scope="session")
def epub_file(epub_build: Build) -> Path:
    return assert_clean(epub_build) / f"{NAME}.epub"


@pytest.fixture(scope="session")
def latex_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_site(tmp_path_factory, "latex")


def make_pdf(latex_dir: Path) -> Path:
    """Run latexmk as the pdf session does, in a folder of LaTeX output; return the PDF."""
    require_tools(*PDF_TOOLS)
    result = latexmk(latex_dir).reproducible().run(check=False, capture=True)
    assert result.returncode == 0, result.stdout[-4000:]
    return latex_dir / f"{NAME}.pdf"


@pytest.fixture(scope="session")
def pdf_file(latex_build: Build) -> Path:
    """The PDF made from the LaTeX output with XeLaTeX through latexmk."""
    require_tools(*PDF_TOOLS)
    assert_clean(latex_build)
    return make_pdf(latex_build.outdir)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the small test projects: ``roots/test-<name>``."""
    return ROOTS


#: The kinds of test, one folder each; a test is marked with its folder's kind
#: (``nox -s tests -- -m unit``), as declared in pyproject.toml.
KINDS = frozenset({"unit", "extension", "site", "browser", "tooling"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        kind = item.path.parent.name
        if kind in KINDS:
            item.add_marker(kind)
