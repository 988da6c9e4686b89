"""The search cache patches the last index when a few older articles change: same bytes as fresh.

- each kind of edit to older documents (title, body, several, terms gone or new, with new ones
  appended) gives the files a fresh index gives, and only the edited documents are tokenised;
- removed, moved or many edited documents, or unknown old terms, index everything again;
- a property test runs random edit sequences through one cache (saved and loaded between
  builds) and compares every build with a fresh one;
- the pieces: postings decode as encoded, the bucket plan is the plain recursive split, and an
  article's digest changes whenever its SearchDoc does.
"""

from __future__ import annotations

import io
import json
import pickle
import random
from array import array
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from itertools import groupby, pairwise
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgen.models import Article, Enclosure
from newsgen.search import cache as searchcache
from newsgen.search import index as searchindex
from newsgen.search import parallel, renumber
from newsgen.search.cache import TermCache
from newsgen.search.index import (
    Indexed,
    Postings,
    SearchDoc,
    SearchDocs,
    build_index,
    decode_postings,
    doc_digests,
    plan_buckets,
    search_doc,
)
from newsgen.search.shelf import TermShelf
from searchquery import Index

# When an example fails, hypothesis' report imports mypy_extensions, whose deprecation warning
# (an error under `filterwarnings = error`) would hide the failing example.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

WORDS = [f"{first}{vowel}{end}" for first in "bdkmrst" for vowel in "aiou" for end in "lnx"]


def doc(n: int, text: str, title: str = "") -> SearchDoc:
    return SearchDoc(
        url=f"2025/01/{n % 28 + 1:02d}/story-{n}/",
        title=title or f"Story {n}",
        date=f"2025-01-{n % 28 + 1:02d}",
        source=f"source{n % 3}.example",
        summary=f"Summary of story {n}.",
        text=text,
    )


COUNT = 100  # documents: a patch takes at most PATCH_SHARE of them, 5 here


def made_docs(count: int = COUNT, seed: int = 3) -> list[SearchDoc]:
    rng = random.Random(seed)
    return [doc(n, " ".join(rng.choices(WORDS, k=rng.randint(20, 60)))) for n in range(count)]


class Spy:
    """What the cache did in the builds since it was made: tokenised, patched, indexed from."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tokenised: list[SearchDoc] = []
        self.patched: list[list[int]] = []  # the ids each patch indexed again
        self.starts: list[int] = []  # the first id `index_docs` indexed, each build
        self.renumbered: list[list[int]] = []  # the ids each renumbering indexed among the rest
        self._wrap(monkeypatch, "doc_terms", lambda doc: self.tokenised.append(doc))
        self._wrap(monkeypatch, "reindex_docs", lambda _, changes: self.patched.append([*changes]))
        self._wrap(monkeypatch, "index_docs", lambda *_, start=0, **__: self.starts.append(start))
        self._wrap(monkeypatch, "renumbered", lambda *args: self.renumbered.append(sorted(args[3])))

    def reset(self) -> None:
        self.tokenised.clear()
        self.patched.clear()
        self.starts.clear()
        self.renumbered.clear()

    @staticmethod
    def _wrap(monkeypatch: pytest.MonkeyPatch, name: str, record: Callable[..., None]) -> None:
        original = getattr(searchcache, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            record(*args, **kwargs)
            return original(*args, **kwargs)

        monkeypatch.setattr(searchcache, name, recorded)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def edited(docs: list[SearchDoc], index: int, **changes: str) -> list[SearchDoc]:
    return [*docs[:index], replace(docs[index], **changes), *docs[index + 1 :]]


def warm(docs: list[SearchDoc], spy: Spy) -> TermCache:
    """A cache that indexed `docs`, saved and read back as a build does; the spy starts here."""
    cache = TermCache()
    build_index(docs, cache=cache)
    spy.reset()
    return TermCache.loads(cache.dumps())


def test_an_older_title_changed_is_patched_in_place(spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    after = edited(docs, 30, title="Kherson bridge reopened")
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.tokenised == [after[30]]
    assert spy.patched == [[COUNT - 1 - 30]]
    assert spy.starts[0] == COUNT  # nothing was indexed from scratch by the cache
    hits = Index(dict(build_index(after, cache=cache))).search("kherson bridge")
    assert [hit.url for hit in hits] == [after[30].url]


def test_an_older_body_changed_is_patched(spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    after = edited(docs, 44, text=docs[44].text.replace(WORDS[0], WORDS[1]) + " zaporizhzhia")
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.patched == [[COUNT - 1 - 44]]


def test_several_changed_at_once(spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    after = docs
    for index in (5, 17, 40, 99):  # 99 is the oldest, id 0
        after = edited(after, index, text=f"{after[index].text} {WORDS[index % 7]} kyiv")
    assert build_index(after, cache=cache) == build_index(after)
    assert sorted(spy.patched[0]) == [0, 59, 82, 94]


def test_a_term_leaves_the_index_and_another_joins_it(spy: Spy) -> None:
    docs = made_docs()
    docs = edited(docs, 20, text="oreshnik " + docs[20].text)  # the only one with `oreshnik`
    cache = warm(docs, spy)
    after = edited(docs, 20, text=docs[20].text.replace("oreshnik ", "kerch "))
    files = build_index(after, cache=cache)
    assert files == build_index(after)
    index = Index(dict(files))
    assert index.search("oreshnik") == [] and index.search("kerch")[0].url == docs[20].url
    assert spy.patched == [[COUNT - 1 - 20]]


def test_a_document_can_lose_every_term_and_gain_them_back(spy: Spy) -> None:
    docs = made_docs(30)
    cache = warm(docs, spy)
    emptied = [*docs[:10], replace(docs[10], title="", text="the and of"), *docs[11:]]
    assert build_index(emptied, cache=cache) == build_index(emptied)
    assert build_index(docs, cache=cache) == build_index(docs)
    assert spy.patched == [[19], [19]]


def test_changed_and_new_documents_together(spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    after = [doc(100, "kerch bridge news", title="Kerch"), *edited(docs, 33, title="Kerch")]
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.patched == [[COUNT - 1 - 33]]
    assert spy.starts[0] == COUNT  # the new one is appended after the patch
    assert spy.tokenised == [after[34], after[0]]  # the edited one, then the new one


RETIRED = [(1000, 100, 3), (10, 105, 3), (10, 105, 6)]


@pytest.mark.parametrize(("step", "count", "gone"), RETIRED)
def test_the_oldest_documents_gone_lower_the_others_ids_without_indexing_again(
    step: int, count: int, gone: int, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As retention leaves a site: the oldest gone, one edited, one new. Under LATEST_STEP all
    documents are in `terms/`. With `terms/` cut every 10 documents, 105 less 3 leaves the cut
    where it was, and some of `latest/` joins `terms/`; 105 less 6 moves the cut down, and
    some of `terms/` joins `latest/`."""
    monkeypatch.setattr(searchindex, "LATEST_STEP", step)
    docs = made_docs(count)
    cache = warm(docs, spy)
    after = [doc(1000, "kherson ferry crossing"), *edited(docs, 5, title="Kerch")[:-gone]]
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.patched == [[count - 1 - 5 - gone]]  # the edited one, under its new id
    assert spy.starts[0] == count - gone  # only the new one was indexed
    hits = Index(dict(build_index(after, cache=cache))).search("ferry")
    assert [hit.url for hit in hits] == [after[0].url]


def test_two_swapped_are_patched_under_each_others_ids(spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    after = [*docs[:8], docs[9], docs[8], *docs[10:]]
    assert build_index(after, cache=cache) == build_index(after)
    assert sorted(spy.patched[0]) == [90, 91]  # two ids changed: the cheap way to index a move


# Changes that move the ids after them, given the ids renumbering indexes among the others.
MOVES: dict[str, tuple[Callable[[list[SearchDoc]], list[SearchDoc]], list[int]]] = {
    "the newest removed": (lambda docs: edited(docs[1:], 5, title="Kerch"), [COUNT - 1 - 6]),
    "an older one removed": (lambda docs: [*docs[:60], *docs[61:]], []),
    "several removed, one edited": (
        lambda docs: edited([d for n, d in enumerate(docs) if n % 17], 3, title="Kerch"),
        [COUNT - 6 - 1 - 3],  # 94 left, of ids 0 to 93: the edited one is the fourth newest
    ),
    "one added among older ones": (
        lambda docs: [*docs[:70], doc(500, "kherson ferry crossing"), *docs[70:]],
        [COUNT - 70],
    ),
    "one given a later date": (
        lambda docs: [*docs[:10], replace(docs[50], date="2025-02-01"), *docs[10:50], *docs[51:]],
        [COUNT - 1 - 10],
    ),
}


@pytest.mark.parametrize("change", MOVES)
def test_ids_moved_by_a_change_are_renumbered_without_indexing_again(change: str, spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy)
    make, indexed = MOVES[change]
    after = make(docs)
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.renumbered == [indexed]
    assert spy.patched == [] and spy.starts[0] == len(after)  # nothing indexed from scratch
    assert len(spy.tokenised) == len(indexed)


@pytest.mark.parametrize("keep_terms", [True, False])
def test_most_documents_new_are_indexed_again(keep_terms: bool, spy: Spy) -> None:
    docs = made_docs()
    cache = warm(docs, spy) if keep_terms else TermCache(keep_terms=False)
    build_index(docs, cache=cache)
    spy.reset()
    after = [replace(d, title=f"Kerch {n}") for n, d in enumerate(docs) if n % 3]
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.patched == [] and spy.renumbered == []
    assert spy.starts[0] == 0


def test_without_old_terms_an_edit_is_renumbered_in(spy: Spy) -> None:
    docs = made_docs(40)
    cache = TermCache(keep_terms=False)
    build_index(docs, cache=cache)
    spy.reset()
    after = edited(docs, 12, title="Kerch")
    assert build_index(after, cache=cache) == build_index(after)
    # Its old terms are unknown, so are the postings to take it from: renumbering leaves it
    # out, and indexes it again among the others.
    assert spy.patched == [] and spy.renumbered == [[27]] and len(spy.tokenised) == 1


def test_the_patched_cache_keeps_only_the_current_documents_terms(spy: Spy) -> None:
    docs = made_docs(40)
    cache = warm(docs, spy)
    after = edited(docs, 12, title="Kerch")
    build_index(after, cache=cache)
    assert len(cache) == 40
    again = TermCache.loads(cache.dumps())
    assert build_index(docs, cache=again) == build_index(docs)  # and back: patched again
    assert spy.patched == [[27], [27]]


def test_a_shelved_cache_reads_and_writes_only_the_shards_of_what_changed(
    spy: Spy, tmp_path: Path
) -> None:
    docs = made_docs(COUNT)
    cache, shelf = warm_shelved(docs, tmp_path, spy)
    written = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    assert len(written) > 50  # a hundred documents' terms, spread over the shards
    after = edited(docs, 12, title="Kerch")
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.patched == [[COUNT - 13]] and len(spy.tokenised) == 1
    assert shelf.shards_read <= 2
    cache = reopened(cache, tmp_path)
    changed = [p.name for p in tmp_path.iterdir() if written.get(p.name) != p.stat().st_mtime_ns]
    assert 1 <= len(changed) <= 2  # the old terms' shard and the new terms' shard
    assert build_index(docs, cache=cache) == build_index(docs)  # and back, patched again
    assert spy.patched[-1] == [COUNT - 13]


def test_new_documents_on_several_processes_read_only_their_own_shards(
    spy: Spy, tmp_path: Path
) -> None:
    docs = made_docs(COUNT)
    cache, shelf = warm_shelved(docs, tmp_path, spy)
    cache.workers = 2  # as a build on two cores, which may tokenise new documents apart
    after = [*made_docs(3, seed=9), *docs]  # three newer documents
    assert build_index(after, cache=cache) == build_index(after)
    assert spy.starts == [COUNT] and len(spy.tokenised) == 3
    assert shelf.shards_read <= 3


def test_a_damaged_or_foreign_shard_costs_only_tokenising_again(tmp_path: Path) -> None:
    docs = made_docs(40)
    cache = TermCache(TermShelf(tmp_path, "rules"))
    build_index(docs, cache=cache)
    saved = cache.dumps()
    cache.save_terms()
    shards = sorted(tmp_path.iterdir())
    shards[0].write_bytes(b"not a pickle")
    shards[1].write_bytes(pickle.dumps(("other rules", {})))
    again = TermCache.load(io.BytesIO(saved), shelf=TermShelf(tmp_path, "rules"))
    after = edited(docs, 3, title="Kerch")
    assert build_index(after, cache=again) == build_index(after)
    assert build_index(docs, cache=TermCache(TermShelf(tmp_path, "other"))) == build_index(docs)


# Random edit sequences, as articles (what a build indexes) through one cache between builds.

DAY = datetime(2025, 3, 1, 9, tzinfo=UTC)
TEXTS = st.lists(
    st.sampled_from([*WORDS[:12], "kerch", "oreshnik", "&amp;", "<b>x</b>"]), max_size=8
)


def article(n: int, words: list[str]) -> Article:
    return Article(
        title=f"Story {n} {' '.join(words[:2])}",
        date=DAY + timedelta(hours=n),
        slug=f"story-{n}",
        body_html=f"<p>{' '.join(words)}</p>",
        summary=f"Summary {n}.",
        source=f"source{n % 2}.example",
    )


def apply(articles: list[Article], step: tuple[str, int, list[str]], serial: int) -> list[Article]:
    """One edit to articles given newest first; `serial` names any new article."""
    kind, at, words = step
    if not articles or kind == "add":
        return [article(serial, words), *articles]
    at %= len(articles)
    old = articles[at]
    new = {
        "title": lambda: [replace(old, title=" ".join(words) or "Untitled")],
        "body": lambda: [replace(old, body_html=f"<p>{' '.join(words)}</p>")],
        "append": lambda: [replace(old, body_html=f"{old.body_html}<p>{' '.join(words)}</p>")],
        "summary": lambda: [replace(old, summary=" ".join(words))],
        "day": lambda: [replace(old, date=old.date + timedelta(days=len(words) + 1))],
        "hour": lambda: [replace(old, date=old.date.replace(hour=len(words)))],
        "remove": lambda: [],
        "backdated": lambda: [old, replace(article(serial, words), date=old.date)],
    }
    if kind == "retire":  # the oldest leave, as retention takes them
        return articles[: -(at % 3 + 1)]
    if kind == "swap":
        if at + 1 == len(articles):
            return articles
        return [*articles[:at], articles[at + 1], old, *articles[at + 2 :]]
    return [*articles[:at], *new[kind](), *articles[at + 1 :]]


STEPS = st.tuples(
    st.sampled_from(
        [
            "title",
            "body",
            "append",
            "summary",
            "day",
            "hour",
            "remove",
            "swap",
            "add",
            "retire",
            "backdated",
        ]
    ),
    st.integers(0, 50),
    TEXTS,
)


@settings(max_examples=150, deadline=None)
@given(
    start=st.lists(TEXTS, min_size=1, max_size=14),
    builds=st.lists(st.lists(STEPS, min_size=1, max_size=3), min_size=1, max_size=4),
    share=st.sampled_from([0.0, 0.2, 1.0]),  # never patched, some builds, every one
    renumber=st.sampled_from([-1.0, 0.5, 1.0]),  # never renumbered, some builds, every one
    keep_terms=st.booleans(),
    shelved=st.booleans(),  # the terms saved on a shelf of shards, as `newsgen build` keeps them
    step=st.sampled_from([1000, 4]),  # LATEST_STEP: all in `terms/`, or `latest/` too
)
def test_any_edits_give_the_files_of_a_fresh_index(
    start: list[list[str]],
    builds: list[list[Any]],
    share: float,
    renumber: float,
    keep_terms: bool,
    shelved: bool,
    step: int,
) -> None:
    articles = [article(n, words) for n, words in enumerate(start)][::-1]
    serial = len(articles)
    with (
        patch.object(searchcache, "PATCH_SHARE", share),
        patch.object(searchcache, "RENUMBER_SHARE", renumber),
        patch.object(searchindex, "LATEST_STEP", step),
        TemporaryDirectory() as folder,
    ):
        shelf = TermShelf(Path(folder), "rules") if shelved else None
        cache = TermCache(shelf, keep_terms=keep_terms)
        build_index(SearchDocs(articles), cache=cache)
        for number, steps in enumerate(builds):
            for step in steps:
                articles, serial = apply(articles, step, serial), serial + 1
            if number % 2:  # every other build from a saved cache, as `newsgen build` does
                cache = reopened(cache, Path(folder) if shelved else None, keep_terms)
            fresh = build_index([search_doc(a) for a in articles])
            assert build_index(SearchDocs(articles), cache=cache) == fresh


def warm_shelved(docs: list[SearchDoc], folder: Path, spy: Spy) -> tuple[TermCache, TermShelf]:
    """`warm`, its terms saved on a shelf in `folder`: the cache read back, and its shelf."""
    cache = TermCache(TermShelf(folder, "rules"))
    build_index(docs, cache=cache)
    cache.save_terms()
    shelf = TermShelf(folder, "rules")
    spy.reset()
    return TermCache.load(io.BytesIO(cache.dumps()), shelf=shelf), shelf


def reopened(cache: TermCache, folder: Path | None, keep_terms: bool = True) -> TermCache:
    """The cache saved and read back, its terms through a shelf in `folder` if given."""
    if folder is None:
        return TermCache.loads(cache.dumps(), keep_terms=keep_terms)
    saved = cache.dumps()
    cache.save_terms()
    shelf = TermShelf(folder, "rules")
    return TermCache.load(io.BytesIO(saved), keep_terms=keep_terms, shelf=shelf)


# The pieces.


@pytest.mark.parametrize(
    "ids",
    [
        [],
        [0],
        [0, 1, 2],
        [5, 2047, 2048, 9000],
        [3, 1 << 20, (1 << 20) + 1],
        list(range(0, 5000, 7)),
    ],
)
def test_postings_decode_as_they_were_encoded(ids: list[int]) -> None:
    rng = random.Random(len(ids))
    packed = [doc_id << 4 | rng.randrange(16) for doc_id in ids]
    code = searchindex._encode_postings(array("I", packed), None)[0] if packed else ""
    assert decode_postings(code) == packed


@settings(max_examples=200, deadline=None)
@given(ids=st.sets(st.integers(0, 1 << 22), min_size=1, max_size=30), at=st.integers(0, 1 << 22))
def test_postings_cut_from_their_end_are_those_of_each_side(ids: set[int], at: int) -> None:
    packed = [doc_id << 4 | doc_id % 16 for doc_id in sorted(ids)]
    below, moved = searchindex._cut_postings(
        searchindex._encode_postings(array("I", packed), None), at
    )
    for side, expected in (
        (below, [n for n in packed if n >> 4 < at]),
        (moved, [n for n in packed if n >> 4 >= at]),
    ):
        assert side == (
            searchindex._encode_postings(array("I", expected), None) if expected else None
        )


@settings(max_examples=100, deadline=None)
@given(
    held=st.dictionaries(
        st.sampled_from(WORDS), st.sets(st.integers(0, (1 << 22) - 1), min_size=1), min_size=1
    ),
    gone=st.sets(st.integers(0, (1 << 22) - 1), max_size=5),
)
def test_renumbering_postings_reads_and_writes_them_as_the_codec_does(
    held: dict[str, set[int]], gone: set[int]
) -> None:
    """Ids of up to 22 bits give numbers of up to six digits, as a site of millions has."""
    count = 1 << 22

    def encoded(ids: dict[str, list[int]]) -> Postings:
        return {
            term: searchindex._encode_postings(array("I", [i << 4 | i % 16 for i in sorted(at)]),
                                               None)
            for term, at in ids.items() if at
        }  # fmt: skip

    before = Indexed([], [], encoded({t: list(ids) for t, ids in held.items()}), {})
    # No rows: renumbering reads only the postings of ids that have none.
    new_of = np.arange(count)
    new_of[list(gone)] = -1
    with patch.object(renumber, "CHUNK_CHARS", 40):  # several runs of terms
        after = renumber._chunked_postings(before, new_of, count)  # all in `terms/`
    assert after == (encoded({t: [i for i in ids if i not in gone] for t, ids in held.items()}),
                     {})  # fmt: skip


def plain_plan(sizes: dict[str, int]) -> dict[str, list[str]]:
    """The bucket plan as its docstring tells it: group by prefix, split what is too big."""
    out: dict[str, list[str]] = {}

    def split(terms: list[str], depth: int) -> None:
        for prefix, group in groupby(terms, key=lambda term: term[:depth]):
            members = list(group)
            if sum(sizes[t] for t in members) <= searchindex.BUCKET_BYTES or len(members) == 1:
                out[prefix] = members
                continue
            if members[0] == prefix:
                out[prefix] = [prefix]
                members = members[1:]
            split(members, depth + 1)

    split(sorted(sizes), 1)
    return out


@settings(max_examples=300, deadline=None)
@example(sizes={"a": 150, "ab": 150}, limit=300)  # exactly full: one bucket
@example(sizes={"a": 150, "ab": 151}, limit=300)
@given(
    sizes=st.dictionaries(
        st.text(st.sampled_from("abcé1_\U0010ffff"), max_size=6), st.integers(1, 400)
    ),
    limit=st.sampled_from([1, 300, 2000, 1 << 16]),
)
def test_the_bucket_plan_is_the_plain_recursive_split(sizes: dict[str, int], limit: int) -> None:
    with patch.object(searchindex, "BUCKET_BYTES", limit):
        assert list(plan_buckets(sizes).items()) == list(plain_plan(sizes).items())


BASE = Article(
    title="Oreshnik in Belarus",
    date=datetime(2025, 12, 30, 23, 30, tzinfo=timezone(timedelta(hours=2))),
    slug="oreshnik-in-belarus",
    body_html="<p>Belarus &amp; Russia</p>",
    summary="Belarus has announced the deployment.",
    source="example.com",
)
ARTICLE_CHANGES: dict[str, dict[str, Any]] = {
    "title": {"title": "Kerch"},
    "slug": {"slug": "kerch"},
    "body_html": {"body_html": "<p>Belarus &amp; Ukraine</p>"},
    "body_html tags only": {"body_html": "<div>Belarus &amp; Russia</div>"},
    "summary": {"summary": "Other."},
    "source": {"source": "other.example"},
    "source_url": {"source_url": "https://feeds.example/rss"},
    "link": {"link": "https://example.com/a"},
    "image": {"image": "https://example.com/a.png"},
    "image_alt": {"image_alt": "A picture"},
    "author": {"author": "A. Writer"},
    "tags": {"tags": ("belarus",)},
    "keywords": {"keywords": ("minsk",)},
    "categories": {"categories": ("world",)},
    "enclosure": {"enclosure": Enclosure("https://example.com/a.mp3", "audio/mpeg", 9)},
    "language": {"language": "de"},
    "language: same language, another region": {"language": "en-GB"},
    "draft": {"draft": True},
    "seed_path": {"seed_path": "a/b.md"},
    "seed_line": {"seed_line": 7},
    "inferred": {"inferred": ("title",)},
    "explicit_date": {"explicit_date": False},
    "weekday_hints": {"weekday_hints": (2,)},
    "params": {"params": {"mood": "sunny"}},
    "date: same day": {"date": BASE.date - timedelta(hours=5)},
    "date: next day": {"date": BASE.date + timedelta(hours=1)},
    "date: same instant, a zone a day on": {
        "date": BASE.date.astimezone(timezone(timedelta(hours=3)))
    },
    "date: same day, another zone": {"date": BASE.date.astimezone(timezone(timedelta(hours=1)))},
}


def test_every_article_field_is_in_the_digest_table() -> None:
    covered = {key.split(":")[0].split(" ")[0] for key in ARTICLE_CHANGES}
    assert {field.name for field in fields(Article) if field.init} <= covered


@pytest.mark.parametrize("change", ARTICLE_CHANGES)
def test_an_article_digest_changes_whenever_its_search_doc_does(change: str) -> None:
    other = replace(BASE, **ARTICLE_CHANGES[change])
    [before], [after] = SearchDocs([BASE]).digests(), SearchDocs([other]).digests()
    if search_doc(other) != search_doc(BASE):
        assert after != before
    if change in ("draft", "tags", "keywords", "date: same day", "date: same day, another zone"):
        assert after == before  # what the index does not take leaves the cache valid


@pytest.mark.parametrize("change", ARTICLE_CHANGES)
def test_a_parsed_article_digest_changes_whenever_its_search_doc_does(change: str) -> None:
    # As a build has them: carrying the parse stage's digest, which stands in for the body.
    base = BASE.with_parsed_digest()
    other = replace(BASE, **ARTICLE_CHANGES[change]).with_parsed_digest()
    [before], [after] = SearchDocs([base]).digests(), SearchDocs([other]).digests()
    if search_doc(other) != search_doc(base):
        assert after != before
    assert SearchDocs([base]).digests() != SearchDocs([BASE]).digests()


def test_what_a_build_changes_after_parsing_is_in_the_digest() -> None:
    base = BASE.with_parsed_digest()
    [before] = SearchDocs([base]).digests()
    next_day = base.with_date(base.date + timedelta(days=1))
    assert next_day.parsed_digest == base.parsed_digest
    assert SearchDocs([next_day]).digests() != [before]
    assert SearchDocs([base.with_language("de")]).digests() != [before]
    assert SearchDocs([base.with_tags(("belarus",))]).digests() == [before]
    assert SearchDocs([base.with_slug("other")]).digests() != [before]
    assert SearchDocs([base], permalink="{year}/{slug}/").digests() != [before]


def test_digests_of_articles_and_of_plain_docs_never_meet() -> None:
    docs = [search_doc(BASE)]
    assert SearchDocs([BASE]).digests() != doc_digests(docs)
    assert doc_digests(SearchDocs([BASE])) == SearchDocs([BASE]).digests()


def test_tokenising_on_several_processes_gives_the_same_files(spy: Spy) -> None:
    docs = made_docs(2 * searchcache.MIN_DOCS_PER_WORKER + 7, seed=11)
    alone = build_index(docs, cache=TermCache())
    assert len(spy.tokenised) == len(docs)
    spy.reset()
    shared = TermCache()
    shared.workers = 2
    together = build_index(docs, cache=shared)
    assert spy.tokenised == []  # every document was tokenised by the two workers
    assert together == alone
    assert len(shared) == len(docs)  # and their terms are kept for the next build


def test_indexing_on_several_processes_shelves_the_terms_one_process_would(
    spy: Spy, tmp_path: Path
) -> None:
    docs = made_docs(2 * searchcache.MIN_DOCS_PER_WORKER + 7, seed=13)
    alone = TermCache(TermShelf(tmp_path / "alone", "rules"))
    files = build_index(docs, cache=alone)
    alone.save_terms()
    shared = TermCache(TermShelf(tmp_path / "shared", "rules"))
    shared.workers = 2
    spy.reset()
    assert build_index(docs, cache=shared) == files
    assert spy.starts == []  # indexed by the workers, which put the terms on the shelf
    shared.save_terms()

    def shards(folder: Path) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in folder.iterdir()}

    assert shards(tmp_path / "shared") == shards(tmp_path / "alone")  # and no parts are left
    after = edited(docs, 12, title="Kerch")
    spy.reset()
    assert build_index(after, cache=reopened(shared, tmp_path / "shared")) == build_index(after)
    assert spy.patched == [[len(docs) - 13]] and len(spy.tokenised) == 1


def test_a_large_site_is_indexed_in_runs_of_bounded_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = made_docs(2 * searchcache.MIN_DOCS_PER_WORKER + 7, seed=15)
    files = build_index(docs)
    runs: list[int] = []
    forked = parallel.imap_forked

    def counted(job: Any, count: int, chunk: int, workers: int) -> Any:
        runs.append(chunk)
        return forked(job, count, chunk, workers)

    monkeypatch.setattr(parallel, "imap_forked", counted)
    monkeypatch.setattr(parallel, "CHUNK", 50)
    monkeypatch.setattr(parallel, "RUN_MOST", 100)  # well under a share of each worker's
    shared = TermCache(TermShelf(tmp_path / "shared", "rules"))
    shared.workers = 2
    assert build_index(docs, cache=shared) == files
    assert runs == [100]


def test_a_large_first_index_on_one_core_is_made_by_a_worker_that_shelves_its_terms(
    spy: Spy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = made_docs(searchcache.MIN_DOCS_PER_WORKER + 7, seed=14)
    alone = TermCache(TermShelf(tmp_path / "alone", "rules"))
    files = build_index(docs, cache=alone)
    assert spy.starts == [0]  # fewer than APART_ON_ONE_CORE: indexed here
    alone.save_terms()
    monkeypatch.setattr(searchcache, "APART_ON_ONE_CORE", len(docs))
    single = TermCache(TermShelf(tmp_path / "single", "rules"))
    assert single.workers == 1
    spy.reset()
    assert build_index(docs, cache=single) == files
    assert spy.starts == [] and spy.tokenised == []  # by one forked worker, not here
    single.save_terms()

    def shards(folder: Path) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in folder.iterdir()}

    assert shards(tmp_path / "single") == shards(tmp_path / "alone")


def _far_apart_docs() -> list[SearchDoc]:
    """3,600 documents: `terms/` holds ids 0 to 2,999 and `latest/` the rest."""
    docs = made_docs(3600, seed=5)
    # A word in two documents far apart (a gap too large for the table of small numbers), and
    # one on either side of where `latest/` begins.
    for doc_id, word in ((4, "zyzzyva"), (2990, "zyzzyva"), (2995, "quixx"), (3500, "quixx")):
        position = len(docs) - 1 - doc_id
        docs[position] = replace(docs[position], text=docs[position].text + f" {word}")
    return docs


@pytest.mark.parametrize(
    "cuts",
    [(0, 3600), (0, 1, 3599, 3600), (0, 3, 1000, 1001, 3600), (0, 900, 1800, 2700, 3600)],
)
def test_runs_indexed_alone_then_joined_are_the_index_of_all(cuts: tuple[int, ...]) -> None:
    docs = _far_apart_docs()
    terms = lambda _, doc: searchindex.doc_terms(doc)  # noqa: E731
    whole = searchindex.index_docs(docs, terms)
    assert searchindex.settled_count(len(docs)) == 3000
    runs = [run for a, b in pairwise(cuts) for run in searchindex.settled_runs(a, b, len(docs))]
    pieces = [searchindex.index_range(docs, terms, a, b) for a, b in runs]
    assert searchindex.joined_index(None, 0, pieces) == whole
    assert whole.postings["zyzzyva"][1] == 2990  # ids count from the oldest
    assert "zyzzyva" not in whole.latest
    assert (whole.postings["quixx"][1], whole.latest["quixx"][1]) == (2995, 3500)
    assert all(last >= 3000 for _, last in whole.latest.values())
    assert all(last < 3000 for _, last in whole.postings.values())


@pytest.mark.parametrize("older", [10, 999, 1000, 2990, 3000, 3599])
def test_new_documents_added_to_an_index_settle_as_in_one_made_whole(older: int) -> None:
    docs = _far_apart_docs()
    terms = lambda _, doc: searchindex.doc_terms(doc)  # noqa: E731
    before = searchindex.index_docs(docs[len(docs) - older :], terms)  # the oldest `older`
    grown = searchindex.index_docs(docs, terms, start=older, before=before)
    assert grown == searchindex.index_docs(docs, terms)


def test_latest_documents_are_in_their_own_buckets() -> None:
    docs = _far_apart_docs()
    files = dict(searchindex.build_index(docs))
    meta = json.loads(files["search/meta.json"])
    assert meta["docs"] == 3600 and meta["latest"]
    index = Index(files)
    assert sorted(hit.id for hit in index.search("quixx")) == [2995, 3500]
    assert sorted(hit.id for hit in index.search("zyzzyva")) == [4, 2990]
    latest = [path for path in files if path.startswith("search/latest/")]
    assert sorted(latest) == sorted(searchindex.bucket_file(k, "latest") for k in meta["latest"])


def test_indexing_afresh_on_several_processes_after_articles_went_away(
    spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searchcache, "RENUMBER_SHARE", -1.0)  # never renumbered: made afresh
    docs = made_docs(2 * searchcache.MIN_DOCS_PER_WORKER + 7, seed=12)
    shared = TermCache()
    build_index(docs, cache=shared)
    fewer = docs[:500] + docs[501:]  # one went away: every id before it moves, no patch
    spy.reset()
    shared.workers = 2
    together = build_index(fewer, cache=shared)
    assert spy.starts == []  # indexed by the workers, not here
    assert together == build_index(fewer, cache=TermCache())
    assert len(shared) == len(fewer)
