"""Letting go of mapped pages: the process's resident memory falls, the bytes stay as they were."""

from __future__ import annotations

import mmap
import sys
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

import pytest

from newsgen import mapped
from newsgen.models import Article
from newsgen.readers import cache as parse_cache
from newsgen.readers.cache import read_seeds_cached
from newsgen.readers.parse import read_seeds
from newsgen.search import index as searchindex
from newsgen.stories import terms as story_terms

SIZE = 32 * 1024 * 1024
ZONE = ZoneInfo("UTC")


def _resident_file_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssFile:"):
            return int(line.split()[1])
    raise AssertionError("no RssFile line in /proc/self/status")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads resident memory from /proc, Linux only"
)
def test_released_pages_leave_resident_memory_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "block"
    data = bytes(range(256)) * (SIZE // 256)
    path.write_bytes(data)
    with open(path, "rb") as handle:
        block = mapped.register(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    before = _resident_file_kib()
    pages = [block[offset] for offset in range(0, SIZE, 4096)]  # a byte of every page
    assert len(pages) == SIZE // 4096
    read_in = _resident_file_kib()
    assert read_in - before > SIZE // 1024 * 3 // 4
    mapped.release()
    assert _resident_file_kib() < read_in - SIZE // 1024 * 3 // 4
    assert block[:] == data
    block.close()
    mapped.release()  # a closed mapping is passed over


def test_bodies_from_the_parse_cache_read_the_same_after_a_release(tmp_path: Path) -> None:
    seeds, state = tmp_path / "seeds", tmp_path / "state"
    seeds.mkdir()
    for number in range(8):
        body = f"<p>Ferry {number} sails again after the storm.</p>" * (number * 40 + 1)
        text = f"---\ntitle: Ferry {number}\ndate: 2025-03-0{number + 1}T10:00:00Z\n---\n{body}\n"
        (seeds / f"ferry-{number}.md").write_text(text, encoding="utf-8")
    fresh = list(read_seeds(seeds, timezone=ZONE).articles)
    read_seeds_cached(seeds, timezone=ZONE, cache_dir=state)
    cached = list(read_seeds_cached(seeds, timezone=ZONE, cache_dir=state).articles)
    assert any(isinstance(a.body_utf8, memoryview) for a in cached)  # viewed in the files
    mapped.release()
    assert cached == fresh


def _ferry(folder: Path) -> Article:
    """One short article, read from its seed."""
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / "ferry.md").write_text(
        "---\ntitle: Ferry\ndate: 2025-03-01T10:00:00Z\n---\n<p>The ferry sails.</p>\n", "utf-8"
    )
    [article] = read_seeds(seeds, timezone=ZONE).articles
    return article


def test_search_documents_let_go_of_mapped_pages_every_so_many_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _ferry(tmp_path)
    released: list[int] = []
    monkeypatch.setattr(searchindex, "release", lambda: released.append(1))
    docs = searchindex.SearchDocs([article] * (3 * mapped.RELEASE_EVERY))
    for number in range(2 * mapped.RELEASE_EVERY - 1):
        assert docs[number].title == "Ferry"
    assert len(released) == 1
    assert len(docs[: mapped.RELEASE_EVERY]) == mapped.RELEASE_EVERY
    assert len(released) == 2


class _Recorder:
    """A file that keeps what each write was given."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes | memoryview) -> int:
        self.writes.append(bytes(data))
        return len(data)


def test_a_file_to_be_mapped_is_written_in_pieces_no_larger_than_a_piece() -> None:
    data = bytes(range(256)) * (5 * mapped.WRITE_PIECE // 256 + 3)
    file = _Recorder()
    mapped.write_in_pieces(file, data)  # type: ignore[arg-type]  # any file's write will do
    assert b"".join(file.writes) == data
    assert len(file.writes) == 6
    assert max(map(len, file.writes)) == mapped.WRITE_PIECE


def test_parse_cache_files_are_written_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    body = "<p>Ferry sails again after the storm, and the port reopens.</p>" * 4000
    text = f"---\ntitle: Ferry\ndate: 2025-03-01T10:00:00Z\n---\n{body}\n"
    (seeds / "ferry.md").write_text(text, encoding="utf-8")
    pieces: list[int] = []
    write = mapped.write_in_pieces

    def counted(file: BinaryIO, data: bytes) -> None:
        pieces.append(len(data))
        write(file, data)

    monkeypatch.setattr(parse_cache, "write_in_pieces", counted)
    read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "state")
    assert pieces and max(pieces) > mapped.WRITE_PIECE  # the shard holding the long body
    [article] = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "state").articles
    assert article.body_html == body


def test_reading_terms_lets_go_of_mapped_pages_every_so_many_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _ferry(tmp_path)
    released: list[int] = []
    monkeypatch.setattr(story_terms, "release", lambda: released.append(1))
    story_terms.tally([article] * (3 * mapped.RELEASE_EVERY + 1), story_terms.Vocabulary())
    assert len(released) == 3
