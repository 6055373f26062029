"""Nothing stale, ever: an incremental build gives the bytes of a cold build of the same sources.

One copy of ``tests/roots/test-glossary`` (a bibliography, three pages that link
terms, aliases, see-also) is edited step by step, one kind of edit per step:
a definition, a first sentence, an alias, a page's term links, a rename, a
see-also, a term file added and one deleted, a bib entry.  After each step the
copy is built twice with the project's flags (``-n -W --keep-going``), as
``sphinx-build`` runs in a shell: once into the same output and doctrees as
every step before it (the incremental build), once into fresh ones (the cold
build).  Every file of the two outputs must be the same, byte for byte.

The whole sequence runs serially and with ``-j 2`` (Sphinx then reads and
writes in worker processes, whose findings the main process merges), each
against a cold build with the same flags.  Which pages a rebuild writes again
is another test's business; this one guards only what ends up on disk.
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.build import doctrees_beside

from ..conftest import ROOTS, sphinx_build

#: Nothing is left out of the comparison: no file of an HTML build is allowed to
#: differ between an incremental and a cold build (``.buildinfo`` holds only hashes
#: of the configuration and tags, which no step changes).
EXCLUDED: frozenset[str] = frozenset()

#: How many lines of a unified diff the failure message shows per file.
DIFF_LINES = 40


@dataclass(frozen=True)
class Change:
    """One file of the source folder: *old* text replaced by *new*.

    *old* None: the file is new, with *new* as its text; *new* None: it is deleted.
    """

    path: str
    old: str | None
    new: str | None

    def apply(self, src: Path) -> None:
        path = src / self.path
        if self.old is None:
            assert not path.exists(), f"{self.path} is already there"
            assert self.new is not None
            path.write_text(self.new, "utf-8")
            return
        text = path.read_text("utf-8")
        # Each edit must change something: a root edited elsewhere fails here, loudly.
        assert text.count(self.old) == 1, f"{self.path} does not hold {self.old!r} once"
        if self.new is None:
            path.unlink()
        else:
            path.write_text(text.replace(self.old, self.new), "utf-8")


#: The steps, in order (later steps build on earlier ones): what changes, and how.
EDITS: list[tuple[str, tuple[Change, ...]]] = [
    (
        "a definition changed after its first sentence",
        (Change("terms/oak.md", "Its wood is hard.", "Its wood is hard and heavy."),),
    ),
    (
        "a first sentence changed (the previews of the pages linking it)",
        (
            Change(
                "terms/fern.md",
                "A plant without flowers that spreads by spores.",
                "A flowerless plant that spreads by spores in damp shade.",
            ),
        ),
    ),
    (
        "an alias added",
        (Change("terms/maple.md", "aliases: []", "aliases: [Acer]"),),
    ),
    (
        "a page gains a term link (to the new alias of an entry no page linked)",
        (Change("garden.md", "Fallen leaves", "Fallen {term}`Acer` leaves"),),
    ),
    (
        "a term renamed that a page links by its alias, with the see-also naming it",
        (
            Change("terms/maple.md", "term: Maple", "term: Sugar maple"),
            Change("terms/oak.md", "see_also: [Maple]", "see_also: [Sugar maple]"),
        ),
    ),
    (
        "a term renamed with every link to it (a page, a definition, a see-also)",
        (
            Change("terms/red-fox.md", "term: Red fox", "term: Common fox"),
            Change("garden.md", "{term}`red fox`", "{term}`common fox`"),
            Change("terms/fox-terrier.md", "{term}`red fox`", "{term}`common fox`"),
            Change("terms/fox-terrier.md", "see_also: [Red fox]", "see_also: [Common fox]"),
        ),
    ),
    (
        "a see-also changed",
        (Change("terms/rain.md", "see_also: [Rainbow]", "see_also: [Rainbow, Dew point]"),),
    ),
    (
        "a definition gains a citation (the page's citations are read again)",
        (
            Change(
                "terms/oak.md",
                "Its wood is hard and heavy.",
                "Its wood is hard and heavy {cite:p}`lee2001`.",
            ),
        ),
    ),
    (
        "a term file added",
        (
            Change(
                "terms/hail.md",
                None,
                "---\nterm: Hail\naliases: [Hailstones]\ncategory: weather\n"
                "see_also: [Rain]\nsources: [lee2001]\n---\n"
                "Balls of ice that fall in a storm. Worse than {term}`rain`.\n",
            ),
        ),
    ),
    (
        "a term file deleted (no page links it)",
        (Change("terms/weissdorn.md", "term: Weißdorn", None),),
    ),
    (
        "a page loses a term link",
        (Change("weather.md", "After the {term}`rain`,", "After the rain,"),),
    ),
    (
        "a bib entry changed (the title and year of a cited reference)",
        (
            Change("refs.bib", "Trees of the Northern Woods", "Trees of the Northern Forests"),
            Change("refs.bib", "year      = {2001}", "year      = {2003}"),
        ),
    ),
]


def files(outdir: Path) -> dict[str, Path]:
    """Every file of a build's output, by its path in it, less :data:`EXCLUDED`."""
    found = {path.relative_to(outdir).as_posix(): path for path in outdir.rglob("*")}
    return {name: path for name, path in found.items() if path.is_file() and name not in EXCLUDED}


def pieces(data: bytes) -> list[str]:
    """A file's text cut after each line, tag and comma: a diff of minified JSON reads too."""
    return re.split(r"(?<=[\n>,])", data.decode("utf-8", errors="replace"))


def differences(incremental: Path, cold: Path) -> dict[str, str]:
    """What differs between two outputs, by file: only in one, or a short diff."""
    mine, theirs = files(incremental), files(cold)
    found = {name: "only in the incremental build" for name in mine.keys() - theirs}
    found |= {name: "only in the cold build" for name in theirs.keys() - mine}
    for name in mine.keys() & theirs.keys():
        before, after = mine[name].read_bytes(), theirs[name].read_bytes()
        if before == after:
            continue
        diff = difflib.unified_diff(
            pieces(before), pieces(after), f"incremental/{name}", f"cold/{name}", n=2
        )
        lines = [line.rstrip("\n")[:200] for line in diff]
        cut = ["..."] if len(lines) > DIFF_LINES else []
        found[name] = "\n".join([*lines[:DIFF_LINES], *cut])
    return dict(sorted(found.items()))


def build(src: Path, outdir: Path, extra: tuple[str, ...], when: str, stale: list[str]) -> Path:
    """Build *src* into *outdir* (its doctrees beside it) with the project's flags; no warning.

    A failure says *when* (which step, which build) and what was *stale* before it.
    """
    result = sphinx_build(src, "html", outdir, *extra)
    if result.returncode != 0 or result.problems:
        shown = result.problems or [result.output[-4000:]]
        before = ["", "stale before it:", *stale] if stale else []
        pytest.fail("\n".join([f"{when}: sphinx-build failed", *shown, *before]))
    return outdir


@pytest.mark.parametrize("extra", [(), ("-j", "2")], ids=["serial", "parallel"])
def test_every_edit_gives_the_bytes_of_a_cold_build(tmp_path: Path, extra: tuple[str, ...]) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    incremental = tmp_path / "incremental" / "html"
    # Every step runs, so that one failure names every kind of edit that leaves something stale.
    summary: list[str] = []
    diffs: list[str] = []
    stale: dict[str, str] = {}
    build(src, incremental, extra, "the first build", summary)
    for step, (kind, changes) in enumerate(EDITS, start=1):
        for change in changes:
            change.apply(src)
        build(src, incremental, extra, f"step {step}, {kind}, incremental build", summary)
        # A fresh output and doctrees folder for each cold build.
        fresh = tmp_path / f"cold-{step}" / "html"
        cold = build(src, fresh, extra, f"step {step}, {kind}, cold build", summary)
        found = differences(incremental, cold)
        if found:
            summary.append(f"step {step}, {kind}: {', '.join(found)}")
        # What goes stale often stays stale: a file's diff is shown at the step it goes stale.
        diffs += [f"step {step}: {name}\n{found[name]}" for name in sorted(found.keys() - stale)]
        stale = found
        shutil.rmtree(cold.parent)
    if summary:
        pytest.fail("\n".join(["the incremental build differs from a cold one", *summary, *diffs]))


def parsed(output: str) -> tuple[int, int]:
    """(entries parsed, entries in all), from what a ``-v`` build says."""
    found = re.findall(r"glossary: (\d+) of (\d+) entries parsed", output)
    assert len(found) == 1, output[-3000:]
    return int(found[0][0]), int(found[0][1])


def test_a_term_edit_parses_that_entry_only_whatever_the_hash_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored entries' keys are the same in every run (a set's order follows the seed).

    Each build runs with another ``PYTHONHASHSEED``, as two runs of sphinx-build do.
    """
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    out = tmp_path / "html"
    monkeypatch.setenv("PYTHONHASHSEED", "1")
    first = sphinx_build(src, "html", out, "-v")
    assert first.returncode == 0, first.output[-3000:]
    parsed_first, total = parsed(first.output)
    assert parsed_first == total > 1
    Change("terms/oak.md", "Its wood is hard.", "Its wood is hard and heavy.").apply(src)
    monkeypatch.setenv("PYTHONHASHSEED", "2")
    again = sphinx_build(src, "html", out, "-v")
    assert again.returncode == 0, again.output[-3000:]
    assert parsed(again.output) == (1, total)
    # A definition edit changes nothing the page itself holds: it is written, not read.
    assert "the glossary page not read again" in again.output
    assert reading(again.output) and "glossary" not in reading(again.output), again.output[-3000:]


def reading(output: str) -> str:
    """The lines in which a build says which pages it read."""
    return "\n".join(line for line in output.splitlines() if line.startswith("reading sources"))


def test_an_edit_to_what_the_page_holds_reads_it_again(tmp_path: Path) -> None:
    """A category (the entry's class on the page) or an alias (a glossary term) changed."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    out = tmp_path / "html"
    assert sphinx_build(src, "html", out).returncode == 0
    for change in (
        Change("terms/rain.md", "category: weather", "category: minerals"),
        Change("terms/rain.md", "aliases: []", "aliases: [Drizzle]"),
    ):
        change.apply(src)
        again = sphinx_build(src, "html", out, "-v")
        assert again.returncode == 0, again.output[-3000:]
        assert "glossary" in reading(again.output), again.output[-3000:]
        assert "not read again" not in again.output


def test_a_change_of_html_settings_renders_the_entries_again(tmp_path: Path) -> None:
    """The kept HTML is keyed by the builder's settings: no permalinks means none in entries."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    incremental = build(src, tmp_path / "incremental" / "html", (), "the first build", [])
    setting = ("-D", "html_permalinks=0")
    build(src, incremental, setting, "the incremental build without permalinks", [])
    cold = build(src, tmp_path / "cold" / "html", setting, "the cold build without permalinks", [])
    # Sphinx itself keeps the old build information beside the new when settings change.
    assert differences(incremental, cold) == {".buildinfo.bak": "only in the incremental build"}
    assert "headerlink" not in (incremental / "glossary.html").read_text("utf-8")


def test_a_stored_entry_removed_or_damaged_is_parsed_again(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-glossary", src)
    out = build(src, tmp_path / "html", (), "the first build", [])
    folder = doctrees_beside(out) / "glossary-entries"
    store = sorted(folder.glob("*.pickle"))
    assert len(store) == len(list((src / "terms").glob("*.md")))
    store[0].unlink()
    again = sphinx_build(src, "html", out, "-v")
    assert again.returncode == 0 and not again.problems, again.output[-3000:]
    assert parsed(again.output)[0] == 1
    Change("terms/oak.md", "Its wood is hard.", "Its wood is hard and heavy.").apply(src)
    for path in folder.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    # Without the kept HTML every entry must come from the store.
    (doctrees_beside(out) / "glossary-html-html.pickle").unlink()
    damaged = build(src, out, (), "the build with a damaged store", [])
    cold = build(src, tmp_path / "cold" / "html", (), "the cold build", [])
    assert differences(damaged, cold) == {}
