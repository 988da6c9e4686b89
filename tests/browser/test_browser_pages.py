"""The built sample site in a real browser: clean loads, phone layout, dark mode, no JavaScript,
keyboard use and the charts."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

import pytest

from .conftest import PAGES, Sample, Tab

pytestmark = pytest.mark.browser

LOADED = [kind for kind in PAGES if kind != "search"]  # search has its own tests


def luminance(css_color: str) -> float:
    """Relative luminance (0 black .. 1 white) of an `rgb(...)` colour from getComputedStyle."""
    channels = [int(part) / 255 for part in re.findall(r"\d+", css_color)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_kind_of_page_loads_cleanly(sample: Sample, tab: Tab) -> None:
    for kind in LOADED:
        response = tab.open(sample.page(kind))
        assert response.status == 200, kind
        assert tab.page.locator("h1").count() == 1, f"{kind}: one h1 per page"
        # The stylesheet really applied (a broken link would leave the browser's default font).
        assert tab.page.evaluate("getComputedStyle(document.body).marginTop") == "0px", kind
    assert tab.problems == []


def test_a_missing_page_gets_the_sites_404(sample: Sample, tab: Tab) -> None:
    response = tab.open(sample.url + "missing/")
    assert response.status == 404
    assert tab.page.locator("h1").inner_text() == "Page not found"


def test_landmarks_skip_link_and_visible_focus(sample: Sample, tab: Tab) -> None:
    tab.open(sample.page("article"))
    page = tab.page
    for landmark in ("banner", "navigation", "main", "contentinfo", "search"):
        assert page.get_by_role(landmark).count() >= 1, landmark
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link shows when focused"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content, and shows a focus ring
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2


def test_headings_do_not_skip_levels(sample: Sample, tab: Tab) -> None:
    for kind in ("front", "tag", "day", "tags"):
        tab.open(sample.page(kind))
        levels = tab.page.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))"
        )
        assert levels[0] == 1, kind
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (kind, levels)


def test_article_page_has_what_a_reader_needs(sample: Sample, tab: Tab) -> None:
    tab.open(sample.page("article"))
    story = tab.page.locator("article.story")
    assert story.locator("h1").inner_text()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT.*", story.locator("time").get_attribute("datetime") or ""
    )
    assert story.locator(".byline .source").inner_text()
    source = story.get_by_role("link", name=re.compile(r"^Read the full story at "))
    assert (source.get_attribute("href") or "").startswith("http")
    assert story.locator(".tags a").count() >= 1
    head = tab.page.locator("head")
    # No host is configured for this build, so the canonical link is the page's own path.
    canonical = head.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == urlsplit(tab.page.url).path
    assert head.locator('meta[property="og:type"]').get_attribute("content") == "article"
    assert head.locator('meta[property="og:title"]').get_attribute("content")
    assert head.locator('link[rel="icon"]').get_attribute("href") == "/favicon.svg"


def test_lists_paginate_with_rel_links(sample: Sample, tab: Tab) -> None:
    newest = sample.page("numbered page")  # pages count from the oldest: "Older" leads here
    tab.open(sample.page("front"))
    head = tab.page.locator("head")
    assert head.locator('link[rel="next"]').get_attribute("href") == urlsplit(newest).path
    assert head.locator('link[rel="prev"]').count() == 0
    tab.page.locator('.pagination a[rel="next"]').click()
    assert tab.page.url == newest
    assert tab.page.locator('head link[rel="prev"]').get_attribute("href") == "/"
    current = tab.page.locator('.pagination [aria-current="page"]')
    assert current.inner_text() == newest.rstrip("/").rsplit("/", 1)[-1]
    tab.page.locator(".pagination a", has_text="Latest").click()
    assert tab.page.url == sample.page("front")


def test_topic_and_source_pages_chart_stories_per_day(sample: Sample, tab: Tab) -> None:
    for kind in ("tag", "source"):
        tab.open(sample.page(kind))
        chart = tab.page.locator("figure.chart")
        svg = chart.locator('svg[role="img"]')
        assert re.search(
            r": \d+ stor(y|ies) from ", svg.locator("title").first.text_content() or ""
        )
        assert chart.locator("rect").count() >= 1  # a bar for each day with stories
        assert tab.page.locator("script").count() == 0  # drawn at build time, no JavaScript
        table = chart.locator(".visually-hidden table")  # the numbers, for screen readers ...
        assert table.locator("tr").count() >= 2
        box = chart.locator(".visually-hidden").bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1  # ... out of sight
        count_line = tab.page.locator(".count").first.inner_text()
        assert re.match(r"\d+ articles? in \d+ stor(y|ies)", count_line)
    assert tab.problems == []


def test_phone_layout_never_scrolls_sideways(sample: Sample, phone_tab: Tab) -> None:
    for kind in ("front", "article", "tag", "source", "day", "tags", "search"):
        phone_tab.open(sample.page(kind))
        widths = phone_tab.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == 390, kind
        box = "#finder-q" if kind == "search" else "#site-search"
        search = phone_tab.page.locator(box).bounding_box()
        assert search is not None and 0 <= search["x"] <= search["x"] + search["width"] <= 390
    assert phone_tab.problems == []


def test_dark_mode_follows_the_system_setting(sample: Sample, tab: Tab, dark_tab: Tab) -> None:
    colours = (
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    tab.open(sample.page("article"))
    light_bg, light_fg = (luminance(c) for c in tab.page.evaluate(colours))
    dark_tab.open(sample.page("article"))
    dark_bg, dark_fg = (luminance(c) for c in dark_tab.page.evaluate(colours))
    assert light_bg > 0.8 > 0.1 > light_fg
    assert dark_bg < 0.05 and dark_fg > 0.6
    assert (dark_fg + 0.05) / (dark_bg + 0.05) >= 7  # body text: WCAG AAA in the dark too
    assert dark_tab.problems == []


def test_readable_without_javascript(sample: Sample, no_js_tab: Tab) -> None:
    no_js_tab.open(sample.page("front"))
    cards = no_js_tab.page.locator("article.card")
    assert cards.count() >= 5
    assert cards.first.locator("h2 a").inner_text()
    no_js_tab.open(sample.page("article"))
    assert len(no_js_tab.page.locator(".story .body").inner_text()) > 200
    no_js_tab.open(sample.page("search"))
    assert "needs JavaScript" in no_js_tab.page.locator("main").inner_text()
    assert no_js_tab.page.get_by_role("link", name="topic", exact=True).count() == 1
