"""Build speed against a floor, the glossary at scale, and page weight.

Run with ``nox -s bench`` (or ``python -m benchmarks.bench`` in an environment
with the ``bench`` dependency group).  Everything is measured in one run, side
by side, on temporary copies of the project, so ``docs/`` and ``build/html``
are never touched:

* the *floor*: a one-page furo project with the same Sphinx, the fastest any
  Sphinx site can be built here, so that figures compare across machines as
  ratios;
* the project: cold HTML build, no-change rebuild (beside the floor's own),
  rebuilds after editing one page and one term file (with the pages each
  writes and any configuration change Sphinx reports), EPUB, and PDF (LaTeX,
  then latexmk as ``nox -s pdf``);
* scale: the project with 500, 2,000 and 5,000 glossary terms (the real ones
  plus generated ones), and the glossary filter's time per keystroke in
  Chromium at the largest size;
* the stock twin: at the real glossary, 1,000 and 5,000 terms, the project's
  cold build, no-change rebuild and rebuilds after a term-file edit and a page
  edit, beside the cold build and term edit of its *twin*, the same site with
  Sphinx's own glossary directive instead of the glossary engine
  (:mod:`benchmarks.twin`);
* the site search: keystroke to rendered results in the search box, on this
  site and at the largest glossary, unthrottled and with the CPU slowed 4x;
  the size of its index (gzip) at each glossary size; the first results after
  the box is first focused, served on 127.0.0.1 with the CPU slowed 4x;
* page weight: each page with everything the browser loads for it;
* first page: from a fresh clone to a built site through the README's HTML
  command, in a fresh virtual environment (the pip cache as it is).

It prints a report and writes ``build/bench.json``.  It never fails on time:
the targets are reported, met or missed, because a shared 2-core machine is
too noisy for a timing to decide anything.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from benchmarks.report import write_figures
from benchmarks.twin import Twin, make_twin
from glossary.files import CATEGORIES, read_bib_keys, term_files
from glossary.loader import load_glossary
from tools.build import (
    BUILD,
    DOCS,
    PDF_TOOLS,
    Command,
    MissingTool,
    doctrees_beside,
    find,
    latexmk,
    require,
    sphinx_build,
)
from tools.loopback import launch_chromium, serve, serve_like_a_host
from tools.newcomer import fresh_clone, readme_commands, shell
from tools.project import TERMS as TERMS_DIR
from tools.project import copy_project

#: The benchmark's findings, as written to build/bench.json.
Report = dict[str, Any]
BIB = DOCS / "references.bib"
OUTPUT = BUILD / "bench.json"

RUNS = 5
#: Fresh clone to first page: each run installs nox and the docs group anew.
FIRST_PAGE_RUNS = 3
#: Cold builds of the large glossaries take long; fewer runs keep the session short.
SCALE_RUNS = 3
SCALE_SIZES = (500, 2000, 5000)
#: The page and the term file the incremental rebuilds edit.
EDITED_PAGE = "differences.md"
EDITED_TERM = "accuracy.md"
#: The stock twin: the sizes above the real glossary (it is always measured too), the runs
#: at each size, and fewer above TWIN_LARGE terms, where a cold build takes a minute.
TWIN_SIZES = (1000, 5000)
TWIN_RUNS = 3
TWIN_LARGE_RUNS = 2
TWIN_LARGE = 2000
#: The sizes at which one more, untimed, run of each edit records the pages it writes.
OBSERVE_UP_TO = 1000
#: What the timed edits add: a sentence, a different one each time.
EDIT_SENTENCE = "The benchmark added this sentence, number {number}, to measure a rebuild."
#: What the filter benchmark types, one keystroke at a time, then deletes.
FILTER_QUERY = "gradient desc"
FILTER_INPUT = "#glossary-filter-input"
FILTER_REPEATS = 5
#: What the search benchmark types into the search box, then deletes: a typo, then a word begun.
SEARCH_QUERY = "concpt dri"
SEARCH_INPUT = "input[role=combobox]"
SEARCH_REPEATS = 5
FIRST_RESULTS_RUNS = 5
#: Chromium's CPU slowdown (DevTools' "4x slowdown"), roughly a mid-range phone.
THROTTLE = 4
SEARCH_FILES = ("minisearch.min.js", "glossary-search.js", "search-index.js")
GZIP_LEVEL = 6  # what web servers commonly use
KB = 1024

#: The issue's targets: (key in the report, description, limit).
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("cold_html", "cold HTML / floor", 2.0),
    ("no_change", "no-change rebuild / floor's no-change", 1.3),
    ("no_change_pages", "pages a no-change rebuild writes", 0),
    ("no_change_config", "config changes it reports", 0),
    ("page_edit", "one-page edit / floor", 1.5),
    ("term_edit", "one term-file edit / floor", 1.5),
    ("growth", "t(5000) / t(500)", 10.0),
    ("twin_cold_real", "cold HTML / stock twin's, real terms only", 1.1),
    ("twin_cold_5000", "cold HTML / stock twin's, 5,000 terms", 1.1),
    ("edit_real", "term edit / page edit, real terms only", 1.2),
    ("edit_5000", "term edit / page edit, 5,000 terms", 2.0),
    ("filter_ms", "filter, slowest keystroke (ms)", 16.0),
    ("search_ms", "search box, median keystroke (ms)", 16.0),
    ("search_slowest_ms", "search box, slowest keystroke (ms)", 33.0),
    ("search_4x_ms", "search box at 4x CPU, median keystroke (ms)", 33.0),
    ("search_4x_slowest_ms", "search box at 4x CPU, slowest keystroke (ms)", 50.0),
    ("search_index_gzip_kb", "search index of this site, gzip (KB)", 60.0),
    ("search_first_ms", "first results after first focus, 4x CPU (ms)", 200.0),
    ("weight_raw_kb", "heaviest page - floor page, raw (KB)", 40.0),
    ("weight_gzip_kb", "heaviest page - floor page, gzip (KB)", 40.0),
)

FLOOR_CONF = 'project = "Floor"\nhtml_theme = "furo"\n'
FLOOR_INDEX = "Floor\n=====\n\nA one-page project: the fastest a furo site builds here.\n"

# Words for generated term names, one per initial letter so that the A-to-Z
# groups fill as in a real glossary.
_WORDS = [
    "adaptive",
    "analog",
    "batch",
    "causal",
    "dense",
    "elastic",
    "federated",
    "gradient",
    "hidden",
    "implicit",
    "joint",
    "kernel",
    "latent",
    "masked",
    "neural",
    "online",
    "private",
    "quantized",
    "robust",
    "sparse",
    "temporal",
    "unified",
    "vector",
    "weighted",
    "xenial",
    "yielding",
    "zonal",
]
_NOUNS = ("pipeline", "estimator", "encoder", "metric", "schedule", "buffer", "sampler", "store")


# -- Pure helpers ---------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    """The median of at least one value."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(value: float, floor: float) -> float:
    """*value* as a multiple of *floor*, rounded for the report."""
    if floor <= 0:
        raise ValueError(f"the floor must be positive, not {floor}")
    return round(value / floor, 2)


def synthetic_term(index: int, real_terms: Sequence[str], bib_keys: Sequence[str]) -> str:
    """The text of generated term file number *index*: a valid, realistic entry.

    Like the real entries it links a few terms (real ones and the previous
    generated one), names see-also terms and a source from the bibliography,
    and about one in three has an alias.
    """
    name = synthetic_name(index)
    real = [real_terms[(index * 7 + k) % len(real_terms)] for k in range(3)]
    see_also = [real[0]] + ([synthetic_name(index - 1)] if index else [real[1]])
    aliases = [f"SYN-{index:05d}"] if index % 3 == 0 else []
    key = bib_keys[index % len(bib_keys)]
    previous = f"{{term}}`{synthetic_name(index - 1)}`" if index else f"{{term}}`{real[2]}`"
    body = (
        f"A generated entry that stands for a {_NOUNS[index % len(_NOUNS)]} in a "
        f"{{term}}`{real[0]}` setting, written to measure how the glossary grows. It is "
        f"compared with {previous} and with {{term}}`{real[1]}`, and its definition is "
        "about as long as a real one: a few sentences with links, a citation "
        f"{{cite:p}}`{key}` and plain words for the filter to search, such as drift, "
        "latency, schema and rollout."
    )
    return (
        "---\n"
        f"term: {name}\n"
        f"aliases: {json.dumps(aliases)}\n"
        f"category: {CATEGORIES[index % len(CATEGORIES)]}\n"
        f"see_also: {json.dumps(see_also)}\n"
        f"sources: [{key}]\n"
        "---\n"
        f"{body}\n"
    )


def synthetic_name(index: int) -> str:
    word = _WORDS[index % len(_WORDS)].capitalize()
    return f"{word} {_NOUNS[(index // len(_WORDS)) % len(_NOUNS)]} {index:05d}"


def write_glossary(folder: Path, total: int, terms_dir: Path = TERMS_DIR, bib: Path = BIB) -> int:
    """Fill *folder* with the real term files plus generated ones, *total* in all.

    Returns how many were generated.
    """
    folder.mkdir(parents=True, exist_ok=True)
    real = load_glossary(terms_dir)
    for term in real:
        shutil.copyfile(term.path, folder / term.path.name)
    names = [term.term for term in real]
    keys = sorted(read_bib_keys(bib))
    generated = max(total - len(names), 0)
    for index in range(generated):
        text = synthetic_term(index, names, keys)
        (folder / f"synthetic-{index:05d}.md").write_text(text, encoding="utf-8")
    return generated


# -- Running builds -------------------------------------------------------------


def run(command: Command) -> float:
    """Run *command* reproducibly; return its wall-clock seconds, or raise with its output."""
    start = time.perf_counter()
    result = command.reproducible().run(check=False, capture=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise RuntimeError(f"{command} failed:\n{output}")
    return seconds


def sphinx(builder: str, srcdir: Path, outdir: Path, *extra: str, quiet: bool = True) -> Command:
    """The project's sphinx-build command (tools/build.py), quiet unless told."""
    return sphinx_build(builder, srcdir, outdir, *(["-q"] if quiet else []), *extra)


def observe(command: Command) -> dict[str, list[str]]:
    """Run a (not quiet) build; the pages it wrote and the configuration changes it named."""
    lines = command.reproducible().run(capture=True).stdout.splitlines()
    return {
        "pages_written": [
            line.rpartition("] ")[2].strip()
            for line in lines
            if line.startswith("writing output... [")
        ],
        "config_changes": [line for line in lines if "The configuration has changed" in line],
    }


def clean(outdir: Path) -> None:
    """Remove an output folder and its doctrees, for a cold build."""
    for folder in (outdir, doctrees_beside(outdir)):
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Timing:
    """The wall-clock seconds of each run of one measurement."""

    runs: list[float]

    @property
    def median(self) -> float:
        return median(self.runs)


def timed(runs: int, before: Callable[[int], None], command: Callable[[], float]) -> Timing:
    """Call *before(i)* (untimed) then *command()* (timed), *runs* times."""
    seconds = []
    for index in range(runs):
        before(index)
        seconds.append(command())
    return Timing(seconds)


def write_floor(dest: Path) -> Path:
    dest.mkdir(parents=True)
    (dest / "conf.py").write_text(FLOOR_CONF, encoding="utf-8")
    (dest / "index.rst").write_text(FLOOR_INDEX, encoding="utf-8")
    return dest


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


_NOT_PROSE = ("```", ":::", "$$", "#", "(", "%", "|", "<")


def add_sentence(text: str, sentence: str, paragraph: str) -> str:
    """*text* (MyST) with *sentence* at the end of a paragraph: its ``"first"`` or ``"last"``.

    The first paragraph is the first after the page's title; the last, the
    one that ends the text (a term file's definition).  Either must be prose,
    not a fence, heading, target or table, so that the edit changes the text a
    reader sees, never its markup.
    """
    lines = text.split("\n")
    if paragraph == "last":
        end = max(i for i, line in enumerate(lines) if line.strip())
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
    elif paragraph == "first":
        title = next(i for i, line in enumerate(lines) if line.startswith("# "))
        start = next(i for i in range(title + 1, len(lines)) if lines[i].strip())
        end = start
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
    else:
        raise ValueError(f"paragraph is 'first' or 'last', not {paragraph!r}")
    if lines[start].lstrip().startswith(_NOT_PROSE) or lines[end].lstrip().startswith(_NOT_PROSE):
        raise ValueError(f"the {paragraph} paragraph is not prose: {lines[start][:40]!r}")
    lines[end] = f"{lines[end].rstrip()} {sentence}"
    return "\n".join(lines)


def edit(path: Path, paragraph: str, number: int) -> None:
    """Add sentence *number* to the *paragraph* (first or last) of the file at *path*."""
    sentence = EDIT_SENTENCE.format(number=number)
    text = path.read_text(encoding="utf-8")
    path.write_text(add_sentence(text, sentence, paragraph), encoding="utf-8")


# -- The browser: page weight and the filter ------------------------------------


@contextlib.contextmanager
def browser(scratch: Path, chromium: str) -> Iterator[object]:
    """A fresh profile of the Chromium at *chromium* that may reach 127.0.0.1 (and files) only."""
    from playwright.sync_api import sync_playwright

    os.environ["TMPDIR"] = str(scratch)  # Chromium's scratch folders go here
    with sync_playwright() as playwright:
        context = launch_chromium(playwright, scratch / "profile", chromium)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname == "127.0.0.1"
                or urlsplit(route.request.url).scheme == "file"
                else route.abort()
            ),
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Weight:
    """One page and everything it loads, in bytes."""

    files: list[str]
    raw: int
    gzip: int


def weigh(site: Path, files: Sequence[str]) -> Weight:
    """Sum the sizes of *files* (paths inside *site*), raw and gzip-compressed."""
    raw = packed = 0
    for name in files:
        data = (site / name).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return Weight(sorted(files), raw, packed)


def page_weights(context: object, site: Path, pages: Sequence[str]) -> dict[str, Weight]:
    """Load each page in Chromium and weigh every file it requested."""
    weights: dict[str, Weight] = {}
    with serve(site) as base:
        for page_name in pages:
            tab = context.new_page()  # type: ignore[attr-defined]
            loaded: list[str] = []
            tab.on("request", lambda request, loaded=loaded: loaded.append(request.url))
            tab.goto(f"{base}/{page_name}", wait_until="networkidle")
            tab.close()
            files = {
                unquote(urlsplit(url).path).lstrip("/") for url in loaded if url.startswith(base)
            }
            weights[page_name] = weigh(site, [f for f in files if (site / f).is_file()])
    return weights


# Types the query into the input *selector* names, one keystroke at a time, then
# deletes it; each step is timed from the input event to the end of the style and
# layout it causes.  The input is focused first, as a reader does (the search box then
# loads its engine and index, awaited when *loads* is true).  The step starts at a
# frame, as a real keystroke does, and ends in a task posted right after the event,
# which runs once that frame has been rendered: a forced layout (offsetHeight) would
# stop the clock before the entries content-visibility brings into view are styled and
# laid out, later in the same frame.
_TYPE_AND_DELETE = """
async ([selector, query, loads]) => {
  const input = document.querySelector(selector);
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const rendered = () => new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done();
    channel.port2.postMessage(null);
  });
  const times = [];
  const steps = [];
  for (let i = 1; i <= query.length; i++) steps.push(query.slice(0, i));
  for (let i = query.length - 1; i >= 0; i--) steps.push(query.slice(0, i));
  input.focus();
  if (loads) await window.glossarySearch.load();
  await frame();
  for (const value of steps) {
    await frame();
    const start = performance.now();
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await rendered();
    times.push(performance.now() - start);
  }
  return times;
}
"""


def filter_keystrokes(context: object, site: Path) -> list[list[float]]:
    """Per repeat, the milliseconds of each keystroke in the glossary filter."""
    with serve(site) as base:
        tab = context.new_page()  # type: ignore[attr-defined]
        tab.goto(f"{base}/glossary.html", wait_until="load")
        tab.wait_for_selector(FILTER_INPUT)
        typing = (FILTER_INPUT, FILTER_QUERY, False)
        repeats = [tab.evaluate(_TYPE_AND_DELETE, typing) for _ in range(FILTER_REPEATS)]
        tab.close()
    return repeats


# A reader's first search on a page: the box focused and the query typed at once; timed
# until the frame that shows the first results has been rendered (engine and index
# loaded, parsed and indexed, the query run).
_FIRST_RESULTS = """
async (query) => {
  const input = document.querySelector("input[role=combobox]");
  const listbox = document.getElementById(input.getAttribute("aria-controls"));
  const start = performance.now();
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((done) => {
    const check = () => (listbox.hidden ? requestAnimationFrame(check) : done());
    check();
  });
  await new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done();
    channel.port2.postMessage(null);
  });
  return performance.now() - start;
}
"""


def throttled(context: object, tab: object, rate: float) -> None:
    """Slow *tab*'s CPU *rate* times (Chromium DevTools' CPU throttling)."""
    session = context.new_cdp_session(tab)  # type: ignore[attr-defined]
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})


def keystrokes(times: list[list[float]]) -> dict[str, Any]:
    """Each keystroke's median over the repeats; their median and slowest."""
    per_key = [median(step) for step in zip(*times, strict=True)]
    return {
        "median_ms": round(median(per_key), 2),
        "slowest_ms": round(max(per_key), 2),
        "per_keystroke_ms": [round(t, 2) for t in per_key],
    }


def search_keystrokes(context: object, site: Path) -> dict[str, Any]:
    """The search box's keystrokes on *site*, unthrottled and with the CPU slowed 4x."""
    figures: dict[str, Any] = {}
    with serve(site) as base:
        for label, rate in (("unthrottled", 1.0), (f"cpu_{THROTTLE}x", float(THROTTLE))):
            tab = context.new_page()  # type: ignore[attr-defined]
            tab.goto(f"{base}/index.html", wait_until="load")
            throttled(context, tab, rate)
            typing = (SEARCH_INPUT, SEARCH_QUERY, True)
            repeats = [tab.evaluate(_TYPE_AND_DELETE, typing) for _ in range(SEARCH_REPEATS)]
            tab.close()
            figures[label] = keystrokes(repeats)
    return figures


def first_results(context: object, site: Path) -> list[float]:
    """Milliseconds from the first focus to the first results, served as a host serves."""
    runs = []
    with serve_like_a_host(site) as base:
        for _ in range(FIRST_RESULTS_RUNS):
            tab = context.new_page()  # type: ignore[attr-defined]
            session = context.new_cdp_session(tab)  # type: ignore[attr-defined]
            session.send("Network.setCacheDisabled", {"cacheDisabled": True})
            tab.goto(f"{base}/index.html", wait_until="networkidle")
            session.send("Emulation.setCPUThrottlingRate", {"rate": float(THROTTLE)})
            runs.append(tab.evaluate(_FIRST_RESULTS, SEARCH_QUERY))
            tab.close()
    return runs


def bench_search(context: object, project: Path, scale: Path, report: Report) -> None:
    """The site search: keystrokes on the site and the largest glossary, index, first results."""
    largest = int(max(report["scale"]["sizes"], key=int)) if "scale" in report else None
    say(f"search box in Chromium, {SEARCH_REPEATS} x {SEARCH_QUERY!r}, 1x and {THROTTLE}x ...")
    on_site = search_keystrokes(context, project)
    on_scale = search_keystrokes(context, scale)
    say(f"first results after first focus, {FIRST_RESULTS_RUNS} runs at {THROTTLE}x ...")
    first = first_results(context, project)
    growth = {
        size: row["search_index"]["gzip"]
        for size, row in report.get("scale", {}).get("sizes", {}).items()
        if "search_index" in row
    }
    library = weigh(project, ["_static/minisearch.min.js", "_static/glossary-search.js"])
    report["search"] = {
        "query": SEARCH_QUERY,
        "repeats": SEARCH_REPEATS,
        "throttle": THROTTLE,
        "site": on_site,
        "largest_glossary": {"terms": largest, **on_scale},
        "index": asdict(weigh(project, ["_static/search-index.js"])),
        "index_gzip_by_terms": growth,
        "engine": asdict(library),
        "first_results_ms": {
            "runs": [round(t, 1) for t in first],
            "median": round(median(first), 1),
        },
    }


# -- The benchmark --------------------------------------------------------------


def say(text: str) -> None:
    print(text, flush=True)


def bench_builds(work: Path, runs: int, report: Report) -> Path:
    """Floor and project builds; return the project's HTML output."""
    floor_src = write_floor(work / "floor")
    docs = copy_project(work / "project") / "docs"
    out = work / "out"
    floor_html, html = out / "floor-html", out / "html"

    def cold(src: Path, outdir: Path) -> Callable[[], float]:
        def build() -> float:
            clean(outdir)
            return run(sphinx("html", src, outdir))

        return build

    # Floor and project cold builds alternate, so that both see the same load.
    say(f"cold HTML builds, floor and project, {runs} runs each ...")
    floor_runs, cold_runs = [], []
    for _ in range(runs):
        floor_runs.append(cold(floor_src, floor_html)())
        cold_runs.append(cold(docs, html)())
    timings = {"floor": Timing(floor_runs), "cold_html": Timing(cold_runs)}

    def again() -> float:
        return run(sphinx("html", docs, html))

    say("no-change rebuilds, floor and project ...")
    timings["floor_no_change"] = timed(
        runs, lambda i: None, lambda: run(sphinx("html", floor_src, floor_html))
    )
    timings["no_change"] = timed(runs, lambda i: None, again)
    say(f"rebuilds after editing {EDITED_PAGE} ...")
    page = docs / EDITED_PAGE
    timings["page_edit"] = timed(runs, lambda i: append(page, f"\n% bench edit {i}\n"), again)
    say(f"rebuilds after editing the term file {EDITED_TERM} ...")
    term = docs / "terms" / EDITED_TERM
    timings["term_edit"] = timed(runs, lambda i: append(term, f"\n% bench edit {i}\n"), again)
    # What each kind of rebuild does, from one more (untimed, not quiet) run of each.
    verbose = sphinx("html", docs, html, quiet=False)
    observed = {"no_change": observe(verbose)}
    append(page, "\n% bench edit, observed\n")
    observed["page_edit"] = observe(verbose)
    append(term, "\n% bench edit, observed\n")
    observed["term_edit"] = observe(verbose)
    say("EPUB builds ...")
    epub = out / "epub"
    timings["epub"] = timed(runs, lambda i: clean(epub), lambda: run(sphinx("epub", docs, epub)))

    try:
        require(*PDF_TOOLS)
    except MissingTool as error:
        say(f"PDF skipped: {error}")
    else:
        say("PDF builds (LaTeX, then latexmk) ...")
        latex = out / "latex"

        def pdf() -> float:
            return run(sphinx("latex", docs, latex)) + run(latexmk(latex))

        timings["pdf"] = timed(runs, lambda i: clean(latex), pdf)

    floor = timings["floor"].median
    report["builds"] = {
        key: {
            "runs": [round(s, 3) for s in timing.runs],
            "median": round(timing.median, 3),
            "ratio": ratio(timing.median, floor),
            **observed.get(key, {}),
        }
        for key, timing in timings.items()
    }
    report["builds"]["no_change"]["ratio_to_floor_no_change"] = ratio(
        timings["no_change"].median, timings["floor_no_change"].median
    )
    # A cold build of each, for the page weights.
    cold(floor_src, floor_html)()
    cold(docs, html)()
    report["_sites"] = {"floor": str(floor_html), "project": str(html)}
    return html


def bench_first_page(work: Path, runs: int, report: Report) -> None:
    """Seconds from ``git clone`` to ``build/html/index.html``, as a newcomer gets there.

    Each run: clone the committed tree, make a virtual environment of this
    Python, then the README's HTML command as written (``pip install nox``, the
    html session's own venv and install, the build).
    """
    command = readme_commands()["html"]
    python = getattr(sys, "_base_executable", sys.executable)
    say(f"fresh clone to first page ({command!r}), {runs} runs ...")
    seconds = []
    for index in range(runs):
        folder = work / f"newcomer-{index}"
        started = time.perf_counter()
        env = fresh_clone(folder, python)
        result = shell(command, folder / "clone", env)
        if result.returncode != 0 or not (folder / "clone/build/html/index.html").exists():
            raise RuntimeError(f"the README's HTML command failed:\n{result.stderr[-3000:]}")
        seconds.append(time.perf_counter() - started)
        shutil.rmtree(folder)
    report["first_page"] = {
        "command": command,
        "runs": [round(s, 2) for s in seconds],
        "median": round(median(seconds), 2),
    }


def bench_scale(work: Path, runs: int, sizes: Sequence[int], report: Report) -> Path:
    """Cold builds with a glossary of each size; return the largest site."""
    docs = copy_project(work / "scale") / "docs"
    results: dict[str, dict[str, Any]] = {}
    outdir = work / "out" / "scale"
    for size in sizes:
        terms = work / f"terms-{size}"
        generated = write_glossary(terms, size)
        say(f"cold HTML builds with {size} terms ({generated} generated), {runs} runs ...")
        command = sphinx("html", docs, outdir, "-D", f"glossary_terms_dir={terms}")
        timing = timed(runs, lambda _: clean(outdir), partial(run, command))
        results[str(size)] = {
            "runs": [round(s, 3) for s in timing.runs],
            "median": round(timing.median, 3),
            "seconds_per_term": round(timing.median / size, 5),
            "glossary_page_bytes": (outdir / "glossary.html").stat().st_size,
            "search_index": {
                key: value
                for key, value in asdict(weigh(outdir, ["_static/search-index.js"])).items()
                if key != "files"
            },
        }
    first, last = results[str(sizes[0])], results[str(sizes[-1])]
    report["scale"] = {
        "runs_per_size": runs,
        "sizes": results,
        "growth": round(last["median"] / first["median"], 2),
    }
    return outdir


def figures(timing: Timing) -> dict[str, Any]:
    return {"runs": [round(t, 3) for t in timing.runs], "median": round(timing.median, 3)}


def twin_sizes(sizes: Sequence[int], terms_dir: Path = TERMS_DIR) -> list[int]:
    """The glossary sizes of the twin comparison: the real terms only, then *sizes* above it."""
    real = len(term_files(terms_dir))
    return [real, *sorted({size for size in sizes if size > real})]


def bench_twin(
    work: Path, sizes: Sequence[int], runs: int, large_runs: int, report: Report
) -> None:
    """The project against its stock twin, and a term edit against a page edit, at each size.

    At each size: cold builds of the project and its twin, alternating; the
    project's no-change rebuilds; then, each run, a term-file edit rebuilt by
    the project, the same edit rebuilt by the twin (its glossary page written
    again from the term files) and a page edit rebuilt by the project, so that
    each timed rebuild follows exactly one edit and all three see the same load.
    """
    docs = copy_project(work / "edits") / "docs"
    twin_docs = copy_project(work / "twin") / "docs"
    html, twin_html = work / "out" / "edits-html", work / "out" / "twin-html"
    page = docs / EDITED_PAGE
    numbers = iter(range(1, 1_000_000))  # each edit adds a sentence of its own
    results: dict[str, dict[str, Any]] = {}
    twin: Twin | None = None
    for size in twin_sizes(sizes):
        terms = work / f"twin-terms-{size}"
        generated = write_glossary(terms, size)
        term = terms / EDITED_TERM
        twin = make_twin(twin_docs, terms) if twin is None else twin
        twin.write(terms)
        # The same pages: the twin gets the page edits the project has had so far.
        shutil.copyfile(page, twin_docs / EDITED_PAGE)

        def project(quiet: bool = True, terms: Path = terms) -> Command:
            return sphinx("html", docs, html, "-D", f"glossary_terms_dir={terms}", quiet=quiet)

        def stock(quiet: bool = True) -> Command:
            return sphinx("html", twin_docs, twin_html, quiet=quiet)

        count = len(term_files(terms))
        n = large_runs if count > TWIN_LARGE else runs
        say(f"{count} terms: the project and its stock twin, {n} runs each ...")
        times: dict[str, list[float]] = defaultdict(list)
        for _ in range(n):
            clean(html)
            times["cold"].append(run(project()))
            clean(twin_html)
            times["twin_cold"].append(run(stock()))
        times["no_change"] = [run(project()) for _ in range(n)]
        for _ in range(n):
            edit(term, "last", next(numbers))
            times["term_edit"].append(run(project()))
            if not twin.write(terms):
                raise RuntimeError(f"the twin's glossary page misses the edit of {term}")
            times["twin_term_edit"].append(run(stock()))
            edit(page, "first", next(numbers))
            times["page_edit"].append(run(project()))
        timing = {key: Timing(values) for key, values in times.items()}
        row: dict[str, Any] = {
            "generated": generated,
            "runs": n,
            "project": {
                key: figures(timing[key]) for key in ("cold", "no_change", "term_edit", "page_edit")
            },
            "twin": {
                "cold": figures(timing["twin_cold"]),
                "term_edit": figures(timing["twin_term_edit"]),
            },
            "cold_to_twin": ratio(timing["cold"].median, timing["twin_cold"].median),
            "term_edit_to_twin": ratio(timing["term_edit"].median, timing["twin_term_edit"].median),
            "term_edit_to_page_edit": ratio(timing["term_edit"].median, timing["page_edit"].median),
        }
        if count <= OBSERVE_UP_TO:
            # What each rebuild writes, from one more (untimed, not quiet) run of each.
            edit(term, "last", next(numbers))
            row["observed"] = {"term_edit": observe(project(quiet=False))}
            twin.write(terms)
            row["observed"]["twin_term_edit"] = observe(stock(quiet=False))
            edit(page, "first", next(numbers))
            row["observed"]["page_edit"] = observe(project(quiet=False))
        results[str(count)] = row
    report["twin"] = {
        "real_terms": len(term_files(TERMS_DIR)),
        "edited_term": EDITED_TERM,
        "edited_page": EDITED_PAGE,
        "sizes": results,
    }


def bench_browser(work: Path, project: Path, floor: Path, scale: Path, report: Report) -> None:
    """Page weights of every page, and the filter at the largest glossary."""
    try:
        chromium = find("chromium")
    except MissingTool as error:
        say(f"browser figures skipped: {error}")
        return
    scratch = work / "chromium"
    scratch.mkdir()
    with browser(scratch, chromium) as context:
        say("page weights in Chromium ...")
        floor_weight = page_weights(context, floor, ["index.html"])["index.html"]
        pages = sorted(p.relative_to(project).as_posix() for p in project.glob("*.html"))
        weights = page_weights(context, project, pages)
        say(f"glossary filter in Chromium, {FILTER_REPEATS} x typing {FILTER_QUERY!r} ...")
        repeats = filter_keystrokes(context, scale)
        bench_search(context, project, scale, report)
    heaviest = max(weights, key=lambda name: weights[name].raw)
    report["weight"] = {
        "gzip_level": GZIP_LEVEL,
        "floor": asdict(floor_weight),
        "pages": {name: {"raw": w.raw, "gzip": w.gzip} for name, w in weights.items()},
        "heaviest": heaviest,
        "heaviest_files": weights[heaviest].files,
        "heaviest_raw_over_floor_kb": round((weights[heaviest].raw - floor_weight.raw) / KB, 1),
        "heaviest_gzip_over_floor_kb": round(
            (max(w.gzip for w in weights.values()) - floor_weight.gzip) / KB, 1
        ),
    }
    per_key = [median(times) for times in zip(*repeats, strict=True)]
    report["filter"] = {
        "terms": int(max(report["scale"]["sizes"], key=int)),
        "query": FILTER_QUERY,
        "keystrokes": len(per_key),
        "repeats": FILTER_REPEATS,
        "median_ms": round(median(per_key), 2),
        "slowest_ms": round(max(per_key), 2),
        "per_keystroke_ms": [round(t, 2) for t in per_key],
    }


def search_targets(search: dict[str, Any]) -> dict[str, float | None]:
    """The search's targets: the worse of this site and the largest glossary for each."""
    runs = [search[key] for key in ("site", "largest_glossary") if key in search]

    def worst(label: str, figure: str) -> float | None:
        values = [run[label][figure] for run in runs if label in run]
        return max(values) if values else None

    index = search.get("index", {}).get("gzip")
    first = search.get("first_results_ms", {}).get("median")
    return {
        "search_ms": worst("unthrottled", "median_ms"),
        "search_slowest_ms": worst("unthrottled", "slowest_ms"),
        "search_4x_ms": worst(f"cpu_{THROTTLE}x", "median_ms"),
        "search_4x_slowest_ms": worst(f"cpu_{THROTTLE}x", "slowest_ms"),
        "search_index_gzip_kb": None if index is None else round(index / KB, 1),
        "search_first_ms": first,
    }


def targets(report: Report) -> list[dict[str, Any]]:
    """Each target with its measured value and whether it was met."""
    builds = report.get("builds", {})
    no_change = builds.get("no_change", {})

    def count(key: str) -> int | None:
        return len(no_change[key]) if key in no_change else None

    twin = report.get("twin", {})

    def at(size: object, key: str) -> float | None:
        value = twin.get("sizes", {}).get(str(size), {}).get(key)
        return None if value is None else float(value)

    values = {
        "cold_html": builds.get("cold_html", {}).get("ratio"),
        "no_change": no_change.get("ratio_to_floor_no_change"),
        "no_change_pages": count("pages_written"),
        "no_change_config": count("config_changes"),
        "page_edit": builds.get("page_edit", {}).get("ratio"),
        "term_edit": builds.get("term_edit", {}).get("ratio"),
        "growth": report.get("scale", {}).get("growth"),
        "twin_cold_real": at(twin.get("real_terms"), "cold_to_twin"),
        "twin_cold_5000": at(5000, "cold_to_twin"),
        "edit_real": at(twin.get("real_terms"), "term_edit_to_page_edit"),
        "edit_5000": at(5000, "term_edit_to_page_edit"),
        "filter_ms": report.get("filter", {}).get("slowest_ms"),
        **search_targets(report.get("search", {})),
        "weight_raw_kb": report.get("weight", {}).get("heaviest_raw_over_floor_kb"),
        "weight_gzip_kb": report.get("weight", {}).get("heaviest_gzip_over_floor_kb"),
    }
    return [
        {
            "target": key,
            "what": what,
            "limit": limit,
            "value": values[key],
            "met": None if values[key] is None else values[key] <= limit,
        }
        for key, what, limit in TARGETS
    ]


def print_twin(twin: dict[str, Any]) -> None:
    say(
        f"\n== The project and its stock twin (seconds, median); edits to "
        f"{twin['edited_term']} and {twin['edited_page']} =="
    )
    say(
        f"{'terms':>5} {'cold':>7} {'twin':>7} {'ratio':>6} {'none':>7} {'page':>7} "
        f"{'term':>7} {'twin':>7} {'ratio':>6} {'term/page':>9}"
    )
    for size, row in twin["sizes"].items():
        project, stock = row["project"], row["twin"]
        say(
            f"{size:>5} {project['cold']['median']:7.2f} {stock['cold']['median']:7.2f} "
            f"{row['cold_to_twin']:6.2f} {project['no_change']['median']:7.2f} "
            f"{project['page_edit']['median']:7.2f} {project['term_edit']['median']:7.2f} "
            f"{stock['term_edit']['median']:7.2f} {row['term_edit_to_twin']:6.2f} "
            f"{row['term_edit_to_page_edit']:9.2f}"
        )
        for key, seen in row.get("observed", {}).items():
            say(f"{'':>5} {key} wrote {seen['pages_written'] or 'no page'}")


def print_report(report: Report) -> None:
    if "builds" in report:
        say("\n== Builds (seconds, median; ratio to the floor's cold build) ==")
    for key, row in report.get("builds", {}).items():
        say(f"{key:<15} {row['median']:8.2f} s {row['ratio']:7.2f} x   runs {row['runs']}")
        if "pages_written" in row:
            say(f"{'':<15} wrote {row['pages_written'] or 'no page'}")
            for line in row["config_changes"]:
                say(f"{'':<15} {line.strip()}")
    if "first_page" in report:
        row = report["first_page"]
        say(f"\n== Fresh clone to first page: median {row['median']} s, runs {row['runs']} ==")
    if "scale" in report:
        scale = report["scale"]
        say(f"\n== Glossary scale (cold HTML, {scale['runs_per_size']} runs per size) ==")
        for size, row in scale["sizes"].items():
            say(
                f"{size:>5} terms {row['median']:8.2f} s  {row['seconds_per_term'] * 1000:6.2f} "
                f"ms/term  glossary.html {row['glossary_page_bytes'] / KB:8.0f} KB"
            )
        say(
            f"growth t({max(scale['sizes'], key=int)})/t({min(scale['sizes'], key=int)}): "
            f"{scale['growth']}"
        )
    if "twin" in report:
        print_twin(report["twin"])
    if "filter" in report:
        row = report["filter"]
        say(
            f"\n== Glossary filter, {row['terms']} terms: median {row['median_ms']} ms, "
            f"slowest {row['slowest_ms']} ms per keystroke =="
        )
    if "search" in report:
        row = report["search"]
        say(f"\n== Site search, typing {row['query']!r} ==")
        for where in ("site", "largest_glossary"):
            for label, figures in row[where].items():
                if isinstance(figures, dict):
                    say(
                        f"{where:<17} {label:<12} median {figures['median_ms']} ms, "
                        f"slowest {figures['slowest_ms']} ms"
                    )
        say(
            f"index {row['index']['raw']} bytes, gzip {row['index']['gzip']}; by terms (gzip) "
            f"{row['index_gzip_by_terms']}"
        )
        say(f"first results after first focus: median {row['first_results_ms']['median']} ms")
    if "weight" in report:
        weight = report["weight"]
        floor = weight["floor"]
        say(f"\n== Page weight (bytes with everything loaded; gzip -{weight['gzip_level']}) ==")
        say(f"{'floor index.html':<34} {floor['raw']:>9} {floor['gzip']:>9}")
        for name, row in sorted(weight["pages"].items(), key=lambda item: -item[1]["raw"]):
            say(f"{name:<34} {row['raw']:>9} {row['gzip']:>9}")
        say(f"heaviest: {weight['heaviest']}")
    say("\n== Targets (reported, never enforced) ==")
    for row in report["targets"]:
        state = {True: "met", False: "MISSED", None: "not measured"}[row["met"]]
        say(f"{row['what']:<42} {row['value']!s:>8} <= {row['limit']:<6} {state}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per project build")
    parser.add_argument("--scale-runs", type=int, default=SCALE_RUNS, help="runs per size")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SCALE_SIZES), help="glossary sizes"
    )
    parser.add_argument(
        "--first-page-runs", type=int, default=FIRST_PAGE_RUNS, help="fresh-clone runs"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the site search's figures (one untimed build per glossary size)",
    )
    parser.add_argument(
        "--twin-sizes",
        type=int,
        nargs="*",
        default=list(TWIN_SIZES),
        help="glossary sizes of the stock-twin comparison, besides the real terms",
    )
    parser.add_argument("--twin-runs", type=int, default=TWIN_RUNS, help="runs per twin size")
    parser.add_argument(
        "--twin-large-runs",
        type=int,
        default=TWIN_LARGE_RUNS,
        help=f"runs per twin size above {TWIN_LARGE} terms",
    )
    parser.add_argument(
        "--twin-only",
        action="store_true",
        help="only the stock-twin comparison (cold builds and edits at each size)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    import sphinx as sphinx_package

    report: Report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sphinx": sphinx_package.__version__,
        },
        "runs": args.runs,
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if args.search_only:
            search_only(work, args.sizes, report)
            return finish(report, started, args.output)
        if args.twin_only:
            bench_twin(work, args.twin_sizes, args.twin_runs, args.twin_large_runs, report)
            return finish(report, started, args.output)
        project = bench_builds(work, args.runs, report)
        if args.first_page_runs:
            bench_first_page(work, args.first_page_runs, report)
        sites = report.pop("_sites")
        scale = bench_scale(work, args.scale_runs, args.sizes, report)
        bench_twin(work, args.twin_sizes, args.twin_runs, args.twin_large_runs, report)
        bench_browser(work, project, Path(sites["floor"]), scale, report)
    return finish(report, started, args.output)


def search_only(work: Path, sizes: Sequence[int], report: Report) -> None:
    """The search's figures alone: the project and each glossary size built once."""
    docs = copy_project(work / "project") / "docs"
    project = work / "out" / "html"
    say("HTML build of the project ...")
    run(sphinx("html", docs, project))
    scale = bench_scale(work, 1, sizes, report)
    chromium = find("chromium")
    scratch = work / "chromium"
    scratch.mkdir()
    with browser(scratch, chromium) as context:
        bench_search(context, project, scale, report)


def finish(report: Report, started: float, output: Path) -> int:
    """Targets, the printed report, build/bench.json and the README's figures."""
    report["targets"] = targets(report)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print_report(report)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    say(f"\nwritten to {output} in {report['seconds']:.0f} s")
    write_figures(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
