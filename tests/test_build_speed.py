"""docs/_ext/build_speed.py in-process: the collector's thresholds during and after a build."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from sphinx.application import Sphinx

from .conftest import ROOT


def test_a_build_collects_garbage_less_often_and_restores_the_thresholds(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_ext"))
    import build_speed

    shutil.copytree(rootdir / "test-bibliography", tmp_path / "src")
    seen: list[tuple[int, int, int]] = []

    def note(app: Sphinx, env: object) -> None:
        seen.append(gc.get_threshold())

    before = gc.get_threshold()
    extensions = ["build_speed", "myst_parser", "pybtex_plugins", "sphinxcontrib.bibtex"]
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"extensions": extensions})
    app.connect("env-updated", note)
    app.build()
    assert app.statuscode == 0 and app.warning.getvalue() == ""
    assert seen == [build_speed.THRESHOLDS] != [before]
    assert gc.get_threshold() == before
