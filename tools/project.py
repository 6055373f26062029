"""A throwaway copy of the project, for tests and the benchmark to edit and build."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools.build import ROOT

#: This site's term files.
TERMS = ROOT / "docs" / "terms"
#: What a copy holds: the sources, the glossary package, the build helpers and files.
FOLDERS = ("docs", "glossary", "tools")
FILES = ("noxfile.py", "pyproject.toml")


def copy_project(destination: Path) -> Path:
    """Copy the project's sources and build files (no caches, no output) to *destination*."""
    ignore = shutil.ignore_patterns("__pycache__", "build", "_build", ".nox")
    for name in FOLDERS:
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    for name in FILES:
        shutil.copy(ROOT / name, destination / name)
    return destination
