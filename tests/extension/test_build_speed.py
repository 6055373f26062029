"""docs/_ext/build_speed.py in-process: the collector's thresholds during and after a build."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from sphinx.application import Sphinx

from ..conftest import ROOT

EXTENSIONS = ["build_speed", "myst_parser", "pybtex_plugins", "sphinxcontrib.bibtex"]


@pytest.fixture
def make_project(make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A new app over one copy of the small citing project, with build_speed first."""
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_ext"))
    shutil.copytree(rootdir / "test-bibliography", tmp_path / "src")
    return lambda: make_app(
        "html", srcdir=tmp_path / "src", confoverrides={"extensions": EXTENSIONS}
    )


def test_a_build_collects_garbage_less_often_and_restores_the_thresholds(make_project) -> None:
    import build_speed

    seen: list[tuple[int, int, int]] = []

    def note(app: Sphinx, env: object) -> None:
        seen.append(gc.get_threshold())

    before = gc.get_threshold()
    app = make_project()
    app.connect("env-updated", note)
    app.build()
    assert app.statuscode == 0 and app.warning.getvalue() == ""
    assert seen == [build_speed.THRESHOLDS] != [before]
    assert gc.get_threshold() == before


def test_a_rebuild_renders_its_pages_without_compiling_a_template(
    make_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinja2 import Environment

    compiled: list[str | None] = []
    original = Environment.compile

    def counting(self: Environment, source: object, name: str | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(name)  # None for a template made from a string
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)

    def build() -> str:
        app = make_project()
        app.build()
        assert app.statuscode == 0 and app.warning.getvalue() == ""
        app.cleanup()
        return (Path(app.outdir) / "genindex.html").read_text("utf-8")

    first = build()
    assert "page.html" in compiled  # the theme's templates, compiled once
    compiled.clear()
    assert build() == first  # the index page, written again from the cache
    # Only templates made from strings (Sphinx's *.css_t and *.js_t files), which
    # Jinja keeps no bytecode for.
    assert [name for name in compiled if name is not None] == []


def test_a_template_an_extension_changes_is_compiled_again(make_project) -> None:
    """The cache is checked against what Jinja compiles: the source after extensions'
    ``preprocess`` (as docs/_ext/accessibility.py labels furo's asides)."""
    from jinja2.ext import Extension

    class Mark(Extension):
        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return source.replace("</body>", "<!-- marked --></body>")

    def build(*extensions: type[Extension]) -> str:
        app = make_project()
        for extension in extensions:
            app.builder.templates.environment.add_extension(extension)
        app.build()
        assert app.statuscode == 0 and app.warning.getvalue() == ""
        app.cleanup()
        return (Path(app.outdir) / "genindex.html").read_text("utf-8")

    assert "<!-- marked -->" not in build()
    assert "<!-- marked -->" in build(Mark)
