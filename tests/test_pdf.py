"""The PDF: built with XeLaTeX through latexmk, complete, both sides of every comparison."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import NAME, Build, require_tool
from .site import normalise


@pytest.fixture(scope="module")
def pdf_text(pdf_file: Path) -> str:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # words hyphenated across lines
    return normalise(text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl"))


def test_the_latex_build_succeeds_without_a_warning(latex_build: Build) -> None:
    assert latex_build.returncode == 0, latex_build.output[-3000:]
    assert latex_build.problems == []


def test_xelatex_dropped_no_character(pdf_file: Path) -> None:
    log = (pdf_file.parent / f"{NAME}.log").read_text("utf-8", errors="replace")
    assert "Missing character" not in log
    assert not re.search(r"LaTeX Warning: (Reference|Citation) .* undefined", log)


def words(text: str, count: int = 8) -> str:
    return normalise(" ".join(text.split()[:count]))


def test_both_sides_of_every_comparison_are_in_the_pdf(pdf_text: str, html_dir: Path) -> None:
    checked = 0
    for page in ("differences", "career", "difficulty"):
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text("utf-8"), "html.parser")
        for tab_set in soup.select(".sd-tab-set"):
            position = 0
            for label, content in zip(
                tab_set.select("label.sd-tab-label"), tab_set.select(".sd-tab-content"), strict=True
            ):
                label_at = pdf_text.find(normalise(label.get_text(strip=True)), position)
                assert label_at >= 0, label.get_text()
                start = words(content.get_text(" "))
                content_at = pdf_text.find(start, label_at)
                assert content_at >= 0, start
                position = content_at
                checked += 1
    assert checked >= 24
