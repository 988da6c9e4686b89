"""A feed's own settings applied to its items: `include`/`exclude` filters and `max_items`.

A word or phrase matches whole words, case-insensitively, anywhere in an item's title, summary
(or, without one, the start of its text) or categories: `include: [ai]` keeps "AI rules" and not
"said". With `include`, an item must name at least one of them; `exclude` drops an item naming
any of its phrases, and wins over `include`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from newsgen.fetch.items import FeedItem
from newsgen.fetch.text import html_to_text
from newsgen.models import FeedConfig

_TEXT_CHARS = 3000  # of an item without a summary, the part a summary would have been made of
_OLDEST = datetime.min.replace(tzinfo=UTC)


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    # Spaces in a phrase match any run of spaces; the ends must not be inside a word.
    parts = (r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class ItemFilter:
    """Decide which items of one feed are kept, by its `include` and `exclude` settings."""

    def __init__(self, feed: FeedConfig) -> None:
        self._include = _pattern(feed.include)
        self._exclude = _pattern(feed.exclude)

    @property
    def active(self) -> bool:
        return self._include is not None or self._exclude is not None

    def keeps(self, item: FeedItem) -> bool:
        if not self.active:
            return True
        text = _searchable(item)
        if self._exclude is not None and self._exclude.search(text):
            return False
        return self._include is None or self._include.search(text) is not None


def _searchable(item: FeedItem) -> str:
    summary = item.summary or html_to_text(item.body_html)[:_TEXT_CHARS]
    # Line breaks between fields, so a phrase cannot run from the title into the summary.
    return "\n".join((item.title, summary, *item.categories))


def newest(items: Sequence[FeedItem], limit: int) -> list[FeedItem]:
    """Keep the `limit` newest items (all when `limit` is 0), in the feed's own order.

    Undated items count as older than dated ones; among equals the feed's order decides.
    """
    if not limit or len(items) <= limit:
        return list(items)
    ranked = sorted(range(len(items)), key=lambda i: (-_timestamp(items[i]), i))
    chosen = set(ranked[:limit])
    return [item for index, item in enumerate(items) if index in chosen]


def _timestamp(item: FeedItem) -> float:
    return (item.date or _OLDEST).timestamp()
