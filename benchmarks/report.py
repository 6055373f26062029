"""The benchmark's figures in its README, read from ``build/bench.json``, never typed by hand.

``nox -s bench`` writes every figure it measures to ``build/bench.json`` and then
calls :func:`write_figures`, which renders them as Markdown tables and rewrites
the block between :data:`START` and :data:`END` in ``benchmarks/README.md``;
the rest of the README (the method) is left as it is.

Nothing in the file is dropped: the figures this module knows are set in tables
and sentences, and any other value (one that a later ``bench.py`` adds) is listed
under "Other figures" with its path in the file, until it is given a place.
Numbers are written as the JSON file writes them, so a figure in the README can be
found in ``bench.json`` as it is.

By hand: ``python -m benchmarks.report [build/bench.json]``.  Standard library only.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
BENCH_JSON = HERE.parent / "build" / "bench.json"

START = "<!-- figures:start -->"
END = "<!-- figures:end -->"

#: What each build of ``bench.json``'s "builds" measures, in the order of the table.
BUILDS: dict[str, str] = {
    "floor": "Floor: a one-page furo site, cold HTML",
    "floor_no_change": "Floor: its no-change rebuild",
    "cold_html": "Cold HTML build",
    "no_change": "No-change rebuild",
    "page_edit": "Rebuild after editing one page",
    "term_edit": "Rebuild after editing one term file",
    "epub": "EPUB build",
    "pdf": "PDF build (LaTeX, then latexmk)",
}

#: The builds of each size in ``bench.json``'s "twin" section: (side, key, label).
TWIN_BUILDS: tuple[tuple[str, str, str], ...] = (
    ("project", "cold", "cold HTML"),
    ("twin", "cold", "twin's cold HTML"),
    ("project", "no_change", "no-change rebuild"),
    ("project", "page_edit", "page edit"),
    ("project", "term_edit", "term edit"),
    ("twin", "term_edit", "twin's term edit"),
)
#: What each observed rebuild of the "twin" section is.
TWIN_OBSERVED: dict[str, str] = {
    "term_edit": "term edit",
    "twin_term_edit": "twin's term edit",
    "page_edit": "page edit",
}

Report = dict[str, Any]


def cell(value: Any) -> str:
    """One value as Markdown text: numbers as JSON writes them, lists joined."""
    if value is None:
        return "not measured"
    if isinstance(value, bool):
        return "met" if value else "missed"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value) if value else "none"
    # A table cell ends at a bar or a line break.
    return str(value).replace("|", "\\|").replace("\n", " ")


def files(value: Any) -> str:
    """A list of file names, each as code (``_static/...`` would start emphasis)."""
    return ", ".join(f"`{name}`" for name in value) if isinstance(value, list) else cell(value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table; numeric columns are not aligned on purpose (they vary in kind)."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _take(mapping: dict[str, Any], key: str) -> Any:
    """Remove *key* from *mapping* and return its value (None if it is not there)."""
    return mapping.pop(key, None)


def _section(report: Report, key: str) -> dict[str, Any]:
    """The sub-mapping *key* of *report* (empty if absent), left in place to be emptied."""
    value = report.get(key)
    return value if isinstance(value, dict) else {}


def _machine(report: Report) -> list[str]:
    machine = _section(report, "machine")
    parts = []
    if machine:
        parts.append(
            f"on {cell(_take(machine, 'cpus'))} CPUs with Python "
            f"{cell(_take(machine, 'python'))} and Sphinx {cell(_take(machine, 'sphinx'))}"
        )
    if "runs" in report:
        parts.append(f"{cell(_take(report, 'runs'))} runs per build")
    if "seconds" in report:
        parts.append(f"the whole run took {cell(_take(report, 'seconds'))} s")
    return [f"Measured {'; '.join(parts)}.", ""] if parts else []


def _builds(report: Report) -> list[str]:
    builds = _section(report, "builds")
    if not builds:
        return []
    order = [key for key in BUILDS if key in builds] + sorted(builds.keys() - BUILDS.keys())
    rows: list[list[str]] = []
    observed: list[list[str]] = []
    lines: list[str] = []
    for key in order:
        row = builds[key]
        label = BUILDS.get(key, f"`{key}`")
        rows.append(
            [label, cell(_take(row, "median")), cell(_take(row, "ratio")), cell(_take(row, "runs"))]
        )
        if "ratio_to_floor_no_change" in row:
            lines.append(
                f"{label}, as a multiple of the floor's own no-change rebuild: "
                f"{cell(_take(row, 'ratio_to_floor_no_change'))}x."
            )
        if "pages_written" in row or "config_changes" in row:
            observed.append(
                [label, cell(_take(row, "pages_written")), cell(_take(row, "config_changes"))]
            )
    header = ["measurement", "median (s)", "ratio to the floor's cold build", "runs (s)"]
    out = ["### Builds", "", *table(header, rows), ""]
    out += [*lines, ""] if lines else []
    if observed:
        header = ["rebuild", "pages it wrote", "configuration changes it reported"]
        out += [*table(header, observed), ""]
    return out


def _first_page(report: Report) -> list[str]:
    first = _section(report, "first_page")
    if not first:
        return []
    return [
        "### Fresh clone to first page",
        "",
        f"`{cell(_take(first, 'command'))}` in a fresh clone and virtual environment: median "
        f"{cell(_take(first, 'median'))} s (runs: {cell(_take(first, 'runs'))} s).",
        "",
    ]


def _scale(report: Report) -> list[str]:
    scale = _section(report, "scale")
    if not scale:
        return []
    sizes: dict[str, Any] = scale.get("sizes", {})
    rows: list[list[str]] = []
    for size in sorted(sizes, key=int):
        row = sizes[size]
        index = row.get("search_index")
        rows.append(
            [
                size,
                cell(_take(row, "median")),
                cell(_take(row, "seconds_per_term")),
                cell(_take(row, "glossary_page_bytes")),
                (
                    f"{cell(_take(index, 'raw'))} / {cell(_take(index, 'gzip'))}"
                    if isinstance(index, dict)
                    else cell(None)
                ),
                cell(_take(row, "runs")),
            ]
        )
    header = [
        "terms",
        "median (s)",
        "seconds per term",
        "glossary.html (bytes)",
        "search index, raw / gzip (bytes)",
        "runs (s)",
    ]
    out = ["### The glossary at scale (cold HTML builds)", "", *table(header, rows), ""]
    sentence: list[str] = []
    if "runs_per_size" in scale:
        sentence.append(f"{cell(_take(scale, 'runs_per_size'))} runs per size")
    if "growth" in scale:
        sentence.append(f"growth from the smallest to the largest: {cell(_take(scale, 'growth'))}")
    if sentence:
        text = "; ".join(sentence)
        out += [f"{text[0].upper()}{text[1:]}.", ""]
    return out


def _twin(report: Report) -> list[str]:
    twin = _section(report, "twin")
    if not twin:
        return []
    sizes: dict[str, Any] = twin.get("sizes", {})
    order = sorted(sizes, key=int)
    medians: list[list[str]] = []
    runs: list[list[str]] = []
    observed: list[list[str]] = []
    for size in order:
        row = sizes[size]
        builds = {(side, key): _section(_section(row, side), key) for side, key, _ in TWIN_BUILDS}
        medians.append(
            [
                size,
                cell(_take(row, "generated")),
                cell(_take(row, "runs")),
                *(cell(_take(builds[side, key], "median")) for side, key, _ in TWIN_BUILDS),
                cell(_take(row, "cold_to_twin")),
                cell(_take(row, "term_edit_to_twin")),
                cell(_take(row, "term_edit_to_page_edit")),
            ]
        )
        runs += [
            [size, label, cell(_take(builds[side, key], "runs"))]
            for side, key, label in TWIN_BUILDS
        ]
        seen = _section(row, "observed")
        for key in [k for k in TWIN_OBSERVED if k in seen] + sorted(
            seen.keys() - TWIN_OBSERVED.keys()
        ):
            build = seen[key]
            observed.append(
                [
                    size,
                    TWIN_OBSERVED.get(key, f"`{key}`"),
                    cell(_take(build, "pages_written")),
                    cell(_take(build, "config_changes")),
                ]
            )
    header = [
        "terms",
        "generated",
        "runs",
        *(f"{label} (s)" for _, _, label in TWIN_BUILDS),
        "cold / twin's",
        "term edit / twin's",
        "term edit / page edit",
    ]
    out = ["### The project and its stock twin", ""]
    sentence = []
    if "real_terms" in twin:
        sentence.append(f"The real glossary has {cell(_take(twin, 'real_terms'))} terms")
    if "edited_term" in twin and "edited_page" in twin:
        sentence.append(
            f"the edits add a sentence to the definition in `{cell(_take(twin, 'edited_term'))}` "
            f"and to a paragraph of `{cell(_take(twin, 'edited_page'))}`"
        )
    if sentence:
        out += ["; ".join(sentence) + ". Medians:", ""]
    out += [*table(header, medians), ""]
    out += ["Each run (s):", "", *table(["terms", "build", "runs (s)"], runs), ""]
    if observed:
        header = ["terms", "rebuild", "pages it wrote", "configuration changes it reported"]
        out += [*table(header, observed), ""]
    return out


def _filter(report: Report) -> list[str]:
    data = _section(report, "filter")
    if not data:
        return []
    return [
        "### The glossary filter in Chromium",
        "",
        f"At {cell(_take(data, 'terms'))} terms, typing and deleting "
        f'"{cell(_take(data, "query"))}" ({cell(_take(data, "keystrokes"))} keystrokes, '
        f"each the median of {cell(_take(data, 'repeats'))} repeats): median "
        f"{cell(_take(data, 'median_ms'))} ms, slowest {cell(_take(data, 'slowest_ms'))} ms "
        "a keystroke.",
        "",
        f"Per keystroke (ms): {cell(_take(data, 'per_keystroke_ms'))}.",
        "",
    ]


def _keystrokes(figures: dict[str, Any]) -> str:
    return (
        f"median {cell(_take(figures, 'median_ms'))} ms, slowest "
        f"{cell(_take(figures, 'slowest_ms'))} ms (each keystroke: "
        f"{cell(_take(figures, 'per_keystroke_ms'))})"
    )


def _search(report: Report) -> list[str]:
    data = _section(report, "search")
    if not data:
        return []
    throttle = cell(_take(data, "throttle"))
    out = [
        "### The site search in Chromium",
        "",
        f'Typing and deleting "{cell(_take(data, "query"))}" in the search box, each '
        f"keystroke the median of {cell(_take(data, 'repeats'))} repeats, timed as the "
        "filter's:",
        "",
    ]
    for key, where in (("site", "this site"), ("largest_glossary", "the largest glossary")):
        runs = _section(data, key)
        if "terms" in runs:
            where = f"{where} ({cell(_take(runs, 'terms'))} terms)"
        for label in sorted(runs, key=lambda label: (label != "unthrottled", label)):
            figures = runs[label]
            if isinstance(figures, dict):
                speed = "unthrottled" if label == "unthrottled" else f"CPU slowed {throttle}x"
                out.append(f"- {where}, {speed}: {_keystrokes(figures)}.")
    index = _section(data, "index")
    engine = _section(data, "engine")
    first = _section(data, "first_results_ms")
    by_terms = _section(data, "index_gzip_by_terms")
    out.append("")
    if index:
        out.append(
            f"The index of this site ({files(_take(index, 'files'))}): {cell(_take(index, 'raw'))} "
            f"bytes, {cell(_take(index, 'gzip'))} gzip; with the glossary at "
            + ", ".join(f"{size} terms {cell(_take(by_terms, size))}" for size in list(by_terms))
            + " bytes gzip."
        )
    if engine:
        out.append(
            f"The engine ({files(_take(engine, 'files'))}): {cell(_take(engine, 'raw'))} bytes, "
            f"{cell(_take(engine, 'gzip'))} gzip."
        )
    if first:
        out.append(
            f"First results after the box is first focused, served on 127.0.0.1 with the CPU "
            f"slowed {throttle}x: median {cell(_take(first, 'median'))} ms "
            f"(runs: {cell(_take(first, 'runs'))} ms)."
        )
    return [*out, ""]


def _engines(report: Report) -> list[str]:
    engines = _section(report, "engines")
    if not engines:
        return []
    rows: list[list[str]] = []
    for name in sorted(engines):
        row = engines[name]
        rows.append(
            [
                name,
                cell(_take(row, "cases_found")),
                cell(_take(row, "cases_missed")),
                cell(_take(row, "library_gzip")),
                cell(_take(row, "serialised_index_gzip")),
                cell(_take(row, "index_built_ms")),
                cell(_take(row, "query_median_ms")),
                {True: "yes", False: "no"}.get(_take(row, "works_from_file"), cell(None)),
            ]
        )
    header = [
        "engine",
        "cases found alone",
        "cases missed",
        "library, gzip (bytes)",
        "serialised index, gzip (bytes)",
        "index built (ms)",
        "a query (ms)",
        "works from file://",
    ]
    return [
        "### Search engines compared (`python -m benchmarks.engines`)",
        "",
        *table(header, rows),
        "",
    ]


def _weight(report: Report) -> list[str]:
    weight = _section(report, "weight")
    if not weight:
        return []
    level = cell(_take(weight, "gzip_level"))
    floor = _section(weight, "floor")
    pages: dict[str, Any] = weight.get("pages", {})
    rows: list[list[str]] = []
    if floor:
        rows.append(["floor: index.html", cell(_take(floor, "raw")), cell(_take(floor, "gzip"))])
    for name in sorted(pages, key=lambda page: (-pages[page].get("raw", 0), page)):
        rows.append([name, cell(_take(pages[name], "raw")), cell(_take(pages[name], "gzip"))])
    out = [
        "### Page weight (every byte Chromium loads for the page)",
        "",
        *table(["page", "raw (bytes)", f"gzip -{level} (bytes)"], rows),
        "",
    ]
    if "heaviest" in weight:
        out += [
            f"Heaviest: `{cell(_take(weight, 'heaviest'))}`, "
            f"{cell(_take(weight, 'heaviest_raw_over_floor_kb'))} KB raw and "
            f"{cell(_take(weight, 'heaviest_gzip_over_floor_kb'))} KB gzip over the floor "
            f"page; it loads {files(_take(weight, 'heaviest_files'))}.",
            "",
        ]
    if "files" in floor:
        out += [f"The floor page loads {files(_take(floor, 'files'))}.", ""]
    return out


def _targets(report: Report) -> list[str]:
    targets: list[dict[str, Any]] = report.get("targets", [])
    rows: list[list[str]] = []
    for row in targets:
        what, key = cell(_take(row, "what")), cell(_take(row, "target"))
        value, limit = cell(_take(row, "value")), cell(_take(row, "limit"))
        rows.append([f"{what} (`{key}`)", value, limit, cell(_take(row, "met"))])
    if not rows:
        return []
    header = ["target", "measured", "at most", "state"]
    return ["### Targets (reported, never enforced)", "", *table(header, rows), ""]


def leftovers(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every value still in *value*, by its dotted path (empty mappings and lists skipped)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leftovers(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):
            yield from leftovers(item, f"{path}[{index}]")
    elif value != [] and value != {}:
        yield path, value


def render(report: Mapping[str, Any]) -> str:
    """The figures of *report* (``bench.json`` as loaded) as Markdown, every value included."""
    rest: Report = copy.deepcopy(dict(report))
    lines = ["The latest `nox -s bench`, from `build/bench.json`.", ""]
    parts = (
        _machine,
        _builds,
        _first_page,
        _scale,
        _twin,
        _filter,
        _search,
        _engines,
        _weight,
        _targets,
    )
    for part in parts:
        lines += part(rest)
    others = [[f"`{path}`", cell(value)] for path, value in leftovers(rest)]
    if others:
        lines += ["### Other figures", "", *table(["in bench.json", "value"], others), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def replace_block(text: str, block: str) -> str:
    """*text* with what lies between :data:`START` and :data:`END` replaced by *block*."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"expected one {START} and, after it, one {END}")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{block}{END}{after}"


def write_figures(bench_json: Path = BENCH_JSON, readme: Path = README) -> Path:
    """Rewrite *readme*'s figures from *bench_json*; return *readme*."""
    report = json.loads(bench_json.read_text(encoding="utf-8"))
    text = readme.read_text(encoding="utf-8")
    readme.write_text(replace_block(text, render(report)), encoding="utf-8")
    return readme


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("bench_json", nargs="?", type=Path, default=BENCH_JSON)
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    if not args.bench_json.exists():
        print(f"{args.bench_json} does not exist: run nox -s bench first", file=sys.stderr)
        return 1
    print(f"figures of {args.bench_json} written to {write_figures(args.bench_json, args.readme)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
