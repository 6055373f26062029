"""Read the Docs' build steps (``.readthedocs.yaml``): the site as ``nox -s dist`` builds it.

``python -m tools.readthedocs html`` builds the PDF (XeLaTeX through latexmk) and
the EPUB (checked by epubcheck), then the HTML site linking both, into
``$READTHEDOCS_OUTPUT/html``; ``pdf`` and ``epub`` put the one PDF and the one
EPUB Read the Docs offers as downloads into ``$READTHEDOCS_OUTPUT/pdf`` and
``/epub`` (building it when the html step has not). Every build runs with the
flags of :mod:`tools.build`, from clean, its doctrees outside the output.

Read the Docs runs the html step first; the pinned ``docs`` dependency group is
installed by the install job before it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from tools.build import LATEXMK, LATEXMK_ENV, NAME, SPHINX_FLAGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Where the steps build, inside the checkout (Read the Docs starts from a fresh one).
BUILD = ROOT / "build" / "readthedocs"


def run(command: list[str], *, cwd: Path | None = None, env: Mapping[str, str] = {}) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, env={**os.environ, **env}, check=True)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"'{name}' is not installed (.readthedocs.yaml, build.apt_packages)")
    return path


def sphinx_build(builder: str, outdir: Path, env: Mapping[str, str] = {}) -> None:
    """Build from clean with *builder* into *outdir*, as the nox sessions do."""
    doctrees = BUILD / "doctrees" / builder
    for folder in (doctrees, outdir):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", builder, *SPHINX_FLAGS, "-d", str(doctrees)]
    run([*command, str(DOCS), str(outdir)], env=env)


def build_pdf() -> Path:
    latex = BUILD / "latex"
    sphinx_build("latex", latex)
    run([tool("latexmk"), *LATEXMK[1:], f"{NAME}.tex"], cwd=latex, env=LATEXMK_ENV)
    return latex / f"{NAME}.pdf"


def build_epub() -> Path:
    epub = BUILD / "epub"
    sphinx_build("epub", epub)
    # As the epub session runs it: Debian's epubcheck is a jar; any warning fails.
    run([tool("java"), "-jar", tool("epubcheck"), "--failonwarnings", str(epub / f"{NAME}.epub")])
    return epub / f"{NAME}.epub"


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
    books = [build_pdf(), build_epub()]
    sphinx_build("html", output("html"), env={"BOOK_DOWNLOADS": os.pathsep.join(map(str, books))})


def pdf() -> None:
    shutil.copy2(built(BUILD / "latex" / f"{NAME}.pdf", build_pdf), output("pdf"))


def epub() -> None:
    shutil.copy2(built(BUILD / "epub" / f"{NAME}.epub", build_epub), output("epub"))


STEPS: dict[str, Callable[[], None]] = {"html": html, "pdf": pdf, "epub": epub}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.readthedocs", description=__doc__)
    parser.add_argument("step", choices=sorted(STEPS))
    STEPS[parser.parse_args(argv).step]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
