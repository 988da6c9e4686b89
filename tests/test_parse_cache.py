"""The parse cache: what it gives back is what parsing gives, whatever state its files are in."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsgen.models import content_digest
from newsgen.paths import PARSE_CACHE
from newsgen.readers import cache
from newsgen.readers.cache import MIN_FILES_PER_WORKER, read_seeds_cached
from newsgen.readers.parse import read_seeds

ZONE = ZoneInfo("Europe/Berlin")
LONG_BODY = "<p>" + "The harbour reopened after the storm. " * 40 + "</p>"


def _seeds(root: Path) -> Path:
    seeds = root / "seeds"
    seeds.mkdir()
    for number in range(12):
        (seeds / f"item-{number:02d}.md").write_text(
            f"---\ntitle: Harbour story {number}\ndate: 2025-03-0{1 + number % 9}T10:00:00-05:00\n"
            f"---\n{LONG_BODY if number % 2 else '<p>Short.</p>'}\n",
            encoding="utf-8",
        )
    return seeds


def _read(seeds: Path, state: Path) -> list:
    return list(read_seeds_cached(seeds, timezone=ZONE, cache_dir=state).articles)


def test_cached_articles_equal_fresh_ones_bodies_and_digests_included(tmp_path: Path) -> None:
    seeds, state = _seeds(tmp_path), tmp_path / "state"
    fresh = list(read_seeds(seeds, timezone=ZONE).articles)
    first = _read(seeds, state)
    again = _read(seeds, state)  # every article from the cache files now
    assert first == fresh and again == fresh
    assert [a.body_html for a in again] == [a.body_html for a in fresh]
    assert any(isinstance(a.body_utf8, memoryview) for a in again)  # mapped, not read
    assert all(a.parsed_digest == content_digest(a) for a in again)
    # Dated in the site's zone by the parse stage, so no build converts them again.
    assert {a.date.tzinfo for a in again} == {ZONE}


def test_cached_articles_share_the_names_they_repeat(tmp_path: Path) -> None:
    # More seeds than cache files: some files hold several of them, whatever the hashing.
    seeds, state = tmp_path / "seeds", tmp_path / "state"
    seeds.mkdir()
    for number in range(100):
        (seeds / f"item-{number:03d}.md").write_text(
            f"---\ntitle: Ferry report {number}\ndate: 2025-03-01T10:00:00Z\n"
            "source: Harbour Times\ntags: [ferries, weather]\nlanguage: en-GB\n---\n"
            "<p>The ferry ran.</p>\n",
            encoding="utf-8",
        )
    _read(seeds, state)
    again = _read(seeds, state)
    files = len(list((state / PARSE_CACHE).iterdir()))
    assert files < len(again) == 100
    # One copy of each name per cache file at most, not one per article.
    for names in (
        [a.source for a in again],
        [a.tags[0] for a in again],
        [a.language for a in again],
    ):
        assert set(names) == {names[0]}
        assert len({id(name) for name in names}) <= files


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_shard_is_parsed_again(tmp_path: Path, damage: str) -> None:
    seeds, state = _seeds(tmp_path), tmp_path / "state"
    expected = _read(seeds, state)
    for shard in (state / PARSE_CACHE).iterdir():
        data = shard.read_bytes()
        damaged = {"truncate": data[: len(data) // 2], "garbage": b"\x80junk" * 9, "empty": b""}
        shard.write_bytes(damaged[damage])
    again = _read(seeds, state)
    assert again == expected
    assert [a.body_html for a in again] == [a.body_html for a in expected]


def test_an_edit_rewrites_its_shard_and_keeps_the_other_articles(tmp_path: Path) -> None:
    seeds, state = _seeds(tmp_path), tmp_path / "state"
    before = _read(seeds, state)
    edited = seeds / "item-03.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Harbour", "Port"), "utf-8")
    after = _read(seeds, state)
    changed = [(a.title, b.title) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("Harbour story 3", "Port story 3")]
    assert _read(seeds, state) == after  # and the rewritten shard reads back the same


def test_a_deleted_seed_leaves_the_cache_with_its_shard_written_again(tmp_path: Path) -> None:
    seeds, state = _seeds(tmp_path), tmp_path / "state"
    _read(seeds, state)
    shard = cache.shard_path(state, cache._shard("item-05.md"))
    assert b"item-05.md" in shard.read_bytes()
    (seeds / "item-05.md").unlink()
    assert len(_read(seeds, state)) == 11
    assert b"item-05.md" not in shard.read_bytes()


def test_files_of_a_cache_cut_another_way_are_deleted_and_the_rest_kept(tmp_path: Path) -> None:
    """An upgrade that cuts the cache into other files leaves none of the old ones behind."""
    seeds, state = _seeds(tmp_path), tmp_path / "state"
    _read(seeds, state)
    folder = state / PARSE_CACHE
    kept = sorted(path.name for path in folder.iterdir())
    assert kept and all(name.endswith(".pickle") and len(name) == 10 for name in kept)
    for stray in ("07.pickle", "63.pickle", "9999.pickle"):
        (folder / stray).write_bytes(b"a file of an older cache")
    (folder / ".007.pickle.k2j3x9.tmp").write_bytes(b"another process's write in progress")
    assert len(_read(seeds, state)) == 12
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*kept, ".007.pickle.k2j3x9.tmp"]
    )


MANY = 2 * MIN_FILES_PER_WORKER + 60  # enough seeds for two workers


def _many_seeds(root: Path, word: str = "harbour") -> Path:
    seeds = root / "seeds"
    seeds.mkdir(exist_ok=True)
    for number in range(MANY):
        body = f"The {word} reopened on day {number}. " * (9 + number % 7)  # mapped bodies
        (seeds / f"s{number:04d}.md").write_text(
            f"---\ntitle: {word.title()} story {number}\n"
            f"date: 2025-03-{1 + number % 28:02d}T10:00:00Z\n---\n<p>{body}</p>\n",
            encoding="utf-8",
        )
    return seeds


def _cache_files(state: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (state / PARSE_CACHE).iterdir()}


def test_parsing_on_two_workers_writes_the_files_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGEN_NOW", "2026-03-01T00:00:00+00:00")
    seeds = _many_seeds(tmp_path)
    with monkeypatch.context() as inline:  # so many seeds are parsed apart unless told not to
        inline.setattr(cache, "MIN_FILES_PER_WORKER", MANY + 1)
        one = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "one", jobs=1)
    assert not any(isinstance(a.body_utf8, memoryview) for a in one.articles)
    two = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "two", jobs=2)
    assert two.parsed == one.parsed == MANY
    assert two.articles == one.articles
    assert [a.body_html for a in two.articles] == [a.body_html for a in one.articles]
    # The workers wrote the files; this process holds the bodies as views of them.
    assert all(isinstance(a.body_utf8, memoryview) for a in two.articles)
    assert _cache_files(tmp_path / "two") == _cache_files(tmp_path / "one")


def test_many_seeds_on_one_core_are_parsed_by_a_worker_into_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--jobs 1` on a first build: this process must not hold every body as a string."""
    monkeypatch.setenv("NEWSGEN_NOW", "2026-03-01T00:00:00+00:00")
    seeds = _many_seeds(tmp_path)
    single = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "single", jobs=1)
    assert single.parsed == MANY
    expected = read_seeds(seeds, timezone=ZONE).articles
    assert single.articles == expected
    assert [a.body_html for a in single.articles] == [a.body_html for a in expected]
    assert all(isinstance(a.body_utf8, memoryview) for a in single.articles)
    two = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "two", jobs=2)
    assert two.articles == expected
    assert _cache_files(tmp_path / "single") == _cache_files(tmp_path / "two")


def test_many_changes_on_two_workers_keep_the_rest_and_drop_the_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGEN_NOW", "2026-03-01T00:00:00+00:00")
    seeds, state = _many_seeds(tmp_path), tmp_path / "state"
    read_seeds_cached(seeds, timezone=ZONE, cache_dir=state, jobs=2)
    kept = sorted(seeds.iterdir())[-40:]  # these stay as they are: read from the cache
    kept_bytes = {path: path.read_bytes() for path in kept}
    _many_seeds(tmp_path, word="ferry")
    for path, data in kept_bytes.items():
        path.write_bytes(data)
    for gone in sorted(seeds.iterdir())[:5]:
        gone.unlink()
    again = read_seeds_cached(seeds, timezone=ZONE, cache_dir=state, jobs=2)
    assert again.parsed == MANY - 5 - len(kept)
    expected = read_seeds(seeds, timezone=ZONE).articles
    assert again.articles == expected
    assert [a.body_html for a in again.articles] == [a.body_html for a in expected]
    from_files = read_seeds_cached(seeds, timezone=ZONE, cache_dir=state, jobs=2)
    assert from_files.parsed == 0 and from_files.articles == expected
