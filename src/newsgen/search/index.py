"""Build the static full-text search index that finder.js reads: pure functions, no disk.

The index is a folder of small files under `search/`, fetched by the browser as needed:

- `meta.json`: counts and ranking constants, the tokeniser's tables (with the stop words and
  stemmer of each language of the index's documents), and the sorted bucket keys.
- `norms.txt`: one character per document, its length class (length ~ NORM_BASE ** class).
- `docs/<n>.json`: documents `n * SHARD_SIZE` onward, each `[url, title, date, source, summary]`.
- `terms/<key>.json`: `{term: postings}` for the terms whose longest bucket-key prefix is `key`,
  of the settled documents: all of them on a site of fewer than LATEST_STEP, else the oldest
  multiple of LATEST_STEP.
- `latest/<key>.json`: the same for the documents after those, bucketed on their own (the keys
  are in `meta.json` too). A term's postings are those in `terms/` followed by those here.

Postings are one string per term: for each document holding the term, in increasing id order,
the number `gap << 4 | count - 1`, where gap is the id less the previous one (or 0) and count the
term's weighted count in the document (1 to TF_CAP). Each number is written as base-32 digits,
all but the last from `CONTINUE_DIGITS` and the last from `FINAL_DIGITS`.

Document ids count from the oldest document (the last one given), so adding new articles, the
usual change to a news site, leaves every existing id and doc shard unchanged, and past the
first LATEST_STEP documents every bucket of `terms/`, until a multiple of LATEST_STEP is passed;
with a `newsgen.search.cache.TermCache`, a rebuild then only tokenises and appends the new ones,
and an edit to a few older ones only takes their ids out of, or puts them into, the postings of
the terms whose counts changed (`reindex_docs`).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from abc import abstractmethod
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain, islice, repeat
from operator import add, and_, lshift, rshift, sub
from typing import Protocol, overload

from newsgen.mapped import RELEASE_EVERY, release
from newsgen.models import Article
from newsgen.search.languages import RAW_STOP_WORDS, SNOWBALL_VERSION, STEMMERS
from newsgen.search.terms import (
    DEFAULT_LANGUAGE,
    FOLD,
    MAX_LENGTH,
    MIN_LENGTH,
    count_terms,
    stop_words,
)
from newsgen.site import DEFAULT_PERMALINK, article_path
from newsgen.text.language import primary_language
from newsgen.version import code_digest

FORMAT_VERSION = 2
TITLE_WEIGHT = 3  # a title word counts as three in the body
TF_CAP = 16  # counts are packed in 4 bits: BM25 gains little past this (2.04 of at most 2.2)
K1, B = 1.2, 0.75  # BM25's usual constants
NORM_BASE = 1.2  # 64 length classes cover documents of up to ~97,000 terms
SHARD_SIZE = 50  # ~14 KB per file: a page of 20 results fetches at most 20 of these
BUCKET_BYTES = 64 * 1024  # a bucket over this splits by one more character of its terms
# New documents are indexed apart in `latest/` until this many have come, then settle into
# `terms/`: a new article touches the buckets of most words, and a build after a fetch would
# otherwise write most of `terms/` again. Small enough that `latest/` stays a few files.
LATEST_STEP = 1000
SUMMARY_CHARS = 240

CONTINUE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
FINAL_DIGITS = "ghijklmnopqrstuvwxyz0123456789-_"
DIGITS = CONTINUE_DIGITS + FINAL_DIGITS
_SMALL_CODES = 1 << 15  # numbers below this are encoded and decoded by table lookup

Terms = tuple[Iterable[bytes], bytes]  # a document's terms (UTF-8) and their counts, in order

_CAP_COUNTS = bytes(min(n, TF_CAP) for n in range(256))
_consume = deque[None](maxlen=0).extend  # runs an iterator to its end at C speed
_TAG = re.compile(r"<[^>]*>")
_SAFE_KEY_CHAR = re.compile(r"[a-z0-9]")


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index knows of one article."""

    url: str  # site-relative folder, such as `2025/12/30/slug/`
    title: str
    date: str  # ISO date in the site's time zone
    source: str
    summary: str
    text: str  # the body as plain text
    language: str = DEFAULT_LANGUAGE  # primary language code: its stop words and stemmer


def search_doc(
    article: Article, language: str = DEFAULT_LANGUAGE, permalink: str = DEFAULT_PERMALINK
) -> SearchDoc:
    """Describe an article for the index: its place, what a result shows, and its plain text.

    `language` is the site's, for an article whose own language is not known; `permalink` the
    site's article URLs (`permalinks.article`).
    """
    url, title, date, source, summary, language = doc_fields(article, language, permalink)
    return SearchDoc(url, title, date, source, summary, plain_text(article.body_html), language)


def doc_fields(
    article: Article, language: str = DEFAULT_LANGUAGE, permalink: str = DEFAULT_PERMALINK
) -> tuple[str, str, str, str, str, str]:
    """`search_doc` but its text: url, title, date, source, summary and language."""
    return (
        article_path(article, permalink),
        article.title,
        article.date.date().isoformat(),
        article.source,
        article.summary,
        primary_language(article.language or language),
    )


def plain_text(body_html: str) -> str:
    """The words of an article's HTML body, as the index reads them."""
    return html.unescape(_TAG.sub(" ", body_html))


def doc_languages(docs: Sequence[SearchDoc]) -> list[str]:
    """The languages of the documents, sorted."""
    if isinstance(docs, SearchDocs):
        return docs.languages()
    return sorted({doc.language for doc in docs})


class MadeDocs(Sequence[SearchDoc]):
    """Documents each made when read (`_make`): their plain texts never pile up.

    Nor the pages of the bodies they are made from: every so many documents made, this process
    lets go of the parse cache's mapped pages (mapped.py). Indexing reads bodies from all over
    the cache, and an indexing worker would otherwise soon hold every page of it.
    """

    def __init__(self, count: int) -> None:
        self._size = count
        self._made = 0

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> SearchDoc: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchDoc]: ...
    def __getitem__(self, index: int | slice) -> SearchDoc | list[SearchDoc]:
        if isinstance(index, slice):
            made = [self._make(number) for number in range(self._size)[index]]
            self._count(len(made))
            return made
        self._count(1)
        return self._make(range(self._size)[index])

    @abstractmethod
    def _make(self, number: int) -> SearchDoc:
        """The document at `number`, made now."""

    def _count(self, made: int) -> None:
        before, self._made = self._made, self._made + made
        if before // RELEASE_EVERY != self._made // RELEASE_EVERY:
            release()


class SearchDocs(MadeDocs):
    """Articles seen as SearchDocs, each made when read."""

    def __init__(
        self,
        articles: Sequence[Article],
        language: str = DEFAULT_LANGUAGE,
        permalink: str = DEFAULT_PERMALINK,
    ) -> None:
        super().__init__(len(articles))
        self._articles = articles
        self._language = language
        self._permalink = permalink  # the site's article URLs (`permalinks.article`)
        self._digests: list[bytes] | None = None  # made once (`digests`)

    @property
    def articles(self) -> Sequence[Article]:
        return self._articles

    @property
    def language(self) -> str:
        return self._language

    @property
    def permalink(self) -> str:
        return self._permalink

    def languages(self) -> list[str]:
        """`doc_languages`, read from the articles without making their documents."""
        tags = {article.language or self._language for article in self._articles}
        return sorted({primary_language(tag) for tag in tags})

    def _make(self, number: int) -> SearchDoc:
        return search_doc(self._articles[number], self._language, self._permalink)

    def digests(self) -> list[bytes]:
        """`doc_digests` of these documents, taken from the articles without making them.

        It covers every field of an article that `search_doc` reads, of the date only the day
        (in the article's zone) that the url and the result show. This takes half the time of
        making each plain text, and a rebuild takes it for every article. Made once, and kept.
        """
        if self._digests is None:
            self._digests = self._digested()
        return self._digests

    def _digested(self) -> list[bytes]:
        language = self._language
        permalink = "" if self._permalink == DEFAULT_PERMALINK else self._permalink
        primary: dict[str, str] = {}  # by language tag: a site has a few, each article one
        digests = []
        for article in reversed(self._articles):
            parsed = article.parsed_digest
            if not parsed:
                digests.append(_article_digest(article, language, permalink))
                continue
            tag = article.language or language
            if (shown := primary.get(tag)) is None:
                shown = primary[tag] = primary_language(tag)
            # The parse stage's digest covers the title, source, summary and body (models.py);
            # the day, slug and language may change after it. Hashing it, not the body, spares
            # a rebuild reading every article's body. Fields joined by NULs, which none holds
            # (the digest is hex, the slug and language words); a rebuild makes one for every
            # article, and joining costs half what `_digest`'s repr of them does.
            key = f"{parsed}\0{article.date.toordinal()}\0{article.slug}\0{shown}\0{permalink}"
            digests.append(_PARSED_DIGEST(key.encode("utf-8", "surrogatepass")).digest())
        return digests


def doc_digests(docs: Sequence[SearchDoc]) -> list[bytes]:
    """A digest of everything the index takes from each document, by id (oldest first)."""
    if isinstance(docs, SearchDocs):
        return docs.digests()
    return [
        _digest(
            ("doc", doc.url, doc.title, doc.date, doc.source, doc.summary, doc.language), doc.text
        )
        for doc in reversed(docs)
    ]


def _article_digest(article: Article, language: str, permalink: str = "") -> bytes:
    """The digest of an article without the parse stage's (`SearchDocs.digests` makes the
    others); `permalink` is empty for the default one."""
    day = article.date.toordinal()
    language = primary_language(article.language or language)
    fields: tuple[str | int, ...] = (
        "article", day, article.slug, article.title, article.source, article.summary, language
    )  # fmt: skip
    text = article.body_utf8
    if permalink:
        fields += (permalink,)
    return _digest(fields, text)


# Another hash than `_digest`'s: a digest made from the parse stage's never meets one made from
# an article's fields or a plain document's.
_PARSED_DIGEST = partial(hashlib.blake2b, digest_size=16)


def _digest(fields: tuple[str | int, ...], text: str | bytes | memoryview) -> bytes:
    # The repr of the short fields ends where it closes, so nothing in them can run into the
    # text; the text, the long part, is hashed without being copied into one string with them.
    digest = hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass"))
    digest.update(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    return digest.digest()[:16]


def indexed_text(doc: SearchDoc) -> str:
    """The title, repeated to weigh its words, and the body (or the summary when it is empty)."""
    body = doc.text if doc.text.strip() else doc.summary
    return f"{doc.title}\n" * TITLE_WEIGHT + body


def doc_terms(doc: SearchDoc) -> Terms:
    """A document's terms (UTF-8) and their counts, each capped at TF_CAP, in the same order."""
    counts = count_terms(indexed_text(doc), doc.language)
    try:
        capped = bytes(counts.values()).translate(_CAP_COUNTS)
    except ValueError:  # a count over 255: a word repeated hundreds of times in one document
        capped = bytes(map(min, counts.values(), repeat(TF_CAP)))
    return counts.keys(), capped


def terms_of(doc: SearchDoc) -> dict[str, int]:
    """A document's terms and their weighted, capped counts, as the index holds them."""
    terms, counts = doc_terms(doc)
    return {term.decode(): count for term, count in zip(terms, counts, strict=True)}


def tokeniser_signature() -> str:
    """Everything that decides a document's terms: a cache made under other rules is void."""
    every = sorted(RAW_STOP_WORDS.keys() | STEMMERS.keys())
    return json.dumps({"code": code_digest("search"), **_tokeniser_tables(every)}, sort_keys=True)


def _tokeniser_tables(languages: list[str]) -> dict[str, object]:
    return {
        "languages": languages,
        "stop": {language: sorted(stop_words(language)) for language in languages},
        "stemmers": {
            language: STEMMERS[language] for language in languages if language in STEMMERS
        },
        "snowball": SNOWBALL_VERSION,
        "fold": FOLD,
        "minLength": MIN_LENGTH,
        "maxLength": MAX_LENGTH,
        "titleWeight": TITLE_WEIGHT,
        "tfCap": TF_CAP,
    }


# Each term's postings, encoded, and the id of the last document in them (to extend them).
Postings = dict[str, tuple[str, int]]
TermsOf = Callable[[int, SearchDoc], Terms]  # a document's terms, given its id and itself


def settled_count(count: int) -> int:
    """How many of `count` documents, the oldest, are in `terms/`; `latest/` has the rest."""
    return count if count < LATEST_STEP else count - count % LATEST_STEP


@dataclass(frozen=True, slots=True)
class Indexed:
    """What the index files are made from, by document id (oldest first)."""

    rows: list[bytes]  # what a result shows, as JSON: `[url, title, date, source, summary]`
    lengths: list[int]  # weighted term counts, for BM25's length normalisation
    postings: Postings  # of the settled documents (`settled_count`)
    latest: Postings  # of the others, written as if nothing came before them


class Indexer(Protocol):
    """What reuses the terms of unchanged documents (`newsgen.search.cache.TermCache`)."""

    def index(self, docs: Sequence[SearchDoc]) -> Indexed: ...


def build_index(
    docs: Sequence[SearchDoc], *, cache: Indexer | None = None
) -> list[tuple[str, bytes]]:
    """Index documents given newest first; return the index files as (path, bytes), by path."""
    return sorted(index_files(docs, cache=cache))


def index_files(
    docs: Sequence[SearchDoc], *, cache: Indexer | None = None
) -> Iterator[tuple[str, bytes]]:
    """`build_index`'s files one at a time, in no set order: never all in memory at once."""
    indexed = cache.index(docs) if cache is not None else index_docs(docs, _terms_of)
    rows, lengths = indexed.rows, indexed.lengths
    buckets = _buckets(indexed.postings)
    latest = _buckets(indexed.latest)
    yield "search/meta.json", _meta(lengths, buckets, latest, doc_languages(docs))
    yield "search/norms.txt", _norms(lengths)
    yield from _doc_shards(rows)
    yield from _term_files(buckets, indexed.postings, "terms")
    yield from _term_files(latest, indexed.latest, "latest")


def _buckets(postings: Postings) -> dict[str, list[str]]:
    return plan_buckets(
        {term: len(term.encode()) + len(code) + 6 for term, (code, _) in postings.items()}
    )


def index_docs(
    docs: Sequence[SearchDoc],
    terms_of_doc: TermsOf,
    *,
    start: int = 0,
    before: Indexed | None = None,
) -> Indexed:
    """Index the documents from id `start` on, extending `before`, the index of those below it.

    Documents are read once each, oldest first, and only what results show is kept: with a lazy
    sequence such as `SearchDocs`, no more than one plain text is in memory at a time.
    """
    runs = settled_runs(start, len(docs), len(docs))
    return joined_index(before, start, [index_range(docs, terms_of_doc, a, b) for a, b in runs])


def settled_runs(first: int, stop: int, count: int) -> list[tuple[int, int]]:
    """Ids `first` to `stop` as runs that each lie wholly in `terms/` or in `latest/` of an
    index of `count` documents: one run, or two cut where `latest/` begins."""
    cut = settled_count(count)
    if first < cut < stop:
        return [(first, cut), (cut, stop)]
    return [(first, stop)] if first < stop else []


@dataclass(frozen=True, slots=True)
class IndexPiece:
    """The index of a run of documents, its postings written as if nothing came before them."""

    rows: list[bytes]
    lengths: list[int]
    postings: Postings


def index_range(
    docs: Sequence[SearchDoc], terms_of_doc: TermsOf, first: int, stop: int
) -> IndexPiece:
    """Index the documents with ids `first` to `stop` (excluded) alone."""
    count = len(docs)
    rows: list[bytes] = []
    lengths: list[int] = []
    packed: defaultdict[bytes, array[int]] = defaultdict(partial(array, "I"))
    for doc_id in range(first, stop):
        doc = docs[count - 1 - doc_id]
        rows.append(row_json(doc))
        terms, counts = terms_of_doc(doc_id, doc)
        lengths.append(sum(counts))
        # Append `id << 4 | count - 1` to each term's array without a Python-level loop: this
        # runs once for every distinct term of every document, the hot spot of indexing.
        lists = map(packed.__getitem__, terms)
        _consume(map(array.append, lists, map(add, repeat((doc_id << 4) - 1), counts)))
    postings = {term.decode(): _encode_postings(numbers, None) for term, numbers in packed.items()}
    return IndexPiece(rows, lengths, postings)


def joined_index(
    before: Indexed | None, start: int, pieces: Iterable[IndexPiece], count: int | None = None
) -> Indexed:
    """`before`'s first `start` documents (all it has), then the pieces' documents, in order.

    Each piece must lie wholly in `terms/` or in `latest/` of the index joined (`settled_runs`).
    When the joined index settles more documents than `before` did, `before`'s `latest/` joins
    its `terms/`: those documents are all older than the new cut. Given the `count` of documents
    they all make, the pieces may come one at a time, each let go of once joined.
    """
    rows = before.rows[:start] if before else []
    lengths = before.lengths[:start] if before else []
    if count is None:
        pieces = list(pieces)
        count = start + sum(len(piece.rows) for piece in pieces)
    cut = settled_count(count)
    postings = dict(before.postings) if before else {}  # copies: `before` must stay whole
    latest = dict(before.latest) if before else {}
    if before and cut > settled_count(start):
        _join(postings, latest)
        latest = {}
    for piece in pieces:
        _join(postings if len(rows) < cut else latest, piece.postings)
        rows.extend(piece.rows)
        lengths.extend(piece.lengths)
    return Indexed(rows, lengths, postings, latest)


def _join(postings: Postings, later: Postings) -> None:
    """Append to `postings` those of `later`, written as if nothing came before and all of
    higher ids."""
    for key, part in later.items():
        previous = postings.get(key)
        postings[key] = part if previous is None else _appended(previous, part)


def _appended(previous: tuple[str, int], part: tuple[str, int]) -> tuple[str, int]:
    """Postings `part`, written as if nothing came before, after `previous`, whose ids are lower.

    Only the first number changes: its gap, from 0 in `part`, is from `previous`'s last id.
    """
    code, last = previous
    piece, piece_last = part
    head = _ENCODED_NUMBER.match(piece)
    assert head is not None, "postings start with a number"
    first = decode_number(head.group()) - (last << 4)
    return code + encode_number(first) + piece[head.end() :], piece_last


def drop_oldest(before: Indexed, gone: int) -> Indexed:
    """`before` without its `gone` oldest documents (at most as many as it holds), as indexing
    the others afresh makes it.

    Ids count from the oldest, so every other id is lowered by `gone`; postings hold gaps, so
    in `terms/` only each term's first number changes. `latest/`, a few documents, is decoded
    to give `terms/` those that the lower count settles; when the count falls below the last
    multiple of LATEST_STEP, the postings that `latest/` takes from `terms/` are read from
    their ends.
    """
    count = len(before.rows)
    if not 0 < gone <= count:
        return before
    settles = settled_count(count - gone)  # the new cut, in the new ids
    postings: Postings = {}
    latest: Postings = {}
    for key, held in before.postings.items():
        lowered = _without_oldest(held, gone)
        if lowered is None:
            continue
        if lowered[1] < settles:  # its last document stays in `terms/`: all of them do
            postings[key] = lowered
            continue
        settled, moved = _cut_postings(lowered, settles)
        if settled is not None:
            postings[key] = settled
        if moved is not None:
            latest[key] = moved
    for key, (code, _) in before.latest.items():
        packed = decode_postings(code)
        kept = bisect_left(packed, gone << 4)
        lowered_ids = [number - (gone << 4) for number in packed[kept:]]
        at = bisect_left(lowered_ids, settles << 4)
        for segment, part in ((postings, lowered_ids[:at]), (latest, lowered_ids[at:])):
            if part:
                encoded = _encode_postings(array("I", part), None)
                previous = segment.get(key)
                segment[key] = encoded if previous is None else _appended(previous, encoded)
    return Indexed(before.rows[gone:], before.lengths[gone:], postings, latest)


def _cut_postings(
    held: tuple[str, int], at: int
) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """Postings cut before the first document of id `at` or more: those below it, and those
    from it on, written as if nothing came before them; None for a side with none.

    Read from the end, where the ids follow back from the last one: only the numbers of the
    documents from `at` on, the newest, are decoded.
    """
    code, doc_id = held
    end = len(code)
    moved: list[int] = []  # `id << 4 | count - 1`, newest first
    while end and doc_id >= at:
        start = end - 1  # the final digit of the number that ends here
        while start and code[start - 1] in _CONTINUE_SET:
            start -= 1
        number = decode_number(code[start:end])
        moved.append(doc_id << 4 | number & 0xF)
        doc_id -= number >> 4
        end = start
    below = (code[:end], doc_id) if end else None
    return below, _encode_postings(array("I", moved[::-1]), None) if moved else None


def _without_oldest(held: tuple[str, int], gone: int) -> tuple[str, int] | None:
    """Postings without the documents of ids below `gone`, the others' ids lowered by as many;
    None when no document is left. Only the numbers up to the first one kept are read."""
    code, last = held
    if last < gone:
        return None
    doc_id, position = 0, 0
    while True:
        found = _ENCODED_NUMBER.match(code, position)
        assert found is not None, "postings end with the last id"
        number = decode_number(found.group())
        doc_id += number >> 4
        if doc_id >= gone:
            break
        position = found.end()
    first = (doc_id - gone) << 4 | number & 0xF
    return encode_number(first) + code[found.end() :], last - gone


def reindex_docs(before: Indexed, changes: dict[int, tuple[SearchDoc, Terms, Terms]]) -> Indexed:
    """Index documents again under their ids in `before`, given each one's old and new terms.

    Only the postings of terms whose count in a document changed are decoded and edited: a few
    when an older article's title or a sentence of it was corrected.
    """
    rows, lengths = list(before.rows), list(before.lengths)
    cut = settled_count(len(rows))
    edits: tuple[defaultdict[bytes, dict[int, int]], ...] = (defaultdict(dict), defaultdict(dict))
    for doc_id, (doc, old, new) in changes.items():
        rows[doc_id] = row_json(doc)
        lengths[doc_id] = sum(new[1])
        had, has = _counts(old), _counts(new)
        edited = edits[doc_id >= cut]  # in `terms/`, or in `latest/`
        for term in had.keys() | has.keys():
            if had.get(term) != has.get(term):
                edited[term][doc_id] = has.get(term, 0)
    # Copies: `before` must stay whole.
    postings, latest = dict(before.postings), dict(before.latest)
    for held, segment_edits in zip((postings, latest), edits, strict=True):
        for term, counts in segment_edits.items():
            key = term.decode()
            edited_postings = _edit_postings(held.get(key), counts)
            if edited_postings is None:
                del held[key]  # no document holds it any more
            else:
                held[key] = edited_postings
    return Indexed(rows, lengths, postings, latest)


def _counts(terms: Terms) -> dict[bytes, int]:
    return dict(zip(*terms, strict=True))


def _edit_postings(
    previous: tuple[str, int] | None, counts: dict[int, int]
) -> tuple[str, int] | None:
    """Set documents' counts in postings, 0 taking a document out; None when none are left."""
    packed = decode_postings(previous[0]) if previous else []
    for doc_id, count in counts.items():
        at = bisect_left(packed, doc_id << 4)
        held = at < len(packed) and packed[at] >> 4 == doc_id
        if count and held:
            packed[at] = doc_id << 4 | count - 1
        elif count:
            packed.insert(at, doc_id << 4 | count - 1)
        elif held:
            del packed[at]
    return _encode_postings(array("I", packed), None) if packed else None


def _terms_of(doc_id: int, doc: SearchDoc) -> Terms:
    return doc_terms(doc)


def row(doc: SearchDoc) -> list[str]:
    """What a search result shows of a document."""
    return [doc.url, doc.title, doc.date, doc.source, shorten(doc.summary, SUMMARY_CHARS)]


def row_json(doc: SearchDoc) -> bytes:
    """A document's result row as it appears in its doc shard."""
    return _json(row(doc))


def _encode_postings(packed: array[int], previous: tuple[str, int] | None) -> tuple[str, int]:
    """Encode packed postings, appending them to `previous`, which ends at a lower id."""
    code, last = previous or ("", 0)
    # Each number is `gap << 4 | count - 1`: the packed value less the previous id's bits.
    numbers = list(map(sub, packed, map(and_, chain((last << 4,), packed), repeat(~0xF))))
    try:
        code += encode_number(numbers[0]) + "".join(
            map(_CODES.__getitem__, islice(numbers, 1, None))
        )
    except IndexError:  # a gap too large for the table: a rare term in a large site
        code += "".join(map(encode_number, numbers))
    return code, packed[-1] >> 4


def encode_number(number: int) -> str:
    """Write a non-negative number as base-32 digits, the last one marked final."""
    digits = [FINAL_DIGITS[number & 31]]
    number >>= 5
    while number:
        digits.append(CONTINUE_DIGITS[number & 31])
        number >>= 5
    return "".join(reversed(digits))


# encode_number(n) for every n below _SMALL_CODES (one, two or three digits), built by joining
# digits rather than by 32,768 calls: this module is imported by every build.
_CODES = [
    *FINAL_DIGITS,
    *(high + low for high in CONTINUE_DIGITS[1:] for low in FINAL_DIGITS),
    *(
        top + mid + low
        for top in CONTINUE_DIGITS[1:]
        for mid in CONTINUE_DIGITS
        for low in FINAL_DIGITS
    ),
]
_NUMBERS = {code: number for number, code in enumerate(_CODES)}
_DIGIT_VALUES = {digit: value & 31 for value, digit in enumerate(DIGITS)}
_CONTINUE_SET = frozenset(CONTINUE_DIGITS)
_ENCODED_NUMBER = re.compile(f"[{re.escape(CONTINUE_DIGITS)}]*[{re.escape(FINAL_DIGITS)}]")


def decode_number(code: str) -> int:
    """Read one number written by `encode_number`."""
    number = 0
    for digit in code:
        number = number << 5 | _DIGIT_VALUES[digit]
    return number


def decode_postings(code: str) -> list[int]:
    """Read encoded postings back as `id << 4 | count - 1` for each document, in id order."""
    codes = _ENCODED_NUMBER.findall(code)
    try:
        numbers = list(map(_NUMBERS.__getitem__, codes))
    except KeyError:  # a gap too large for the table
        numbers = list(map(decode_number, codes))
    # Each number is `gap << 4 | count - 1`: add the previous id's bits back, as the encoder
    # took them off, keeping to C-level loops (the postings of common terms are long).
    ids = accumulate(map(rshift, numbers, repeat(4)), initial=0)
    return list(map(add, map(lshift, ids, repeat(4)), numbers))


def plan_buckets(sizes: dict[str, int]) -> dict[str, list[str]]:
    """Group terms by prefix into buckets of at most BUCKET_BYTES where a prefix allows it.

    A bucket starts as every term with the same first character; one over the limit is split by
    the next character, again and again. The terms equal to a split prefix stay under that
    prefix as a key of their own, so each term's bucket is the longest key that starts it.
    """
    terms = sorted(sizes)
    ends = list(accumulate(map(sizes.__getitem__, terms), initial=0))  # sizes up to each term
    buckets: dict[str, list[str]] = {}
    _split(terms, ends, range(len(terms)), 1, buckets)
    return buckets


def _split(
    terms: list[str], ends: list[int], span: range, depth: int, out: dict[str, list[str]]
) -> None:
    """Plan the buckets of `terms[span]`, all of which share their first `depth - 1` characters."""
    start = span.start
    while start < span.stop:
        prefix = terms[start][:depth]
        # Sorted terms have sorted prefixes: those with this one run up to the next greater.
        stop = bisect_right(terms, prefix, start, span.stop, key=lambda term: term[:depth])
        if ends[stop] - ends[start] <= BUCKET_BYTES or stop - start == 1:
            out[prefix] = terms[start:stop]
        elif terms[start] == prefix:  # sorted: the prefix itself, if a term, comes first
            out[prefix] = [prefix]
            _split(terms, ends, range(start + 1, stop), depth + 1, out)
        else:
            _split(terms, ends, range(start, stop), depth + 1, out)
        start = stop


def bucket_file(key: str, folder: str = "terms") -> str:
    """File name of a bucket in `terms/` or `latest/`: a-z and 0-9 as they are, any other
    character as `_<hex>_`."""
    name = "".join(c if _SAFE_KEY_CHAR.match(c) else f"_{ord(c):x}_" for c in key)
    return f"search/{folder}/{name}.json"


def _term_files(
    buckets: dict[str, list[str]], postings: Postings, folder: str
) -> Iterator[tuple[str, bytes]]:
    for key, terms in buckets.items():
        # Terms are runs of word characters: nothing in them needs escaping in JSON.
        body = ",".join(f'"{term}":"{postings[term][0]}"' for term in terms)
        yield bucket_file(key, folder), f"{{{body}}}".encode()


def _doc_shards(rows: list[bytes]) -> Iterator[tuple[str, bytes]]:
    for start in range(0, len(rows), SHARD_SIZE):
        # The JSON of a list is its items' JSON between brackets, parted by commas.
        shard = b"[" + b",".join(rows[start : start + SHARD_SIZE]) + b"]"
        yield f"search/docs/{start // SHARD_SIZE}.json", shard


def shorten(text: str, limit: int) -> str:
    """Cut `text` at a word boundary to at most `limit` characters, marking the cut with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _norms(lengths: Sequence[int]) -> bytes:
    # Worked out once for each length: a large site has many more documents than lengths.
    digit = {n: DIGITS[min(63, round(math.log(n, NORM_BASE))) if n else 0] for n in set(lengths)}
    return "".join(map(digit.__getitem__, lengths)).encode()


def _meta(
    lengths: list[int],
    buckets: dict[str, list[str]],
    latest: dict[str, list[str]],
    languages: list[str],
) -> bytes:
    count = len(lengths)
    return _json(
        {
            "version": FORMAT_VERSION,
            "docs": count,
            "avgdl": round(sum(lengths) / count, 3) if count else 0,
            "k1": K1,
            "b": B,
            "normBase": NORM_BASE,
            "shardSize": SHARD_SIZE,
            "digits": DIGITS,
            "buckets": sorted(buckets),
            "latest": sorted(latest),
            **_tokeniser_tables(languages),
        }
    )


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
