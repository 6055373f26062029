"""A newcomer's first contact: the README's two commands, typed into a fresh clone.

The commands are read from the README itself (tools/newcomer.py), so an edit
that breaks them fails here; they run through the `nox` console script of a
fresh virtual environment, not `python -m nox`, which would put the project
folder on sys.path and hide a noxfile that cannot import its helpers.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tools.newcomer import ReadmeError, find_python, fresh_clone, readme_commands, shell

from ..conftest import ROOT, unavailable

CI_RUN = ROOT / ".ci" / "run"
#: The Pythons the README promises; each gets a fresh clone, venv and HTML build.
PYTHONS = ("3.11", "3.12", "3.13")


def require_python(version: str) -> str:
    python = find_python(version)
    if python is None:
        unavailable(f"needs Python {version} (pyenv install {version})")
    return python


def test_readme_gives_an_install_line_then_nox() -> None:
    commands = readme_commands()
    install, _, rest = commands["html"].partition(" && ")
    assert install == "python3 -m pip install nox"
    assert rest == "nox"
    assert commands["tests"] == f"{install} && nox -s tests"


def test_readme_without_its_two_commands_is_reported(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("## Two commands\n\n```console\nnox\n```\n\n## Next\n", encoding="utf-8")
    with pytest.raises(ReadmeError, match="two one-line commands"):
        readme_commands(readme)


def test_ci_runs_the_readme_test_command_as_written() -> None:
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert readme_commands()["tests"] in lines


@pytest.mark.slow
@pytest.mark.parametrize("version", PYTHONS)
def test_readme_html_command_builds_the_site_on_a_fresh_clone(version, tmp_path) -> None:
    env = fresh_clone(tmp_path, require_python(version))
    clone, venv = tmp_path / "clone", tmp_path / "venv"
    html = readme_commands()["html"]

    result = shell(html.partition(" && ")[0], clone, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (venv / "bin" / "nox").exists(), "the install line gives no nox console script"

    result = shell("nox --list", clone, env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for session in ("html", "pdf", "epub", "serve", "tests", "lint", "bench"):
        assert re.search(rf"^[*-] {session}\b", result.stdout, re.M), result.stdout

    result = shell(html, clone, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "WARNING" not in output, output[-4000:]
    assert (clone / "build" / "html" / "index.html").exists()
    session_python = subprocess.run(
        [clone / ".nox" / "html" / "bin" / "python", "--version"], capture_output=True, text=True
    )
    assert session_python.stdout.startswith(f"Python {version}."), "the session's Python is nox's"


@pytest.mark.slow
def test_installed_command_line_works_outside_the_project(tmp_path) -> None:
    """`pip install .` gives `mle-glossary`; the term files are content, not in the package.

    Elsewhere it reads the folder named with --terms, and without one says which
    folder it looked for, with no traceback.
    """
    env = fresh_clone(tmp_path, require_python("3.11"))
    result = shell("python -m pip install --quiet .", tmp_path / "clone", env)
    assert result.returncode == 0, result.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    terms = tmp_path / "clone" / "docs" / "terms"
    search = shell(f"mle-glossary --terms {terms} search concpt drift", elsewhere, env)
    assert search.returncode == 0, search.stderr
    assert search.stdout.startswith("Concept drift")
    check = shell(f"mle-glossary --terms {terms} check", elsewhere, env)
    assert check.returncode == 0, check.stderr
    assert re.fullmatch(r"\d+ terms, no problems\n", check.stdout)
    lost = shell("mle-glossary check", elsewhere, env)
    assert lost.returncode == 1 and "Traceback" not in lost.stderr
    assert lost.stderr.startswith("docs/terms:0: no such folder of term files")
    help_text = shell("mle-glossary search --help", elsewhere, env)
    assert help_text.stdout.startswith("usage: mle-glossary search")
