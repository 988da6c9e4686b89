"""The story cache: what grouping read from each article, kept between builds, changes nothing."""

from __future__ import annotations

import importlib.util
import pickle
import random
import sys
import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from newsgen.models import Article
from newsgen.paths import STORY_CACHE
from newsgen.readers.parse import read_seeds
from newsgen.stories import parallel as story_parallel
from newsgen.stories.cache import StoryCache, count_terms_cached
from newsgen.stories.group import group_stories
from newsgen.stories.terms import Tallies, TermCounts, Vocabulary, count_terms, tally

REPO = Path(__file__).resolve().parents[1]
DAY0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def generated() -> list[Article]:
    """1,500 articles from bench/stories_scale.py: planted events, copies, undated articles."""
    spec = importlib.util.spec_from_file_location("stories_scale", REPO / "bench/stories_scale.py")
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return list(module.generate(1500, 3).articles)


@pytest.fixture
def shared_articles(shared_seeds: Path) -> list[Article]:
    return list(read_seeds(shared_seeds, timezone=ZoneInfo("UTC")).articles)


def article(title: str, text: str, *, day: float = 0, path: str = "") -> Article:
    return Article(
        title=title, date=DAY0 + timedelta(days=day), slug=title.lower().replace(" ", "-"),
        body_html=f"<p>{text}</p>", summary="", source="Wire", seed_path=path or f"{title}.md",
    )  # fmt: skip


def assert_same_counts(found: TermCounts, expected: TermCounts) -> None:
    for field in ("rows", "terms", "counts", "roundups"):
        assert getattr(found, field).dtype == getattr(expected, field).dtype, field
        assert np.array_equal(getattr(found, field), getattr(expected, field)), field
    assert found.copy_keys == expected.copy_keys
    assert found.titles == expected.titles
    assert (found.article_count, found.term_count) == (expected.article_count, expected.term_count)


def edited(articles: list[Article], seed: int) -> list[Article]:
    """Another build's articles: some retitled or rewritten, some gone, some new, some moved."""
    rng = random.Random(seed)
    changed = list(articles)
    for index in rng.sample(range(len(changed)), 6):
        changed[index] = replace(changed[index], title=f"{changed[index].title} update {seed}")
    for index in rng.sample(range(len(changed)), 4):
        body = changed[index].body_html.replace(" ", f" novel{seed}word ", 1)
        changed[index] = replace(changed[index], body_html=body)
    for index in sorted(rng.sample(range(len(changed)), 5), reverse=True):
        del changed[index]
    changed += [
        replace(a, seed_path=f"new/{seed}/{n}.md", title=f"Fresh {seed} {a.title}")
        for n, a in enumerate(rng.sample(articles, 5))
    ]
    first = rng.randrange(len(changed))
    changed.insert(0, changed.pop(first))  # a moved article changes which one uses a term first
    return changed


def test_counts_from_the_cache_are_those_of_reading_afresh(
    generated: list[Article], tmp_path: Path
) -> None:
    versions = [generated, *(edited(generated, seed) for seed in range(1, 4))]
    versions.append(random.Random(9).sample(versions[-1], len(versions[-1])))  # another order
    for articles in versions:
        expected = count_terms(articles)
        assert_same_counts(count_terms_cached(articles, tmp_path), expected)
        assert_same_counts(count_terms_cached(articles, tmp_path), expected)  # all from the cache


def test_stories_are_the_same_with_a_cache_or_without(
    generated: list[Article], shared_articles: list[Article], tmp_path: Path
) -> None:
    for name, articles in {"generated": generated, "shared": shared_articles}.items():
        cache = tmp_path / name
        expected = group_stories(articles)
        assert any(len(story.articles) > 1 for story in expected)
        assert group_stories(articles, cache_dir=cache) == expected  # the cache is made
        assert group_stories(articles, cache_dir=cache) == expected  # and read
        again = edited(articles, 7) if name == "generated" else articles[1:]
        assert group_stories(again, cache_dir=cache) == group_stories(again)


def test_an_edited_article_is_read_again(tmp_path: Path) -> None:
    report = article("Quake hits Velmora", "Rescuers in Velmora pulled 14 people from the rubble")
    other = article("Dock strike ends", "Dock workers in Port Ravel ended their walkout", day=1)
    count_terms_cached([report, other], tmp_path)
    rewritten = replace(report, body_html="<p>Rescuers in Brenholt pulled 9 people out</p>")
    retitled = replace(other, title="Dock strike ends after nine days")
    for articles in ([rewritten, other], [report, retitled]):
        assert_same_counts(count_terms_cached(articles, tmp_path), count_terms(articles))


def test_terms_are_renumbered_when_another_article_now_uses_one_first(tmp_path: Path) -> None:
    first = article("Alpha beta", "Ardania gamma", path="a.md")
    later = article("Gamma alpha delta", "Morwick epsilon", day=1, path="b.md")
    count_terms_cached([first, later], tmp_path)
    # "alpha" is now first used by the later article, after "gamma": its cached terms reorder.
    without_alpha = replace(first, title="Beta")
    assert_same_counts(
        count_terms_cached([without_alpha, later], tmp_path), count_terms([without_alpha, later])
    )


def test_the_cache_holds_only_the_last_build_articles(
    shared_articles: list[Article], tmp_path: Path
) -> None:
    count_terms_cached(shared_articles, tmp_path)
    count_terms_cached(shared_articles[:5], tmp_path)
    cache = StoryCache.loads((tmp_path / STORY_CACHE).read_bytes())
    assert len(cache) == len({(a.title, a.body_html) for a in shared_articles[:5]})
    assert len(cache.stems) == count_terms(shared_articles[:5]).term_count


def damaged(data: bytes) -> list[bytes]:
    """The ways a cache file can come back: cut short, a flipped byte, garbage, empty."""
    middle = len(data) // 2
    return [data[:middle], data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :],
            b"not a cache", b""]  # fmt: skip


def test_a_damaged_cache_is_read_as_no_cache(
    shared_articles: list[Article], tmp_path: Path
) -> None:
    expected = group_stories(shared_articles)
    group_stories(shared_articles, cache_dir=tmp_path)
    saved = (tmp_path / STORY_CACHE).read_bytes()
    assert len(StoryCache.loads(saved)) > 0
    for data in damaged(saved):
        assert len(StoryCache.loads(data)) == 0
        (tmp_path / STORY_CACHE).write_bytes(data)
        assert group_stories(shared_articles, cache_dir=tmp_path) == expected
        assert (tmp_path / STORY_CACHE).read_bytes() == saved  # rewritten whole


def test_a_cache_made_under_other_rules_is_not_used(
    shared_articles: list[Article], tmp_path: Path
) -> None:
    count_terms_cached(shared_articles, tmp_path)
    saved = (tmp_path / STORY_CACHE).read_bytes()
    _rules, *rest = pickle.loads(saved[4:])
    payload = pickle.dumps(("an older newsgen", *rest))
    older = zlib.crc32(payload).to_bytes(4, "big") + payload
    assert len(StoryCache.loads(older)) == 0
    (tmp_path / STORY_CACHE).write_bytes(older)
    assert_same_counts(count_terms_cached(shared_articles, tmp_path), count_terms(shared_articles))


def test_an_unchanged_build_leaves_the_cache_file_alone(
    shared_articles: list[Article], tmp_path: Path
) -> None:
    count_terms_cached(shared_articles, tmp_path)
    path = tmp_path / STORY_CACHE
    written = path.stat().st_mtime_ns
    path.chmod(0o444)  # a write would replace it: a new inode, or a failure
    inode = path.stat().st_ino
    count_terms_cached(shared_articles, tmp_path)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, written)


def test_nothing_to_count_counts_nothing(tmp_path: Path) -> None:
    counted = StoryCache().count_terms([])
    assert (counted.article_count, counted.term_count, len(counted.rows)) == (0, 0, 0)


@pytest.fixture
def read_in_small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand the articles out in runs of 100, so 1,500 articles span many runs and workers."""
    monkeypatch.setattr(story_parallel, "CHUNK", 100)
    monkeypatch.setattr(story_parallel, "MIN_ARTICLES_PER_WORKER", 100)


@pytest.mark.usefixtures("read_in_small_runs")
def test_reading_on_several_processes_counts_what_one_does(
    generated: list[Article], tmp_path: Path
) -> None:
    expected = count_terms(generated)
    assert_same_counts(StoryCache().count_terms(generated, workers=3), expected)
    # With a cache from another build: some articles known, the new ones read apart.
    count_terms_cached(edited(generated, 1), tmp_path)
    assert_same_counts(count_terms_cached(generated, tmp_path, workers=2), expected)


@pytest.mark.usefixtures("read_in_small_runs")
def test_reading_apart_numbers_new_terms_in_the_order_one_reader_would(
    generated: list[Article],
) -> None:
    alone, apart = Vocabulary(["harbour"]), Vocabulary(["harbour"])
    one = tally(generated, alone)
    several = story_parallel.tally_apart(generated, apart, workers=2)
    assert apart.stems == alone.stems
    for field in ("sizes", "terms", "counts", "firsts", "roundups"):
        assert np.array_equal(getattr(several, field), getattr(one, field)), field
        assert getattr(several, field).dtype == getattr(one, field).dtype, field
    assert (several.copy_keys, several.titles) == (one.copy_keys, one.titles)


@pytest.mark.usefixtures("read_in_small_runs")
def test_many_articles_on_one_core_are_read_by_a_worker(
    generated: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--jobs 1` at a large first build: the bodies are read, and mapped, in a forked worker."""
    one = tally(generated, Vocabulary(["harbour"]))
    read_here: list[int] = []

    def spied(articles: Sequence[Article], vocabulary: Vocabulary) -> Tallies:
        read_here.append(len(articles))
        return tally(articles, vocabulary)

    monkeypatch.setattr(story_parallel, "tally", spied)
    monkeypatch.setattr(story_parallel, "APART_ON_ONE_CORE", len(generated) + 1)
    story_parallel.tally_apart(generated, Vocabulary(["harbour"]), workers=1)
    assert read_here == [len(generated)]  # fewer: read here
    read_here.clear()
    monkeypatch.setattr(story_parallel, "APART_ON_ONE_CORE", len(generated))
    apart = story_parallel.tally_apart(generated, Vocabulary(["harbour"]), workers=1)
    assert read_here == []
    for field in ("sizes", "terms", "counts", "firsts", "roundups"):
        assert np.array_equal(getattr(apart, field), getattr(one, field)), field
    assert (apart.copy_keys, apart.titles) == (one.copy_keys, one.titles)


@pytest.mark.usefixtures("read_in_small_runs")
def test_stories_are_the_same_whatever_the_number_of_workers(generated: list[Article]) -> None:
    assert group_stories(generated, workers=2) == group_stories(generated)
