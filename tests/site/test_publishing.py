"""Publishing: the Read the Docs configuration, the site's address, and what search engines and
link previews read (canonical links, sitemap, robots.txt, noindex, OpenGraph, the 404 page)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from publishing import DEFAULT_SITE_URL, NOINDEX, robots_txt, site_url, url_path

from tools.loopback import serve
from tools.readthedocs import STEPS

from ..conftest import ROOT
from ..support.site import site_address

RTD_CONFIG = ROOT / ".readthedocs.yaml"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
OG_PROPERTIES = ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:image")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, **attribute: str) -> list[str]:
    return [str(tag["content"]) for tag in soup.find_all("meta", attrs=attribute)]


# -- Read the Docs ----------------------------------------------------------------


def check_rtd(path: Path) -> subprocess.CompletedProcess[str]:
    """Read the Docs' own JSON schema, shipped inside check-jsonschema: offline."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.readthedocs"]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)


def test_the_read_the_docs_config_passes_read_the_docs_schema(tmp_path) -> None:
    result = check_rtd(RTD_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    # The schema does reject what Read the Docs would: an unknown download format.
    broken = tmp_path / ".readthedocs.yaml"
    broken.write_text(RTD_CONFIG.read_text().replace("- epub", "- docx"), encoding="utf-8")
    assert check_rtd(broken).returncode != 0


def test_read_the_docs_builds_as_here_and_offers_the_pdf_and_epub() -> None:
    config = yaml.safe_load(RTD_CONFIG.read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert sorted(config["formats"]) == ["epub", "pdf"]
    assert config["build"]["tools"]["python"] == "3.11"  # as the nox sessions
    install = config["build"]["jobs"]["install"]
    assert "python -m pip install --group docs" in install  # the pinned dependency group
    for fmt, commands in config["build"]["jobs"]["build"].items():
        assert commands == [f"python -m tools.readthedocs {fmt}"]
        assert fmt in STEPS


def test_read_the_docs_installs_the_pdf_and_epub_tools_ci_installs() -> None:
    config = yaml.safe_load(RTD_CONFIG.read_text(encoding="utf-8"))
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    array = re.search(r"DEBIAN_PACKAGES=\((.*?)\n\)", script, re.DOTALL)
    assert array is not None
    ci = {word for line in array[1].splitlines() for word in line.split("#")[0].split()}
    browser = {"chromium", "poppler-utils"}  # for the tests, not for building
    assert set(config["build"]["apt_packages"]) == ci - browser


# -- The site's address -----------------------------------------------------------


def test_the_address_is_site_url_else_read_the_docs_else_the_default() -> None:
    rtd = "https://docs.invalid/en/latest/"
    assert site_url({}) == DEFAULT_SITE_URL
    assert site_url({"READTHEDOCS_CANONICAL_URL": rtd}) == rtd
    both = {"SITE_URL": "https://site.invalid/guide", "READTHEDOCS_CANONICAL_URL": rtd}
    assert site_url(both) == "https://site.invalid/guide/"
    assert site_url({"SITE_URL": " "}) == DEFAULT_SITE_URL
    assert url_path(rtd) == "/en/latest/"
    assert url_path("https://site.invalid") == "/"
    hostile = ('https://x.invalid/"><script>alert(1)</script>', "https://x.invalid/\nSitemap: x")
    for bad in (
        "site.invalid/guide/",
        "/guide/",
        "ftp://site.invalid/",
        "https://x.invalid/?a=1",
        *hostile,
    ):
        with pytest.raises(ValueError, match="SITE_URL"):
            site_url({"SITE_URL": bad})


def test_robots_txt_lets_crawlers_in_and_names_the_sitemap_absolutely(html_dir) -> None:
    base = site_address(html_dir)
    text = (html_dir / "robots.txt").read_text(encoding="utf-8")
    assert text == robots_txt(base, "sitemap.xml")
    assert re.search(r"^User-agent: \*$", text, re.M)
    assert not re.search(r"^Disallow: /", text, re.M)  # noindex works only on pages read
    assert re.findall(r"^Sitemap: (\S+)$", text, re.M) == [base + "sitemap.xml"]


# -- Sitemap, noindex, canonical links ----------------------------------------------


def noindex(soup: BeautifulSoup) -> bool:
    return any("noindex" in content for content in meta(soup, name="robots"))


def test_the_sitemap_lists_exactly_the_indexable_pages(html_dir) -> None:
    base = site_address(html_dir)
    pages = {path.name: soup_of(path) for path in sorted(html_dir.glob("*.html"))}
    indexable = {name for name, soup in pages.items() if not noindex(soup)}
    tree = ElementTree.parse(html_dir / "sitemap.xml")
    listed = [loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]
    assert len(listed) == len(set(listed))
    assert set(listed) == {base + name for name in indexable}
    assert len(indexable) >= 11
    # The search page and the 404 page are noindex, so not listed; so is the general index.
    assert {name for name in pages if name not in indexable} == {f"{p}.html" for p in NOINDEX}
    assert {"search.html", "404.html", "genindex.html"} <= set(pages) - indexable
    for name in NOINDEX:
        assert len(meta(pages[f"{name}.html"], name="robots")) == 1, name


def test_every_page_has_an_absolute_canonical_link_and_its_link_preview(html_dir) -> None:
    base = site_address(html_dir)
    assert urlsplit(base).scheme in {"http", "https"}
    checked = 0
    for path in sorted(html_dir.glob("*.html")):
        soup = soup_of(path)
        canonical = [link["href"] for link in soup.select('head link[rel="canonical"]')]
        assert canonical == [base + path.name], path.name
        tags = {p: meta(soup, property=p) for p in OG_PROPERTIES}
        assert all(len(values) == 1 for values in tags.values()), (path.name, tags)
        og = {p: values[0] for p, values in tags.items()}
        assert og["og:url"] == canonical[0]
        assert og["og:description"] == meta(soup, name="description")[0], path.name
        heading = soup.select_one("article[role=main] h1")
        assert heading is not None, path.name
        for mark in heading.select("a.headerlink"):
            mark.decompose()
        assert og["og:title"] == " ".join(heading.get_text().split()), path.name
        assert og["og:site_name"] and og["og:type"] == "website"
        assert og["og:image"].startswith(base) and og["og:image"].endswith(".png")
        assert (html_dir / og["og:image"].removeprefix(base)).is_file()
        assert meta(soup, name="twitter:card") == ["summary_large_image"]
        checked += 1
    assert checked >= 14


def test_the_card_image_is_a_1200_by_630_png_made_from_its_svg() -> None:
    card = ROOT / "docs" / "_static" / "social-card.png"
    header = card.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20]), int.from_bytes(header[20:24])) == (1200, 630)
    assert (ROOT / "tools" / "social-card.svg").is_file()


# -- The 404 page -------------------------------------------------------------------


def test_the_404_page_uses_absolute_addresses_and_links_home_glossary_and_search(html_dir) -> None:
    prefix = urlsplit(site_address(html_dir)).path
    soup = soup_of(html_dir / "404.html")
    addresses = [str(tag.get("href") or tag.get("src")) for tag in soup.select("[href], [src]")]
    addresses += [str(form["action"]) for form in soup.select("form[action]")]
    local = [urlsplit(a).path for a in addresses if not urlsplit(a).scheme and a[:1] != "#"]
    assert len(local) > 20
    # Each from the site's root, and there: styles, scripts, icons, links.
    assert [a for a in local if not a.startswith(prefix)] == []
    assert [a for a in local if not (html_dir / a.removeprefix(prefix)).is_file()] == []
    assert any("furo.css" in a for a in local)  # the site's look
    main = soup.select_one("article[role=main]")
    assert main is not None and main.h1 is not None
    links = {a["href"] for a in main.select("a[href]")}
    assert {prefix + page for page in ("index.html", "glossary.html", "search.html")} <= links


@pytest.mark.browser
def test_the_404_page_works_and_passes_axe_at_any_depth(html_dir, tmp_path_factory) -> None:
    """Served for a missing address three folders deep: styles, scripts and links all work."""
    from ..support.browser import chromium

    prefix = urlsplit(site_address(html_dir)).path
    tmp_path = tmp_path_factory.mktemp("b404")  # short: Chromium's socket path has a limit
    root = tmp_path / "served"
    site = root / prefix.strip("/")
    shutil.copytree(html_dir, site)
    deep = site / "no" / "such" / "folder"
    deep.mkdir(parents=True)
    shutil.copy(html_dir / "404.html", deep / "page.html")
    axe = Axe()
    with serve(root) as base, chromium(base, tmp_path) as (tab, _problems):
        tab.goto(urljoin(base, prefix + "no/such/folder/page.html"))
        # furo's stylesheet applied: its sidebar is laid out beside the article.
        assert tab.evaluate("getComputedStyle(document.querySelector('.page')).display") == "flex"
        assert tab.locator(".sidebar-drawer").is_visible()
        assert tab.locator("h1").inner_text() == "Page not found"
        found = axe.run(tab, options={"resultTypes": ["violations"]}).response["violations"]
        assert [rule["id"] for rule in found] == []
        tab.locator("article a", has_text="Glossary").click()
        tab.wait_for_url("**/glossary.html")
        assert tab.locator("h1").inner_text().startswith("Glossary")
