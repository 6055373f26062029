"""benchmarks/report.py: every figure of a bench.json-shaped report reaches the README's block."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import END, README, START, render, replace_block, write_figures

#: A small report in bench.json's shape: every section bench.py writes, fewer rows.
SAMPLE: dict[str, Any] = {
    "machine": {"cpus": 2, "python": "3.11.7", "sphinx": "9.0.4"},
    "runs": 5,
    "builds": {
        "floor": {"runs": [1.101, 1.102], "median": 1.103, "ratio": 1.0},
        "floor_no_change": {"runs": [1.201, 1.202], "median": 1.203, "ratio": 1.09},
        "cold_html": {"runs": [4.401, 4.402], "median": 4.403, "ratio": 3.99},
        "no_change": {
            "runs": [1.801, 1.802],
            "median": 1.803,
            "ratio": 1.63,
            "pages_written": [],
            "config_changes": ["The configuration has changed (1 option: 'pygments_dark_style')"],
            "ratio_to_floor_no_change": 1.49,
        },
        "term_edit": {
            "runs": [3.701, 3.702],
            "median": 3.703,
            "ratio": 3.35,
            "pages_written": ["glossary", "index"],
            "config_changes": [],
        },
        "pdf": {"runs": [15.501, 15.502], "median": 15.503, "ratio": 14.05},
    },
    "first_page": {
        "command": "python3 -m pip install nox && nox",
        "runs": [54.21, 55.22, 81.23],
        "median": 55.22,
    },
    "scale": {
        "runs_per_size": 3,
        "sizes": {
            "500": {
                "runs": [12.301],
                "median": 12.302,
                "seconds_per_term": 0.02461,
                "glossary_page_bytes": 1234567,
            },
            "5000": {
                "runs": [90.101],
                "median": 90.102,
                "seconds_per_term": 0.01802,
                "glossary_page_bytes": 9876543,
                "search_index": {"raw": 456789, "gzip": 45678},
            },
        },
        "growth": 7.32,
    },
    "twin": {
        "real_terms": 124,
        "edited_term": "accuracy.md",
        "edited_page": "differences.md",
        "sizes": {
            "124": {
                "generated": 0,
                "runs": 3,
                "project": {
                    "cold": {"runs": [1.711, 1.712], "median": 1.713},
                    "no_change": {"runs": [0.511, 0.512], "median": 0.513},
                    "term_edit": {"runs": [1.361, 1.362], "median": 1.363},
                    "page_edit": {"runs": [0.691, 0.692], "median": 0.693},
                },
                "twin": {
                    "cold": {"runs": [1.041, 1.042], "median": 1.043},
                    "term_edit": {"runs": [0.791, 0.792], "median": 0.793},
                },
                "cold_to_twin": 1.64,
                "term_edit_to_twin": 1.72,
                "term_edit_to_page_edit": 1.97,
                "observed": {
                    "term_edit": {"pages_written": ["glossary", "index"], "config_changes": []},
                    "twin_term_edit": {"pages_written": ["glossary"], "config_changes": []},
                    "page_edit": {"pages_written": ["differences"], "config_changes": ["x"]},
                },
            },
            "5000": {
                "generated": 4876,
                "runs": 2,
                "project": {
                    "cold": {"runs": [61.1, 61.2], "median": 61.3},
                    "no_change": {"runs": [1.1, 1.2], "median": 1.3},
                    "term_edit": {"runs": [58.1, 58.2], "median": 58.3},
                    "page_edit": {"runs": [2.1, 2.2], "median": 2.3},
                },
                "twin": {
                    "cold": {"runs": [31.1, 31.2], "median": 31.3},
                    "term_edit": {"runs": [21.1, 21.2], "median": 21.3},
                },
                "cold_to_twin": 1.96,
                "term_edit_to_twin": 2.74,
                "term_edit_to_page_edit": 25.35,
            },
        },
    },
    "filter": {
        "terms": 5000,
        "query": "gradient desc",
        "keystrokes": 26,
        "repeats": 7,
        "median_ms": 8.71,
        "slowest_ms": 16.62,
        "per_keystroke_ms": [9.11, 12.12, 16.62],
    },
    "search": {
        "query": "concpt dri",
        "repeats": 5,
        "throttle": 4,
        "site": {
            "unthrottled": {"median_ms": 6.81, "slowest_ms": 8.11, "per_keystroke_ms": [6.12]},
            "cpu_4x": {"median_ms": 20.61, "slowest_ms": 24.61, "per_keystroke_ms": [20.12]},
        },
        "largest_glossary": {
            "terms": 5000,
            "unthrottled": {"median_ms": 8.13, "slowest_ms": 13.31, "per_keystroke_ms": [8.33]},
            "cpu_4x": {"median_ms": 31.01, "slowest_ms": 42.51, "per_keystroke_ms": [31.33]},
        },
        "index": {"files": ["_static/search-index.js"], "raw": 70380, "gzip": 19412},
        "index_gzip_by_terms": {"500": 28114, "5000": 109426},
        "engine": {"files": ["_static/minisearch.min.js"], "raw": 36791, "gzip": 12348},
        "first_results_ms": {"runs": [304.7, 270.4], "median": 304.71},
    },
    "engines": {
        "lunr": {
            "cases_found": "22 of 29",
            "cases_missed": ["cafe", "walking"],
            "library_gzip": 8414,
            "index_built_ms": 31.8,
            "serialised_index_gzip": 35209,
            "query_median_ms": 0.266,
            "works_from_file": True,
        },
    },
    "weight": {
        "gzip_level": 6,
        "floor": {"files": ["index.html", "_static/furo.css"], "raw": 104448, "gzip": 23552},
        "pages": {
            "glossary.html": {"raw": 726016, "gzip": 129024},
            "index.html": {"raw": 210111, "gzip": 45111},
        },
        "heaviest": "glossary.html",
        "heaviest_files": ["glossary.html", "_static/glossary.js"],
        "heaviest_raw_over_floor_kb": 607.0,
        "heaviest_gzip_over_floor_kb": 103.0,
    },
    "targets": [
        {
            "target": "cold_html",
            "what": "cold HTML / floor",
            "limit": 2.0,
            "value": 3.99,
            "met": False,
        },
        {"target": "growth", "what": "t(5000) / t(500)", "limit": 10.0, "value": 7.32, "met": True},
        {
            "target": "filter_ms",
            "what": "filter, slowest keystroke (ms)",
            "limit": 16.0,
            "value": None,
            "met": None,
        },
    ],
    "seconds": 712.4,
}


Path_ = tuple[str | int, ...]


def leaves(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every number and string in *value*, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        yield path, value


def with_value(report: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    """A copy of *report* with the value at *path* replaced."""
    copy: dict[str, Any] = json.loads(json.dumps(report))
    *parents, last = path
    container = copy
    for key in parents:
        container = container[key]
    container[last] = value
    return copy


def test_every_figure_reaches_the_block() -> None:
    """Each value in turn is made unique: it must then be found in the block.

    A value the renderer leaves out fails here by its path, even when another
    figure happens to have the same number.
    """
    missing = []
    for path, value in leaves(SAMPLE):
        marker: str | float = 9876.54321
        if isinstance(value, str):
            marker = "unique-marker"
        elif isinstance(value, int):
            marker = 987654
        if str(marker) not in render(with_value(SAMPLE, path, marker)):
            missing.append(path)
    assert missing == []
    assert len(list(leaves(SAMPLE))) > 60  # the walk reached the whole sample


def test_tables_and_states() -> None:
    lines = render(SAMPLE).splitlines()
    assert "| Cold HTML build | 4.403 | 3.99 | 4.401, 4.402 |" in lines
    changed = "The configuration has changed (1 option: 'pygments_dark_style')"
    assert f"| No-change rebuild | none | {changed} |" in lines
    assert "| Rebuild after editing one term file | glossary, index | none |" in lines
    assert "| 5000 | 90.102 | 0.01802 | 9876543 | 456789 / 45678 | 90.101 |" in lines
    assert "| lunr | 22 of 29 | cafe, walking | 8414 | 35209 | 31.8 | 0.266 | yes |" in lines
    assert "| cold HTML / floor (`cold_html`) | 3.99 | 2.0 | missed |" in lines
    assert "| t(5000) / t(500) (`growth`) | 7.32 | 10.0 | met |" in lines
    unmeasured = "| filter, slowest keystroke (ms) (`filter_ms`) | not measured | 16.0 |"
    assert f"{unmeasured} not measured |" in lines
    # Heaviest page first, after the floor.
    pages = [line.split(" | ")[0] for line in lines if line.startswith("| ") and "html |" in line]
    assert pages[:3] == ["| floor: index.html", "| glossary.html", "| index.html"]


def test_the_twin_section_has_a_row_per_size_its_runs_and_what_rebuilds_wrote() -> None:
    block = render(SAMPLE)
    assert "Other figures" not in block  # every figure of the sample has its place
    lines = block.splitlines()
    medians = "| 5000 | 4876 | 2 | 61.3 | 31.3 | 1.3 | 2.3 | 58.3 | 21.3 | 1.96 | 2.74 | 25.35 |"
    assert medians in lines
    assert lines.index(medians) > lines.index("### The project and its stock twin")
    assert "| 124 | twin's term edit | 0.791, 0.792 |" in lines
    assert "| 5000 | cold HTML | 61.1, 61.2 |" in lines
    assert "| 124 | twin's term edit | glossary | none |" in lines
    assert "| 124 | page edit | differences | x |" in lines


def test_a_figure_the_renderer_does_not_know_is_listed_not_dropped() -> None:
    report = json.loads(json.dumps(SAMPLE))
    report["builds"]["cold_html"]["peak_mb"] = 321.5
    report["network"] = {"requests": 0}
    block = render(report)
    assert "| `builds.cold_html.peak_mb` | 321.5 |" in block
    assert "| `network.requests` | 0 |" in block
    assert "Other figures" not in render(SAMPLE)


def test_a_bar_in_a_value_does_not_break_its_table() -> None:
    epub = {"runs": [1.5], "median": 1.5, "ratio": 1.2, "config_changes": ["a | b"]}
    report = {"builds": {"epub": {**epub, "pages_written": []}}}
    assert "| EPUB build | none | a \\| b |" in render(report).splitlines()


def test_replace_block_keeps_the_rest_and_is_stable() -> None:
    text = f"# Title\n\nMethod.\n\n{START}\nold figures\n{END}\n\nAfter.\n"
    once = replace_block(text, "new figures\n")
    assert once == f"# Title\n\nMethod.\n\n{START}\nnew figures\n{END}\n\nAfter.\n"
    assert replace_block(once, "new figures\n") == once


@pytest.mark.parametrize(
    "text", ["no markers", f"{START} only", f"{END} before {START}", f"{START}{START}{END}"]
)
def test_replace_block_refuses_a_readme_without_one_pair_of_markers(text: str) -> None:
    with pytest.raises(ValueError, match="figures:start"):
        replace_block(text, "x\n")


def test_write_figures_rewrites_the_readme_from_the_file(tmp_path: Path) -> None:
    bench = tmp_path / "bench.json"
    bench.write_text(json.dumps(SAMPLE), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(f"Method.\n\n{START}\nRun nox -s bench.\n{END}\n", encoding="utf-8")
    write_figures(bench, readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"Method.\n\n{START}\nThe latest `nox -s bench`")
    assert "Run nox -s bench." not in text
    assert text.endswith(f"{END}\n")
    assert "| 5000 | 90.102 | 0.01802 | 9876543 | 456789 / 45678 | 90.101 |" in text


def test_the_benchmark_readme_has_its_markers() -> None:
    """bench.py rewrites it at the end of a long run: the markers must be there."""
    text = README.read_text(encoding="utf-8")
    assert replace_block(text, "x\n").count("x\n") >= 1
