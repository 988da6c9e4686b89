"""Remember what the last search index was made of, so the next build redoes only what changed.

Two levels, both checked by a digest of all the index takes from each document:

- every document's terms, so a changed site re-tokenises only the changed articles;
- the last index itself (its postings and lengths by document id). Ids count from the oldest
  article, so when the only change is newer articles, the usual one for a news site, their
  postings are appended to the old ones and nothing else is redone.

The cache lives in memory; `dumps` and `loads` let a build keep it in the site's state folder.
Deleting it changes nothing but the time a build takes: the files are byte-identical either way.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence

from newsgen.searchindex import (
    FORMAT_VERSION,
    Indexed,
    SearchDoc,
    doc_terms,
    index_docs,
    indexed_text,
    row,
    tokeniser_signature,
)

Entry = tuple[bytes, bytes]  # a document's UTF-8 terms joined by NUL, and their counts


class TermCache:
    """Terms of documents indexed before, and the index they made, by digests of their text.

    `build_index` reads and fills it. Afterwards it holds only the documents it was given, so a
    cache saved after each build never grows beyond the current site.
    """

    def __init__(
        self,
        entries: dict[bytes, Entry] | None = None,
        last: tuple[list[bytes], Indexed] | None = None,
    ) -> None:
        self._entries = entries or {}
        self._used: dict[bytes, Entry] = {}
        self._digests: list[bytes] = []  # of the documents being indexed, by id
        # The last build: its documents' digests, and what its files were made from.
        self._last: tuple[list[bytes], Indexed] | None = last

    def __len__(self) -> int:
        return len(self._entries)

    def index(self, docs: Sequence[SearchDoc]) -> Indexed:
        """Index documents given newest first, reusing what the last build did where it can."""
        self._digests, self._used = [], {}
        start, before = self._unchanged_start(docs)
        indexed = index_docs(docs, self._terms, start=start, before=before)
        self._last = (self._digests, indexed)
        self._entries, self._used = self._used, {}
        return indexed

    def _unchanged_start(self, docs: Sequence[SearchDoc]) -> tuple[int, Indexed | None]:
        """How many of the oldest documents the last build indexed just as they are now."""
        if self._last is None:
            return 0, None
        digests, before = self._last
        count = len(docs)
        if count < len(digests):
            return 0, None  # articles went away: every id after them moved
        for doc_id, digest in enumerate(digests):
            if _digest(docs[count - 1 - doc_id]) != digest:
                return 0, None  # an older article changed: its old postings are in the way
        self._digests = list(digests)
        for digest in digests:  # still in the site: keep their terms for the next build
            if digest in self._entries:
                self._used[digest] = self._entries[digest]
        return len(digests), before

    def _terms(self, doc: SearchDoc) -> tuple[Iterable[bytes], bytes]:
        """`doc_terms(doc)`, from the cache when the same text was indexed before."""
        digest = _digest(doc)
        self._digests.append(digest)
        found = self._used.get(digest) or self._entries.get(digest)
        if found is None:
            terms, counts = doc_terms(doc)
            found = (b"\0".join(terms), counts)
        self._used[digest] = found
        joined, counts = found
        return (joined.split(b"\0") if counts else ()), counts

    def dumps(self) -> bytes:
        """Serialise, to be saved in the site's state folder."""
        last = None
        if self._last is not None:
            digests, indexed = self._last
            last = (digests, indexed.rows, indexed.lengths, indexed.postings)
        state = (FORMAT_VERSION, tokeniser_signature(), self._entries, last)
        return pickle.dumps(state, protocol=5)

    @classmethod
    def loads(cls, data: bytes) -> TermCache:
        """Read a saved cache; a damaged one, or one made under other rules, comes back empty."""
        # Only ever the site's own .newsgen/ cache, which newsgen itself wrote.
        try:
            version, signature, entries, last = pickle.loads(data)
            if last is not None:
                digests, rows, lengths, postings = last
                last = (digests, Indexed(rows, lengths, postings))
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError, IndexError, KeyError):  # fmt: skip
            return cls()  # a cache only ever saves time
        if version != FORMAT_VERSION or signature != tokeniser_signature():
            return cls()
        return cls(entries, last)


def _digest(doc: SearchDoc) -> bytes:
    """A digest of all the index takes from a document: its terms' text and its result row."""
    text = "\0".join([indexed_text(doc), *row(doc)])
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
