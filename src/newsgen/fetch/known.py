"""Collect the identities of every item already in `seeds/`, fetched or written by an editor."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgen.fetch.items import guid_key, is_http_url, key_hash, link_key
from newsgen.frontmatter import FrontMatterError, has_front_matter, split_front_matter

_MAX_SEED_BYTES = 4 * 1024 * 1024


def seed_identities(seeds_dir: Path) -> set[str]:
    """Return the identity digests of the `link:` and `guid:` of every front-matter seed."""
    digests: set[str] = set()
    if not seeds_dir.is_dir():
        return digests
    for path in _seed_files(seeds_dir):
        digests.update(key_hash(key) for key in _keys(path))
    return digests


def _seed_files(seeds_dir: Path) -> Iterable[Path]:
    for path in sorted(seeds_dir.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(seeds_dir).parts)
        if not hidden and path.is_file():
            yield path


def _keys(path: Path) -> list[str]:
    try:
        if path.stat().st_size > _MAX_SEED_BYTES:
            return []
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []  # unreadable now; the build reports it, and fetch only needs what it can read
    if not has_front_matter(text):
        return []
    try:
        meta = split_front_matter(text).meta
    except FrontMatterError:
        return []  # broken front matter is the build's to report, with its line number
    keys = []
    link, guid = meta.get("link"), meta.get("guid")
    if isinstance(link, str) and is_http_url(link):
        keys.append(link_key(link))
    if isinstance(guid, str | int) and str(guid).strip():
        keys.append(guid_key(str(guid)))
    return keys
