"""Remember between runs what each feed's server said and which items were already seen.

`.newsgen/fetch-state.json` holds, per feed URL, the validators for a conditional GET and the
time before which a server asked not to be asked again (Retry-After), when it was last asked
and how long its answer stays fresh (`interval`, `<ttl>`, max-age), and the digests of the
item identities seen, with the day each was last seen. Losing the file costs one full download
per feed and nothing else: the seeds themselves are the real record of what was fetched.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from newsgen.atomicwrite import write_atomic
from newsgen.paths import FETCH_STATE, STATE_DIR

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one fetch at a time there
    fcntl = None  # type: ignore[assignment]

STATE_VERSION = 1
# An item gone from its feed for this long will not come back, so its digest can go.
KEEP_KNOWN = timedelta(days=180)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What to send a feed's server next time, and when it may be asked again."""

    etag: str = ""
    last_modified: str = ""
    not_before: str = ""  # ISO 8601 time from a Retry-After too long to wait for
    fetched_at: str = ""  # ISO 8601 time of the last request, for the feed's `interval`
    fresh_until: str = ""  # ISO 8601 time the feed's <ttl> or Cache-Control max-age allow


@dataclass(frozen=True, slots=True)
class FetchState:
    feeds: Mapping[str, FeedState]
    known: Mapping[str, str]  # identity digest -> ISO day it was last seen in a feed

    def feed(self, url: str) -> FeedState:
        return self.feeds.get(url, FeedState())

    def deferred_until(self, url: str, now: datetime) -> datetime | None:
        """Return the time a server asked us to wait for, if it is still ahead."""
        raw = self.feed(url).not_before
        if not raw:
            return None
        try:
            until = datetime.fromisoformat(raw)
        except ValueError:
            return None
        return until if until.tzinfo and until > now else None


_FEED_FIELDS = frozenset(FeedState.__slots__)


def state_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / FETCH_STATE


def load_state(site_dir: Path) -> FetchState:
    """Read the fetch state; a missing or unreadable file is an empty state, never an error."""
    return _decode(_read_json(state_path(site_dir)))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged cache only costs speed: the next save writes a good one.
        return {}


def _decode(data: Any) -> FetchState:
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return FetchState(feeds={}, known={})
    feeds = {}
    for url, raw in (data.get("feeds") or {}).items():
        if isinstance(raw, dict):
            fields = {k: v for k, v in raw.items() if k in _FEED_FIELDS and isinstance(v, str)}
            feeds[url] = FeedState(**fields)
    known = {k: v for k, v in (data.get("known") or {}).items() if isinstance(v, str)}
    return FetchState(feeds=feeds, known=known)


@contextlib.contextmanager
def state_lock(site_dir: Path) -> Iterator[None]:
    """Hold the state lock, so shards sharing a folder merge their saves instead of losing one."""
    folder = site_dir / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "fetch-state.lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def save_state(
    site_dir: Path,
    feeds: Mapping[str, FeedState | None],
    seen: Mapping[str, str],
    today: date,
    *,
    locked: bool = False,
) -> None:
    """Merge this run's feed states (None forgets a feed) and seen items into the file.

    `locked`: the caller already holds `state_lock`.
    """
    with contextlib.nullcontext() if locked else state_lock(site_dir):
        current = _decode(_read_json(state_path(site_dir)))
        merged_feeds = dict(current.feeds)
        for url, feed_state in feeds.items():
            if feed_state is None or feed_state == FeedState():
                merged_feeds.pop(url, None)
            else:
                merged_feeds[url] = feed_state
        cutoff = (today - KEEP_KNOWN).isoformat()
        known = {k: v for k, v in current.known.items() if v >= cutoff}
        for digest, day in seen.items():
            known[digest] = max(day, known.get(digest, ""))
        document = {
            "version": STATE_VERSION,
            "feeds": {url: _compact(s) for url, s in sorted(merged_feeds.items())},
            "known": dict(sorted(known.items())),
        }
        write_atomic(
            state_path(site_dir), json.dumps(document, indent=1, ensure_ascii=False), durable=True
        )


def _compact(feed_state: FeedState) -> dict[str, str]:
    return {key: value for key, value in asdict(feed_state).items() if value}
