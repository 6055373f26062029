"""Lighthouse (desktop) on every page of a built site: print each page's four scores.

Pages marked noindex (search, index, 404: docs/_ext/publishing.py) fail Lighthouse's
"is-crawlable" SEO audit on purpose; the table says which they are.

Run by ``nox -s audit`` after it has built the site and installed Lighthouse:
``python -m tools.audit SITE LIGHTHOUSE REPORTS``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tools.loopback import CHROMIUM_ARGS, serve

CHROMIUM_FLAGS = " ".join(CHROMIUM_ARGS)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def audit(site: Path, lighthouse: Path, reports: Path) -> list[tuple[str, ...]]:
    """Each page's name and its four scores (0-100), from one Lighthouse run per page."""
    shutil.rmtree(reports, ignore_errors=True)
    (reports / "tmp").mkdir(parents=True)
    env = {
        **os.environ,
        "CHROME_PATH": shutil.which("chromium") or "",
        "TMPDIR": str(reports / "tmp"),
    }
    rows = []
    with serve(site) as base:
        for page in sorted(site.glob("*.html")):
            report = reports / f"{page.stem}.json"
            subprocess.run(
                [
                    str(lighthouse),
                    f"{base}/{page.name}",
                    "--preset=desktop",
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    f"--chrome-flags={CHROMIUM_FLAGS}",
                ],
                env=env,
                check=True,
            )
            result = json.loads(report.read_text(encoding="utf-8"))
            scores = result["categories"]
            indexed = "yes" if result["audits"]["is-crawlable"]["score"] == 1 else "noindex"
            rows.append(
                (page.name, *(str(round(100 * scores[c]["score"])) for c in CATEGORIES), indexed)
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.audit", description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("lighthouse", type=Path)
    parser.add_argument("reports", type=Path)
    args = parser.parse_args(argv)
    rows = audit(args.site, args.lighthouse, args.reports)
    print(f"{'page':32} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  indexed")
    for name, *scores, indexed in rows:
        print(f"{name:32} " + " ".join(f"{score:>5}" for score in scores) + f"  {indexed}")
    print(f"reports: {args.reports}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
