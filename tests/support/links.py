"""Internal links of the built HTML: every href and #anchor resolves, no id repeats.

Sphinx's linkcheck builder checks only external links; this reads every HTML
file of the output with the standard library's parser, collects the ids of
each page and the links and resources it points at, and reports, as
"page: problem" lines, each link to a missing file or anchor and each id
used twice on a page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes holding an address, by element.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "use": "href"}


@dataclass
class PageLinks(HTMLParser):
    """The ids and outgoing addresses of one page."""

    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.append(values["name"] or "")
        address = values.get(LINK_ATTRIBUTES.get(tag, ""))
        if address is not None:
            self.links.append(address)


def read(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def is_internal(address: str) -> bool:
    parts = urlsplit(address)
    return not parts.scheme and not parts.netloc


def check_site(html_dir: Path, root_path: str = "/") -> list[str]:
    """Every broken internal link or anchor and every repeated id, one line each.

    An address that starts with "/" (the 404 page's, which must work at any depth)
    is read from the site's root: *root_path* is where the site is served, the path
    of its public address.
    """
    root = html_dir.resolve()
    pages = {path.resolve(): read(path) for path in sorted(root.rglob("*.html"))}
    problems = []
    for path, page in pages.items():
        name = path.relative_to(root)
        for id_, count in sorted(Counter(page.ids).items()):
            if count > 1:
                problems.append(f"{name}: id {id_!r} appears {count} times")
        for address in page.links:
            if not is_internal(address) or address.startswith("javascript:"):
                continue
            parts = urlsplit(address)
            if parts.path.startswith("/"):
                if not parts.path.startswith(root_path):
                    problems.append(f"{name}: {address!r} points outside the site")
                    continue
                target = (root / unquote(parts.path.removeprefix(root_path))).resolve()
            elif parts.path:
                target = (path.parent / unquote(parts.path)).resolve()
            else:
                target = path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root) or not target.exists():
                problems.append(f"{name}: {address!r} points at a missing file")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in pages[target].ids:
                problems.append(f"{name}: {address!r} points at a missing anchor")
    return problems
