"""Stories with pictures: thumbnails in lists, the picture and its description on the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Sample, Tab
from .test_browser_axe import axe_violations, blocking

pytestmark = pytest.mark.browser


def test_the_front_page_shows_thumbnails(picture_sample: Sample, tab: Tab) -> None:
    tab.open(picture_sample.url)
    lead = tab.page.locator(".lead .card")
    assert "Harbour story number 8" in lead.locator("h2").inner_text()
    picture = lead.locator("img")
    box = picture.bounding_box()
    assert box is not None and box["width"] > 400  # the lead story's picture is big
    assert tab.page.evaluate("i => i.complete && i.naturalWidth > 0", picture.element_handle())
    # A card's picture repeats its headline link, so it is hidden from screen readers.
    assert picture.get_attribute("alt") == ""
    assert tab.page.locator(".card.has-image img").count() == 4
    assert tab.problems == []


def test_phone_thumbnails_sit_beside_the_headline(picture_sample: Sample, phone_tab: Tab) -> None:
    phone_tab.open(picture_sample.url)
    card = phone_tab.page.locator(".sub-stories .card.has-image").first
    picture = card.locator("img").bounding_box()
    headline = card.locator("h2").bounding_box()
    assert picture is not None and headline is not None
    assert picture["width"] < 120
    assert picture["x"] > headline["x"] + headline["width"] - 1  # to its right, not above
    widths = phone_tab.page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1]


def test_an_article_shows_its_picture_with_its_description(
    picture_sample: Sample, tab: Tab, axe_source: Path
) -> None:
    url = picture_sample.url + "2025/03/08/harbour-story-number-8/"
    tab.open(url)
    picture = tab.page.locator(".story .lead-image img")
    assert picture.get_attribute("alt") == "A red boat leaving harbour 8"
    assert tab.page.locator('meta[property="og:image"]').get_attribute("content")
    assert blocking(axe_violations(tab, url, axe_source)) == []
    assert blocking(axe_violations(tab, picture_sample.url, axe_source)) == []
    assert tab.problems == []


def test_a_site_built_without_an_index_says_search_is_unavailable(
    picture_sample: Sample, tab: Tab
) -> None:
    tab.open(picture_sample.url + "search/?q=boat")  # this site was built with search=False
    message = tab.page.locator(".finder-status")
    message.filter(has_text="not available").wait_for(timeout=10_000)
    assert "Browse by topic or source" in message.inner_text()
