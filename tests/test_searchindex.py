"""The static search index: its files, its determinism, its buckets, its cache, and its answers."""

from __future__ import annotations

import json
import math
import pickle
import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import require_shared
from newsgen.models import Article
from newsgen.readers.parse import read_seeds
from newsgen.search import cache as searchcache
from newsgen.search import index as searchindex
from newsgen.search.cache import TermCache
from newsgen.search.index import (
    SearchDoc,
    SearchDocs,
    bucket_file,
    build_index,
    encode_number,
    search_doc,
    shorten,
    terms_of,
)
from newsgen.search.terms import words
from newsgen.site import newest_first
from searchquery import Index

ORESHNIK = (
    "Russia Claims Oreshnik Intermediate-Range Ballistic Missile Now “On Combat Duty” In Belarus"
)


def doc(n: int, text: str, title: str = "", summary: str = "") -> SearchDoc:
    return SearchDoc(
        url=f"2025/01/{n % 28 + 1:02d}/story-{n}/",
        title=title or f"Story {n}",
        date=f"2025-01-{n % 28 + 1:02d}",
        source=f"source{n % 3}.example",
        summary=summary or f"Summary of story {n}.",
        text=text,
    )


def generated_docs(count: int, seed: int = 7) -> list[SearchDoc]:
    """Docs from a made-up vocabulary with a Zipf-like spread, like words in real news."""
    rng = random.Random(seed)
    syllables = [consonant + vowel for consonant in "bkrtnslmvdz" for vowel in "aeiou"]
    vocabulary = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(4000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return [
        doc(n, " ".join(rng.choices(vocabulary, weights, k=rng.randint(80, 300))))
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def sample_docs() -> list[SearchDoc]:
    """The 24 articles of the shared seeds, newest first, as the build gives them."""
    parsed = read_seeds(require_shared("seeds"), timezone=ZoneInfo("UTC"))
    return [search_doc(article) for article in newest_first(parsed.articles)]


@pytest.fixture(scope="module")
def sample_index(sample_docs: list[SearchDoc]) -> Index:
    return Index(dict(build_index(sample_docs)))


def test_search_doc_keeps_what_a_result_shows_and_the_body_as_plain_text() -> None:
    article = Article(
        title="Oreshnik in Belarus",
        date=datetime(2025, 12, 30, 23, 30, tzinfo=UTC),
        slug="oreshnik-in-belarus",
        body_html="<p>Belarus &amp; Russia<br>said</p><ul><li>Oreshnik&nbsp;IRBM</li></ul><p>end",
        summary="Belarus has announced the deployment.",
        source="Editors' desk",
    )
    found = search_doc(article)
    assert (found.url, found.date) == ("2025/12/30/oreshnik-in-belarus/", "2025-12-30")
    assert (found.title, found.source, found.summary) == (
        article.title, article.source, article.summary
    )  # fmt: skip
    assert words(found.text) == ["belarus", "russia", "oreshnik", "irbm", "end"]
    assert "Belarus & Russia" in found.text and "Oreshnik\xa0IRBM" in found.text
    assert "<" not in found.text


def test_a_lazy_view_of_the_articles_indexes_the_same(shared_seeds: Path) -> None:
    articles = newest_first(read_seeds(shared_seeds, timezone=ZoneInfo("UTC")).articles)
    view = SearchDocs(articles)
    assert len(view) == 24 and view[3] == search_doc(articles[3]) and view[:2] == view[0:2]
    assert build_index(view) == build_index([search_doc(article) for article in articles])


def test_title_words_weigh_three_and_counts_are_capped() -> None:
    terms = terms_of(doc(1, "oreshnik missile " + "drone " * 40, title="Oreshnik strike"))
    assert terms == {"oreshnik": 4, "strike": 3, "missil": 1, "drone": 16}  # stems


def test_an_empty_body_is_indexed_by_its_summary() -> None:
    assert terms_of(doc(1, " ", title="Video", summary="Trump and Zelenskyy hail progress")) == {
        "video": 3, "trump": 1, "zelenskyy": 1, "hail": 1, "progress": 1,
    }  # fmt: skip


def test_the_files_are_compact_json_under_search() -> None:
    size = searchindex.SHARD_SIZE
    files = dict(build_index([doc(n, f"alpha beta gamma{n}") for n in range(2 * size + 10)]))
    assert all(path.startswith("search/") for path in files)
    shards = {path for path in files if path.startswith("search/docs/")}
    assert shards == {"search/docs/0.json", "search/docs/1.json", "search/docs/2.json"}
    assert len(json.loads(files["search/docs/2.json"])) == 10
    meta = json.loads(files["search/meta.json"])
    assert meta["docs"] == 2 * size + 10 and len(files["search/norms.txt"]) == 2 * size + 10
    for path, data in files.items():
        if path.endswith(".json"):
            value = json.loads(data)
            compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            assert data == compact.encode()
    # Ids count from the oldest: the newest (first given) document is the last one stored.
    assert json.loads(files["search/docs/2.json"])[-1][0] == doc(0, "").url


def test_the_same_docs_give_byte_identical_files() -> None:
    docs = generated_docs(300)
    first = build_index(docs)
    assert build_index(list(docs)) == first
    assert [path for path, _ in first] == sorted(path for path, _ in first)


def test_buckets_stay_small_and_hold_each_term_under_its_longest_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(searchindex, "BUCKET_BYTES", 8 * 1024)  # many splits from a small corpus
    monkeypatch.setattr(searchindex, "LATEST_STEP", 10_000)  # every document in terms/
    index = Index(dict(build_index(generated_docs(1500))))
    keys = index.meta["buckets"]
    assert len(keys) > 20 and any(len(key) >= 3 for key in keys)
    for key in keys:
        bucket = index.bucket(key)
        data = index.files[bucket_file(key)]
        assert len(data) <= 8 * 1024 or len(bucket) == 1, (key, len(data))
        assert all(index.bucket_of(term) == key for term in bucket)


@pytest.mark.parametrize(
    ("key", "name"),
    [("or", "or"), ("a1", "a1"), ("x_", "x_5f_"), ("бе", "_431__435_"), ("普", "_666e_")],
)
def test_bucket_files_have_plain_names(key: str, name: str) -> None:
    assert bucket_file(key) == f"search/terms/{name}.json"


@pytest.mark.parametrize("number", [0, 1, 15, 31, 32, 1023, 1024, 32767, 32768, 10**7])
def test_numbers_decode_as_written(number: int) -> None:
    index = Index({"search/meta.json": json.dumps({"digits": searchindex.DIGITS}).encode()})
    # A posting number `gap << 4 | count - 1` decodes to (gap, count).
    assert index.postings(encode_number(number)) == [(number // 16, number % 16 + 1)]


def test_postings_list_every_document_with_its_count() -> None:
    docs = [doc(0, "kyiv kyiv odesa"), doc(1, "odesa"), doc(2, "kyiv")]  # newest first
    index = Index(dict(build_index(docs)))
    # Ids from the oldest: doc 2 is id 0, doc 1 id 1, doc 0 id 2.
    assert index.postings(index.bucket("k")["kyiv"]) == [(0, 1), (2, 2)]
    assert index.postings(index.bucket("o")["odesa"]) == [(1, 1), (2, 1)]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("short", 10, "short"), ("one two three four", 12, "one two…"), ("abcdefghijkl", 6, "abcde…")],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_oreshnik_belarus_finds_the_oreshnik_article_first(
    sample_index: Index, sample_docs: list[SearchDoc]
) -> None:
    hits = sample_index.search("Oreshnik Belarus")
    # Stemmed, "Belarusian" counts as "Belarus": the article on drones over Belarus, which says
    # both again and again, ties with the one on the missile, one of them first by a hair.
    assert ORESHNIK in {hit.title for hit in hits[:2]}
    assert any(hit.url.startswith("2025/12/30/russia-claims-oreshnik") for hit in hits[:2])
    # Every word must match (the last as a prefix), and every article that has them is found.
    holding = {
        d.url
        for d in sample_docs
        if "oreshnik" in (found := words(f"{d.title} {d.text}"))
        and any(w.startswith("belarus") for w in found)
    }
    assert {hit.url for hit in hits} == holding
    assert 1 < len(holding) < 24


@pytest.mark.parametrize("query", ["oresh", "Oreshnik", "belarus oresh", "BELARUS ORESHNIK "])
def test_prefixes_and_case_find_it_too(sample_index: Index, query: str) -> None:
    assert ORESHNIK in {hit.title for hit in sample_index.search(query)[:2]}


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("day 1,406", "Russia-Ukraine war: List of key events, day 1,406"),
        ("1406 key events", "Russia-Ukraine war: List of key events, day 1,406"),
        ("Siversk", "Russian forces seize embattled Siversk town as Ukrainian troops withdraw"),
        ("maduro", "Why Maduro’s Alliance with Russia Matters for European Security"),
    ],
)
def test_other_sample_queries(sample_index: Index, query: str, title: str) -> None:
    assert sample_index.search(query)[0].title == title


def test_a_complete_last_word_is_not_a_prefix(sample_index: Index) -> None:
    assert sample_index.search("oresh ") == []
    assert sample_index.search("zzqxjv") == []
    assert sample_index.search("the of and") == []


def changed_files(before: list[tuple[str, bytes]], after: list[tuple[str, bytes]]) -> set[str]:
    old, new = dict(before), dict(after)
    return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}


def buckets_of(index: Index, *texts: str) -> set[str]:
    return {bucket_file(index.bucket_of(term) or "") for text in texts for term in words(text)}


def test_editing_one_article_changes_only_its_buckets_and_its_shard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(searchindex, "BUCKET_BYTES", 4 * 1024)
    docs = generated_docs(600)
    before = build_index(docs)
    edited = replace(
        docs[250], title="Oreshnik moved", text=docs[250].text + " oreshnik zaporizhzhia"
    )
    after = build_index([*docs[:250], edited, *docs[251:]])
    index = Index(dict(after))
    expected = buckets_of(index, docs[250].title, edited.title, "oreshnik zaporizhzhia")
    shard = f"search/docs/{(600 - 1 - 250) // searchindex.SHARD_SIZE}.json"
    changed = changed_files(before, after)
    assert changed - {"search/meta.json", "search/norms.txt"} == expected | {shard}
    assert len(index.meta["buckets"]) > 4 * len(expected)  # most buckets were left alone


def test_adding_the_newest_article_keeps_every_old_shard_and_unrelated_bucket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(searchindex, "BUCKET_BYTES", 4 * 1024)
    docs = generated_docs(450)
    before = build_index(docs)
    newest = doc(999, "oreshnik zaporizhzhia kerch", title="Kerch bridge")
    after = build_index([newest, *docs])
    index = Index(dict(after))
    last_shard = f"search/docs/{450 // searchindex.SHARD_SIZE}.json"
    expected = buckets_of(index, newest.title, newest.text) | {last_shard}
    assert changed_files(before, after) - {"search/meta.json", "search/norms.txt"} == expected


def test_a_warm_cache_gives_the_same_files_and_forgets_removed_articles() -> None:
    docs = generated_docs(200)
    cold = build_index(docs)
    cache = TermCache()
    assert build_index(docs, cache=cache) == cold
    assert len(cache) == 200
    saved = TermCache.loads(cache.dumps())
    assert build_index(docs, cache=saved) == cold
    fewer = docs[:150]
    assert build_index(fewer, cache=saved) == build_index(fewer)
    assert len(saved) == 150


def count_tokenised(monkeypatch: pytest.MonkeyPatch) -> list[SearchDoc]:
    """Record every document the cache has to tokenise from now on."""
    tokenised: list[SearchDoc] = []
    original = searchcache.doc_terms

    def counting(doc: SearchDoc):  # type: ignore[no-untyped-def]
        tokenised.append(doc)
        return original(doc)

    monkeypatch.setattr(searchcache, "doc_terms", counting)
    return tokenised


def test_the_cache_sees_edits_and_is_used_for_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = generated_docs(50)
    cache = TermCache()
    build_index(docs, cache=cache)
    tokenised = count_tokenised(monkeypatch)
    edited = replace(docs[3], text=docs[3].text + " kherson")
    files = build_index([*docs[:3], edited, *docs[4:]], cache=cache)
    assert tokenised == [edited]
    assert Index(dict(files)).search("kherson")[0].url == edited.url


def test_new_articles_alone_are_tokenised_and_appended(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = generated_docs(80)
    cache = TermCache()
    build_index(docs[3:], cache=cache)
    cache = TermCache.loads(cache.dumps())
    tokenised = count_tokenised(monkeypatch)
    assert build_index(docs, cache=cache) == build_index(docs)
    assert tokenised == docs[:3][::-1]  # oldest first


def newest(docs: list[SearchDoc]) -> list[SearchDoc]:
    return [doc(900 + len(docs), "kerch bridge oreshnik", title="Kerch"), *docs]


CHANGES = {
    "none": lambda docs: docs,
    "newest added": newest,
    "three added": lambda docs: newest(newest(newest(docs))),
    "oldest edited": lambda docs: [*docs[:-1], replace(docs[-1], text="edited kyiv")],
    "newest edited": lambda docs: [replace(docs[0], text="edited kyiv"), *docs[1:]],
    "oldest removed": lambda docs: docs[:-1],
    "newest removed": lambda docs: docs[1:],
    "old summary edited": lambda docs: [*docs[:9], replace(docs[9], summary="New."), *docs[10:]],
    "old date moved": lambda docs: [*docs[:9], replace(docs[9], date="2024-02-02"), *docs[10:]],
    "two swapped": lambda docs: [docs[1], docs[0], *docs[2:]],
    "all replaced": lambda docs: generated_docs(len(docs), seed=99),
}


@pytest.mark.parametrize("keep_terms", [True, False], ids=["terms kept", "index only"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_warm_build_after_any_change_equals_a_cold_one(change: str, keep_terms: bool) -> None:
    docs = generated_docs(120)
    cache = TermCache(keep_terms=keep_terms)
    build_index(docs, cache=cache)
    changed = CHANGES[change](docs)
    assert build_index(changed, cache=cache) == build_index(changed)
    saved = TermCache.loads(cache.dumps(), keep_terms=keep_terms)  # again, from a saved cache
    again = newest(changed)
    assert build_index(again, cache=saved) == build_index(again)


def test_without_terms_the_cache_still_only_appends_new_articles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = generated_docs(60)
    cache = TermCache(keep_terms=False)
    build_index(docs[2:], cache=cache)
    assert len(cache) == 0
    tokenised = count_tokenised(monkeypatch)
    assert build_index(docs, cache=cache) == build_index(docs)
    assert tokenised == docs[:2][::-1]
    tokenised.clear()
    edited = [*docs[:-1], replace(docs[-1], text="edited")]
    files = build_index(edited, cache=cache)
    # An older article changed, its old terms unknown: the index is renumbered without it,
    # and it alone is tokenised again and indexed among the others.
    assert tokenised == [edited[-1]]
    assert files == build_index(edited)


def test_a_cache_from_other_rules_starts_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = TermCache()
    build_index(generated_docs(5), cache=cache)
    data = cache.dumps()
    monkeypatch.setattr(searchindex, "TITLE_WEIGHT", 5)
    assert len(TermCache.loads(data)) == 0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pickle",
        pickle.dumps("a string"),
        pickle.dumps((1, 2)),
        pickle.dumps((searchindex.FORMAT_VERSION, searchindex.tokeniser_signature(), {}, (1,))),
    ],
)
def test_a_damaged_cache_starts_empty(data: bytes) -> None:
    assert len(TermCache.loads(data)) == 0


def test_no_articles_still_make_an_index() -> None:
    files = dict(build_index([]))
    assert json.loads(files["search/meta.json"])["docs"] == 0
    assert Index(files).search("anything") == []


def test_the_sample_site_index_is_small(sample_index: Index) -> None:
    assert len(sample_index.files) < 60
    assert sum(map(len, sample_index.files.values())) < 120_000


def test_the_code_table_is_encode_number_of_each_small_number() -> None:
    from newsgen.search.index import _CODES, _SMALL_CODES

    assert [encode_number(n) for n in range(_SMALL_CODES)] == _CODES


def test_each_document_length_has_its_class_in_the_norms() -> None:
    """One digit a document, for the class of its length: NORM_BASE to the power of the class,
    rounded, up to the last class."""
    lengths = [0, 1, 2, 5, 5, 37, 1000, 97_000, 10**7, 5, 0, 1]
    digits = searchindex._norms(lengths).decode()
    classes = [searchindex.DIGITS.index(digit) for digit in digits]
    assert len(classes) == len(lengths)
    for length, found in zip(lengths, classes, strict=True):
        expected = min(63, round(math.log(length, searchindex.NORM_BASE))) if length else 0
        assert found == expected
    assert classes[-4] == 63 and classes[0] == 0 and classes[3] == classes[4]
