"""glossary.linked_data.absolute: its shortcut for plain paths gives what urljoin gives."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from glossary.linked_data import absolute

SITE = "https://example.org/docs/"


@pytest.mark.parametrize(
    "url",
    [
        "glossary.html#term-Accuracy",
        "glossary.html",
        "guide/page.html#part",
        "x.html?y=1#z",
        "glossary.html#term-a:b",
        "../up.html",
        "./here.html",
        "a/./b.html",
        "a/../b.html",
        "/root.html",
        "#fragment",
        "?query=1",
        "https://other.example/x",
        "mailto:someone@example.org",
    ],
)
def test_an_address_is_joined_as_urljoin_joins_it(url: str) -> None:
    assert absolute(SITE, url) == urljoin(SITE, url)


def test_the_site_address_must_end_with_a_slash() -> None:
    with pytest.raises(ValueError, match="must end with"):
        absolute("https://example.org/docs", "glossary.html")
