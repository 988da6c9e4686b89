"""An Arabic site in Chromium: laid out right to left, English articles inside it left to right,
and search in both languages, with its messages in Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.build import build

from .conftest import Sample, Server, Tab

pytestmark = pytest.mark.browser

SEEDS = {
    "ar-ferry.md": "---\ntitle: افتتاح خط عبّارة جديد في الميناء\ndate: 2025-11-03\n"
    "source: الجريدة\ntags: [الميناء]\n---\nافتتحت البلدية يوم الإثنين خط عبّارة جديدًا يربط "
    "الميناء بالجزيرة، وقال المسؤولون إن الرحلات ستنطلق كل ساعة طوال أيام الأسبوع.\n",
    "ar-library.md": "---\ntitle: المكتبة العامة تمدد ساعات العمل\ndate: 2025-11-04\n"
    "source: الجريدة\ntags: [ثقافة]\n---\nأعلنت البلدية أن المكتبة العامة ستفتح أبوابها ساعتين "
    "إضافيتين مساء كل يوم ابتداء من يوم الإثنين المقبل.\n",
    "en-ferry.md": "---\ntitle: The harbour ferry is back\ndate: 2025-11-05\nsource: Gazette\n"
    "---\nThe ferry sails again after three weeks of repairs at the sea wall, to cheers.\n",
    "en-wall.md": "---\ntitle: A wall by the sea is mended\ndate: 2025-11-06\nsource: Gazette\n"
    "---\nThe wall by the sea was mended on Monday; the harbour is calm again, officials said.\n",
}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    site = tmp_path_factory.mktemp("arabic") / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "newsgen.yaml").write_text("site:\n  title: الميناء\n  language: ar\n", "utf-8")
    for name, text in SEEDS.items():
        (site / "seeds" / name).write_text(text, encoding="utf-8")
    build(site, quiet=True)
    server = Server(site / "output")
    yield Sample(server.origin + "/", site / "output")
    server.close()


def box(tab: Tab, selector: str) -> dict[str, float]:
    found = tab.page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def test_an_arabic_page_reads_right_to_left(arabic: Sample, tab: Tab, tmp_path: Path) -> None:
    tab.open(arabic.url)
    page = tab.page
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # The masthead starts on the right: the site's name right of the search box.
    brand, search = box(tab, ".brand"), box(tab, ".search-box")
    assert brand["x"] > search["x"] + search["width"] - 1
    # The first menu item, "latest", is the rightmost one.
    items = page.locator(".site-nav li")
    first, last = items.first.bounding_box(), items.last.bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    assert page.locator(".site-nav li").first.inner_text() == "الأحدث"
    # An English article's card reads left to right inside the Arabic page.
    english = page.locator('.card-title[lang="en"]').first
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.screenshot(path=str(tmp_path / "arabic.png"), full_page=True)
    assert tab.problems == []


def test_an_english_article_in_an_arabic_site(arabic: Sample, tab: Tab) -> None:
    tab.open(arabic.url + "2025/11/05/the-harbour-ferry-is-back/")
    page = tab.page
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('.body')).direction") == "ltr"
    # The page's own words stay Arabic and right to left around it.
    assert page.evaluate("getComputedStyle(document.querySelector('.byline')).direction") == "rtl"
    assert "نوفمبر" in page.locator(".byline time").inner_text()
    assert tab.problems == []


def test_search_stems_each_language_and_speaks_arabic(arabic: Sample, tab: Tab) -> None:
    tab.open(arabic.url + "search/?q=ferries")
    tab.page.wait_for_selector(".finder-results > li", timeout=10_000)
    titles = tab.page.locator(".finder-results .card-title a").all_inner_texts()
    assert titles == ["The harbour ferry is back"]
    assert tab.page.locator(".finder-status").inner_text() == "نتيجة واحدة لـ «ferries»"
    tab.open(arabic.url + "search/?q=" + "مكتبة")  # "library", the article says "the library"
    tab.page.wait_for_selector(".finder-results > li", timeout=10_000)
    assert tab.page.locator(".finder-results .card-title a").all_inner_texts() == [
        "المكتبة العامة تمدد ساعات العمل"
    ]
    tab.open(arabic.url + 'search/?q="sea wall"')
    tab.page.wait_for_function(
        "document.querySelector('.finder-status').textContent.includes('«')", timeout=10_000
    )
    titles = tab.page.locator(".finder-results .card-title a").all_inner_texts()
    assert titles == ["The harbour ferry is back"]  # the other says "wall by the sea"
    assert tab.problems == []
