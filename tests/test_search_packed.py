"""Documents packed for indexing workers are the documents the articles make."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen.readers.cache import read_seeds_cached
from newsgen.render.bodystore import pack_bodies
from newsgen.search.index import SearchDocs
from newsgen.search.packed import PackedDocs

ZONE = ZoneInfo("UTC")


def _seeds(folder: Path) -> Path:
    seeds = folder / "seeds"
    seeds.mkdir()
    bodies = [
        "<p>Ferry {n} sails again &amp; the port reopens.</p>",
        "<p>Überfahrt {n}: «Fähre» fährt wieder — 渡轮 {n} 🚢</p>",
        "",  # an article with no body at all
    ]
    for number in range(12):
        body = bodies[number % len(bodies)].format(n=number) * (number * 30 + 1)
        text = (
            f"---\ntitle: Ferry {number} & the port\ndate: 2025-03-{number + 1:02d}T10:00:00Z\n"
            f"source: Desk {number % 3}\nlanguage: {'de' if number % 3 == 1 else 'en'}\n"
            f"---\n{body}\n"
        )
        (seeds / f"ferry-{number:02d}.md").write_text(text, encoding="utf-8")
    return seeds


def test_packed_documents_equal_the_documents_of_mapped_bodies(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "state")
    articles = read_seeds_cached(seeds, timezone=ZONE, cache_dir=tmp_path / "state").articles
    assert sum(isinstance(a.body_utf8, memoryview) for a in articles) >= 6  # viewed in the files
    docs = SearchDocs(articles, "en", "{year}/{slug}/")
    packed = PackedDocs(docs)
    assert len(packed) == len(docs) == 12
    assert list(packed) == [docs[n] for n in range(len(docs))]
    assert packed[2:7] == docs[2:7]
    assert packed[-1] == docs[11]


def test_packed_documents_equal_the_documents_of_packed_and_loose_bodies(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    articles = list(read_seeds_cached(seeds, timezone=ZONE).articles)
    loose = articles[:3]  # bodies as bytes of their own
    held = articles[3:]
    pack_bodies(held)  # bodies as views into one block
    assert not isinstance(loose[0].body_utf8, memoryview)
    assert isinstance(held[0].body_utf8, memoryview)
    docs = SearchDocs(loose + held)
    assert list(PackedDocs(docs)) == list(docs[0 : len(docs)])
