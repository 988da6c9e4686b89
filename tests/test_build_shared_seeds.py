"""The five real documents in ../shared/seeds build into 24 articles with the right URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_site, run_newsgen
from linkcheck import broken_references

EXPECTED_URLS = {
    "2025/12/31/putin-vows-victory-in-ukraine-in-new-year-s-address-amid-trump-backed-peace-talks/",
    "2025/12/17/putin-says-russia-will-certainly-achieve-its-goals-in-ukraine/",
    "2025/12/31/russia-ukraine-war-list-of-key-events-day-1406/",
    "2025/12/29/russia-ukraine-war-list-of-key-events-day-1404/",
    "2025/12/28/russia-ukraine-war-list-of-key-events-day-1403/",
    "2025/12/26/russia-ukraine-war-list-of-key-events-day-1401/",
    "2025/12/25/russia-ukraine-war-list-of-key-events-day-1400/",
    "2025/12/24/russia-ukraine-war-list-of-key-events-day-1399/",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_seeds: Path) -> Path:
    site = make_site(tmp_path_factory.mktemp("shared"), shared_seeds)
    result = run_newsgen("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("24 articles, ")
    return site / "output"


@pytest.fixture(scope="module")
def shared_seeds() -> Path:  # module scope: the site is built once for these tests
    from conftest import require_shared

    return require_shared("seeds")


def article_urls(output: Path) -> set[str]:
    return {
        page.parent.relative_to(output).as_posix() + "/"
        for page in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html")
    }


def test_twenty_four_article_pages(built: Path) -> None:
    urls = article_urls(built)
    assert len(urls) == 24
    assert urls >= EXPECTED_URLS


def test_undated_rewrites_take_the_date_of_their_story(built: Path) -> None:
    # 002 and 004 report the speech of 17 December 2025 that 001 dates; their own text does not.
    urls = article_urls(built)
    assert "2025/12/17/putin-warns-moscow-would-try-to-extend-its-gains-in-ukraine/" in urls
    assert (
        "2025/12/17/putin-warns-moscow-will-seek-to-expand-its-territorial-gains-in-ukraine/"
        in urls
    )


def test_article_pages_are_clean(built: Path) -> None:
    for url in article_urls(built):
        page = (built / url / "index.html").read_text(encoding="utf-8")
        for junk in (
            "Source link",
            "Recommended Stories",
            "end of list",
            "Follow AP",
            "â€",
            "<script>alert",
        ):
            assert junk not in page, (url, junk)


def test_links_resolve(built: Path) -> None:
    assert broken_references(built, "/") == []
