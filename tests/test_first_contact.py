"""A newcomer's first contact: the README's two commands, typed into a fresh clone.

The commands are read from the README itself, so an edit that breaks them
fails here; they run through the `nox` console script of a fresh virtual
environment (not `python -m nox`, which would put the project folder on
sys.path and hide a noxfile that cannot import its helpers).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
#: The Pythons the README promises; each gets a fresh clone, venv and HTML build.
PYTHONS = ("3.11", "3.12", "3.13")


def readme_commands() -> dict[str, str]:
    """The two console commands under the README's "Two commands" heading, by purpose."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Two commands.*?(?=^## )", text, re.S | re.M)
    assert section, "README.md has no '## Two commands' section"
    blocks = re.findall(r"^```console\n(.*?)^```", section.group(0), re.S | re.M)
    assert len(blocks) == 2, f"the section should show exactly two commands, not {len(blocks)}"
    commands = [block.strip() for block in blocks]
    for command in commands:
        assert "\n" not in command, f"one line each, not {command!r}"
    tests = [c for c in commands if c.endswith("nox -s tests")]
    assert len(tests) == 1, f"one command runs 'nox -s tests': {commands}"
    html = next(c for c in commands if c not in tests)
    return {"html": html, "tests": tests[0]}


def test_readme_gives_an_install_line_then_nox() -> None:
    commands = readme_commands()
    install, _, rest = commands["html"].partition(" && ")
    assert install == "python3 -m pip install nox"
    assert rest == "nox"
    assert commands["tests"] == f"{install} && nox -s tests"


def test_ci_runs_the_readme_test_command_as_written() -> None:
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert readme_commands()["tests"] in lines


def find_python(version: str) -> str | None:
    """An interpreter of *version*: on PATH if it runs, else pyenv's (its shims refuse
    versions that are installed but not selected)."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "--version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def newcomer_env(venv: Path) -> dict[str, str]:
    """The environment of a shell whose first Python is *venv*'s, nothing of ours in it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"} and not key.startswith("NOX")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run *command* as typed into bash."""
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
@pytest.mark.parametrize("version", PYTHONS)
def test_readme_html_command_builds_the_site_on_a_fresh_clone(version, tmp_path) -> None:
    python = find_python(version)
    if python is None:
        message = f"needs Python {version} (pyenv install {version})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    env = newcomer_env(venv)
    html = readme_commands()["html"]
    install = html.partition(" && ")[0]

    result = shell(install, clone, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (venv / "bin" / "nox").exists(), "the install line gives no nox console script"

    result = shell("nox --list", clone, env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for session in ("html", "pdf", "epub", "serve", "tests", "lint", "bench"):
        assert re.search(rf"^[*-] {session}\b", result.stdout, re.M), result.stdout

    result = shell(html, clone, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert (clone / "build" / "html" / "index.html").exists()
    session_python = subprocess.run(
        [clone / ".nox" / "html" / "bin" / "python", "--version"], capture_output=True, text=True
    )
    assert session_python.stdout.startswith(f"Python {version}."), "the session's Python is nox's"
    assert "WARNING" not in output, output[-4000:]


@pytest.mark.slow
def test_installed_command_line_works_outside_the_project(tmp_path) -> None:
    """`pip install .` gives `mle-glossary`, with the term files inside the package."""
    venv = tmp_path / "venv"
    subprocess.run([find_python("3.11") or "python3", "-m", "venv", str(venv)], check=True)
    env = newcomer_env(venv)
    result = shell(f"python -m pip install --quiet {ROOT}", tmp_path, env)
    assert result.returncode == 0, result.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    search = shell("mle-glossary search concpt drift", elsewhere, env)
    assert search.returncode == 0, search.stderr
    assert search.stdout.startswith("Concept drift")
    check = shell("mle-glossary check", elsewhere, env)
    assert check.returncode == 0, check.stderr
    assert re.fullmatch(r"\d+ terms, no problems\n", check.stdout)
    help_text = shell("mle-glossary search --help", elsewhere, env)
    assert help_text.stdout.startswith("usage: mle-glossary search")
