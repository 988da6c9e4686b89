"""Regrouping only around what changed: stories away from an edit, a fetch or a deletion stay."""

from __future__ import annotations

import os
import pickle
import random
import shutil
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import made_up_words, run_newsgen
from newsgen.models import Article, Story
from newsgen.paths import STORY_CACHE, STORY_EDITS, STORY_RECORD
from newsgen.records import written
from newsgen.stories import cache as storycache
from newsgen.stories.group import group_stories
from newsgen.stories.regroup import REACH_DAYS, regroup_stories, regroup_told
from newsgen.stories.regroup import _load as load_story_record

DAY0 = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
DAYS = 70
COMMON = [
    "the", "city", "council", "said", "on", "monday", "that", "officials", "would", "meet",
    "again", "after", "report", "was", "published", "and", "residents", "asked", "for", "more",
    "time", "to", "read", "what", "ministry", "had", "decided",
]  # fmt: skip


def report(
    names: Sequence[str], rng: random.Random, *, day: float, source: str, path: str
) -> Article:
    """A report naming an event's made-up names among the common words of any report."""
    words = list(names) * 2 + rng.sample(COMMON, 12)
    rng.shuffle(words)
    body = "".join(f"<p>{' '.join(words[i : i + 8]).capitalize()}.</p>" for i in range(0, 24, 8))
    return Article(
        title=" ".join(names[:3]).capitalize() + " " + " ".join(rng.sample(COMMON, 3)),
        date=DAY0 + timedelta(days=day),
        slug=path.replace("/", "-"),
        body_html=body,
        summary="",
        source=source,
        seed_path=path,
    )


def archive() -> tuple[list[Article], list[list[str]]]:
    """Seventy days of two events a day, each told by three sources, and the events' names."""
    rng = random.Random(5)
    names = made_up_words(rng, 6 * 2 * DAYS)
    events = [names[6 * n : 6 * n + 6] for n in range(2 * DAYS)]
    articles = [
        report(event, rng, day=n // 2 + 0.1 * copy, source=f"Outlet {copy}", path=f"e{n}/{copy}.md")
        for n, event in enumerate(events)
        for copy in range(3)
    ]
    return articles, events


def memberships(stories: Sequence[Story]) -> set[frozenset[str]]:
    return {frozenset(a.key for a in story.articles) for story in stories}


def story_of(stories: Sequence[Story], key: str) -> frozenset[str]:
    return next(
        frozenset(a.key for a in s.articles) for s in stories if key in {a.key for a in s.articles}
    )


@pytest.fixture
def built(tmp_path: Path) -> tuple[list[Article], list[list[str]], set[frozenset[str]]]:
    """The archive grouped whole once, its record saved in `tmp_path`."""
    articles, events = archive()
    first = regroup_stories(articles, cache_dir=tmp_path)
    assert first.whole
    first.save()
    return articles, events, memberships(first.stories)


def test_a_first_build_groups_the_whole_archive_as_grouping_does(tmp_path: Path) -> None:
    articles, _ = archive()
    first = regroup_stories(articles, cache_dir=tmp_path)
    assert first.whole and first.regrouped == len(articles)
    assert memberships(first.stories) == memberships(group_stories(articles))
    # The made-up events are plain enough that grouping finds each one: the tests below
    # then see an article move by what regrouping did, not by a grouping miss.
    assert sum(len(story.articles) == 3 for story in first.stories) >= 0.9 * 2 * DAYS


def test_with_nothing_changed_the_recorded_stories_come_back_ungrouped(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    again = regroup_stories(list(reversed(articles)), cache_dir=tmp_path)
    assert not again.whole and again.regrouped == 0
    assert memberships(again.stories) == before
    for story in again.stories:
        dates = [a.date for a in story.articles]
        assert dates == sorted(dates, reverse=True)
    leads = [story.articles[0].date for story in again.stories]
    assert leads == sorted(leads, reverse=True)


def test_the_record_is_written_again_only_when_it_changed(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    record = tmp_path / STORY_RECORD
    os.utime(record, ns=(1_000_000_000, 1_000_000_000))  # a time no write leaves
    regroup_stories(list(reversed(articles)), cache_dir=tmp_path).save()
    assert record.stat().st_mtime_ns == 1_000_000_000
    edited = articles[3 * 60 + 1]
    articles[3 * 60 + 1] = replace(edited, title=edited.title + " updated")
    again = regroup_stories(articles, cache_dir=tmp_path)
    again.save()
    assert record.stat().st_mtime_ns != 1_000_000_000
    # What the next build compares with is what this one found.
    later = regroup_stories(articles, cache_dir=tmp_path)
    assert later.regrouped == 0 and memberships(later.stories) == memberships(again.stories)


def test_an_edit_regroups_only_the_days_around_it(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    edited = articles[3 * 60 + 1]  # day 30
    articles[3 * 60 + 1] = replace(edited, title=edited.title + " updated")
    again = regroup_stories(articles, cache_dir=tmp_path)
    assert not again.whole
    # Two events a day, three reports each, on either side of the edit's day.
    assert again.regrouped <= 3 * 2 * (2 * REACH_DAYS + 2)
    assert memberships(again.stories) == before


def test_an_edit_reads_only_the_edited_article_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a build has them: carrying the parse stage's digest, which stands in for the body.
    articles = [article.with_parsed_digest() for article in archive()[0]]
    first = regroup_stories(articles, cache_dir=tmp_path)
    first.save()
    cache = tmp_path / STORY_CACHE
    saved = cache.read_bytes()
    read: list[Article] = []
    original = storycache.tally_apart

    def counted(batch: Sequence[Article], *args: object, **kwargs: object) -> object:
        read.extend(batch)
        return original(batch, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storycache, "tally_apart", counted)
    edited = articles[3 * 60 + 1]
    articles[3 * 60 + 1] = replace(edited, title=edited.title + " updated").with_parsed_digest()
    again = regroup_stories(articles, cache_dir=tmp_path)
    assert not again.whole and again.regrouped > 1
    assert [a.key for a in read] == [edited.key]  # the rest of its days came from the cache
    assert memberships(again.stories) == memberships(first.stories)
    assert cache.read_bytes() == saved  # the archive's cache, not cut down to those days


def test_an_article_rewritten_about_another_event_moves_and_nothing_else_does(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, events, before = built
    moved = articles[3 * 60]  # event 60, day 30
    articles[3 * 60] = report(
        events[61], random.Random(9), day=30.2, source="Outlet 0", path=moved.seed_path
    )
    again = regroup_stories(articles, cache_dir=tmp_path)
    after = memberships(again.stories)
    assert story_of(again.stories, moved.key) == frozenset(
        {moved.key, *(a.key for a in articles[3 * 61 : 3 * 61 + 3])}
    )
    old_home = story_of_set(before, moved.key)
    assert old_home - {moved.key} in after
    new_home = story_of(again.stories, moved.key)
    assert {s for s in before if moved.key not in s and not s & new_home} <= after


def story_of_set(stories: set[frozenset[str]], key: str) -> frozenset[str]:
    return next(story for story in stories if key in story)


def test_a_new_report_joins_its_story_and_a_new_event_stands_alone(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, events, before = built
    rng = random.Random(11)
    joining = report(events[80], rng, day=40.3, source="Outlet 7", path="new/joining.md")
    fresh = made_up_words(random.Random(12), 6)
    alone = [
        report(fresh, rng, day=41 + 0.1 * copy, source=f"Outlet {copy}", path=f"new/{copy}.md")
        for copy in range(2)
    ]
    again = regroup_stories([*articles, joining, *alone], cache_dir=tmp_path)
    assert not again.whole
    after = memberships(again.stories)
    old = story_of_set(before, articles[3 * 80].key)
    assert old | {joining.key} in after
    assert frozenset(a.key for a in alone) in after
    assert {s for s in before if s != old} <= after


def test_a_deleted_report_leaves_its_story_and_the_rest_stay(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    gone = articles.pop(3 * 100 + 2)
    again = regroup_stories(articles, cache_dir=tmp_path)
    assert not again.whole
    after = memberships(again.stories)
    old = story_of_set(before, gone.key)
    assert old - {gone.key} in after
    assert {s for s in before if s != old} <= after


def test_a_changed_undated_article_regroups_the_whole_archive(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    articles[10] = replace(articles[10], explicit_date=False)
    assert regroup_stories(articles, cache_dir=tmp_path).whole


def test_changes_across_half_the_archive_regroup_it_whole(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    for index in range(0, len(articles), 60):  # one edit every ten days
        articles[index] = replace(articles[index], title=articles[index].title + " again")
    assert regroup_stories(articles, cache_dir=tmp_path).whole


def test_a_damaged_record_or_one_from_other_grouping_code_regroups_whole(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    record = tmp_path / STORY_RECORD
    saved = pickle.loads(record.read_bytes())
    record.write_bytes(pickle.dumps({**saved, "code": "another version"}))
    other = regroup_stories(articles, cache_dir=tmp_path)
    assert other.whole and memberships(other.stories) == before
    record.write_bytes(b"not a record")
    assert regroup_stories(articles, cache_dir=tmp_path).whole


def test_without_a_state_folder_every_build_groups_whole() -> None:
    articles, _ = archive()
    grouped = regroup_stories(articles[:30], cache_dir=None)
    assert grouped.whole
    grouped.save()  # nowhere to keep it: nothing happens


def test_a_site_edited_between_builds_keeps_its_other_stories(tmp_path: Path) -> None:
    articles, _ = archive()
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    for item in articles:
        path = site / "seeds" / item.seed_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {item.title}\ndate: {item.date.isoformat()}\nsource: {item.source}\n"
            f"---\n{item.body_html}\n",
            encoding="utf-8",
        )
    assert run_newsgen("build", "--site", str(site), "--quiet").returncode == 0
    record = site / ".newsgen" / STORY_RECORD
    assert record.is_file()
    stories = sorted(p.parent.name for p in (site / "output" / "stories").glob("*/index.html"))
    assert len(stories) >= 0.9 * 2 * DAYS
    edited = site / "seeds" / articles[3 * 60 + 1].seed_path
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Updated ", 1), "utf-8")
    assert run_newsgen("build", "--site", str(site), "--quiet").returncode == 0
    after = sorted(p.parent.name for p in (site / "output" / "stories").glob("*/index.html"))
    assert after == stories
    pages = (site / "output" / "stories").glob("*/index.html")
    assert sum("Updated " in page.read_text("utf-8") for page in pages) == 1


def told(stories: Sequence[Story], articles: Sequence[Article]) -> tuple[list[int], list[int]]:
    """Stories as the place record gives them: indexes into `articles`, one story after
    another, and how many each story has."""
    index_of = {article.key: index for index, article in enumerate(articles)}
    order = [index_of[a.key] for s in stories for a in s.articles]
    return order, [len(s.articles) for s in stories]


def test_an_edit_checked_against_the_stories_told_finds_what_a_regroup_finds(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    first = regroup_stories(articles, cache_dir=tmp_path)
    order, sizes = told(first.stories, articles)
    was = articles[3 * 60 + 1]
    articles[3 * 60 + 1] = replace(was, title=was.title + " updated")
    twin = tmp_path / "twin"
    shutil.copytree(tmp_path, twin, ignore=shutil.ignore_patterns("twin"))
    record = tmp_path / STORY_RECORD
    found = regroup_told(
        articles, order, sizes, {3 * 60 + 1: was}, cache_dir=tmp_path, record=written(record)
    )
    regrouped = regroup_stories(articles, cache_dir=twin)
    assert found is not None and not found.whole
    assert told(found.stories, articles) == told(regrouped.stories, articles)
    assert found.regrouped == regrouped.regrouped
    assert {id(a) for s in found.stories for a in s.articles} == set(map(id, articles))
    saved = record.read_bytes()
    found.save()
    regrouped.save()
    # Not written again: the edit is kept beside it, and read with it the record is the one
    # a regroup writes. The next build finds nothing changed.
    assert record.read_bytes() == saved and (tmp_path / STORY_EDITS).is_file()
    assert load_story_record(record) == load_story_record(twin / STORY_RECORD)
    assert regroup_stories(articles, cache_dir=tmp_path).regrouped == 0
    # A regroup that writes the record again drops the edits, which named the one before.
    articles[3 * 60 + 1] = was
    regroup_stories(articles, cache_dir=tmp_path).save()
    assert not (tmp_path / STORY_EDITS).exists()
    assert regroup_stories(articles, cache_dir=tmp_path).regrouped == 0


def test_an_edit_that_would_move_an_article_is_not_kept_to_the_stories_told(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, events, _ = built
    order, sizes = told(regroup_stories(articles, cache_dir=tmp_path).stories, articles)
    was = articles[3 * 60]
    articles[3 * 60] = replace(
        report(events[61], random.Random(9), day=30.0, source=was.source, path=was.seed_path),
        date=was.date,
    )
    assert (
        regroup_told(articles, order, sizes, {3 * 60: was}, cache_dir=tmp_path, record=None) is None
    )
    # Rewritten about an event no other report tells: a story of its own.
    fresh = made_up_words(random.Random(13), 6)
    articles[3 * 60] = replace(
        report(fresh, random.Random(9), day=30.0, source=was.source, path=was.seed_path),
        date=was.date,
    )
    assert (
        regroup_told(articles, order, sizes, {3 * 60: was}, cache_dir=tmp_path, record=None) is None
    )
    assert frozenset({was.key}) in memberships(
        regroup_stories(articles, cache_dir=tmp_path).stories
    )


def test_a_story_whose_every_report_changed_is_kept_when_they_stay_together(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    order, sizes = told(regroup_stories(articles, cache_dir=tmp_path).stories, articles)
    story = story_of_set(before, articles[3 * 70].key)
    changed: dict[int, Article] = {}
    for index, article in enumerate(articles):
        if article.key in story:
            changed[index] = article
            articles[index] = replace(article, title=article.title + " updated")
    found = regroup_told(articles, order, sizes, changed, cache_dir=tmp_path, record=None)
    assert found is not None and memberships(found.stories) == before


def test_changes_the_stories_told_cannot_check_are_left_to_a_regroup(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    order, sizes = told(regroup_stories(articles, cache_dir=tmp_path).stories, articles)
    was = articles[10]
    for now in (
        replace(was, explicit_date=False),  # undated: compared across every date
        replace(was, date=was.date + timedelta(hours=1)),
        replace(was, source="Another Outlet"),
    ):
        articles[10] = now
        assert (
            regroup_told(articles, order, sizes, {10: was}, cache_dir=tmp_path, record=None) is None
        )
    articles[10] = was
    assert regroup_told(articles[1:], order, sizes, {}, cache_dir=tmp_path, record=None) is None
    assert (
        regroup_told(articles, order[:-1] + order[:1], sizes, {}, cache_dir=tmp_path, record=None)
        is None
    )
    assert (
        regroup_told(articles, [*order[:-1], len(articles)], sizes, {}, cache_dir=None, record=None)
        is None
    )


def test_with_nothing_changed_the_stories_told_come_back_and_nothing_is_written(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, before = built
    order, sizes = told(regroup_stories(articles, cache_dir=tmp_path).stories, articles)
    record = tmp_path / STORY_RECORD
    os.utime(record, ns=(1_000_000_000, 1_000_000_000))
    found = regroup_told(articles, order, sizes, {}, cache_dir=tmp_path, record=written(record))
    assert found is not None and found.regrouped == 0 and memberships(found.stories) == before
    found.save()
    assert record.stat().st_mtime_ns == 1_000_000_000
    assert not (tmp_path / STORY_EDITS).exists()


def test_edits_are_kept_only_for_the_record_the_stories_were_told_with(
    tmp_path: Path, built: tuple[list[Article], list[list[str]], set[frozenset[str]]]
) -> None:
    articles, _, _ = built
    order, sizes = told(regroup_stories(articles, cache_dir=tmp_path).stories, articles)
    was = articles[3 * 60 + 1]
    articles[3 * 60 + 1] = replace(was, title=was.title + " updated")
    record = tmp_path / STORY_RECORD
    told_with = written(record)
    found = regroup_told(
        articles, order, sizes, {3 * 60 + 1: was}, cache_dir=tmp_path, record=told_with
    )
    assert found is not None
    # Another record written over it since, as by another build: the edit is not kept, and the
    # next regroup finds the article changed by itself.
    record.write_bytes(record.read_bytes())
    found.save()
    assert not (tmp_path / STORY_EDITS).exists()
    assert regroup_stories(articles, cache_dir=tmp_path).regrouped > 0
    # Kept for the record they name, and not read with any other.
    again = regroup_told(
        articles, order, sizes, {3 * 60 + 1: was}, cache_dir=tmp_path, record=written(record)
    )
    assert again is not None
    again.save()
    assert regroup_stories(articles, cache_dir=tmp_path).regrouped == 0
    os.utime(record, ns=(1_000_000_000, 1_000_000_000))
    assert regroup_stories(articles, cache_dir=tmp_path).regrouped > 0
