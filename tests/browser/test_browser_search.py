"""Search on a static host: the built-in index in the browser, at the root and under a sub-path."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import SPLIT_WORDS, Sample, Tab

pytestmark = pytest.mark.browser

RESULT = ".finder-results > li"
RESULT_LINK = ".finder-results .card-title a"


def search_results(tab: Tab, url: str) -> list[tuple[str, str]]:
    """Open `url` and return the (title, href) of each result once the search has shown them."""
    tab.open(url)
    tab.page.wait_for_selector(RESULT, timeout=10_000)
    links = tab.page.locator(RESULT_LINK)
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    ]


def test_the_header_box_finds_the_oreshnik_article(sample: Sample, tab: Tab) -> None:
    tab.open(sample.url)
    tab.page.get_by_role("searchbox", name=re.compile("^Search")).fill("Oreshnik duty")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(re.compile(r"/search/\?q=Oreshnik\+duty$"))
    tab.page.wait_for_selector(RESULT, timeout=10_000)
    first = tab.page.locator(RESULT_LINK).first
    assert "Oreshnik" in first.inner_text()
    first.click()
    tab.page.wait_for_load_state()
    assert "Oreshnik" in tab.page.locator("h1").inner_text()
    assert tab.page.url.startswith(sample.url + "20")
    assert tab.problems == []


def test_typing_on_the_search_page_searches_and_keeps_the_query(sample: Sample, tab: Tab) -> None:
    tab.open(sample.page("search"))
    box = tab.page.locator("#finder-q")
    box.fill("Oreshnik")
    tab.page.wait_for_selector(RESULT, timeout=10_000)
    assert tab.page.locator(RESULT).count() >= 1
    assert tab.page.url.endswith("/search/?q=Oreshnik")  # can be bookmarked and shared
    box.fill("zzqxjv")
    tab.page.wait_for_selector(".finder-status >> text=/No results/", timeout=10_000)
    assert tab.page.locator(RESULT).count() == 0
    assert tab.problems == []


def test_search_and_links_work_under_a_sub_path(subpath_sample: Sample, tab: Tab) -> None:
    results = search_results(tab, subpath_sample.url + "search/?q=Oreshnik%20duty")
    assert results, "no results under /news/"
    assert all(href.startswith("/news/20") for _title, href in results), results
    assert any("Oreshnik" in title for title, _href in results)
    tab.page.locator(RESULT_LINK).first.click()
    tab.page.wait_for_load_state()
    assert "Oreshnik" in tab.page.locator("h1").inner_text()
    # From the article, every way around the site stays under /news/.
    tab.page.locator(".byline .source").click()
    assert tab.page.url.startswith(subpath_sample.url + "sources/")
    tab.page.locator(".breadcrumbs a, .kicker a").first.click()
    assert tab.page.url == subpath_sample.url + "sources/"
    tab.page.locator(".group-list a").first.click()
    assert tab.page.url.startswith(subpath_sample.url + "sources/")
    tab.page.get_by_role("link", name="Sources").first.click()
    assert tab.page.url == subpath_sample.url + "sources/"
    tab.page.locator(".brand").click()
    assert tab.page.url == subpath_sample.url
    canonical = tab.page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == subpath_sample.url
    assert tab.problems == []


def test_search_reads_settled_and_latest_documents_as_one_index(
    split_index_sample: Sample, tab: Tab
) -> None:
    meta = json.loads((split_index_sample.output / "search/meta.json").read_text("utf-8"))
    assert meta["docs"] == 25 and meta["latest"], "the newest reports have buckets of their own"
    search = split_index_sample.url + "search/?q="
    for day in (1, 20, 21, 25):  # the oldest, the last settled, the first and last latest
        word = SPLIT_WORDS[day - 1]
        assert search_results(tab, search + word) == [
            (f"{word.title()} at the harbour", f"/2025/03/{day:02d}/{word}-at-the-harbour/")
        ]
    tab.open(search + "harbour%20master")  # every report: postings from both folders
    status = tab.page.locator(".finder-status")
    status.filter(has_text="25 results").wait_for(timeout=10_000)
    # An open last word matches the terms it starts in both folders.
    prefix = SPLIT_WORDS[0][:4]
    expected = sum(word.startswith(prefix) for word in SPLIT_WORDS)
    titles = [title for title, _ in search_results(tab, search + prefix)]
    assert len(titles) == expected and all(t.lower().startswith(prefix) for t in titles)
    assert tab.problems == []
