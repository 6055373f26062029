"""Reading the built HTML as a reader would: pages, their main text, their links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

#: Pages Sphinx generates rather than writers: no article text on them.
GENERATED = {"genindex.html", "search.html", "py-modindex.html", "404.html"}
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Text as compared by the tests: quotes straightened, spacing and case folded.

    Text taken from HTML has a space wherever an element ends, so a link before
    a comma reads "word ,": spaces before closing and after opening punctuation go.
    """
    text = " ".join(text.translate(QUOTES).split())
    text = re.sub(r"\s+([,.;:!?)\]'-])", r"\1", text)
    text = re.sub(r"([(\[-])\s+", r"\1", text)
    return text.casefold()


@dataclass
class Page:
    path: Path
    soup: BeautifulSoup

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def main(self) -> Tag:
        main = self.soup.select_one("article[role=main]")
        assert main is not None, f"{self.path}: no main article"
        return main

    def text(self, *exclude: str) -> str:
        """The main content's visible text, without permalink marks and *exclude* selectors."""
        main = BeautifulSoup(str(self.main), "html.parser")
        for selector in ("a.headerlink", "script", "style", *exclude):
            for node in main.select(selector):
                node.decompose()
        return " ".join(main.get_text(" ").split())


def pages(html_dir: Path) -> Iterator[Page]:
    for path in sorted(html_dir.glob("*.html")):
        if path.name not in GENERATED:
            yield Page(path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))


def resolve(page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment an internal link points at."""
    parts = urlsplit(href)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
    return target, unquote(parts.fragment)


def name_pattern(name: str) -> re.Pattern[str]:
    """A whole-word match of a glossary name, plural forms included.

    Short all-capital names (ML, AI, R, QA) match only in capitals, so that the
    letter r or the word "ai" in a URL is no mention.
    """
    body = re.escape(name)
    if name[-1:].isalpha():
        body += "(?:s|es)?"
        if name.endswith("y"):
            body = f"(?:{body}|{re.escape(name[:-1])}ies)"
    flags = 0 if (len(name) <= 3 and name.isupper()) else re.IGNORECASE
    return re.compile(rf"(?<![\w&+]){body}(?![\w&+])", flags)


def site_address(html_dir: Path) -> str:
    """The site's public address as the build saw it: the home page's canonical link, less
    its file name."""
    soup = BeautifulSoup((html_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one('head link[rel="canonical"]')
    assert link is not None, "index.html: no canonical link"
    href = str(link["href"])
    assert href.endswith("/index.html"), href
    return href.removesuffix("index.html")


def written_pages(build_output: str) -> list[str]:
    """The pages a build's log says it wrote."""
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", build_output)


def used_in(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Each entry's "Used in" pages, as file names, in the order shown."""
    return {
        entry.select_one("dt").get_text(strip=True).rstrip("¶"): [
            a["href"].split("#")[0] for a in entry.select("dd.glossary-used-in a[href]")
        ]
        for entry in soup.select("dl.glossary-entry")
    }
