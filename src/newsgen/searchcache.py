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
    Postings,
    SearchDoc,
    doc_terms,
    index_docs,
    indexed_text,
    row,
    tokeniser_signature,
)

Entry = tuple[bytes, bytes]  # a document's UTF-8 terms joined by NUL, and their counts
Last = tuple[list[bytes], list[int], Postings]  # the last build's digests, lengths and postings


class TermCache:
    """Terms of documents indexed before, and the index they made, by digests of their text.

    `build_index` reads and fills it. Afterwards it holds only the documents it was given, so a
    cache saved after each build never grows beyond the current site. With `keep_terms=False`
    it keeps only the last index (about a third of the size): adding articles stays quick, but
    a change to an older one has every article tokenised again.
    """

    def __init__(
        self,
        entries: dict[bytes, Entry] | None = None,
        last: Last | None = None,
        *,
        keep_terms: bool = True,
    ) -> None:
        self.keep_terms = keep_terms
        self._entries = entries if entries and keep_terms else {}
        self._last = last
        self._used: dict[bytes, Entry] = {}
        self._digests: list[bytes] = []  # of the documents being indexed, by id

    def __len__(self) -> int:
        """How many documents' terms it holds."""
        return len(self._entries)

    def index(self, docs: Sequence[SearchDoc]) -> Indexed:
        """Index documents given newest first, reusing what the last build did where it can."""
        self._digests, self._used = [], {}
        start, before = self._unchanged_start(docs)
        indexed = index_docs(docs, self._terms, start=start, before=before)
        self._last = (self._digests, indexed.lengths, indexed.postings)
        self._entries, self._used = self._used, {}
        return indexed

    def _unchanged_start(self, docs: Sequence[SearchDoc]) -> tuple[int, Indexed | None]:
        """How many of the oldest documents the last build indexed just as they are now."""
        if self._last is None:
            return 0, None
        digests, lengths, postings = self._last
        count = len(docs)
        if count < len(digests):
            return 0, None  # articles went away: every id after them moved
        rows = []
        for doc_id, digest in enumerate(digests):
            doc = docs[count - 1 - doc_id]
            rows.append(row(doc))
            if _digest(doc, rows[-1]) != digest:
                return 0, None  # an older article changed: its old postings are in the way
        self._digests = list(digests)
        for digest in digests:  # still in the site: keep their terms for the next build
            if digest in self._entries:
                self._used[digest] = self._entries[digest]
        return len(digests), Indexed(rows, lengths, postings)

    def _terms(self, doc: SearchDoc) -> tuple[Iterable[bytes], bytes]:
        """`doc_terms(doc)`, from the cache when the same text was indexed before."""
        digest = _digest(doc, row(doc))
        self._digests.append(digest)
        if not self.keep_terms:
            return doc_terms(doc)
        found = self._used.get(digest) or self._entries.get(digest)
        if found is None:
            terms, counts = doc_terms(doc)
            found = (b"\0".join(terms), counts)
        self._used[digest] = found
        joined, counts = found
        return (joined.split(b"\0") if counts else ()), counts

    def dumps(self) -> bytes:
        """Serialise, to be saved in the site's state folder."""
        state = (FORMAT_VERSION, tokeniser_signature(), self._entries, self._last)
        return pickle.dumps(state, protocol=5)

    @classmethod
    def loads(cls, data: bytes, *, keep_terms: bool = True) -> TermCache:
        """Read a saved cache; a damaged one, or one made under other rules, comes back empty."""
        # Only ever the site's own .newsgen/ cache, which newsgen itself wrote.
        try:
            version, signature, entries, last = pickle.loads(data)
            _digests, _lengths, _postings = last or ((), (), {})
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError, IndexError, KeyError):  # fmt: skip
            return cls(keep_terms=keep_terms)  # a cache only ever saves time
        if version != FORMAT_VERSION or signature != tokeniser_signature():
            return cls(keep_terms=keep_terms)
        return cls(entries, last, keep_terms=keep_terms)


def _digest(doc: SearchDoc, result_row: list[str]) -> bytes:
    """A digest of all the index takes from a document: its terms' text and its result row."""
    text = "\0".join([indexed_text(doc), *result_row])
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
