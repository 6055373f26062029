"""Every internal link and anchor of the built site resolves; no id repeats on a page."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from ..support.links import check_site
from ..support.site import site_address


def test_every_internal_link_and_anchor_resolves_and_ids_are_unique(html_dir: Path) -> None:
    # The 404 page's links start at the site's root, the path of its address.
    assert check_site(html_dir, urlsplit(site_address(html_dir)).path) == []


def test_the_checker_catches_a_broken_link_anchor_and_a_repeated_id(
    html_dir: Path, tmp_path: Path
) -> None:
    site = tmp_path / "html"
    shutil.copytree(html_dir, site)
    page = site / "career.html"
    text = page.read_text(encoding="utf-8")
    planted = (
        '<a href="no-such-page.html">x</a><a href="glossary.html#term-No-such-term">y</a>'
        '<a href="#no-such-heading">z</a><span id="twice"></span><span id="twice"></span>'
    )
    # From the root, as the 404 page links: a missing file, a missing anchor, a way out.
    (site / "404.html").write_text(
        (site / "404.html")
        .read_text(encoding="utf-8")
        .replace(
            "</article>",
            '<a href="/no-such-page.html">x</a><a href="/glossary.html#term-No-such-term">y</a>'
            '<a href="/../etc/passwd">z</a></article>',
            1,
        ),
        encoding="utf-8",
    )
    page.write_text(text.replace("</article>", planted + "</article>", 1), encoding="utf-8")
    assert sorted(check_site(site, "/")) == [
        "404.html: '/../etc/passwd' points at a missing file",
        "404.html: '/glossary.html#term-No-such-term' points at a missing anchor",
        "404.html: '/no-such-page.html' points at a missing file",
        "career.html: '#no-such-heading' points at a missing anchor",
        "career.html: 'glossary.html#term-No-such-term' points at a missing anchor",
        "career.html: 'no-such-page.html' points at a missing file",
        "career.html: id 'twice' appears 2 times",
    ]
