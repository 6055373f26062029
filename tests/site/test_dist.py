"""``nox -s dist``: the book downloads linked from the site, and no dead link without them."""

from __future__ import annotations

import os
from pathlib import Path

from bs4 import BeautifulSoup

from ..conftest import ROOT, sphinx_build

PAGES_WITH_DOWNLOADS = ("index.html", "about.html")


def test_a_plain_html_build_has_no_download_link(html_dir: Path) -> None:
    for page in PAGES_WITH_DOWNLOADS:
        soup = BeautifulSoup((html_dir / page).read_text("utf-8"), "html.parser")
        assert not soup.select(".book-downloads, a.download"), page
        assert "Download PDF" not in soup.get_text()
    assert not (html_dir / "_downloads").exists()


def test_named_books_are_copied_into_the_site_and_linked(tmp_path: Path) -> None:
    """A one-page project with the book extension, as the dist session configures it."""
    books = tmp_path / "books"
    books.mkdir()
    (books / "book.pdf").write_bytes(b"%PDF" + b"x" * 2_500)
    (books / "book.epub").write_bytes(b"PK" + b"y" * 1_200_000)
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'docs' / '_ext')!r})\n"
        "extensions = ['book']\n"
        f"book_downloads = {[str(books / 'book.pdf'), str(books / 'book.epub')]!r}\n"
    )
    (src / "index.rst").write_text("Home\n====\n\n.. book-downloads::\n")
    build = sphinx_build(src, "html", tmp_path / "html")
    assert build.returncode == 0, build.output[-3000:]
    assert build.problems == []
    soup = BeautifulSoup((build.outdir / "index.html").read_text("utf-8"), "html.parser")
    links = soup.select(".book-downloads a")
    assert [" ".join(a.get_text().split()) for a in links] == ["Download PDF", "Download EPUB"]
    items = [" ".join(li.get_text().split()) for li in soup.select(".book-downloads li")]
    assert items == ["Download PDF (3 kB, book.pdf)", "Download EPUB (1.2 MB, book.epub)"]
    for link, name in zip(links, ("book.pdf", "book.epub"), strict=True):
        target = build.outdir / link["href"]
        assert target.name == name
        assert target.read_bytes() == (books / name).read_bytes()
        assert not os.path.isabs(link["href"])
