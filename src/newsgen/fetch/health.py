"""Each feed's health between runs: when it last worked, why it last failed, how much it brings.

Kept twice, in the same shape: `.newsgen/feeds-status.json`, beside the rest of the fetch
state (restored from the CI cache), and `feeds-status.json` beside newsgen.yaml, meant to be
committed, so the record survives a lost cache and shows in the repository. Per feed, the
copy checked last wins, so either copy may lag behind the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from newsgen.atomicwrite import write_atomic
from newsgen.paths import FEEDS_STATUS
from newsgen.records import read_record

HEALTH_NAME = FEEDS_STATUS  # the same name in the site folder and in .newsgen/
HEALTH_VERSION = 1
WEEK_WINDOW_DAYS = 28  # items per week are averaged over this many days


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """What is known of one feed; times are ISO 8601 in UTC, "" when it never happened."""

    first_checked: str = ""
    checked: str = ""  # the last run that considered this feed, asked or not
    last_success: str = ""
    last_failure: str = ""
    last_error: str = ""
    failures: int = 0  # consecutive failed fetches, 0 after a success
    failing_since: str = ""  # the first failure of the current run of failures
    last_new_item: str = ""  # the last run that found an item not seen before
    new_items: Mapping[str, int] = field(default_factory=dict)  # ISO day -> items, recent days
    moved_to: str = ""  # permanent redirect target, while newsgen.yaml still has the old URL
    moved_from: str = ""  # the URL newsgen.yaml had before it was updated to this one
    gone_since: str = ""  # the server answered 410 Gone: the feed is not asked any more

    def items_per_week(self, now: datetime) -> float:
        """Average new items a week over the last four weeks (or since the feed was added)."""
        start = (now - timedelta(days=WEEK_WINDOW_DAYS)).date().isoformat()
        total = sum(count for day, count in self.new_items.items() if day > start)
        tracked = _days_between(self.first_checked, now) if self.first_checked else 0.0
        window = min(float(WEEK_WINDOW_DAYS), max(tracked, 1.0))
        return round(total * 7 / window, 1)

    def succeeded(self, now: datetime, new_items: int) -> FeedHealth:
        """Note a fetch that worked (200 or 304) and brought `new_items`."""
        stamp, today = _iso(now), now.date().isoformat()
        counts = _recent(self.new_items, now)
        if new_items:
            counts[today] = counts.get(today, 0) + new_items
        return replace(
            self._checked(now),
            last_success=stamp,
            failures=0,
            failing_since="",
            gone_since="",
            new_items=counts,
            last_new_item=stamp if new_items else self.last_new_item,
        )

    def failed(self, now: datetime, reason: str, *, gone: bool = False) -> FeedHealth:
        """Note a failed fetch; `gone` for a 410, after which the feed is not asked again."""
        stamp = _iso(now)
        return replace(
            self._checked(now),
            last_failure=stamp,
            last_error=reason,
            failures=self.failures + 1,
            failing_since=self.failing_since or stamp,
            gone_since=(self.gone_since or stamp) if gone else "",
            new_items=_recent(self.new_items, now),
        )

    def skipped(self, now: datetime) -> FeedHealth:
        """Note a run that did not ask the feed (gone, not due, deferred by the server)."""
        return self._checked(now)

    def _checked(self, now: datetime) -> FeedHealth:
        return replace(self, checked=_iso(now), first_checked=self.first_checked or _iso(now))


def _iso(when: datetime) -> str:
    return when.replace(microsecond=0).isoformat()


def _days_between(since: str, now: datetime) -> float:
    try:
        start = datetime.fromisoformat(since)
    except ValueError:
        return 0.0
    if start.tzinfo is None:
        return 0.0
    return max((now - start).total_seconds() / 86400, 0.0)


def days_since(since: str, now: datetime) -> float | None:
    """Say how many days ago an ISO time was; None when it is empty or unreadable."""
    return _days_between(since, now) if since else None


def _recent(counts: Mapping[str, int], now: datetime) -> dict[str, int]:
    start = (now - timedelta(days=WEEK_WINDOW_DAYS)).date().isoformat()
    return {day: count for day, count in counts.items() if day > start}


_FIELDS = {f.name: f.type for f in fields(FeedHealth)}


def _decode_one(raw: Any) -> FeedHealth | None:
    if not isinstance(raw, dict):
        return None
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "new_items" and isinstance(value, dict):
            values[name] = {
                str(day): count
                for day, count in value.items()
                if isinstance(count, int) and not isinstance(count, bool) and count > 0
            }
        elif name == "failures" and isinstance(value, int) and not isinstance(value, bool):
            values[name] = max(value, 0)
        elif name in _FIELDS and name not in ("new_items", "failures") and isinstance(value, str):
            values[name] = value
    return FeedHealth(**values)


def read_health(path: Path) -> dict[str, FeedHealth]:
    """Read one copy; a missing or damaged file is an empty record (the other copy may have it)."""
    document = read_record(path, "version", HEALTH_VERSION)
    feeds = document.get("feeds") if document else None
    if not isinstance(feeds, dict):
        return {}
    decoded = {url: _decode_one(raw) for url, raw in feeds.items() if isinstance(url, str)}
    return {url: health for url, health in decoded.items() if health is not None}


def health_paths(site_dir: Path, state_dir: Path) -> tuple[Path, Path]:
    """Return the committed copy's path and the cached copy's path."""
    return site_dir / HEALTH_NAME, state_dir / HEALTH_NAME


def load_health(site_dir: Path, state_dir: Path) -> dict[str, FeedHealth]:
    """Merge both copies, feed by feed, keeping the one checked last."""
    merged: dict[str, FeedHealth] = {}
    for path in health_paths(site_dir, state_dir):
        for url, health in read_health(path).items():
            current = merged.get(url)
            if current is None or health.checked > current.checked:
                merged[url] = health
    return merged


def save_health(site_dir: Path, state_dir: Path, changes: Mapping[str, FeedHealth | None]) -> None:
    """Apply this run's changes (None forgets a feed) to what is on disk and write both copies.

    The caller holds the fetch state lock, so shards sharing a folder merge instead of racing.
    """
    if not changes:
        return
    merged = load_health(site_dir, state_dir)
    for url, health in changes.items():
        if health is None:
            merged.pop(url, None)
        else:
            merged[url] = health
    document = {
        "version": HEALTH_VERSION,
        "feeds": {url: _compact(merged[url]) for url in sorted(merged)},
    }
    # Sorted, indented and ending in a newline: a committed file whose diffs read well.
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    for path in health_paths(site_dir, state_dir):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, durable=True)  # a crash must not empty a committed file


def _compact(health: FeedHealth) -> dict[str, Any]:
    values = asdict(health)
    values["new_items"] = dict(sorted(health.new_items.items()))
    return {key: value for key, value in values.items() if value}
