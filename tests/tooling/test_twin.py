"""The benchmark's stock twin (benchmarks/twin.py): Sphinx's glossary made from term files.

The twin of the fixture project is built with the project's flags, as the
benchmark builds the site's: no warning, and ``{term}`` links, to aliases too,
land on the stock glossary's entries.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.twin import (
    INDENT,
    Twin,
    glossary_block,
    make_twin,
    read_terms,
    twin_conf,
    twin_page,
)
from glossary.loader import load_glossary
from tests.conftest import ROOTS
from tools.build import sphinx_build

FIXTURE = ROOTS / "test-glossary"
#: The fixture project's categories (its conf.py), for the engine's own loader.
CATEGORIES = ["plants", "animals", "weather", "minerals"]

# A definition with what indentation must keep: paragraphs, a nested list, a code fence.
LONG_BODY = """\
A first paragraph that links {term}`oak`.

- a list item
  continued on a second line
  - a nested item

```python
print("a fence inside the definition")
```

A last paragraph."""


def term_file(folder: Path, slug: str, term: str, aliases: list[str], body: str) -> None:
    folder.mkdir(exist_ok=True)
    front = (
        f"---\nterm: {term}\naliases: {aliases}\ncategory: plants\nsee_also: []\nsources: []\n---\n"
    )
    (folder / f"{slug}.md").write_text(front + body + "\n", encoding="utf-8")


def entries(block: str) -> list[tuple[list[str], list[str]]]:
    """The glossary's entries as Sphinx's directive reads its content: term lines, then
    the indented definition (blank lines kept), dedented by its first line's indentation."""
    lines = block.split("\n")
    assert lines[0].endswith("{glossary}") and lines[-1] == lines[0].partition("{")[0]
    found: list[tuple[list[str], list[str]]] = []
    indent = 0
    for line in lines[1:-1]:
        if line.startswith(":"):
            continue  # an option of the directive
        if not line:
            if found and found[-1][1]:
                found[-1][1].append("")
        elif not line[0].isspace():
            if not found or found[-1][1]:
                found.append(([line], []))
            else:
                found[-1][0].append(line)
        else:
            if not found[-1][1]:
                indent = len(line) - len(line.lstrip())
            found[-1][1].append(line[indent:])
    return [(names, "\n".join(body).strip().split("\n")) for names, body in found]


def test_every_term_and_alias_is_a_term_line_of_its_entry() -> None:
    block = glossary_block(read_terms(FIXTURE / "terms"))
    glossary = load_glossary(FIXTURE / "terms", categories=CATEGORIES)
    assert [str(p) for p in glossary.problems] == []
    expected = sorted(([t.term, *t.aliases] for t in glossary), key=lambda names: names[0])
    assert sorted(names for names, _ in entries(block)) == expected
    assert any(len(names) > 1 for names, _ in entries(block))  # the fixture has aliases


def test_definitions_are_indented_under_their_terms_and_kept_whole(tmp_path: Path) -> None:
    term_file(tmp_path, "long", "Long entry", ["Long alias"], LONG_BODY)
    term_file(tmp_path, "short", "Short entry", [], "One line.")
    block = glossary_block(read_terms(tmp_path))
    assert entries(block) == [
        (["Long entry", "Long alias"], LONG_BODY.split("\n")),
        (["Short entry"], ["One line."]),
    ]
    definition = [line for line in block.split("\n")[1:-1] if line.startswith(" ")]
    assert all(line.startswith(INDENT) for line in definition)
    # The directive's fence outlasts the definition's own code fence.
    assert block.startswith("````{glossary}") and block.endswith("\n````")


def test_the_page_keeps_its_text_and_loses_the_engine_directive() -> None:
    page = "# Glossary\n\nIntro.\n\n```{glossary-terms}\n```\n\nAfter.\n"
    assert twin_page(page, "BLOCK") == "# Glossary\n\nIntro.\n\nBLOCK\n\nAfter.\n"
    with pytest.raises(ValueError, match="found 0"):
        twin_page("# Glossary\n", "BLOCK")
    with pytest.raises(ValueError, match="found 2"):
        twin_page(page + page, "BLOCK")


def test_the_configuration_leaves_out_the_engine_and_nothing_else() -> None:
    conf = 'extensions = ["myst_parser", "glossary", "glossary.linked_data", "glossary_x"]\n'
    namespace: dict[str, object] = {}
    exec(twin_conf(conf), namespace)
    assert namespace["extensions"] == ["myst_parser", "glossary_x"]


@pytest.fixture
def twin(tmp_path: Path) -> Twin:
    """The fixture project's twin, its terms kept outside it as the benchmark keeps them."""
    src = tmp_path / "twin"
    shutil.copytree(FIXTURE, src)
    shutil.copytree(FIXTURE / "terms", tmp_path / "terms")
    with (src / "garden.md").open("a", encoding="utf-8") as page:
        page.write("\nBy the {term}`quercus` a {term}`Vulpes vulpes` sleeps.\n")
    return make_twin(src, tmp_path / "terms")


def test_the_twin_of_the_fixture_builds_without_warnings(twin: Twin, tmp_path: Path) -> None:
    out = tmp_path / "html"
    result = sphinx_build("html", twin.srcdir, out).run(check=False, capture=True)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert not (twin.srcdir / "terms").exists()
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    assert '<dl class="simple glossary">' in glossary
    assert "glossary-terms" not in glossary and not (out / "_static" / "glossary.js").exists()
    garden = (out / "garden.html").read_text(encoding="utf-8")
    for alias, term in (("quercus", "Oak"), ("Vulpes vulpes", "Red fox")):
        link = re.search(rf'href="glossary\.html#([^"]+)"><span[^>]*>{alias}</span>', garden)
        assert link, f"no link for {alias!r}"
        # The anchor is the alias's own term line, right after its term's in one entry.
        entry = rf'<dt id="[^"]+">{term}<a [^>]+>[^<]+</a></dt><dt id="{re.escape(link[1])}">'
        assert re.search(entry + rf"{alias}<", glossary, re.I), link[1]


def test_writing_again_changes_the_page_only_for_a_changed_term(twin: Twin, tmp_path: Path) -> None:
    assert twin.write(tmp_path / "terms") is False
    oak = tmp_path / "terms" / "oak.md"
    oak.write_text(oak.read_text(encoding="utf-8") + "It grows slowly.\n", encoding="utf-8")
    assert twin.write(tmp_path / "terms") is True
    page = (twin.srcdir / "glossary.md").read_text(encoding="utf-8")
    assert f"{INDENT}It grows slowly." in page
