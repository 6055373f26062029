"""The benchmark's pure helpers: no timing is asserted, only what the figures rest on."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench import (
    BIB,
    EDITED_PAGE,
    EDITED_TERM,
    TARGETS,
    add_sentence,
    median,
    ratio,
    synthetic_name,
    targets,
    twin_sizes,
    weigh,
    write_glossary,
)
from glossary.loader import load_glossary
from tools.build import DOCS
from tools.project import TERMS as TERMS_DIR


def test_median_of_odd_and_even_counts_and_none() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    with pytest.raises(ValueError):
        median([])


def test_ratio_to_the_floor() -> None:
    assert ratio(3.0, 1.5) == 2.0
    assert ratio(1.0, 3.0) == 0.33
    with pytest.raises(ValueError):
        ratio(1.0, 0.0)


def test_generated_terms_are_valid_term_files(tmp_path: Path) -> None:
    real = len(list(TERMS_DIR.glob("*.md")))
    generated = write_glossary(tmp_path, real + 60)
    glossary = load_glossary(tmp_path, bib=BIB)
    assert [str(p) for p in glossary.problems] == []
    assert generated == 60
    assert len(glossary) == real + 60
    synthetic = [t for t in glossary if t.path.name.startswith("synthetic-")]
    assert len({t.letter for t in synthetic}) >= 20  # spread over the A-to-Z groups
    assert any(t.aliases for t in synthetic)


def test_a_size_below_the_real_glossary_generates_nothing(tmp_path: Path) -> None:
    assert write_glossary(tmp_path, 1) == 0
    assert len(list(tmp_path.glob("*.md"))) == len(list(TERMS_DIR.glob("*.md")))


def test_generated_names_are_unique_at_the_largest_size() -> None:
    names = [synthetic_name(i).casefold() for i in range(5000)]
    assert len(set(names)) == 5000


def test_weigh_counts_raw_and_gzip_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"x" * 1000)
    (tmp_path / "b.css").write_bytes(b"")
    weight = weigh(tmp_path, ["b.css", "a.html"])
    assert weight.raw == 1000
    assert 0 < weight.gzip < 100  # a thousand equal bytes compress well
    assert weight.files == ["a.html", "b.css"]


def test_targets_report_met_missed_and_unmeasured() -> None:
    report = {
        "builds": {
            "cold_html": {"ratio": 2.5},
            "no_change": {
                "ratio": 3.0,  # to the floor's cold build: not the target's measure
                "ratio_to_floor_no_change": 1.3,
                "pages_written": [],
                "config_changes": ["The configuration has changed (1 option: 'x')"],
            },
        },
        "scale": {"growth": 9.0},
    }
    rows = {row["target"]: row for row in targets(report)}
    assert len(rows) == len(TARGETS)
    assert rows["cold_html"]["met"] is False
    assert rows["no_change"]["met"] is True
    assert rows["no_change_pages"]["met"] is True
    assert rows["no_change_config"]["met"] is False
    assert rows["term_edit"]["met"] is None
    assert rows["growth"]["met"] is True
    assert rows["filter_ms"]["met"] is None


PAGE = """# Title

First paragraph, first line,
second line.

Second paragraph.
"""


def test_a_sentence_ends_the_first_paragraph_after_the_title_or_the_last() -> None:
    first = add_sentence(PAGE, "Added.", "first")
    assert "second line. Added.\n\nSecond paragraph.\n" in first
    assert first.replace(" Added.", "") == PAGE
    last = add_sentence(PAGE, "Added.", "last")
    assert last == PAGE.replace("Second paragraph.", "Second paragraph. Added.")


def test_a_sentence_is_not_added_to_markup() -> None:
    with pytest.raises(ValueError, match="not prose"):
        add_sentence("# Title\n\n:::{note}\nText.\n:::\n", "Added.", "first")
    with pytest.raises(ValueError, match="not prose"):
        add_sentence("Text.\n\n```python\nx = 1\n```\n", "Added.", "last")
    with pytest.raises(ValueError, match="'first' or 'last'"):
        add_sentence(PAGE, "Added.", "middle")


def test_the_edited_files_take_a_sentence_in_their_text() -> None:
    # The page's first paragraph and the term's definition (not its first sentence).
    page = (DOCS / EDITED_PAGE).read_text(encoding="utf-8")
    assert add_sentence(page, "Added.", "first").count("Added.") == 1
    term = next(t for t in load_glossary(TERMS_DIR) if t.path.name == EDITED_TERM)
    assert "." in term.body.rstrip(".")  # more than one sentence: the edit is not the first
    text = term.path.read_text(encoding="utf-8")
    assert add_sentence(text, "Added.", "last").endswith(f"{text.rstrip()} Added.\n")


def test_twin_sizes_start_with_the_real_glossary(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.md").write_text("---\n---\n", encoding="utf-8")
    assert twin_sizes([1000, 2, 5000, 1000], tmp_path) == [3, 1000, 5000]
    assert twin_sizes([], tmp_path) == [3]


def test_twin_targets_read_the_real_size_and_5000() -> None:
    def size(cold: float, edit: float) -> dict[str, float]:
        return {"cold_to_twin": cold, "term_edit_to_page_edit": edit}

    report = {"twin": {"real_terms": 124, "sizes": {"124": size(1.05, 1.9), "1000": size(9, 9)}}}
    rows = {row["target"]: row for row in targets(report)}
    assert (rows["twin_cold_real"]["value"], rows["twin_cold_real"]["met"]) == (1.05, True)
    assert (rows["edit_real"]["value"], rows["edit_real"]["met"]) == (1.9, False)
    assert rows["twin_cold_5000"]["met"] is None and rows["edit_5000"]["met"] is None
