"""Split the feed list into N stable slices, for a CI job matrix.

A feed's shard comes from a hash of its normalised URL, not its place in the list, so adding,
removing or reordering feeds never moves another feed to a different shard.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TypeVar

from newsgen.errors import UsageError
from newsgen.fetch.items import feed_key
from newsgen.models import FeedConfig

FeedT = TypeVar("FeedT", bound=FeedConfig)


def parse_shard(text: str) -> tuple[int, int]:
    """Read `I/N` (1 <= I <= N), as `--shard 2/4`; raise ValueError saying what is expected."""
    index_text, slash, count_text = text.partition("/")
    if not (slash and index_text.strip().isdigit() and count_text.strip().isdigit()):
        raise ValueError(f"expected I/N such as 1/4, not {text!r}")
    index, count = int(index_text), int(count_text)
    if not 1 <= index <= count:
        raise ValueError(f"expected I/N with 1 <= I <= N, such as 1/{max(count, 1)}, not {text!r}")
    return index, count


def shard_of(url: str, count: int) -> int:
    """Return the shard (1..count) a feed URL belongs to."""
    digest = hashlib.sha256(feed_key(url).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(feeds: Iterable[FeedT], shard: tuple[int, int] | None) -> list[FeedT]:
    """Keep the feeds that fall in shard `(index, count)`; all of them when shard is None."""
    if shard is None:
        return list(feeds)
    index, count = shard
    if not 1 <= index <= count:
        raise UsageError(f"shard must be I/N with 1 <= I <= N, not {index}/{count}")
    return [feed for feed in feeds if shard_of(feed.url, count) == index]
