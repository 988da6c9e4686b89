"""Tokenise many documents on several cores: the part of indexing each document does alone.

The rest of indexing (postings in document order, the files) stays in one process; the terms it
reads are looked up by digest (cache.py), so who made them does not change a byte of the index.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.search.index import SearchDoc, doc_terms
from newsgen.workers import map_forked

CHUNK = 250  # documents per hand-off: large enough to amortise it, small for even sharing

CachedTerms = tuple[bytes, bytes]  # a document's UTF-8 terms joined by NUL, and their counts


def terms_apart(
    docs: Sequence[SearchDoc], positions: Sequence[int], workers: int
) -> list[CachedTerms]:
    """The terms of `docs[p]` for each p of `positions`, in that order, made by forked workers."""

    def tokenise(start: int, stop: int) -> list[CachedTerms]:
        return [cached_terms(docs[position]) for position in positions[start:stop]]

    return map_forked(tokenise, len(positions), CHUNK, workers)


def cached_terms(doc: SearchDoc) -> CachedTerms:
    """`doc_terms`, in the form the term cache keeps."""
    terms, counts = doc_terms(doc)
    return b"\0".join(terms), counts
