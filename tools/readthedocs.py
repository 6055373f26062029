"""Read the Docs' build steps (``.readthedocs.yaml``): the site as ``nox -s dist`` builds it.

``python -m tools.readthedocs html`` builds the PDF (XeLaTeX through latexmk) and
the EPUB (checked by epubcheck), then the HTML site linking both, into
``$READTHEDOCS_OUTPUT/html``; ``pdf`` and ``epub`` put the one PDF and the one
EPUB Read the Docs offers as downloads into ``$READTHEDOCS_OUTPUT/pdf`` and
``/epub`` (building it when the html step has not). The builds are the steps of
:mod:`tools.build`, the nox sessions' own, staged and published under ``build/readthedocs``.

Read the Docs runs the html step first; the pinned ``docs`` dependency group is
installed by the install job before it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tools.build import BUILD, NAME, MissingTool, Steps

#: The build steps, in a folder of the checkout (Read the Docs starts from a fresh one).
BUILDS = Steps(out=BUILD / "readthedocs")


def built(path: Path, build: Callable[[], Path]) -> Path:
    return path if path.is_file() else build()


def output(fmt: str) -> Path:
    """``$READTHEDOCS_OUTPUT/<fmt>``, emptied: Read the Docs wants exactly one file there."""
    root = os.environ.get("READTHEDOCS_OUTPUT")
    if not root:
        raise SystemExit("READTHEDOCS_OUTPUT is not set: Read the Docs sets it during a build")
    folder = Path(root) / fmt
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def html() -> None:
    """The PDF and EPUB, then the HTML site linking both (as ``nox -s dist``)."""
    BUILDS.html(books=[BUILDS.pdf(), BUILDS.epub()], target=output("html"))


def pdf() -> None:
    shutil.copy2(built(BUILDS.out / "pdf" / f"{NAME}.pdf", BUILDS.pdf), output("pdf"))


def epub() -> None:
    shutil.copy2(built(BUILDS.out / "epub" / f"{NAME}.epub", BUILDS.epub), output("epub"))


STEPS: dict[str, Callable[[], None]] = {"html": html, "pdf": pdf, "epub": epub}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.readthedocs", description=__doc__)
    parser.add_argument("step", choices=sorted(STEPS))
    try:
        STEPS[parser.parse_args(argv).step]()
    except MissingTool as error:
        raise SystemExit(f"{error} (.readthedocs.yaml, build.apt_packages)") from None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"the command above failed with exit code {error.returncode}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
