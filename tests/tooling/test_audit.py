"""``nox -s audit``'s table and targets, on made-up scores (Lighthouse itself is not run here)."""

from __future__ import annotations

from tools.audit import MISSING, Result, document_status, table

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}


def result(page: str, indexable: bool = True, **mobile: int) -> Result:
    phone = {**PERFECT, **{name.replace("_", "-"): score for name, score in mobile.items()}}
    return Result(page, {"desktop": dict(PERFECT), "mobile": phone}, indexable)


def test_a_phone_score_below_its_target_is_a_miss() -> None:
    assert result("faq.html", performance=97).misses() == ["mobile perf 97 < 98"]
    assert result("faq.html", performance=98).misses() == []
    assert result("faq.html", accessibility=99, seo=92).misses() == [
        "mobile a11y 99 < 100",
        "mobile seo 92 < 100",
    ]


def test_noindex_pages_are_held_to_performance_and_accessibility_only() -> None:
    # The 404 page fails is-crawlable and http-status-code, and logs its own 404, by design.
    missing = result("404.html", indexable=False, best_practices=96, seo=58)
    assert missing.misses() == []
    assert result("404.html", indexable=False, accessibility=90).misses() == [
        "mobile a11y 90 < 100"
    ]


def test_the_table_shows_desktop_and_mobile_and_names_the_misses() -> None:
    rows = [result("404.html", indexable=False, seo=58), result("glossary.html", performance=84)]
    text = table(rows).splitlines()
    assert "desktop" in text[0] and "mobile" in text[0]
    assert text[2].split() == ["404.html", "at", MISSING, *["100"] * 7, "58", "noindex"]
    assert text[3].split() == ["glossary.html", *["100"] * 4, "84", *["100"] * 3, "yes"]
    assert text[-2:] == ["missed:", "  glossary.html: mobile perf 84 < 98"]


def test_the_documents_own_status_is_read_from_the_report() -> None:
    url = "http://127.0.0.1:1/no/such/page/"
    report = {
        "audits": {
            "network-requests": {
                "details": {
                    "items": [
                        {"url": url, "statusCode": 404},
                        {"url": "http://127.0.0.1:1/_static/site.css", "statusCode": 200},
                    ]
                }
            }
        }
    }
    assert document_status(report, url) == 404
    assert document_status(report, "http://127.0.0.1:1/other.html") is None
