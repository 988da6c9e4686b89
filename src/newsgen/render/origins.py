"""Where each list's page 1 begins, so pages keep their numbers when its oldest stories go.

Pages are numbered from the oldest (`pages.list_window`), which keeps a numbered page's stories
as news arrives. Retention takes the oldest seeds away, and counted from what is left, every
page would then move by as many stories as left the list. So each list counts from an origin
instead: the number of stories it has lost at its old end. Its pages keep their numbers and
their stories; the pages whose stories are all gone are gone, and the oldest page left may hold
fewer than a full page.

A list's origin is found again from anchors: its oldest entry and the first entries of its
oldest whole page and of the pages 1, 2, 4, 8, ... pages after it, each with its place counted
from the origin and its date, by which it is looked up. The newest anchor still on the list
says where the origin is now, so whatever changed before it (stories leaving, and those
regrouped around them) moves the pages before it, not every page after. A list whose anchors
are all gone, or that gained older stories than it lost, counts from zero again, as it did
before it had any. `.newsgen/list-origins.json` holds the anchors; without it, every list
counts from zero.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from newsgen.atomicwrite import write_atomic
from newsgen.models import Entry
from newsgen.paths import LIST_ORIGINS
from newsgen.records import read_record

RECORD_FORMAT = 1

# (key of the article an entry shows, its place from the origin, that article's timestamp)
Anchor = tuple[str, int, float]


class ListOrigins:
    """The origin of every list, read at the start of a build and saved once it is published."""

    def __init__(self, state_dir: Path | None) -> None:
        self.state_dir = state_dir
        self._recorded = self._load()
        self._anchors: dict[str, list[Anchor]] = {}
        self._kept = False

    def keep(self) -> None:
        """Leave every list's origin and anchors as recorded, unsaved: for a site whose lists
        are the ones the record was settled from (the last build's, kept by `places.py`),
        which `settle` would find again."""
        self._kept = True

    def settle(
        self,
        lists: Iterable[tuple[str, Sequence[Entry]]],
        per_page: int,
        page_sizes: Mapping[str, int] = MappingProxyType({}),
    ) -> dict[str, int]:
        """Each list's origin, by its address, given its entries newest first; lists that
        count from zero are left out. A list in `page_sizes` has pages of that size."""
        origins: dict[str, int] = {}
        anchors: dict[str, list[Anchor]] = {}
        for base, entries in lists:
            origin = _origin(self._recorded.get(base, ()), entries)
            if origin:
                origins[base] = origin
            if entries:
                anchors[base] = _anchors(entries, origin, page_sizes.get(base, per_page))
        self._anchors = anchors
        self._kept = False
        return origins

    def save(self) -> None:
        if self.state_dir is None or self._kept or self._anchors == self._recorded:
            return
        record = {"format": RECORD_FORMAT, "anchors": self._anchors}
        data = json.dumps(record, sort_keys=True, separators=(",", ":"))
        write_atomic(self.state_dir / LIST_ORIGINS, data.encode("utf-8"))
        self._recorded = self._anchors

    def _load(self) -> dict[str, list[Anchor]]:
        if self.state_dir is None:
            return {}
        record = read_record(self.state_dir / LIST_ORIGINS, "format", RECORD_FORMAT)
        found = record.get("anchors") if record else None
        if not isinstance(found, dict):
            return {}  # none yet, or damaged: every list counts from zero
        return {
            str(base): [(key, place, time) for key, place, time in anchors]
            for base, anchors in found.items()
            if _well_formed(anchors)
        }


def _well_formed(anchors: object) -> bool:
    return isinstance(anchors, list) and all(
        isinstance(a, list)
        and len(a) == 3
        and isinstance(a[0], str)
        and isinstance(a[1], int)
        and isinstance(a[2], (int, float))
        for a in anchors
    )


def _origin(anchors: Sequence[Anchor], entries: Sequence[Entry]) -> int:
    """Where the list's origin is now: from the newest of its anchors still on it."""
    for key, place, timestamp in reversed(anchors):
        found = _oldest_index(entries, key, timestamp)
        if found is not None:
            return max(0, place - found)
    return 0


def _oldest_index(entries: Sequence[Entry], key: str, timestamp: float) -> int | None:
    """Where the entry showing article `key` is, counted from the oldest; found by its date,
    as lists are newest first."""
    newer = bisect_left(entries, -timestamp, key=_age)
    same_time = bisect_right(entries, -timestamp, lo=newer, key=_age)
    for index in range(newer, same_time):
        if entries[index].article.key == key:
            return len(entries) - 1 - index
    return None


def _age(entry: Entry) -> float:
    return -entry.article.date.timestamp()


def _anchors(entries: Sequence[Entry], origin: int, per_page: int) -> list[Anchor]:
    """The oldest entry, the first of the oldest whole page, and the first of the pages 1, 2,
    4, 8, ... pages after that one."""
    total = len(entries)
    first_whole = -origin % per_page  # where the oldest whole page starts, from the oldest
    places = [0]
    pages = 0
    while (place := first_whole + pages * per_page) < total:
        if place:
            places.append(place)
        pages = pages * 2 or 1
    shown = [entries[total - 1 - place].article for place in places]
    return [
        (article.key, origin + place, article.date.timestamp())
        for article, place in zip(shown, places, strict=True)
    ]
