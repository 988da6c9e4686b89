"""Where each list's page 1 begins, so pages keep their numbers when its oldest stories go.

Pages are numbered from the oldest (`pages.list_window`), which keeps a numbered page's stories
as news arrives. Retention takes the oldest seeds away, and counted from what is left, every
page would then move by as many stories as left the list. So each list counts from an origin
instead: the number of stories it has lost at its old end. Its pages keep their numbers and
their stories; the pages whose stories are all gone are gone, and the oldest page left may hold
fewer than a full page.

A list's origin is found again from anchors: a few of its oldest entries, each with its place
counted from the origin. The oldest anchor still on the list says where the origin is now. A
list whose anchors are all gone, or that gained older stories than its anchor, counts from zero
again, as it did before it had any. `.newsgen/list-origins.json` holds the anchors; without it,
every list counts from zero.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.models import Entry
from newsgen.paths import LIST_ORIGINS

RECORD_FORMAT = 1
ANCHOR_PAGES = 4  # anchors a list keeps, a page apart: retention rarely takes more at once


Anchors = list[tuple[str, int]]  # (key of the article an entry shows, its place from the origin)


class ListOrigins:
    """The origin of every list, read at the start of a build and saved once it is published."""

    def __init__(self, state_dir: Path | None) -> None:
        self.state_dir = state_dir
        self._recorded = self._load()
        self._anchors: dict[str, Anchors] = {}

    def settle(self, lists: Iterable[tuple[str, Sequence[Entry]]], per_page: int) -> dict[str, int]:
        """Each list's origin, by its address, given its entries newest first; lists that
        count from zero are left out."""
        origins: dict[str, int] = {}
        anchors: dict[str, Anchors] = {}
        for base, entries in lists:
            origin = _origin(self._recorded.get(base, ()), entries, per_page)
            if origin:
                origins[base] = origin
            if entries:
                anchors[base] = _anchors(entries, origin, per_page)
        self._anchors = anchors
        return origins

    def save(self) -> None:
        if self.state_dir is None or self._anchors == self._recorded:
            return
        record = {"format": RECORD_FORMAT, "anchors": self._anchors}
        data = json.dumps(record, sort_keys=True, separators=(",", ":"))
        write_atomic(self.state_dir / LIST_ORIGINS, data.encode("utf-8"))
        self._recorded = self._anchors

    def _load(self) -> dict[str, Anchors]:
        if self.state_dir is None:
            return {}
        try:
            record = json.loads((self.state_dir / LIST_ORIGINS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or damaged: every list counts from zero
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
            return {}
        found = record.get("anchors")
        if not isinstance(found, dict):
            return {}
        return {
            str(base): [(str(key), int(place)) for key, place in anchors]
            for base, anchors in found.items()
            if isinstance(anchors, list)
            and all(isinstance(a, list) and len(a) == 2 and isinstance(a[1], int) for a in anchors)
        }


def _origin(anchors: Sequence[tuple[str, int]], entries: Sequence[Entry], per_page: int) -> int:
    """Where the list's origin is now: from the oldest of its anchors still on it."""
    if not anchors or not entries:
        return 0
    oldest_key, oldest_place = anchors[0]
    if entries[-1].article.key == oldest_key:
        return oldest_place  # the usual build: the list lost nothing and gained nothing older
    # Anchors lie among the oldest entries: look there only, a little further than they
    # reach, for older stories that came in since.
    reach = min(len(entries), (ANCHOR_PAGES + 2) * per_page)
    oldest_first = [entry.article.key for entry in entries[len(entries) - reach :]][::-1]
    where = {key: place for place, key in enumerate(oldest_first)}
    for key, place in anchors:  # oldest first
        found = where.get(key)
        if found is not None:
            return max(0, place - found)
    return 0


def _anchors(entries: Sequence[Entry], origin: int, per_page: int) -> Anchors:
    """The oldest entry, and one at the start of each of the next few pages."""
    total = len(entries)
    first_full = -origin % per_page  # where the first whole page after the oldest one starts
    places = [0, *range(first_full or per_page, total, per_page)][:ANCHOR_PAGES]
    return [(entries[total - 1 - place].article.key, origin + place) for place in places]
