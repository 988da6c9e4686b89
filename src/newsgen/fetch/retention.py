"""Retention: move fetched seeds older than `retention: {days: N}` from seeds/ to archive/.

A fetched seed is recognised by its name: fetch names each file after the digest of the item's
link or guid (`<host>/<slug>-<digest>.md`, seedwriter.py), and a file whose name carries the
digest of its own `link:` or `guid:` was written by fetch. Editors' files never match, however
old they are, and are never moved. Archived files keep their path under `archive/` (a folder
meant to be committed, like seeds/), and fetch still knows their items, so an old item still
in its feed is not fetched again. The next build simply no longer has their pages.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsgen.fetch.known import SeedEntry, seed_index

ARCHIVE_DIR = "archive"
_DIGEST_NAME = re.compile(r"(?:^|-)(?P<digest>[0-9a-f]{12})\.md$")


@dataclass(frozen=True, slots=True)
class Retired:
    """The seeds a retention pass moved, relative to seeds/ (and to archive/)."""

    files: tuple[str, ...]
    cutoff: datetime


def retention_cutoff(days: int, now: datetime) -> datetime:
    """Return the time before which fetched items are past retention."""
    return now - timedelta(days=days)


def retire_seeds(
    seeds_dir: Path, archive_dir: Path, index_path: Path | None, days: int, now: datetime
) -> Retired:
    """Move every fetched seed dated before `now - days` from `seeds_dir` into `archive_dir`."""
    cutoff = retention_cutoff(days, now)
    moved = []
    for relpath, entry in sorted(seed_index(seeds_dir, index_path).items()):
        if is_fetched(relpath, entry) and _older(entry.date, cutoff):
            _move(seeds_dir, archive_dir, relpath)
            moved.append(relpath)
    return Retired(tuple(moved), cutoff)


def is_fetched(relpath: str, entry: SeedEntry) -> bool:
    """Say whether a seed was written by fetch: its name carries its own identity's digest."""
    match = _DIGEST_NAME.search(relpath.rsplit("/", 1)[-1])
    return match is not None and any(d.startswith(match["digest"]) for d in entry.digests)


def _older(iso: str, cutoff: datetime) -> bool:
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return False  # no readable date: nothing says it is old
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when < cutoff


def _move(seeds_dir: Path, archive_dir: Path, relpath: str) -> None:
    source = seeds_dir / relpath
    target = archive_dir / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        # The same name is the same item; keep an edited copy beside it rather than lose it.
        if target.read_bytes() == source.read_bytes():
            source.unlink()
            _remove_empty_parents(source.parent, seeds_dir)
            return
        target = _free_name(target)
    os.replace(source, target)
    _remove_empty_parents(source.parent, seeds_dir)


def _free_name(path: Path) -> Path:
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty: other seeds live there
        folder = folder.parent
