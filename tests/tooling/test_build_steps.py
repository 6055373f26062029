"""The build steps of tools/build.py: what nox, Read the Docs, the tests and the benchmark share.

The steps run here with a stand-in for sphinx-build and latexmk (no Sphinx build), so that
what a step promises shows without waiting for one: from clean, doctrees outside the
output, published only on success.  The noxfile's own import and its missing-tool stop run
the real nox.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import build
from tools.build import (
    EPUB_TOOLS,
    LATEXMK_ENV,
    NAME,
    PDF_TOOLS,
    SPHINX_FLAGS,
    Command,
    MissingTool,
    Steps,
)

from ..conftest import ROOT


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the modules *path* imports (``from . import`` aside)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_what_the_noxfile_imports_is_the_standard_library_nox_and_tools_build() -> None:
    """nox's own Python has nothing else installed: any other import breaks `nox`."""
    project = {"tools", "tools.build"}
    seen, queue = set(), [ROOT / "noxfile.py"]
    outside = set()
    while queue:
        path = queue.pop()
        seen.add(path)
        for module in imported_modules(path):
            if module in project:
                file = ROOT / Path(*module.split(".")).with_suffix(".py")
                file = file if file.exists() else file.with_suffix("") / "__init__.py"
                queue += [file] if file not in seen else []
            elif module.partition(".")[0] not in {*sys.stdlib_module_names, "__future__"}:
                outside.add(module)
    assert outside == {"nox"}
    assert ROOT / "tools" / "build.py" in seen


def nox_session(session: str, path: str) -> subprocess.CompletedProcess[str]:
    """`nox -s <session>` in the project, with *path* as PATH (this Python's nox)."""
    return subprocess.run(
        [sys.executable, "-m", "nox", "--no-venv", "--no-install", "-s", session],
        cwd=ROOT,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("session", "packages"),
    [
        ("pdf", "latexmk texlive-xetex xindy"),
        ("epub", "default-jre-headless epubcheck"),
        ("dist", "latexmk texlive-xetex xindy default-jre-headless epubcheck"),
    ],
)
def test_a_session_without_its_system_tools_stops_naming_the_debian_packages(
    session: str, packages: str
) -> None:
    result = nox_session(session, str(Path(sys.executable).parent))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Session {session} aborted" in output, output
    assert f"not installed: apt-get install {packages}" in output, output
    assert "Traceback" not in output, output
    assert "python -m sphinx" not in output, output  # stopped before building anything


def test_a_missing_tool_names_each_debian_package_once(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MissingTool, match=r"^'latexmk' is not installed: apt-get install latexmk$"):
        build.require("latexmk")
    with pytest.raises(MissingTool) as error:
        build.require("pdftotext", "pdffonts")
    assert str(error.value) == (
        "'pdftotext', 'pdffonts' are not installed: apt-get install poppler-utils"
    )
    assert error.value.tools == ("pdftotext", "pdffonts")
    for tool in (*PDF_TOOLS, *EPUB_TOOLS):
        assert tool in build.SYSTEM_TOOLS


def test_the_sphinx_command_has_the_flags_and_its_doctrees_outside_the_output(tmp_path) -> None:
    out = tmp_path / "site" / "html"
    command = build.sphinx_build("html", ROOT / "docs", out, "-j", "2", python="py")
    assert command.argv[:5] == ("py", "-m", "sphinx", "-b", "html")
    assert command.argv[5 : 5 + len(SPHINX_FLAGS)] == ("-n", "-W", "--keep-going")
    doctrees = Path(command.argv[command.argv.index("-d") + 1])
    assert out not in doctrees.parents and doctrees != out
    assert command.argv[-4:] == (str(ROOT / "docs"), str(out), "-j", "2")
    assert command.reproducible().env["SOURCE_DATE_EPOCH"] == build.SOURCE_DATE_EPOCH


def test_latexmk_runs_in_the_latex_folder_with_its_environment(tmp_path) -> None:
    command = build.latexmk(tmp_path)
    assert command.argv == (*build.LATEXMK, f"{NAME}.tex")
    assert (command.cwd, dict(command.env)) == (tmp_path, LATEXMK_ENV)


class FakeTools:
    """Runs the steps' commands: writes what sphinx-build and latexmk would, or fails."""

    def __init__(self, fail: str = "") -> None:
        self.fail = fail  # the builder (or "latexmk") whose command fails
        self.commands: list[Command] = []

    def __call__(self, command: Command) -> None:
        self.commands.append(command)
        argv = command.argv
        if argv[0] == "latexmk":
            assert command.cwd is not None
            self.made(command.cwd / f"{NAME}.pdf", "latexmk")
        elif argv[1:3] == ("-m", "sphinx"):
            builder, outdir = argv[4], Path(argv[argv.index("-d") + 3])
            page = "index.html" if builder == "html" else f"{NAME}.{builder}"
            self.made(outdir / page, builder)
        # epubcheck: checks, writes nothing

    def made(self, file: Path, step: str) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("new")  # written before a failure: half a build
        if step == self.fail:
            raise subprocess.CalledProcessError(1, step)


@pytest.fixture
def tools_installed(monkeypatch) -> None:
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"/usr/bin/{tool}")


def test_a_build_is_published_only_when_it_succeeded(tmp_path) -> None:
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("old")
    with pytest.raises(subprocess.CalledProcessError):
        Steps(run=FakeTools(fail="html"), out=tmp_path).html()
    assert (site / "index.html").read_text() == "old"
    assert not (tmp_path / "staging" / "html").exists()

    tools = FakeTools()
    assert Steps(run=tools, out=tmp_path).html() == site
    assert (site / "index.html").read_text() == "new"
    assert not (tmp_path / "html.old").exists()
    assert list((tmp_path / "staging").iterdir()) == []


def test_each_build_starts_from_clean(tmp_path) -> None:
    stale = [tmp_path / "staging" / "html" / "old.html", tmp_path / "doctrees" / "html" / "x"]
    for file in stale:
        file.parent.mkdir(parents=True)
        file.write_text("stale")
    Steps(run=FakeTools(), out=tmp_path).html()
    assert not (tmp_path / "html" / "old.html").exists()
    assert not stale[1].exists()


def test_a_failed_latexmk_keeps_the_last_pdf(tmp_path, tools_installed) -> None:
    published = tmp_path / "pdf" / f"{NAME}.pdf"
    published.parent.mkdir()
    published.write_text("old")
    with pytest.raises(subprocess.CalledProcessError):
        Steps(run=FakeTools(fail="latexmk"), out=tmp_path).pdf()
    assert published.read_text() == "old"
    assert list(published.parent.iterdir()) == [published]


def test_dist_builds_the_books_checks_the_epub_and_links_both(tmp_path, tools_installed) -> None:
    tools = FakeTools()
    site = Steps(run=tools, python="py", out=tmp_path).dist(["-j", "2"])
    assert site == tmp_path / "html"
    pdf, epub = tmp_path / "pdf" / f"{NAME}.pdf", tmp_path / "epub" / f"{NAME}.epub"
    assert pdf.read_text() == epub.read_text() == "new"
    latex, latexmk, epub_build, epubcheck, html = tools.commands
    assert [c.argv[4] for c in (latex, epub_build, html)] == ["latex", "epub", "html"]
    assert all(c.argv[-2:] == ("-j", "2") for c in (latex, epub_build, html))
    assert latexmk.cwd == tmp_path / "staging" / "latex"
    assert dict(latexmk.env) == LATEXMK_ENV
    assert epubcheck.argv[:2] == ("/usr/bin/java", "-jar")
    assert "--failonwarnings" in epubcheck.argv
    assert epubcheck.argv[-1] == str(tmp_path / "staging" / "epub" / f"{NAME}.epub")
    assert html.env == {"BOOK_DOWNLOADS": os.pathsep.join([str(pdf), str(epub)])}
