"""The fetch state file: validators, Retry-After times and seen items, merged and pruned."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from newsgen.fetch.state import FeedState, load_state, save_state, state_path


def test_a_missing_state_is_empty(tmp_path: Path) -> None:
    state = load_state(tmp_path)
    assert state.feeds == {} and state.known == {}
    assert state.feed("https://x/feed") == FeedState()


@pytest.mark.parametrize(
    "content", ["", "{not json", "[]", '{"version": 99, "feeds": {}}', "\x00\xff"]
)
def test_a_damaged_state_is_empty_and_the_next_save_repairs_it(
    tmp_path: Path, content: str
) -> None:
    path = state_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert load_state(tmp_path).feeds == {}
    save_state(tmp_path, {"https://a/": FeedState(etag='"1"')}, {}, date(2025, 1, 1))
    assert load_state(tmp_path).feed("https://a/").etag == '"1"'


def test_saves_of_two_shards_are_merged_not_lost(tmp_path: Path) -> None:
    today = date(2025, 1, 1)
    save_state(tmp_path, {"https://a/": FeedState(etag='"a"')}, {"k1": "2025-01-01"}, today)
    save_state(tmp_path, {"https://b/": FeedState(last_modified="x")}, {"k2": "2025-01-01"}, today)
    state = load_state(tmp_path)
    assert set(state.feeds) == {"https://a/", "https://b/"}
    assert set(state.known) == {"k1", "k2"}


def test_items_unseen_for_half_a_year_are_forgotten(tmp_path: Path) -> None:
    today = date(2025, 7, 1)
    old = (today - timedelta(days=200)).isoformat()
    recent = (today - timedelta(days=10)).isoformat()
    save_state(tmp_path, {}, {"old": old, "recent": recent}, today)
    save_state(tmp_path, {}, {}, today)
    assert set(load_state(tmp_path).known) == {"recent"}


def test_an_empty_feed_state_is_dropped_and_the_file_is_json(tmp_path: Path) -> None:
    today = date(2025, 1, 1)
    save_state(tmp_path, {"https://a/": FeedState(etag='"a"')}, {}, today)
    save_state(tmp_path, {"https://a/": FeedState()}, {}, today)
    document = json.loads(state_path(tmp_path).read_text(encoding="utf-8"))
    assert document == {"version": 1, "feeds": {}, "known": {}}


def test_deferral_is_only_while_the_time_is_ahead() -> None:
    from newsgen.fetch.state import FetchState

    now = datetime(2025, 1, 1, 12, tzinfo=UTC)
    state = FetchState(
        feeds={
            "https://later/": FeedState(not_before=(now + timedelta(hours=1)).isoformat()),
            "https://past/": FeedState(not_before=(now - timedelta(hours=1)).isoformat()),
            "https://junk/": FeedState(not_before="soon"),
        },
        known={},
    )
    assert state.deferred_until("https://later/", now) == now + timedelta(hours=1)
    assert state.deferred_until("https://past/", now) is None
    assert state.deferred_until("https://junk/", now) is None
