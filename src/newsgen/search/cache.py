"""Remember what the last search index was made of, so the next build redoes only what changed.

Two levels, both checked by a digest of all the index takes from each document:

- every document's terms, so a changed site re-tokenises only the changed articles;
- the last index itself (its result rows, lengths and postings by document id). Ids count from
  the oldest article, so when the only change is newer articles, the usual one for a news site,
  their postings are appended to the old ones and nothing else is redone. When the oldest
  articles went (retention), the others' ids are lowered in the last index as it stands. When a
  few older articles changed too, and their old terms are known, the last index is patched:
  their ids leave the postings of the terms they lost and join those of the terms they gained.
  When articles went from among the others, or came among older ones, every id after them
  moved: the last index is renumbered (renumber.py), the articles new to it indexed among
  the rest.

The cache lives in memory; `dumps` and `loads` give it whole. A build keeps the last index in
the site's state folder with `dump`/`load` and the documents' terms on a `TermShelf` beside it
(shelf.py), so an edit reads and writes only the terms of the documents it changed. Deleting
either changes nothing but the time a build takes: the files are byte-identical either way.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import BinaryIO

from newsgen.search.index import (
    FORMAT_VERSION,
    Indexed,
    Postings,
    SearchDoc,
    SearchDocs,
    Terms,
    doc_digests,
    doc_terms,
    drop_oldest,
    index_docs,
    reindex_docs,
    row_json,
    tokeniser_signature,
)
from newsgen.search.packed import PackedDocs
from newsgen.search.parallel import (
    CachedTerms,
    cached_terms,
    index_apart,
    split_entry,
    terms_apart,
)
from newsgen.search.renumber import Added, renumbered
from newsgen.search.shelf import TermShelf
from newsgen.workers import APART_ON_ONE_CORE, forked_workers

# Bump when what a document's digest covers, or how its terms or result row are made, changes.
CACHE_VERSION = 4
# Patch the last index when at most this share of its documents changed: past it, patching
# decodes and re-encodes the postings of most terms one at a time, and renumbering, which does
# it in whole-array steps, is quicker.
PATCH_SHARE = 0.05

# Renumber the last index unless more than this share of the documents are new to it: the
# cost of renumbering hardly grows with them, while indexing every document afresh reads all
# of their terms.
RENUMBER_SHARE = 0.5

# Documents to tokenise per process before more processes pay for their fork.
MIN_DOCS_PER_WORKER = 1000
# The last build's digests, result rows, lengths and postings (of the settled documents, and of
# the latest), by document id.
Last = tuple[list[bytes], list[bytes], list[int], Postings, Postings]


class TermCache:
    """Terms of documents indexed before, and the index they made, by digests of their text.

    `build_index` reads and fills it. Afterwards it holds only the documents it was given, so a
    cache saved after each build never grows beyond the current site. With `keep_terms=False`
    it keeps only the last index (about a third of the size): adding articles stays quick, but
    a change to an older one has every article tokenised again.
    """

    def __init__(
        self,
        entries: Mapping[bytes, CachedTerms] | None = None,
        last: Last | None = None,
        *,
        keep_terms: bool = True,
    ) -> None:
        self.keep_terms = keep_terms
        self.workers = 1  # processes that may tokenise documents no cache holds
        if not keep_terms:
            entries = None
        # On a shelf whose shards are read only when asked for, or one in memory.
        self._entries = (
            entries if isinstance(entries, TermShelf) else TermShelf.holding(entries or {})
        )
        self._last = last
        self._used: dict[bytes, CachedTerms] = {}
        self._shelved = False  # whether the last index's terms went to the shelf as made

    def __len__(self) -> int:
        """How many documents' terms it holds."""
        return len(self._entries)

    def index(self, docs: Sequence[SearchDoc]) -> Indexed:
        """Index documents given newest first, reusing what the last build did where it can."""
        self._used = {}
        digests = doc_digests(docs)
        before = self._reuse(docs, digests)
        indexed = self._index_apart(docs, digests) if before is None else None
        if indexed is None:
            start = len(before.rows) if before else 0
            self._tokenise_apart(docs, digests, range(start, len(digests)))
            indexed = index_docs(
                docs,
                lambda doc_id, doc: self._terms(doc, digests[doc_id]),
                start=start,
                before=before,
            )
        old = self._last[0] if self._last is not None else []
        self._last = (digests, indexed.rows, indexed.lengths, indexed.postings, indexed.latest)
        self._keep(before is not None, old, digests)
        return indexed

    def _keep(self, patched: bool, old: list[bytes], digests: list[bytes]) -> None:
        """Hold the terms of exactly the documents just indexed, for the next build."""
        if self._shelved:  # the workers put them there (`_index_apart`)
            self._shelved = False
        elif patched:  # the unchanged documents' terms are on the shelf already
            self._entries.update_entries(self._used)
            self._entries.discard(set(old).difference(digests))
        else:
            self._entries.replace_all(self._used)
        self._used = {}

    def save_terms(self) -> None:
        """Write what changed on the shelf of shards the terms were read from."""
        self._entries.save()

    def _reuse(self, docs: Sequence[SearchDoc], digests: list[bytes]) -> Indexed | None:
        """The last index with the older documents that changed patched, or renumbered when
        ids moved; None to start over."""
        if self._last is None:
            return None
        old_digests, rows, lengths, postings, latest = self._last
        before = Indexed(rows, lengths, postings, latest)
        gone = _oldest_gone(old_digests, digests)
        if gone:  # retention took the oldest: the others keep their order, their ids go down
            before, old_digests = drop_oldest(before, gone), old_digests[gone:]
        if len(digests) < len(old_digests):
            # Articles went away: every id after them moved.
            return self._renumbered(before, old_digests, docs, digests)
        pairs = list(zip(old_digests, digests[: len(old_digests)], strict=True))
        changed = [doc_id for doc_id, (old, new) in enumerate(pairs) if old != new]
        if len(changed) > PATCH_SHARE * len(old_digests):
            # Many changed, or ids moved: an article added among older ones, or given a date.
            return self._renumbered(before, old_digests, docs, digests)
        if any(old_digests[doc_id] not in self._entries for doc_id in changed):
            # Their old terms are unknown, so are the postings to take them from.
            return self._renumbered(before, old_digests, docs, digests)
        if not changed:
            return before
        count = len(docs)
        changes = {}
        for doc_id in changed:
            doc = docs[count - 1 - doc_id]
            old_terms = split_entry(self._entries[old_digests[doc_id]])
            changes[doc_id] = (doc, old_terms, self._terms(doc, digests[doc_id]))
        return reindex_docs(before, changes)

    def _renumbered(
        self,
        before: Indexed,
        old_digests: list[bytes],
        docs: Sequence[SearchDoc],
        digests: list[bytes],
    ) -> Indexed | None:
        """The last index with the documents still in it under their new ids and the others
        indexed among them; None when most are new, as indexing them all is then as quick."""
        new_ids = {digest: doc_id for doc_id, digest in enumerate(digests)}
        new_of = [new_ids.get(digest, -1) for digest in old_digests]
        kept = [doc_id for doc_id in new_of if doc_id >= 0]
        if any(later <= earlier for earlier, later in pairwise(kept)):
            return None  # documents kept changed places (never, while ids follow dates)
        if len(digests) - len(kept) > RENUMBER_SHARE * len(digests):
            return None
        taken = set(kept)
        missing = [doc_id for doc_id in range(len(digests)) if doc_id not in taken]
        self._tokenise_apart(docs, digests, missing)
        count = len(docs)
        added = {}
        for doc_id in missing:
            doc = docs[count - 1 - doc_id]
            added[doc_id] = Added(row_json(doc), self._terms(doc, digests[doc_id]))
        return renumbered(before, new_of, len(digests), added)

    def _index_apart(self, docs: Sequence[SearchDoc], digests: list[bytes]) -> Indexed | None:
        """Index every document on `workers` processes; None if too few for more than one,
        unless they are enough for one worker to spare this process their terms."""
        # Even one worker spares this process every document's terms, when it puts them on a
        # shelf of files itself; one in memory would hand them all back.
        apart_from = None if self._entries.in_memory else APART_ON_ONE_CORE
        workers = forked_workers(len(docs), self.workers, MIN_DOCS_PER_WORKER, apart_from)
        if not self.keep_terms or not workers:
            return None

        self._entries.read_all()  # once, here, not in each worker

        def terms_of(doc_id: int, doc: SearchDoc) -> CachedTerms:
            return self._entries.get(digests[doc_id]) or cached_terms(doc)

        # The workers read the documents from a few flat buffers, not from the articles,
        # whose pages each worker would otherwise copy (see packed.py).
        if isinstance(docs, SearchDocs):
            docs = PackedDocs(docs)

        shelf = self._entries
        if shelf.in_memory:
            indexed, entries = index_apart(docs, terms_of, workers)
            self._used = dict(zip(digests, entries, strict=True))
            return indexed

        # On a shelf of files, each worker puts the terms it made there itself: otherwise this
        # process would hold every document's terms at once, the most memory a large site's
        # first build holds.
        def keep(first: int, made: list[CachedTerms]) -> None:
            run = digests[first : first + len(made)]
            shelf.put_part(f"{first:012d}", dict(zip(run, made, strict=True)))

        shelf.clear_parts()
        indexed, _ = index_apart(docs, terms_of, workers, keep)
        shelf.take_parts()
        self._shelved = True
        return indexed

    def _tokenise_apart(
        self, docs: Sequence[SearchDoc], digests: list[bytes], ids: Iterable[int]
    ) -> None:
        """Make the terms no cache holds of the documents of `ids`, on `workers` processes, for
        indexing to find."""
        if not self.keep_terms or self.workers <= 1:
            return
        missing = [
            doc_id
            for doc_id in ids
            if digests[doc_id] not in self._used and digests[doc_id] not in self._entries
        ]
        workers = min(self.workers, len(missing) // MIN_DOCS_PER_WORKER)
        if workers <= 1:
            return
        count = len(docs)
        made = terms_apart(docs, [count - 1 - doc_id for doc_id in missing], workers)
        for doc_id, entry in zip(missing, made, strict=True):
            self._used[digests[doc_id]] = entry

    def _terms(self, doc: SearchDoc, digest: bytes) -> Terms:
        """`doc_terms(doc)`, from the cache when the same text was indexed before."""
        if not self.keep_terms:
            return doc_terms(doc)
        found = self._used.get(digest) or self._entries.get(digest)
        if found is None:
            terms, counts = doc_terms(doc)
            found = (b"\0".join(terms), counts)
        self._used[digest] = found
        return split_entry(found)

    def dumps(self) -> bytes:
        """Serialise, to be saved in the site's state folder."""
        buffer = io.BytesIO()
        self.dump(buffer)
        return buffer.getvalue()

    def dump(self, file: BinaryIO) -> None:
        """Serialise into an open file: at 100,000 articles the bytes would be 250 MB at once."""
        # Terms on a shelf of files are saved by `save_terms`, each shard on its own.
        entries = dict(self._entries) if self._entries.in_memory else {}
        state = (CACHE_VERSION, FORMAT_VERSION, tokeniser_signature(), entries, self._last)
        pickle.dump(state, file, protocol=5)

    @classmethod
    def loads(cls, data: bytes, *, keep_terms: bool = True) -> TermCache:
        """Read a saved cache; a damaged one, or one made under other rules, comes back empty."""
        return cls.load(io.BytesIO(data), keep_terms=keep_terms)

    @classmethod
    def load(
        cls, file: BinaryIO, *, keep_terms: bool = True, shelf: TermShelf | None = None
    ) -> TermCache:
        """`loads`, from an open file; with `shelf`, the documents' terms are read from it."""
        # Only ever the site's own .newsgen/ cache, which newsgen itself wrote.
        try:
            cache_version, version, signature, entries, last = pickle.load(file)
            _digests, _rows, _lengths, _postings, _latest = last or ((), (), (), {}, {})
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError, IndexError, KeyError):  # fmt: skip
            return cls(shelf, keep_terms=keep_terms)  # a cache only ever saves time
        if (cache_version, version) != (CACHE_VERSION, FORMAT_VERSION):
            return cls(shelf, keep_terms=keep_terms)
        if signature != tokeniser_signature():
            return cls(shelf, keep_terms=keep_terms)
        return cls(entries if shelf is None else shelf, last, keep_terms=keep_terms)


def _oldest_gone(old: list[bytes], new: list[bytes]) -> int:
    """How many of the last index's oldest documents are gone, the oldest one left being the
    oldest document now; 0 when the oldest is where it was, or is new."""
    if not old or not new or old[0] == new[0]:
        return 0
    try:
        return old.index(new[0])
    except ValueError:
        return 0


def shelf_rules() -> tuple[object, ...]:
    """What a shelf's entries are made under: terms from other rules are never read back."""
    return (CACHE_VERSION, FORMAT_VERSION, tokeniser_signature())
