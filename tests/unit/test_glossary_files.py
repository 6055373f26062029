"""The term files: loading, every validation error, search and the command line.

These run without Sphinx, on small glossaries written into a temporary folder,
and on the real one in ``docs/terms``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from glossary import files, loader
from glossary.files import CATEGORIES
from glossary.loader import load_glossary
from glossary.markup import markup_to_text
from glossary.search import near, search, within_edits, within_one_edit
from glossary.text import LEFT_BRACE, RIGHT_BRACE, tex_to_text
from tools.project import TERMS as TERMS_DIR

from ..conftest import DOCS, ROOT

GOOD = {
    "model.md": """---
term: Model
aliases: [machine learning model]
category: machine learning
see_also: [Concept drift]
sources: [book]
---
A function learned from {term}`data <dataset>`.
""",
    "dataset.md": """---
term: Dataset
aliases: [data set]
category: data
see_also: [Model]
sources: [book]
---
A collection of examples.
""",
    "concept-drift.md": """---
term: Concept drift
aliases: []
category: data
see_also:
  - Model
sources:
  - book
---
A change over time that makes a {term}`model` less accurate {cite:p}`book`.
""",
}
BIB = "@book{book,\n  title = {A Book},\n  year = {2000},\n}\n"


def write(folder: Path, files: dict[str, str]) -> Path:
    terms = folder / "terms"
    terms.mkdir(exist_ok=True)
    for name, text in files.items():
        (terms / name).write_text(text, encoding="utf-8")
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    return terms


def problems(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    terms = write(tmp_path, {**GOOD, **changes})
    return [str(p) for p in load_glossary(terms, bib=tmp_path / "refs.bib").problems]


def test_a_valid_glossary_loads_sorted_with_no_problem(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, GOOD), bib=tmp_path / "refs.bib")
    assert glossary.problems == []
    assert [t.term for t in glossary] == ["Concept drift", "Dataset", "Model"]
    model = glossary.lookup("MACHINE  learning model")
    assert model is not None and model.term == "Model"
    assert model.body_line == 8 and model.lines["sources"] == 6


def test_a_cached_load_parses_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = write(tmp_path, GOOD)
    parsed: list[str] = []
    original = loader.split_front_matter

    def counting(path: Path, text: str) -> files.FrontMatter | files.Problem:
        parsed.append(path.name)
        return original(path, text)

    monkeypatch.setattr(loader, "split_front_matter", counting)
    cache: loader.ParseCache = {}
    first = load_glossary(terms, cache=cache)
    assert sorted(parsed) == sorted(GOOD) and len(cache) == len(GOOD)
    parsed.clear()
    assert load_glossary(terms, cache=cache) == first
    assert parsed == []

    (terms / "dataset.md").write_text(GOOD["dataset.md"].replace("examples", "rows"), "utf-8")
    (terms / "model.md").unlink()
    again = load_glossary(terms, cache=cache)
    assert parsed == ["dataset.md"]
    assert again == load_glossary(terms)  # the same as without a cache
    assert sorted(Path(key).name for key in cache) == ["concept-drift.md", "dataset.md"]
    parsed.clear()
    load_glossary(terms, categories=["data"], cache=cache)  # other categories: checked again
    assert sorted(parsed) == ["concept-drift.md", "dataset.md"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("term: Model\n---\nx\n", 1, "does not start with front matter"),
        ("---\nterm: Model\nbody\n", 1, "never closed"),
        ("---\nterm: [Model\n---\nx\n", 2, "not valid YAML"),
        ("---\n- a\n- b\n---\nx\n", 2, "must be YAML fields"),
    ],
)
def test_malformed_front_matter_is_reported_with_line(tmp_path, text, line, message) -> None:
    found = problems(tmp_path, {"broken.md": text})
    assert any(f"broken.md:{line}: " in p and message in p for p in found), found


@pytest.mark.parametrize(
    ("field", "replacement", "message"),
    [
        ("category: data\n", "category: dat\n", "unknown category 'dat'"),
        ("category: data\n", "", "the field 'category' is missing"),
        ("aliases: []\n", "aliases: []\ncolour: red\n", "unknown field 'colour'"),
        ("sources:\n  - book\n", "sources: []\n", "the field 'sources' is empty"),
        ("see_also:\n  - Model\n", "see_also: Model\n", "must be a list"),
        ("  - Model\n", "  - Models\n", "see_also names 'Models', which is no glossary term"),
        ("  - book\n", "  - nobook\n", "source 'nobook' is not in the bibliography"),
        ("{term}`model`", "{term}`no-such-term`", "{term} names 'no-such-term'"),
        ("{cite:p}`book`", "{cite:p}`nobook`", "citation 'nobook' is not in the bibliography"),
        (
            "A change over time that makes a {term}`model` less accurate {cite:p}`book`.\n",
            "",
            "the definition is empty",
        ),
    ],
)
def test_each_field_error_names_the_file_and_line(tmp_path, field, replacement, message) -> None:
    text = GOOD["concept-drift.md"]
    assert field in text
    broken = text.replace(field, replacement)
    found = problems(tmp_path, {"concept-drift.md": broken})
    matching = [p for p in found if message in p]
    assert matching, found
    assert matching[0].startswith(str(tmp_path / "terms" / "concept-drift.md") + ":")
    assert "hint:" in matching[0]


@pytest.mark.parametrize("name", ["model", "MODEL", "Data Set"])
def test_a_duplicate_term_or_alias_is_an_error_whatever_its_case(tmp_path, name) -> None:
    extra = (
        GOOD["dataset.md"]
        .replace("term: Dataset", "term: Other")
        .replace("aliases: [data set]", f"aliases: [{name}]")
    )
    found = problems(tmp_path, {"other.md": extra})
    assert any("other.md:3:" in p and "already a term or alias" in p for p in found), found


def test_all_problems_of_all_files_are_reported_at_once(tmp_path) -> None:
    found = problems(
        tmp_path,
        {
            "a.md": GOOD["model.md"].replace("category: machine learning", "category: nope"),
            "b.md": "---\nterm: [x\n---\nx\n",
        },
    )
    assert any("a.md:4:" in p for p in found) and any("b.md:2:" in p for p in found)


def test_the_real_glossary_is_valid_and_large_enough() -> None:
    glossary = load_glossary(TERMS_DIR, bib=DOCS / "references.bib")
    assert glossary.problems == [], "\n".join(map(str, glossary.problems))
    assert len(glossary) >= 80
    assert {t.category for t in glossary} == set(CATEGORIES)


def test_every_real_definition_has_one_to_four_sentences() -> None:
    for term in load_glossary(TERMS_DIR):
        text = term.plain_text()
        sentences = [s for s in text.replace("e.g.", "eg").replace("i.e.", "ie").split(". ") if s]
        assert 1 <= len(sentences) <= 4, f"{term.path}: {len(sentences)} sentences"
        assert term.summary().endswith((".", "?", "!")), term.path


def test_markup_is_reduced_to_what_a_reader_sees() -> None:
    body = "The {term}`F1 <F1 score>` mean of $P$ and {term}`recall` {cite:p}`a,b`."
    assert markup_to_text(body) == "The F1 mean of P and recall."
    assert markup_to_text("Call `fit` *first*.") == "Call fit first."


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\text{precision} = \frac{TP}{TP + FP}", "precision = TP / (TP + FP)"),
        (r"F_1 = 2 \cdot \frac{P \cdot R}{P + R}", "F₁ = 2 · (P · R) / (P + R)"),
        (r"\theta \leftarrow \theta - \eta \nabla L(\theta)", "θ ← θ - η ∇ L(θ)"),
        (r"x^{2} + \sqrt{a+b}", "x² + √(a+b)"),
        (
            r"e^{-x_i} \quad \mathrm{max}\{a, b\}",
            f"e^(-xᵢ) max{LEFT_BRACE}a, b{RIGHT_BRACE}",
        ),
        (r"\frac{2\,TP}{2\,TP + FP + FN}", "(2 TP) / (2 TP + FP + FN)"),
    ],
)
def test_math_reads_as_text_without_tex(tex, text) -> None:
    assert tex_to_text(tex) == text


def test_no_real_definition_keeps_tex_on_the_command_line() -> None:
    """What the command line prints has no backslash, brace, dollar sign or backtick."""
    tex = [t.term for t in load_glossary(TERMS_DIR) if set(t.plain_text()) & set("\\{}$`")]
    assert tex == []
    precision = load_glossary(TERMS_DIR).lookup("precision")
    assert precision is not None and "precision = TP / (TP + FP)" in precision.plain_text()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("concept drift", "concpt drift", True),
        ("concept drift", "concept drifts", True),
        ("concept drift", "cnocept drift", True),
        ("concept drift", "concpt drit", False),  # two edits in the whole name
        ("recall", "recall", True),
        ("model", "mode", True),
        ("model", "mdl", False),
    ],
)
def test_one_edit_means_one_letter_wrong_missing_extra_or_swapped(a, b, expected) -> None:
    assert within_one_edit(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("weissdorn", "wiesdorn", 2, True),  # two letters swapped, one missing
        ("weissdorn", "wiesdorm", 2, False),
        ("rainbow", "rienbow", 1, False),
        ("rainbow", "rienbow", 2, True),
        ("ab", "ba", 1, True),
        ("", "ab", 2, True),
        ("abc", "abc", 0, True),
        ("abc", "abx", 0, False),
    ],
)
def test_within_edits_counts_a_swap_as_one_edit(a, b, limit, expected) -> None:
    assert within_edits(a, b, limit) is expected


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("concept drift", "concpt drift", True),
        ("concept drift", "concpt drit", True),  # each word of five letters forgives one
        ("concept drift", "concpt drt", False),
        ("red fox", "red fix", False),  # a word under five letters forgives none
        ("cross-validation", "crossvalidaton", True),  # two in a word of nine or more
        ("concept drift", "concept", False),  # as many words as the name
    ],
)
def test_near_forgives_typos_word_by_word(name, query, expected) -> None:
    assert near(name, query) is expected


def test_search_ranks_term_then_alias_then_near_miss_then_definition(tmp_path) -> None:
    glossary = load_glossary(write(tmp_path, GOOD))
    assert [m.term.term for m in search(glossary, "model")][:1] == ["Model"]
    assert search(glossary, "data set")[0].reason == "alias"
    assert search(glossary, "concpt drift")[0].term.term == "Concept drift"
    assert search(glossary, "examples")[0].reason == "definition"
    assert search(glossary, "mdl") == []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_search_prints_the_best_entry_first() -> None:
    result = run_cli("search", "concpt", "drift")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Concept drift")


def test_cli_check_fails_with_file_and_line(tmp_path) -> None:
    terms = write(tmp_path, {**GOOD, "bad.md": "---\nterm: [x\n---\nx\n"})
    result = run_cli("--terms", str(terms), "check", "--bib", str(tmp_path / "refs.bib"))
    assert result.returncode == 1
    assert f"{terms / 'bad.md'}:2: the front matter is not valid YAML" in result.stderr


def test_cli_check_passes_on_the_real_glossary() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["search", "model"], ["list"]])
def test_cli_stops_quietly_when_the_reader_closes_the_pipe(command) -> None:
    """`python -m glossary search model | head -n 1`: no traceback once head has its line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "glossary", *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # as head does, before the command has written its lines
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


@pytest.mark.parametrize("command", [[], ["check"], ["search"], ["list"]])
def test_cli_help_names_the_command_and_every_option(command) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m glossary {' '.join(command)}".rstrip())
    options = {
        (): ["--terms", "check", "search", "list"],
        ("check",): ["--bib"],
        ("search",): ["--limit", "QUERY"],
        ("list",): ["--category"],
    }[tuple(command)]
    for option in options:
        assert option in result.stdout
