"""A list's numbered pages keep their stories as news arrives: pages count from the oldest, and
only the first page and the newest numbered one change when newer stories come in. When the
oldest stories leave (retention), pages keep their numbers: they count from the list's origin."""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import made_up_words, make_site, run_newsgen
from newsgen.render.origins import ListOrigins
from newsgen.render.pages import Pagination, list_numbers, list_pages, list_window

CONFIG = "site:\n  title: Port News\n  per_page: 2\n"
WORDS = made_up_words(random.Random(16), 90)
START = datetime(2025, 1, 1, tzinfo=UTC)  # each story its own words: none are grouped


@pytest.mark.parametrize("per_page", [1, 2, 3, 7])
def test_every_entry_is_on_one_page_and_numbered_pages_are_full(per_page: int) -> None:
    for total in range(0, 40):
        count = list_pages(total, per_page)
        windows = [list_window(total, per_page, n) for n in (0, *range(count - 1, 0, -1))]
        shown = [i for w in windows for i in range(total)[w]]
        assert shown == list(range(total)), (total, per_page)  # newest first, each once
        first = len(range(total)[windows[0]])
        assert first == total if total < per_page else per_page <= first < 2 * per_page
        assert all(len(range(total)[w]) == per_page for w in windows[1:])


def test_a_numbered_page_keeps_its_entries_as_newer_ones_arrive() -> None:
    per_page = 3
    for total in range(2 * per_page, 30):
        older = {n: range(total)[list_window(total, per_page, n)] for n in range(1, total // 3)}
        for added in range(1, 8):
            grown = total + added  # newer entries come first: old entry i is now i + added
            for number, entries in older.items():
                now = range(grown)[list_window(grown, per_page, number)]
                assert [i - added for i in now] == list(entries)


def test_the_navigation_links_neighbours_the_first_page_and_page_one() -> None:
    urls = ["/", *(f"/page/{n}/" for n in range(1, 10))]  # a list of 10 pages
    first = Pagination(0, 10, urls.__getitem__)
    assert (first.prev_url, first.next_url) == (None, "/page/9/")
    assert [(link.number if link else None) for link in first.links] == [0, 9, 8, None, 1]
    middle = Pagination(5, 10, urls.__getitem__)
    assert (middle.prev_url, middle.next_url) == ("/page/6/", "/page/4/")
    numbers = [(link.number if link else None) for link in middle.links]
    assert numbers == [0, None, 7, 6, 5, 4, 3, None, 1]
    assert [link.number for link in middle.links if link and link.current] == [5]
    newest = Pagination(9, 10, urls.__getitem__)
    assert (newest.prev_url, newest.next_url) == ("/", "/page/8/")
    oldest = Pagination(1, 10, urls.__getitem__)
    assert (oldest.prev_url, oldest.next_url) == ("/page/2/", None)
    assert Pagination(0, 1, urls.__getitem__).links == ()  # one page: no navigation


@pytest.mark.parametrize("per_page", [1, 2, 3, 7])
def test_counted_from_an_origin_every_entry_left_is_on_one_page(per_page: int) -> None:
    for total in range(0, 30):
        for origin in range(0, 3 * per_page + 2):
            numbers = list_numbers(total, per_page, origin)
            windows = [list_window(total, per_page, n, origin) for n in (0, *numbers)]
            shown = [i for w in windows for i in range(total)[w]]
            assert shown == list(range(total)), (total, per_page, origin)
            sizes = [len(range(total)[w]) for w in windows[1:]]
            assert all(size == per_page for size in sizes[:-1])  # the oldest page may be short
            assert all(size > 0 for size in sizes)  # a page whose entries all left is not made


def test_a_numbered_page_keeps_its_number_and_entries_as_the_oldest_leave() -> None:
    per_page = 3
    for total in range(2 * per_page, 30):
        before = {n: range(total)[list_window(total, per_page, n)] for n in list_numbers(total, 3)}
        for gone in range(1, 8):
            left = total - gone  # the oldest leave; the others keep their place, newest first
            now = {n: range(left)[list_window(left, per_page, n, gone)] for n in before}
            kept = {n: [i for i in entries if i < left] for n, entries in before.items()}
            assert set(list_numbers(left, per_page, gone)) == {n for n in kept if kept[n]}
            assert all(list(now[n]) == kept[n] for n in list_numbers(left, per_page, gone))


def test_once_page_one_is_gone_only_the_first_page_links_to_the_oldest() -> None:
    urls = ["/", *(f"/page/{n}/" for n in range(1, 10))]  # pages 1 to 3 are gone
    first = Pagination(0, 10, urls.__getitem__, lowest=4)
    assert [(link.number if link else None) for link in first.links] == [0, 9, 8, None, 4]
    middle = Pagination(7, 10, urls.__getitem__, lowest=4)
    assert [(link.number if link else None) for link in middle.links] == [0, 9, 8, 7, 6, 5]
    oldest = Pagination(4, 10, urls.__getitem__, lowest=4)
    assert [(link.number if link else None) for link in oldest.links] == [0, None, 6, 5, 4]
    assert (oldest.prev_url, oldest.next_url) == ("/page/5/", None)
    assert Pagination(0, 4, urls.__getitem__, lowest=4).links == ()  # no numbered page left


def _entries(days: Iterable[int]) -> list[SimpleNamespace]:
    """Stand-ins for a list's entries, newest first: one story a day."""
    return [
        SimpleNamespace(article=SimpleNamespace(key=f"day-{day}", date=START + timedelta(day)))
        for day in sorted(days, reverse=True)
    ]


def test_a_list_finds_its_origin_again_from_its_record(tmp_path: Path) -> None:
    origins = ListOrigins(tmp_path)
    assert origins.settle([("news/", _entries(range(1, 40)))], per_page=5) == {}
    origins.save()

    def origin_of(days: Iterable[int], lists: str = "news/") -> int:
        settled = ListOrigins(tmp_path).settle([(lists, _entries(days))], per_page=5)
        return settled.get(lists, 0)

    assert origin_of(range(1, 45)) == 0  # newer stories: the oldest is where it was
    assert origin_of(range(4, 45)) == 3  # three of the oldest left
    assert origin_of(range(12, 45)) == 11  # past the first anchors: found from a later one
    # A story gone between anchors moves the pages before the newest anchor, not those after.
    assert origin_of(set(range(4, 45)) - {15}) == 4
    assert origin_of(range(30, 45)) == 0  # every anchor gone: counted from zero again
    assert origin_of(range(0, 45)) == 0  # an older story came: counted from zero again
    assert origin_of(range(4, 45), lists="other/") == 0  # a list with no record

    origins = ListOrigins(tmp_path)
    origins.settle([("news/", _entries(range(4, 45)))], per_page=5)
    origins.save()  # the origin carries on from build to build
    assert origin_of(range(9, 50)) == 8
    (tmp_path / "list-origins.json").write_text("{not json", encoding="utf-8")
    assert origin_of(range(9, 50)) == 0  # a damaged record costs only the numbering


def _seeded(folder: Path, days: int) -> Path:
    """A site of `days` stories, one a day from 1 March, each in the topic `ports`."""
    site = make_site(folder, config=CONFIG)
    for day in range(1, days + 1):
        _seed(site, day)
    return site


def _seed(site: Path, day: int) -> None:
    path = site / "seeds" / f"harbour-{day:02d}.md"
    text = (
        f"---\ntitle: {_title(day)}\ndate: 2025-03-{day:02d}T09:00:00Z\n"
        f"tags: [ports]\nsource: Port Desk\n---\n<p>{' '.join(WORDS[day * 3 : day * 3 + 3])}.</p>\n"
    )
    path.write_text(text, encoding="utf-8")


def _title(day: int) -> str:
    return f"{WORDS[day * 3].title()} {day} moves"


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.html")}


def _build(site: Path) -> str:
    done = run_newsgen("build", "--site", str(site), "--no-search")
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _changed_list_pages(output: Path, before: dict[str, int], lists: str) -> set[str]:
    after = _stamps(output)
    changed = {path for path in after if after[path] != before.get(path)}
    return {p for p in changed if re.fullmatch(rf"{lists}(page/\d+/)?index.html", p)}


def test_newer_stories_leave_the_older_numbered_pages_alone(tmp_path: Path) -> None:
    site = _seeded(tmp_path / "site", 15)  # 2 a page: the first page holds 3, pages 1 to 6
    _build(site)
    output = site / "output"
    before = _stamps(output)
    page_one = (output / "tags/ports/page/1/index.html").read_text(encoding="utf-8")
    assert _title(1) in page_one and _title(2) in page_one
    assert "tags/ports/page/7/index.html" not in before

    _seed(site, 16)  # the first page's oldest two stories make a page of their own
    _build(site)
    lists = ("", "tags/ports/", "sources/port-desk/", "2025/03/")
    for folder in lists:
        # The first page; the new page 7; and pages 4 to 6, whose navigation now reaches it.
        numbered = {f"{folder}page/{n}/index.html" for n in (4, 5, 6, 7)}
        assert _changed_list_pages(output, before, folder) == {f"{folder}index.html", *numbered}
    assert (output / "tags/ports/page/1/index.html").read_text(encoding="utf-8") == page_one
    page_seven = (output / "tags/ports/page/7/index.html").read_text(encoding="utf-8")
    assert _title(13) in page_seven and _title(14) in page_seven
    first = (output / "tags/ports/index.html").read_text(encoding="utf-8")
    assert _title(16) in first and _title(15) in first and _title(14) not in first
    assert 'href="/tags/ports/page/7/"' in first  # "Older" from the first page

    before = _stamps(output)
    _seed(site, 17)  # the first page takes it: no numbered page changes
    _build(site)
    for folder in lists:
        assert _changed_list_pages(output, before, folder) == {f"{folder}index.html"}


def test_a_template_showing_a_count_on_every_page_is_redone_when_it_changes(
    tmp_path: Path,
) -> None:
    site = _seeded(tmp_path / "site", 7)
    (site / "templates").mkdir()
    (site / "templates/tag.html").write_text(
        '{% extends "default/tag.html" %}{% block main %}{{ super() }}'
        "<aside>{{ group.article_count }} in all</aside>{% endblock %}",
        encoding="utf-8",
    )
    _build(site)
    page_one = site / "output/tags/ports/page/1/index.html"
    assert "<aside>7 in all</aside>" in page_one.read_text(encoding="utf-8")
    _seed(site, 8)
    _build(site)
    assert "<aside>8 in all</aside>" in page_one.read_text(encoding="utf-8")


def test_a_numbered_page_shows_its_number_without_a_total(tmp_path: Path) -> None:
    site = _seeded(tmp_path / "site", 7)
    _build(site)
    page = (site / "output/tags/ports/page/2/index.html").read_text(encoding="utf-8")
    assert "page 2</span>" in page
    assert "of 3" not in page and "articles in" not in page  # no totals, no chart
    assert os.path.exists(site / "output/tags/ports/page/1/index.html")
    first = (site / "output/tags/ports/index.html").read_text(encoding="utf-8")
    assert "7 articles" in first


def test_pages_keep_their_numbers_and_stories_as_the_oldest_leave(tmp_path: Path) -> None:
    site = _seeded(tmp_path / "site", 21)  # 2 a page: the first page holds 3, pages 1 to 9
    _build(site)
    output = site / "output"
    lists = ("", "tags/ports/", "sources/port-desk/", "2025/03/")

    def page(number: int) -> str:
        return (output / f"tags/ports/page/{number}/index.html").read_text(encoding="utf-8")

    def leave(*days: int) -> dict[str, int]:
        before = _stamps(output)
        for day in days:
            (site / "seeds" / f"harbour-{day:02d}.md").unlink()
        _build(site)
        return before

    before = leave(1)  # page 1 keeps the story left of it; no other numbered page changes
    for folder in lists:
        counted = {f"{folder}index.html"} if folder else set()  # the front page shows no count
        expected = {*counted, f"{folder}page/1/index.html"}
        assert _changed_list_pages(output, before, folder) == expected
    assert _title(2) in page(1) and _title(1) not in page(1)
    assert _title(17) in page(9) and _title(18) in page(9)

    leave(2, 3)  # page 1 is gone; page 2 keeps the one story left of it
    assert not (output / "tags/ports/page/1").exists()
    assert _title(4) in page(2) and _title(3) not in page(2) and _title(5) in page(3)
    assert _title(17) in page(9) and _title(18) in page(9)

    before = leave(4, 5)  # page 2 goes too: only the pages near the oldest change
    for folder in lists:
        numbered = {f"{folder}page/{n}/index.html" for n in (3, 4)}
        assert _changed_list_pages(output, before, folder) == {f"{folder}index.html", *numbered}
    assert _title(6) in page(3) and _title(5) not in page(3)
    first = (output / "tags/ports/index.html").read_text(encoding="utf-8")
    assert 'href="/tags/ports/page/3/"' in first  # the first page links to the oldest left
