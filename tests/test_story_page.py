"""The story page: every report of one story, earliest first, with its most complete one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_site
from linkcheck import broken_references
from newsgen.build import build


@pytest.fixture
def built(tmp_path: Path, shared_seeds: Path) -> Path:
    site = make_site(tmp_path / "site", shared_seeds, config='site:\n  title: "Desk"\n')
    build(site, quiet=True)
    return site / "output"


def story_pages(output: Path) -> list[Path]:
    return sorted(output.glob("stories/*/index.html"))


def report_links(page: str) -> list[str]:
    section = page.split('<ol class="reports">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)"', section)


def test_a_story_of_several_reports_has_a_page_listing_them_earliest_first(built: Path) -> None:
    pages = story_pages(built)
    assert pages, "the 17 December speech is reported three times: it needs a story page"
    text = max((p.read_text(encoding="utf-8") for p in pages), key=lambda t: len(report_links(t)))
    links = report_links(text)
    assert len(links) >= 3
    times = re.findall(r'<time datetime="([^"]+)"', text.split('<ol class="reports">')[1])
    assert times == sorted(times)
    assert "first report" in text and "most complete" in text
    sources = re.search(r"(\d+) reports from (\d+) source", text)
    assert sources is not None and int(sources.group(1)) == len(links)


def test_the_lead_is_the_most_complete_report_not_the_newest(built: Path) -> None:
    for page in story_pages(built):
        text = page.read_text(encoding="utf-8")
        lead = re.search(r'<a href="([^"]+)">Read the most complete report', text)
        assert lead is not None
        sizes = {
            link: len((built / link.strip("/") / "index.html").read_text(encoding="utf-8"))
            for link in report_links(text)
        }
        # An article page holds its whole body: the most complete report's page is the largest
        # but for the lists around it, which a margin allows for.
        assert sizes[lead.group(1)] >= max(sizes.values()) - 4000


def test_no_story_page_for_a_single_report_and_every_page_is_linked(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    pages = story_pages(built)
    for page in pages:
        assert len(report_links(page.read_text(encoding="utf-8"))) > 1
        assert f"/{page.parent.relative_to(built).as_posix()}/" in sitemap
    linked = set()
    for html in built.rglob("*.html"):
        linked.update(re.findall(r'href="(/stories/[^"]+)"', html.read_text(encoding="utf-8")))
    assert {f"/{p.parent.relative_to(built).as_posix()}/" for p in pages} <= linked
    assert broken_references(built, "/") == []


def test_every_article_is_reachable_from_the_front_page_lists(built: Path) -> None:
    articles = {
        "/" + p.parent.relative_to(built).as_posix() + "/"
        for p in built.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html")
    }
    listed: set[str] = set()
    for page in [built / "index.html", *built.glob("page/*/index.html")]:
        listed.update(re.findall(r'href="(/\d{4}/\d\d/\d\d/[^"]+/)"', page.read_text("utf-8")))
    assert articles and articles <= listed
