"""When a feed may be asked again: its `interval`, and the `<ttl>` or max-age its server gave.

A scheduled job starts a little early or late; a feed asked at 12:00:05 with `interval: 1h`
is still due at 12:59:40, so a tenth of the wait (at most five minutes) is allowed early.
A server's own freshness counts for at most a day, so a mistaken `<ttl>` cannot silence a feed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from newsgen.fetch.state import FeedState
from newsgen.models import FeedConfig

MAX_FRESHNESS = timedelta(days=1)
MAX_EARLY = timedelta(minutes=5)


def fresh_until(now: datetime, ttl: float, max_age: int) -> str:
    """Return how long the server says its answer stays fresh, as ISO text ("" for not at all)."""
    seconds = max(ttl, float(max_age))
    if seconds <= 0:
        return ""
    until = now + min(timedelta(seconds=seconds), MAX_FRESHNESS)
    return until.replace(microsecond=0).isoformat()


def next_due(feed: FeedConfig, state: FeedState, now: datetime) -> datetime | None:
    """Return when the feed may next be asked, if that is still ahead of `now`."""
    times = []
    last = _time(state.fetched_at)
    if feed.interval and last is not None:
        times.append((last, last + timedelta(seconds=feed.interval)))
    until = _time(state.fresh_until)
    if until is not None and last is not None:
        times.append((last, min(until, last + MAX_FRESHNESS)))
    due = None
    for start, end in times:
        early = min((end - start) / 10, MAX_EARLY)
        if end - early > now and (due is None or end > due):
            due = end
    return due


def _time(raw: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None
