"""Bibliography entries formatted once and kept between builds (docs/_ext/pybtex_plugins.py).

In-process builds (sphinx.testing) of ``tests/roots/test-bibliography``, each in a
new app over the same folders, as a rebuild with ``sphinx-build`` would run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pybtex.style.formatting.plain import Style

from ..conftest import ROOT

ENTRIES = 2  # in refs.bib


@pytest.fixture
def project(rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_ext"))
    shutil.copytree(rootdir / "test-bibliography", tmp_path / "src")
    return tmp_path / "src"


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the entries pybtex's plain style really formats, in order."""
    calls: list[str] = []
    original = Style.format_entry

    def counting(self: Style, label: str, entry, bib_data=None):  # type: ignore[no-untyped-def]
        calls.append(entry.key)
        return original(self, label, entry, bib_data)

    monkeypatch.setattr(Style, "format_entry", counting)
    return calls


def build(make_app, src: Path) -> BeautifulSoup:
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app.warning.getvalue()
    app.cleanup()
    assert app.statuscode == 0 and warnings == ""
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text("utf-8"), "html.parser")


def bibliography(soup: BeautifulSoup) -> list[str]:
    return [" ".join(item.get_text().split()) for item in soup.select("div.citation")]


def test_each_entry_is_formatted_once_per_build_not_once_per_use(
    make_app, project, formatted
) -> None:
    soup = build(make_app, project)
    # sphinxcontrib-bibtex asks twice per entry: the entry and its tooltip.
    assert sorted(formatted) == ["lee2001", "ng2010"]
    assert len(bibliography(soup)) == ENTRIES
    tooltips = [a.get("title", "") for a in soup.select("a.reference.internal[title]")]
    assert any("Trees of the Northern Woods" in title for title in tooltips), tooltips


def test_a_rebuild_formats_again_only_the_entry_that_changed(make_app, project, formatted) -> None:
    before = bibliography(build(make_app, project))
    formatted.clear()
    (project / "index.md").write_text(
        (project / "index.md").read_text("utf-8") + "\nA page edit.\n", "utf-8"
    )
    assert bibliography(build(make_app, project)) == before
    assert formatted == []

    bib = project / "refs.bib"
    bib.write_text(bib.read_text("utf-8").replace("Rain over the Hills", "Rain Again"), "utf-8")
    after = bibliography(build(make_app, project))
    assert formatted == ["ng2010"]
    # The plain style sets an article's title in sentence case.
    assert any("Rain again" in entry for entry in after), after
    assert not any("Rain over the hills" in entry for entry in after), after


def test_pybtex_scans_the_installed_packages_once_not_per_lookup(
    make_app, project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scan reads the metadata of every installed package; pybtex and
    # sphinxcontrib-bibtex made about a dozen per build, one per plugin lookup.
    import importlib.metadata
    import traceback

    import pybtex_plugins

    pybtex_plugins._installed_entry_points.cache_clear()
    scans: list[str] = []
    original = importlib.metadata.distributions

    def counting(**kwargs: Any) -> Any:
        callers = [frame.filename for frame in traceback.extract_stack()]
        ours = [name for name in callers if "pybtex" in name or "sphinxcontrib/bibtex" in name]
        if ours:
            scans.append(ours[-1])
        return original(**kwargs)

    # entry_points() finds the packages through this module-level name at each call.
    monkeypatch.setattr(importlib.metadata, "distributions", counting)
    build(make_app, project)
    build(make_app, project)
    assert len(scans) <= 1, scans


def test_an_unchanged_bib_file_is_not_checked_again_and_a_broken_one_still_stops(
    make_app, project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import writer_checks

    parses: list[str] = []
    original = writer_checks.bib_problems

    def counting(path: Path, encoding: str) -> Any:
        parses.append(path.name)
        return original(path, encoding)

    monkeypatch.setattr(writer_checks, "bib_problems", counting)
    build(make_app, project)
    assert parses == ["refs.bib"]
    build(make_app, project)  # sphinxcontrib-bibtex parses nothing either
    assert parses == ["refs.bib"]

    bib = project / "refs.bib"
    broken = bib.read_text("utf-8").replace("  year    = {2010},", "  year    = {2010")
    bib.write_text(broken, "utf-8")
    with pytest.raises(SystemExit):
        make_app("html", srcdir=project)
    assert parses == ["refs.bib", "refs.bib"]
