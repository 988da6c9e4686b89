"""The index of items already in seeds/: editors' links and guids, cached by size and time."""

from __future__ import annotations

import os
from pathlib import Path

from newsgen.fetch.items import guid_key, key_hash, link_key
from newsgen.fetch.known import seed_identities


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_links_and_guids_of_front_matter_seeds_are_known(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write(seeds / "a.md", "---\ntitle: A\nlink: http://Example.com/a?utm_source=x\n---\nBody\n")
    write(seeds / "deep" / "b.txt", "---\ntitle: B\nguid: tag:example.com,2024:b\n---\nBody\n")
    write(seeds / "plain.txt", "date 2024-01-01 A plain seed\nlink: https://example.com/p\n")
    write(seeds / "broken.md", "---\ntitle: [unclosed\n---\n")
    write(seeds / ".hidden.md.x.tmp", "---\nlink: https://example.com/tmp\n---\n")
    assert seed_identities(seeds) == {
        key_hash(link_key("https://example.com/a")),
        key_hash(guid_key("tag:example.com,2024:b")),
    }


def test_the_cache_follows_changed_added_and_removed_files(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / ".newsgen" / "seed-index.json"
    first = write(seeds / "a.md", "---\nlink: https://example.com/a\n---\n")
    assert seed_identities(seeds, cache) == {key_hash(link_key("https://example.com/a"))}
    assert cache.exists()
    write(seeds / "a.md", "---\nlink: https://example.com/changed\n---\n")
    stat = first.stat()
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    write(seeds / "b.md", "---\nlink: https://example.com/b\n---\n")
    assert seed_identities(seeds, cache) == {
        key_hash(link_key("https://example.com/changed")),
        key_hash(link_key("https://example.com/b")),
    }
    (seeds / "b.md").unlink()
    assert seed_identities(seeds, cache) == {key_hash(link_key("https://example.com/changed"))}


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", write(tmp_path / "index.json", "{oops")
    write(seeds / "a.md", "---\nlink: https://example.com/a\n---\n")
    assert seed_identities(seeds, cache) == {key_hash(link_key("https://example.com/a"))}
