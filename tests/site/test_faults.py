"""Faults a writer makes: each fails the build and is reported with file, line and a hint.

Every case copies the project to a temporary folder, plants one fault, builds,
and expects a non-zero exit and a message naming the right file and line,
followed by a line ``hint: ...``.  The builds use the dummy builder (it
resolves every reference as HTML does, without writing pages) and run two at a
time.  The rest checks that nothing is lost: a failed or interrupted build
keeps the last good site, and builds are byte-for-byte reproducible.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.project import copy_project

from ..conftest import ROOT, Build, assert_clean, sphinx_build

Edit = Callable[[str], str]


def append(text: str) -> Edit:
    return lambda source: source.rstrip("\n") + "\n\n" + text


def replace(old: str, new: str) -> Edit:
    def edit(source: str) -> str:
        assert old in source, f"the fault's anchor {old!r} is gone from the file"
        return source.replace(old, new, 1)

    return edit


@dataclass(frozen=True)
class Fault:
    """One planted mistake and what the writer must be told."""

    name: str
    path: str  # relative to the project root
    edit: Edit
    marker: str  # text on the line the message must name ("" for no line)
    message: str  # a fragment of the message
    subject: str = ""  # what the mistake names: no other warning may name it too

    def expected_location(self, root: Path) -> str:
        path = root / self.path
        if not self.marker:
            return f"{path}:"
        lines = path.read_text("utf-8").splitlines()
        number = next(i for i, line in enumerate(lines, 1) if self.marker in line)
        return f"{path}:{number}:"


CAREER = "docs/career.md"
FAULTS = [
    Fault(
        "unknown term",
        "docs/about.md",
        append("See {term}`flux capacitor`.\n"),
        "flux capacitor",
        "term not in glossary: 'flux capacitor'",
        "flux capacitor",
    ),
    Fault(
        "missing citation key",
        "docs/about.md",
        append("As shown {cite:p}`nobody1999`.\n"),
        "nobody1999",
        'could not find bibtex key "nobody1999"',
        "nobody1999",
    ),
    Fault(
        "malformed bib entry",
        "docs/references.bib",
        replace("  howpublished = {Sertis, on Medium},", "  howpublished = {Sertis, on Medium}"),
        "  url          = {https://sertiscorp",
        "malformed BibTeX entry",
    ),
    Fault(
        "bib entry linking javascript:",
        "docs/references.bib",
        replace("  url          = {https://sertiscorp", "  url          = {javascript:alert(1)//"),
        "@online{sertis",
        "entry 'sertis': the url 'javascript:alert(1)//",
    ),
    Fault(
        "repeated bib key",
        "docs/references.bib",
        append("@misc{sertis,\n  title = {Again},\n}\n"),
        "@misc{sertis",
        "the key 'sertis' is given to a second entry",
    ),
    Fault(
        "a second top-level title",
        "docs/about.md",
        append("# Another title\n\nText.\n"),
        "# Another title",
        "a second top-level title (Another title)",
    ),
    Fault(
        "term file: raw HTML",
        "docs/terms/concept-drift.md",
        replace("handled by retraining", "handled by <img src=x onerror=alert(1)> retraining"),
        "onerror",
        "raw HTML in the definition: '<img src=x onerror=alert(1)>'",
    ),
    Fault(
        "term file: directive unknown",
        "docs/terms/concept-drift.md",
        append("```{notice}\nText.\n```\n"),
        "```{notice}",
        "Unknown directive type: 'notice'",
    ),
    Fault(
        "term file: bad YAML",
        "docs/terms/concept-drift.md",
        replace("category: data", "category: [data"),
        "category: [data",
        "not valid YAML",
    ),
    Fault(
        "term file: missing field",
        "docs/terms/concept-drift.md",
        replace("category: data\n", ""),
        "---",
        "the field 'category' is missing",
    ),
    Fault(
        "term file: unknown category",
        "docs/terms/concept-drift.md",
        replace("category: data", "category: weather"),
        "category: weather",
        "unknown category 'weather'",
        "weather",
    ),
    Fault(
        "duplicate alias",
        "docs/terms/model.md",
        replace("aliases:", "aliases:\n  - ML"),
        "aliases:",
        "'ML' is already a term or alias in machine-learning.md",
        "'ML'",
    ),
    Fault(
        "unknown see_also",
        "docs/terms/concept-drift.md",
        replace("see_also:", "see_also:\n  - Time travel"),
        "Time travel",
        "term not in glossary: 'Time travel'",
        "Time travel",
    ),
    Fault(
        "unknown source",
        "docs/terms/concept-drift.md",
        replace("sources:", "sources:\n  - nobody1999"),
        "sources:",
        'could not find bibtex key "nobody1999"',
        "nobody1999",
    ),
    Fault(
        "unknown term in a definition",
        "docs/terms/concept-drift.md",
        replace("handled by retraining", "handled by {term}`flux capacitor` retraining"),
        "flux capacitor",
        "term not in glossary: 'flux capacitor'",
        "flux capacitor",
    ),
    Fault(
        "unclosed directive",
        "docs/about.md",
        append(":::{note}\nNever closed.\n"),
        ":::{note}",
        "the 'note' opened here is never closed",
    ),
    Fault(
        "unknown directive",
        "docs/about.md",
        append("```{notice}\nText.\n```\n"),
        "```{notice}",
        "Unknown directive type: 'notice'",
    ),
    Fault(
        "link to a missing page",
        "docs/about.md",
        append("See [the plan](plan.md).\n"),
        "the plan",
        "cross-reference target not found: 'plan.md'",
    ),
    Fault(
        "reference to a missing heading",
        "docs/about.md",
        append("See {ref}`no-such-part`.\n"),
        "no-such-part",
        "undefined label: 'no-such-part'",
    ),
    Fault(
        "page in no toctree",
        "docs/orphan.md",
        lambda _: "# Orphan\n\nText.\n",
        "",
        "document isn't included in any toctree",
    ),
    Fault(
        "comparison missing a role",
        CAREER,
        replace(":sync: mle", ":sync: ml"),
        "::::{tab-set}",
        "found sync swe, ml",
    ),
    Fault(
        "missing image",
        "docs/about.md",
        append("![A chart](chart.png)\n"),
        "chart.png",
        "image file not readable: chart.png",
    ),
    Fault(
        "missing include",
        "docs/about.md",
        append("```{include} part.md\n```\n"),
        "{include} part.md",
        'Directive "include": file not found',
    ),
]


def plant(root: Path, fault: Fault) -> None:
    path = root / fault.path
    path.write_text(fault.edit(path.read_text("utf-8") if path.exists() else ""), "utf-8")


@pytest.fixture(scope="module")
def fault_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Build]]:
    """Every fault planted in its own copy, built two at a time (the machine has 2 cores)."""

    def run(fault: Fault) -> tuple[str, tuple[Path, Build]]:
        base = tmp_path_factory.mktemp("fault")
        root = copy_project(base / "project")
        plant(root, fault)
        return fault.name, (root, sphinx_build(root / "docs", "dummy", base / "out"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, FAULTS))


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_fails_the_build_naming_file_line_and_fix(fault, fault_builds) -> None:
    root, build = fault_builds[fault.name]
    assert build.returncode != 0, build.output[-2000:]
    lines = build.output.splitlines()
    reported = [i for i, line in enumerate(lines) if fault.message in line]
    assert reported, build.output[-2000:]
    line = lines[reported[0]]
    assert line.startswith(fault.expected_location(root)), line
    assert lines[reported[0] + 1].startswith("    hint: "), "no hint under: " + line
    # Reported once: not by the glossary's checks and again by Sphinx.
    if fault.subject:
        naming = [problem for problem in build.problems if fault.subject in problem]
        assert len(naming) == 1, "\n".join(naming)


def test_keep_going_reports_every_fault_of_one_build(tmp_path) -> None:
    root = copy_project(tmp_path / "project")
    chosen = [FAULTS[0], FAULTS[5], FAULTS[15], FAULTS[16]]
    for fault in chosen:
        plant(root, fault)
    build = sphinx_build(root / "docs", "dummy", tmp_path / "out")
    assert build.returncode != 0
    for fault in chosen:
        assert fault.message in build.output, fault.name


# -- Nothing lost ---------------------------------------------------------------


def nox_html(root: Path, **popen: object) -> subprocess.Popen[str]:
    """`nox -s html` in *root*, in this Python (its packages are the test group's)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen(
        [sys.executable, "-m", "nox", "--no-venv", "--no-install", "-s", "html"],
        cwd=root,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **popen,  # type: ignore[arg-type]
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with a good site published by `nox -s html`."""
    root = copy_project(tmp_path_factory.mktemp("publish") / "project")
    process = nox_html(root)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    assert (root / "build" / "html" / "index.html").exists()
    return root


def test_a_failed_build_keeps_the_last_good_site(published: Path) -> None:
    site = published / "build" / "html"
    before = snapshot(site)
    about = published / "docs" / "about.md"
    good = about.read_text("utf-8")
    about.write_text(append("See {term}`flux capacitor`.\n")(good), "utf-8")
    try:
        process = nox_html(published)
        output, _ = process.communicate(timeout=600)
    finally:
        about.write_text(good, "utf-8")
    assert process.returncode != 0
    assert "flux capacitor" in output
    assert snapshot(site) == before
    assert not (published / "build" / "staging" / "html").exists()


def test_an_interrupted_build_leaves_nothing_half_written(published: Path) -> None:
    site = published / "build" / "html"
    before = snapshot(site)
    staging = published / "build" / "staging" / "html"
    process = nox_html(published, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(staging.glob("*.html")) and process.poll() is None:
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
    process.communicate(timeout=120)
    assert process.returncode != 0
    assert not staging.exists()
    assert snapshot(site) == before


def test_two_clean_html_builds_are_byte_identical(tmp_path) -> None:
    first = sphinx_build(ROOT / "docs", "html", tmp_path / "one" / "html")
    second = sphinx_build(ROOT / "docs", "html", tmp_path / "two" / "html")
    assert_clean(first)
    assert_clean(second)
    one, two = snapshot(first.outdir), snapshot(second.outdir)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert not [name for name in one if re.search(r"(^|/)\.(doctrees|buildinfo\.bak)", name)]


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) with a socket listening on *port*."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def fetch(url: str) -> str | None:
    """The page at *url*, or None while it cannot be had whole.

    sphinx-autobuild serves the folder Sphinx is writing into, so a page read
    during a rebuild can end short of the length announced (IncompleteRead).
    """
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, http.client.HTTPException):
        return None


def wait_for(condition: Callable[[], object], what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def group_alive(group: int) -> bool:
    """Whether any process of the process group *group* is still running (zombies aside)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # Fields after the command's closing parenthesis: state, ppid, pgrp, ...
            state, _ppid, pgrp = stat.read_text().rpartition(")")[2].split()[:3]
            if int(pgrp) == group and state != "Z":
                return True
    return False


def test_serve_listens_on_loopback_only_and_recovers_after_a_fault(tmp_path) -> None:
    root = copy_project(tmp_path / "project")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nox",
                "--no-venv",
                "--no-install",
                "-s",
                "serve",
                "--",
                "--port",
                str(port),
            ],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    about = root / "docs" / "about.md"
    good = about.read_text("utf-8")
    try:
        wait_for(lambda: fetch(f"{base}/about.html"), "the first build to be served")
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else

        about.write_text(append("See {term}`flux capacitor`.\n")(good), "utf-8")
        wait_for(lambda: "flux capacitor" in log.read_text(), "the fault to be reported")
        about.write_text(append("Served again after the fix.\n")(good), "utf-8")
        wait_for(
            lambda: "Served again after the fix." in (fetch(f"{base}/about.html") or ""),
            "the fixed page to be served",
        )
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        # sphinx-autobuild can outlive nox after Ctrl-C, serving on: end what is left of
        # the group, or every test run leaves a server behind.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        # A killed process leaves /proc when the kernel has reaped it, not at once.
        wait_for(lambda: not group_alive(server.pid), "the preview server to end", seconds=30)
