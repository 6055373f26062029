"""The engine as a distribution: the wheel holds the glossary package and no content of this site,
and a second Sphinx project, outside this tree, builds with it in a fresh virtual environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT, ROOTS

pytestmark = pytest.mark.slow

#: What the second project needs besides the wheel, at the versions this project pins.
PINNED = ("sphinx", "docutils", "myst-parser", "sphinxcontrib-bibtex", "pybtex", "pybtex-docutils")


def pins() -> list[str]:
    """The pinned requirements of the docs group for the packages in :data:`PINNED`."""
    import tomllib

    docs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["dependency-groups"]["docs"]
    wanted = [entry for entry in docs if isinstance(entry, str) and entry.split("==")[0] in PINNED]
    assert len(wanted) == len(PINNED), wanted
    return wanted


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("*.whl")
    return built


def test_the_wheel_holds_the_engine_and_no_site_content(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "glossary/__init__.py" in names and "glossary/static/glossary.js" in names
    content = [n for n in names if n.endswith(".md") or n.startswith(("docs/", "tests/"))]
    assert content == [], content


def test_a_second_project_builds_with_the_wheel_in_a_fresh_environment(
    wheel: Path, tmp_path: Path
) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel), *pins()],
        check=True,
        capture_output=True,
    )
    project = tmp_path / "field-notes"
    shutil.copytree(ROOTS / "test-glossary", project)
    result = subprocess.run(
        [str(python), "-m", "sphinx", "-n", "-W", "--keep-going", "-b", "html", ".", "_build"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    records = (project / "_build" / "glossary.json").read_text("utf-8")
    assert '"Red fox"' in records and '"Model"' not in records
