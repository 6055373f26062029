"""A newcomer's first contact, shared by the fresh-clone test and the benchmark.

The README's two set-up commands, read from the README itself, and a way to
run them as a newcomer types them: in a fresh clone, in bash, with a fresh
virtual environment first on ``PATH`` and nothing of ours in the environment.
Standard library only.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


class ReadmeError(ValueError):
    """The README does not show its two commands the way newcomers need them."""


def readme_commands(readme: Path = README) -> dict[str, str]:
    """The two console commands under the README's "Two commands" heading, by purpose.

    ``html`` builds the site, ``tests`` runs every test; each is one line.
    """
    text = readme.read_text(encoding="utf-8")
    section = re.search(r"^## Two commands.*?(?=^## |\Z)", text, re.S | re.M)
    if section is None:
        raise ReadmeError(f"{readme}: no '## Two commands' section")
    blocks = [b.strip() for b in re.findall(r"^```console\n(.*?)^```", section[0], re.S | re.M)]
    if len(blocks) != 2 or any("\n" in block for block in blocks):
        raise ReadmeError(f"{readme}: 'Two commands' should show two one-line commands: {blocks}")
    tests = [block for block in blocks if block.endswith("nox -s tests")]
    if len(tests) != 1:
        raise ReadmeError(f"{readme}: exactly one of the commands should run 'nox -s tests'")
    return {"html": next(b for b in blocks if b not in tests), "tests": tests[0]}


def find_python(version: str) -> str | None:
    """An interpreter of *version* ("3.13"): on PATH if it runs, else pyenv's.

    pyenv's shims refuse a version that is installed but not selected, so its
    versions folder is looked in too.
    """
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


def fresh_clone(dest: Path, python: str, source: Path = ROOT) -> dict[str, str]:
    """Clone *source*'s committed tree into *dest*/clone with a fresh venv of *python*.

    Returns the newcomer's environment for that venv.
    """
    subprocess.run(["git", "clone", "-q", str(source), str(dest / "clone")], check=True)
    subprocess.run([python, "-m", "venv", str(dest / "venv")], check=True)
    return newcomer_env(dest / "venv")


def shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run *command* as typed into bash."""
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
