"""Hostile or broken input, without Sphinx: term files, .bib files, addresses, inline data.

Each class of input a pull request or the environment can carry ends in a
message at its file and line (never a traceback, never unbounded memory), or,
for data written into pages, in text that cannot end or escape its element.
Builds with such input are tested in ``test_faults.py`` (the site) and
``test_glossary_extension.py`` (a small project).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from writer_checks import bib_problems, safe_address

from glossary import markup
from glossary.files import MAX_FILE_BYTES, MAX_FRONT_MATTER_CHARS
from glossary.jsonhtml import json_script
from glossary.loader import load_glossary
from glossary.text import tex_to_text

from .test_glossary_files import GOOD, problems, write

MODEL = GOOD["model.md"]


def one_problem(tmp_path: Path, text: str) -> str:
    """The one problem loading *text* as model.md gives, as the writer reads it."""
    found = [p for p in problems(tmp_path, {"model.md": text}) if "model.md" in p]
    assert len(found) == 1, found
    return found[0]


def at(tmp_path: Path, line: int) -> str:
    return f"{tmp_path / 'terms' / 'model.md'}:{line}: "


# -- The front matter: YAML that is data, nothing more ------------------------------


def test_nested_yaml_aliases_are_refused_before_anything_expands_them(tmp_path) -> None:
    """A kilobyte of "billion laughs": refused at its first anchor, in bounded memory."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = MODEL.replace("category: machine learning", "category: &c [*i]\n" + "\n".join(levels))
    text = text.replace("&c [*i]", "*i")  # the category names the largest expansion
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from glossary.loader import parse_term_file\n"
        "from pathlib import Path\n"
        "print(*parse_term_file(Path(sys.argv[1]))[1], sep='\\n')\n"
    )
    path = write(tmp_path, {"model.md": text}) / "model.md"
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}:4: the front matter uses a YAML anchor or alias")
    assert len(result.stdout) < 500


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (("term: Model", "term: Model\nterm: Other"), 3, "the field 'term' is given twice"),
        (("term: Model", "term: Model\n2019: x\nnote: y"), 3, "a field name must be text"),
        (("term: Model", "term: Model\n[a, b]: x"), 3, "a field name must be text"),
        (("aliases: [", "aliases: &x ["), 3, "the front matter uses a YAML anchor"),
    ],
)
def test_keys_given_twice_or_not_text_are_refused_at_their_line(
    tmp_path, edit, line, message
) -> None:
    problem = one_problem(tmp_path, MODEL.replace(*edit))
    assert problem.startswith(at(tmp_path, line) + message)


def test_a_bad_value_is_quoted_short(tmp_path) -> None:
    long = "x" * 2000
    problem = one_problem(tmp_path, MODEL.replace("machine learning\n", f"[{long}, {long}]\n", 1))
    assert problem.startswith(at(tmp_path, 4) + "unknown category [")
    assert len(problem.splitlines()[0]) < len(str(tmp_path)) + 100


def test_a_byte_order_mark_is_accepted(tmp_path) -> None:
    (write(tmp_path, GOOD) / "model.md").write_bytes(b"\xef\xbb\xbf" + MODEL.encode())
    glossary = load_glossary(tmp_path / "terms")
    assert glossary.problems == [] and glossary.lookup("model") is not None


def test_a_byte_that_is_not_utf8_is_reported_at_its_line(tmp_path) -> None:
    data = MODEL.replace("A function", "A fun\udcffction").encode("utf-8", "surrogateescape")
    (write(tmp_path, GOOD) / "model.md").write_bytes(data)
    [problem] = [str(p) for p in load_glossary(tmp_path / "terms").problems if "model.md" in str(p)]
    assert problem.startswith(at(tmp_path, 8) + "byte 0xff is not UTF-8")


def test_line_separators_inside_lines_do_not_shift_line_numbers(tmp_path) -> None:
    """U+2028 and form feeds are no line breaks to an editor, nor to the messages."""
    text = MODEL.replace("aliases:", "aliases:\u2028").replace("A function", "A\u2028\x0c function")
    text += "See {term}`flux capacitor`.\n"
    found = problems(tmp_path, {"model.md": text})
    assert any(p.startswith(at(tmp_path, 9) + "{term} names 'flux capacitor'") for p in found), (
        found
    )


@pytest.mark.parametrize(
    ("size", "where", "message"),
    [
        (MAX_FRONT_MATTER_CHARS, "front", "the front matter is longer than"),
        (MAX_FILE_BYTES, "body", "the file is larger than"),
    ],
)
def test_a_term_file_or_its_front_matter_over_the_limit_is_refused(
    tmp_path, size, where, message
) -> None:
    padding = "# " + "x" * size + "\n"
    text = MODEL.replace("term: Model\n", "term: Model\n" + padding) if where == "front" else MODEL
    text = text + ("x" * size if where == "body" else "")
    problem = one_problem(tmp_path, text)
    assert problem.startswith(at(tmp_path, 1) + message)


# -- The definition: Markdown only -----------------------------------------------


@pytest.mark.parametrize(
    ("definition", "offset", "html"),
    [
        ("A model <img src=x onerror=alert(1)> here.", 0, "<img src=x onerror=alert(1)>"),
        ("A model.\n\n<div onclick=x>\nhi</div>", 2, "<div onclick=x>"),
        ("A model.\n\n<!-- a note --><script>alert(1)</script>", 2, "<!-- a note --><script>"),
    ],
)
def test_raw_html_in_a_definition_is_an_error_at_its_line(
    tmp_path, definition, offset, html
) -> None:
    problem = one_problem(tmp_path, MODEL.replace("A function learned from", definition + "\n"))
    assert problem.startswith(at(tmp_path, 8 + offset) + f"raw HTML in the definition: '{html}")
    assert "hint: term files are data" in problem


def test_markup_shown_as_code_math_and_links_is_no_raw_html() -> None:
    body = "Write `<script>` or `<!--` as code; $a<b$; <https://example.org>; a <!-- note -->."
    assert list(markup.raw_html(body)) == []


@pytest.mark.parametrize(
    ("html", "comment"),
    [
        ("<!-- a note -->", True),
        ("<!---->", True),
        ("<!-- x --><img src=x onerror=alert(1)>", False),
        ("<!-- x --!> <img src=x> -->", False),
        ("<!-->", False),
        ("<!--->", False),
    ],
)
def test_only_one_whole_comment_counts_as_a_comment(html, comment) -> None:
    assert markup.is_comment(html) is comment


def test_a_definition_that_is_only_a_comment_is_empty(tmp_path) -> None:
    text = MODEL.split("---\n")
    problem = one_problem(tmp_path, "---\n".join([*text[:2], "<!-- to do -->\n"]))
    assert problem.startswith(at(tmp_path, 8) + "the definition is empty")


def test_editors_lock_and_backup_files_are_not_terms(tmp_path) -> None:
    terms = write(tmp_path, GOOD)
    (terms / ".#model.md").symlink_to(tmp_path / "no-such-file")
    for name in (".model.md.swp", "model.md~", "#model.md#", ".hidden.md"):
        (terms / name).write_text("not a term", encoding="utf-8")
    glossary = load_glossary(terms, bib=tmp_path / "refs.bib")
    assert glossary.problems == [] and len(glossary) == len(GOOD)


# -- Math in definitions -----------------------------------------------------------


@pytest.mark.parametrize(
    "tex", ["{" * 600 + "x" + "}" * 600, "x" + "^" * 3000 + "2", r"\frac" * 3000]
)
def test_deeply_nested_math_reads_as_text_without_exhausting_the_stack(tex) -> None:
    assert tex_to_text(tex).strip()


def test_nested_math_in_a_definition_is_searched_from_the_command_line(tmp_path) -> None:
    text = MODEL.replace("A function", "A $" + "{" * 600 + "x" + "}" * 600 + "$ function")
    terms = write(tmp_path, {**GOOD, "model.md": text})
    result = subprocess.run(
        [sys.executable, "-m", "glossary", "--terms", str(terms), "search", "function"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


# -- The command line --------------------------------------------------------------


def test_check_fails_when_its_output_goes_to_a_closed_pipe(tmp_path) -> None:
    """`python -m glossary check 2>&1 | head`: problems found are still a failure."""
    terms = write(tmp_path, {**GOOD, "bad.md": "---\nterm: [x\n---\nx\n"})
    process = subprocess.Popen(
        [sys.executable, "-m", "glossary", "--terms", str(terms), "check"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    process.stdout.close()
    assert process.wait(timeout=60) == 1


def test_check_reports_raw_html_at_its_line(tmp_path) -> None:
    text = MODEL.replace("A function", "A <b onmouseover=alert(1)>function</b>")
    terms = write(tmp_path, {**GOOD, "model.md": text})
    result = subprocess.run(
        [sys.executable, "-m", "glossary", "--terms", str(terms), "check", "--bib", "/nonexistent"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{terms / 'model.md'}:8: raw HTML in the definition: '<b onmouseover" in result.stderr


# -- References: every address a reader can follow is http(s) ----------------------

BIB_ENTRY = "@misc{{source,\n  title = {{A source}},\n  {field} = {{{value}}},\n}}\n"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "entry 'source': the url 'javascript:alert(1)' is not"),
        ("url", "java\tscript:alert(1)", "entry 'source': the url"),
        ("url", " data:text/html,<script>x</script>", "entry 'source': the url"),
        ("url", "//evil.invalid/x", "entry 'source': the url"),
        ("doi", "javascript:alert(1)", "entry 'source': 'javascript:alert(1)' is not a DOI"),
    ],
)
def test_a_bib_address_that_is_not_http_is_an_error_naming_the_entry(
    tmp_path, field, value, message
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("% sources\n\n" + BIB_ENTRY.format(field=field, value=value), encoding="utf-8")
    [problem] = bib_problems(bib, "utf-8")
    assert (problem.line, problem.message[: len(message)]) == (3, message)


def test_a_repeated_bib_key_is_an_error_at_the_second_entry(tmp_path) -> None:
    bib = tmp_path / "refs.bib"
    entry = BIB_ENTRY.format(field="url", value="https://example.org/")
    bib.write_text(entry + "\n" + entry, encoding="utf-8")
    [problem] = bib_problems(bib, "utf-8")
    assert (problem.line, problem.message) == (6, "the key 'source' is given to a second entry")


def test_a_name_pybtex_cannot_read_is_an_error_at_its_line(tmp_path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB_ENTRY.format(field="author", value="Smith, J, Jr, More, Extra"), "utf-8")
    [problem] = bib_problems(bib, "utf-8")
    assert (problem.line, problem.message[:30]) == (3, "pybtex cannot read this entry:")


def test_a_bib_byte_that_is_not_utf8_is_reported_at_its_line(tmp_path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(b"% x\n" + BIB_ENTRY.format(field="note", value="na\xefve").encode("latin-1"))
    [problem] = bib_problems(bib, "utf-8")
    assert problem.line == 4 and "not utf-8" in problem.message


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("docs/paper.pdf", True),
        ("JavaScript:alert(1)", False),
        ("mailto:someone@example.org", False),
        ("https:///no-host", False),
    ],
)
def test_safe_addresses_are_http_or_relative(url, safe) -> None:
    assert safe_address(url) is safe


# -- Data inside <script> ------------------------------------------------------------


def test_json_in_a_script_cannot_end_or_escape_its_element() -> None:
    texts = ["<!--", "<script>", "</script>", "-->", "a & b", "line\u2028break\u2029"]
    data = {"texts": texts, "<key>": "</SCRIPT >"}
    script = json_script(data)
    assert json.loads(script) == data
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in script


def test_the_largest_term_file_loads_in_bounded_memory(tmp_path) -> None:
    """A term file just under the limit, full of nested math, loads within 400 MB."""
    body = ("$" + "{" * 200 + "x" + "}" * 200 + "$ ") * (MAX_FILE_BYTES // 420)
    terms = write(tmp_path, {**GOOD, "model.md": MODEL.replace("A function", body)})
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))\n"
        "from glossary.loader import load_glossary\n"
        "from pathlib import Path\n"
        "glossary = load_glossary(Path(sys.argv[1]))\n"
        "print(len(glossary.lookup('model').plain_text()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(terms)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
