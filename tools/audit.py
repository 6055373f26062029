"""Lighthouse on every page of a built site, desktop and mobile: print one table of scores.

The site is served as a static host serves it (:func:`tools.loopback.serve_like_a_host`:
gzip, the 404 page at a missing address), since page speed depends on it. Each page
is run twice: with Lighthouse's desktop preset and with its default, a phone
(simulated slow 4G and a slower CPU). The 404 page is requested at a missing
address (:data:`MISSING`), as readers meet it.

Pages marked noindex (search, genindex, 404: docs/_ext/publishing.py) fail Lighthouse's
"is-crawlable" SEO audit on purpose; the table says which they are, and the targets
below ask SEO 100 of the other pages only.

Run by ``nox -s audit`` after it has built the site and installed Lighthouse:
``python -m tools.audit SITE LIGHTHOUSE REPORTS [PAGE ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.loopback import CHROMIUM_ARGS, NOT_FOUND_PAGE, serve_like_a_host

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}
#: Lighthouse's default form factor is the phone; "desktop" is a preset.
FORM_FACTORS = ("desktop", "mobile")
#: Where the 404 page is audited: an address that holds no file.
MISSING = "/no/such/page/"
#: The least score each category must reach on a phone.
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
#: Asked of indexable pages only: a noindex page fails "is-crawlable" on purpose, and the
#: 404 page's own status fails "http-status-code" and logs a console error.
INDEXABLE_ONLY = frozenset({"best-practices", "seo"})
#: One Lighthouse run on a loaded 2-core machine takes ~30 s; a hung one is stopped.
TIMEOUT = 300


@dataclass(frozen=True)
class Result:
    """One page's scores (0-100) per form factor, and whether search engines may index it."""

    page: str
    scores: dict[str, dict[str, int]]
    indexable: bool

    def misses(self) -> list[str]:
        """The phone targets this page does not reach, as "category score < target"."""
        missed = []
        for category, target in TARGETS.items():
            if category in INDEXABLE_ONLY and not self.indexable:
                continue
            score = self.scores["mobile"][category]
            if score < target:
                missed.append(f"mobile {SHORT[category]} {score} < {target}")
        return missed


def lighthouse_run(
    lighthouse: Path, url: str, form_factor: str, report: Path, scratch: Path
) -> dict[str, Any]:
    """One Lighthouse run of *url*; its JSON report is written to *report* and returned.

    Chromium gets a fresh profile and a short TMPDIR of its own: it aborts when its
    socket path there passes ~107 characters (tests/browser.py).
    """
    profile = Path(tempfile.mkdtemp(prefix="lh", dir=scratch))
    flags = (*CHROMIUM_ARGS, f"--user-data-dir={profile}")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "", "TMPDIR": str(scratch)}
    command = [
        str(lighthouse),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(flags)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    if url.endswith(MISSING):
        # Lighthouse refuses a page that comes with an error status unless told; the
        # status itself is checked below.
        command.append("--ignore-status-code")
    try:
        subprocess.run(command, env=env, check=True, timeout=TIMEOUT)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    status = document_status(result, url)
    expected = 404 if url.endswith(MISSING) else 200
    if status != expected:
        raise SystemExit(f"{url} answered {status}, not {expected}: see {report}")
    return result


def document_status(result: dict[str, Any], url: str) -> int | None:
    """The HTTP status *url* itself answered with, from the report's list of requests."""
    for request in result["audits"]["network-requests"]["details"]["items"]:
        if request["url"] == url:
            status: int = request["statusCode"]
            return status
    return None


def audit(site: Path, lighthouse: Path, reports: Path, pages: list[str]) -> list[Result]:
    """Every page in *pages* (all when empty), desktop and mobile; reports go to *reports*."""
    names = sorted(path.name for path in site.glob("*.html"))
    unknown = sorted(set(pages) - set(names))
    if unknown:
        raise SystemExit(f"no such page in {site}: {', '.join(unknown)}")
    if not pages:  # a full run replaces every report; a rerun of some pages keeps the others
        shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True, exist_ok=True)
    results = []
    # Short: /tmp/lhXXXXXXXX/lhXXXXXXXX/ and Chromium's socket name stay far below the limit.
    scratch = Path(tempfile.mkdtemp(prefix="lh", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        with serve_like_a_host(site) as base:
            for name in pages or names:
                path = MISSING if name == NOT_FOUND_PAGE else "/" + name
                scores: dict[str, dict[str, int]] = {}
                crawlable = []
                for form_factor in FORM_FACTORS:
                    report = reports / f"{Path(name).stem}.{form_factor}.json"
                    result = lighthouse_run(lighthouse, base + path, form_factor, report, scratch)
                    categories = result["categories"]
                    scores[form_factor] = {
                        c: round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES
                    }
                    crawlable.append(result["audits"]["is-crawlable"]["score"] == 1)
                results.append(Result(name, scores, all(crawlable)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def table(results: list[Result]) -> str:
    """The scores, desktop then mobile, one line a page; then the targets a page misses."""
    head = " ".join(f"{SHORT[c]:>4}" for c in CATEGORIES)
    shown = {
        r.page: r.page if r.page != NOT_FOUND_PAGE else f"{r.page} at {MISSING}" for r in results
    }
    width = max(map(len, ["page", *shown.values()]))
    lines = [
        f"{'':{width}} {'desktop':^19}   {'mobile':^19}",
        f"{'page':{width}} {head}   {head}  indexed",
    ]
    missed = []
    for result in results:
        cells = "   ".join(
            " ".join(f"{result.scores[f][c]:>4}" for c in CATEGORIES) for f in FORM_FACTORS
        )
        indexed = "yes" if result.indexable else "noindex"
        lines.append(f"{shown[result.page]:{width}} {cells}  {indexed}")
        missed += [f"  {result.page}: {miss}" for miss in result.misses()]
    targets = ", ".join(f"{SHORT[c]} {t}" for c, t in TARGETS.items())
    lines.append(f"targets on a phone: {targets} (best and seo on indexable pages only)")
    lines += ["missed:", *missed] if missed else ["every page reaches them"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.audit", description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("lighthouse", type=Path)
    parser.add_argument("reports", type=Path)
    parser.add_argument("pages", nargs="*", help="page file names (default: every page)")
    args = parser.parse_args(argv)
    results = audit(args.site, args.lighthouse, args.reports, args.pages)
    print(table(results))
    print(f"reports: {args.reports}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
