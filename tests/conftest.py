"""Shared fixtures: the site built once per test run for each output format.

Builds use the same flags as the nox sessions (warnings are errors, nitpicky,
keep going) and run in a temporary folder, so tests never touch ``build/``.
A test that needs a system tool fails in CI when the tool is missing and is
skipped elsewhere, with the Debian package to install as the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tools.build import LATEXMK, LATEXMK_ENV, NAME, SOURCE_DATE_EPOCH, SPHINX_FLAGS

#: sphinx.testing's fixtures (make_app, app) for in-process builds of the projects in roots/.
pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
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


def require_tool(tool: str, package: str) -> str:
    """The tool's path, or :func:`unavailable` naming the Debian package."""
    path = shutil.which(tool)
    if path is None:
        unavailable(f"needs '{tool}': apt-get install {package}")
    return path


def sphinx_build(srcdir: Path, builder: str, outdir: Path, *extra: str) -> Build:
    """Run sphinx-build as the nox sessions do; return exit code and output."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    # The site's default address (docs/_ext/publishing.py), whatever the shell exports: the
    # browser tests serve the site from the root, where its 404 page's links point.
    for name in ("SITE_URL", "READTHEDOCS_CANONICAL_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            builder,
            *SPHINX_FLAGS,
            "--no-color",  # Sphinx colours its output when CI=true; tests read it as text
            "-d",
            str(outdir.parent / f"doctrees-{builder}"),
            str(srcdir),
            str(outdir),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return Build(outdir, result.returncode, result.stdout + result.stderr)


def assert_clean(build: Build) -> None:
    assert build.returncode == 0, build.output[-4000:]
    assert build.problems == [], "\n".join(build.problems)


@pytest.fixture(scope="session")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return sphinx_build(DOCS, "html", tmp_path_factory.mktemp("html") / "html")


@pytest.fixture(scope="session")
def html_dir(html_build: Build) -> Path:
    assert_clean(html_build)
    return html_build.outdir


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return sphinx_build(DOCS, "epub", tmp_path_factory.mktemp("epub") / "epub")


@pytest.fixture(scope="session")
def epub_file(epub_build: Build) -> Path:
    assert_clean(epub_build)
    return epub_build.outdir / f"{NAME}.epub"


@pytest.fixture(scope="session")
def latex_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return sphinx_build(DOCS, "latex", tmp_path_factory.mktemp("latex") / "latex")


def make_pdf(latex_dir: Path) -> Path:
    """Run latexmk as the pdf session does, in a folder of LaTeX output; return the PDF."""
    latexmk = require_tool("latexmk", "latexmk")
    require_tool("xelatex", "texlive-xetex")
    require_tool("xindy", "xindy")
    result = subprocess.run(
        [latexmk, *LATEXMK[1:], f"{NAME}.tex"],
        cwd=latex_dir,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            **LATEXMK_ENV,
        },
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return latex_dir / f"{NAME}.pdf"


@pytest.fixture(scope="session")
def pdf_file(latex_build: Build) -> Path:
    """The PDF made from the LaTeX output with XeLaTeX through latexmk."""
    require_tool("latexmk", "latexmk")
    assert_clean(latex_build)
    return make_pdf(latex_build.outdir)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the small test projects: ``roots/test-<name>``."""
    return ROOTS
