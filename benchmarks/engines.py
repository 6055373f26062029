"""The site search's engine, measured against the alternatives it was chosen over.

``python -m benchmarks.engines`` builds this site and the fixture project
(``tests/roots/test-glossary``), fetches lunr and FlexSearch with npm (pinned,
into ``.cache/``), and runs each engine in Chromium on a page opened from
``file://`` (so "works from file://" is part of every figure), over the index
the build writes (``_static/search-index.js``), configured alike: every word
required, one typo in a word of five letters or more and two from nine (lunr's
``editDistance``; FlexSearch has no edit distance, only its phonetic
``LatinAdvanced`` encoder), the last word also as a prefix.  For each engine:

* the full-text cases of ``tests/data/search-cases.json`` (fixture and site)
  whose expected results the engine alone finds among its first ten (the site's
  own ranking and synonyms come on top of the engine, so this measures what the
  engine retrieves);
* the index built in the browser (ms) and its serialised size (gzip), the
  library's size (gzip);
* the time of a query (the site's cases and the keystrokes of a typed query,
  all together twenty times over, the median of twenty repeats).

The figures go to ``build/bench.json`` under ``engines`` (the rest of the file is
kept) and from there into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench import GZIP_LEVEL, OUTPUT, browser, say
from benchmarks.report import write_figures
from tools.build import DOCS, ROOT, find, sphinx_build

#: The alternatives, pinned: (npm package, the file of it a site would load).
ALTERNATIVES = {
    "lunr": ("lunr@2.3.9", "lunr.min.js"),
    "flexsearch": ("flexsearch@0.8.212", "dist/flexsearch.bundle.min.js"),
}
NPM_CACHE = ROOT / ".cache" / "npm-tools" / "engines"
FIXTURE = ROOT / "tests" / "roots" / "test-glossary"
CASES = ROOT / "tests" / "data" / "search-cases.json"
TYPED = "concpt dri"
REPEATS = 20

#: Builds each engine's index from window.GLOSSARY_SEARCH_INDEX and runs the queries.
_HARNESS = """
async ({ cases, queries, repeats }) => {
  const PASSES = 20;
  const data = window.GLOSSARY_SEARCH_INDEX;
  const fold = (t) => t.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\\p{M}/gu, "");
  const words = (t) => fold(t).match(/[\\p{L}\\p{N}]+/gu) || [];
  const edits = (w) => (w.length >= 9 ? 2 : w.length >= 5 ? 1 : 0);
  const docs = [
    ...data.entries.map((e) => ({ names: [e.term, ...e.aliases].join(" "), heading: "",
                                  text: e.summary, label: e.term })),
    ...data.sections.map((s) => ({ names: "", heading: s.heading, text: s.text,
      label: "\\u00a7 " + (s.heading === s.page ? s.page : s.page + " \\u203a " + s.heading) })),
  ].map((doc, id) => ({ ...doc, id }));
  const engines = {
    minisearch() {
      const index = new MiniSearch({ fields: ["names", "heading", "text"], tokenize: words,
        processTerm: (t) => t, searchOptions: { boost: { names: 4, heading: 3 } } });
      index.addAll(docs);
      const search = (q) => {
        const ws = words(q);
        return index.search({ combineWith: "AND", queries: ws.map((w, i) => ({
          queries: [w], fuzzy: edits(w), prefix: i === ws.length - 1 })) }).map((r) => r.id);
      };
      return { search, size: JSON.stringify(index) };
    },
    lunr() {
      const index = lunr(function () {
        this.ref("id");
        this.field("names", { boost: 4 });
        this.field("heading", { boost: 3 });
        this.field("text");
        for (const doc of docs) this.add(doc);
      });
      const search = (q) => {
        const ws = words(q);
        return index.query((query) => ws.forEach((w, i) => query.term(w, i === ws.length - 1
          ? { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING }
          : { presence: lunr.Query.presence.REQUIRED, editDistance: edits(w) })))
          .map((r) => Number(r.ref));
      };
      return { search, size: JSON.stringify(index) };
    },
    flexsearch() {
      const index = new FlexSearch.Index({ tokenize: "forward",
                                           encoder: FlexSearch.Charset.LatinAdvanced });
      for (const doc of docs) index.add(doc.id, [doc.names, doc.heading, doc.text].join(" "));
      const parts = [];
      index.export((key, value) => { parts.push(key, value); });
      return { search: (q) => index.search(q, { limit: 10 }), size: parts.join("") };
    },
  };
  const out = {};
  for (const [name, make] of Object.entries(engines)) {
    const started = performance.now();
    const engine = make();
    const built = performance.now() - started;
    const found = cases.filter((c) => {
      let ids = [];
      try { ids = c.query.trim() ? engine.search(c.query) : []; } catch { return false; }
      const top = ids.slice(0, 10).map((id) => docs[id].label);
      return c.expect.length ? c.expect.every((e) => top.includes(e)) : ids.length === 0;
    }).map((c) => c.query);
    // The clock of a page from file:// ticks in 0.1 ms: each repeat times every query
    // twenty times over, and the figure is the median repeat's time a query.
    const times = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      for (let pass = 0; pass < PASSES; pass++) for (const q of queries) engine.search(q);
      times.push((performance.now() - start) / (PASSES * queries.length));
    }
    times.sort((a, b) => a - b);
    out[name] = { built, found, size: engine.size, median: times[Math.floor(times.length / 2)] };
  }
  return out;
}
"""


def npm_file(package: str, path: str) -> Path:
    """*path* inside the npm *package*, packed into .cache/ on first use."""
    folder = NPM_CACHE / package.replace("/", "+")
    target = folder / "package" / path
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        npm = find("npm")
        packed = subprocess.run(
            [npm, "pack", "--silent", "--pack-destination", str(folder), package],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        with tarfile.open(folder / packed) as archive:
            archive.extractall(folder, filter="data")
    return target


def packed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def harness(site: Path, libraries: dict[str, Path]) -> Path:
    """A page in *site* that loads the index and every engine."""
    scripts = ["_static/search-index.js", "_static/minisearch.min.js"]
    for name, path in libraries.items():
        shutil.copyfile(path, site / "_static" / f"engine-{name}.js")
        scripts.append(f"_static/engine-{name}.js")
    page = site / "engines.html"
    tags = "".join(f'<script src="{src}"></script>' for src in scripts)
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><title>engines</title>{tags}\n', encoding="utf-8"
    )
    return page


def measure(context: object, site: Path, cases: list[dict[str, Any]]) -> dict[str, Any]:
    libraries = {name: npm_file(*spec) for name, spec in ALTERNATIVES.items()}
    page = harness(site, libraries)
    tab = context.new_page()  # type: ignore[attr-defined]
    tab.goto(page.as_uri())
    queries = [case["query"] for case in cases if case["query"].strip()]
    queries += [TYPED[:i] for i in range(1, len(TYPED) + 1)]
    result: dict[str, Any] = tab.evaluate(
        _HARNESS, {"cases": cases, "queries": queries, "repeats": REPEATS}
    )
    tab.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    spec = json.loads(CASES.read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="engines-") as tmp:
        work = Path(tmp)
        sites = {}
        for name, source in (("fixture", FIXTURE), ("site", DOCS)):
            say(f"building {source} ...")
            sites[name] = work / name
            sphinx_build("html", source, sites[name], "-q").reproducible().run(capture=True)
        scratch = work / "chromium"
        scratch.mkdir()
        with browser(scratch, find("chromium")) as context:
            fixture = measure(context, sites["fixture"], spec["full_text"]["cases"])
            site = measure(context, sites["site"], spec["site_cases"]["cases"])
        total = len(spec["full_text"]["cases"]) + len(spec["site_cases"]["cases"])
        engines: dict[str, Any] = {}
        libraries = {"minisearch": ROOT / "glossary" / "static" / "minisearch.min.js"}
        libraries |= {name: npm_file(*spec_) for name, spec_ in ALTERNATIVES.items()}
        for name in site:
            found = fixture[name]["found"] + site[name]["found"]
            engines[name] = {
                "cases_found": f"{len(found)} of {total}",
                "cases_missed": [
                    case["query"]
                    for case in spec["full_text"]["cases"] + spec["site_cases"]["cases"]
                    if case["query"] not in found
                ],
                "library_gzip": packed_size(libraries[name].read_bytes()),
                "index_built_ms": round(site[name]["built"], 1),
                "serialised_index_gzip": packed_size(site[name]["size"].encode()),
                "query_median_ms": round(site[name]["median"], 3),
                "works_from_file": True,  # every figure above was measured from file://
            }
            say(f"{name:<11} {json.dumps(engines[name])}")
    report = json.loads(args.output.read_text("utf-8")) if args.output.exists() else {}
    report["engines"] = engines
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    write_figures(args.output)
    say(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
