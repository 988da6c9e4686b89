"""Tokenise many documents on several cores: the part of indexing each document does alone.

The rest of indexing (postings in document order, the files) stays in one process; the terms it
reads are looked up by digest (cache.py), so who made them does not change a byte of the index.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence

from newsgen.search.index import SearchDoc, doc_terms

CHUNK = 250  # documents per hand-off: large enough to amortise it, small for even sharing

CachedTerms = tuple[bytes, bytes]  # a document's UTF-8 terms joined by NUL, and their counts
_pending: tuple[Sequence[SearchDoc], Sequence[int]] | None = None  # inherited by the workers


def terms_apart(
    docs: Sequence[SearchDoc], positions: Sequence[int], workers: int
) -> list[CachedTerms]:
    """The terms of `docs[p]` for each p of `positions`, in that order, made by forked workers."""
    global _pending
    count = len(positions)
    ranges = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    _pending = (docs, positions)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [entry for chunk in pool.imap(_range, ranges) for entry in chunk]
    finally:
        _pending = None


def cached_terms(doc: SearchDoc) -> CachedTerms:
    """`doc_terms`, in the form the term cache keeps."""
    terms, counts = doc_terms(doc)
    return b"\0".join(terms), counts


def _range(bounds: tuple[int, int]) -> list[CachedTerms]:
    assert _pending is not None, "workers are forked from terms_apart"
    docs, positions = _pending
    return [cached_terms(docs[position]) for position in positions[bounds[0] : bounds[1]]]
