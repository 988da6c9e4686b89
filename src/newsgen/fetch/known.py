"""Collect the identities of every item already in `seeds/`, fetched or written by an editor.

Reading every seed's front matter each hour gets slow as a site grows over years, so what each
file said is cached in `.newsgen/seed-index.json` by path, size and modification time; a file
that changed is read again. Deleting the cache only makes the next run read everything.
Each entry also keeps the seed's `date:`, which retention (retention.py) needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsgen.atomicwrite import write_atomic
from newsgen.fetch.items import guid_key, is_http_url, key_hash, link_key
from newsgen.frontmatter import FrontMatterError, has_front_matter, split_front_matter
from newsgen.records import read_record

_MAX_SEED_BYTES = 4 * 1024 * 1024
INDEX_VERSION = 2


@dataclass(frozen=True, slots=True)
class SeedEntry:
    """What fetch needs of one seed file: its identity digests and its date, as written."""

    digests: tuple[str, ...]
    date: str  # the `date:` value as ISO text, "" when it has none


def seed_identities(seeds_dir: Path, cache_path: Path | None = None) -> set[str]:
    """Return the identity digests of the `link:` and `guid:` of every front-matter seed."""
    return {
        digest for entry in seed_index(seeds_dir, cache_path).values() for digest in entry.digests
    }


def seed_index(seeds_dir: Path, cache_path: Path | None = None) -> dict[str, SeedEntry]:
    """Map each seed's path (relative to `seeds_dir`) to its identities and date."""
    cached = _load_cache(cache_path) if cache_path else {}
    fresh: dict[str, list[Any]] = {}
    for path in _seed_files(seeds_dir):
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while we looked
        relpath = path.relative_to(seeds_dir).as_posix()
        entry = cached.get(relpath)
        if entry is None or entry[:2] != [stat.st_size, stat.st_mtime_ns]:
            keys, when = _read(path)
            entry = [stat.st_size, stat.st_mtime_ns, [key_hash(key) for key in keys], when]
        fresh[relpath] = entry
    if cache_path and fresh != cached:
        document = {"version": INDEX_VERSION, "files": fresh}
        write_atomic(cache_path, json.dumps(document, separators=(",", ":")), durable=True)
    return {relpath: SeedEntry(tuple(entry[2]), entry[3]) for relpath, entry in fresh.items()}


def _load_cache(cache_path: Path) -> dict[str, list[Any]]:
    document = read_record(cache_path, "version", INDEX_VERSION)
    files = document.get("files") if document else None
    if not isinstance(files, dict):
        return {}  # no cache yet, or a damaged one: read every seed this time
    return {
        relpath: entry
        for relpath, entry in files.items()
        if isinstance(entry, list)
        and len(entry) == 4
        and isinstance(entry[2], list)
        and isinstance(entry[3], str)
    }


def _seed_files(seeds_dir: Path) -> Iterable[Path]:
    if not seeds_dir.is_dir():
        return
    for path in sorted(seeds_dir.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(seeds_dir).parts)
        if not hidden and path.is_file():
            yield path


def _read(path: Path) -> tuple[list[str], str]:
    """Return a seed's identity keys and its date as ISO text."""
    try:
        if path.stat().st_size > _MAX_SEED_BYTES:
            return [], ""
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [], ""  # unreadable now; the build reports it, and fetch only needs what it can
    if not has_front_matter(text):
        return [], ""
    try:
        meta = split_front_matter(text).meta
    except FrontMatterError:
        return [], ""  # broken front matter is the build's to report, with its line number
    when = meta.get("date")
    iso = when.isoformat() if isinstance(when, date | datetime) else str(when or "")
    return _keys(meta), iso


def _keys(meta: dict[str, Any]) -> list[str]:
    keys = []
    link, guid = meta.get("link"), meta.get("guid")
    if isinstance(link, str) and is_http_url(link):
        keys.append(link_key(link))
    if isinstance(guid, str | int) and str(guid).strip():
        keys.append(guid_key(str(guid)))
    return keys
