"""Tokenise and index many documents on several cores.

`terms_apart` only tokenises: the terms are then looked up by digest (cache.py) while one process
indexes, so who made them does not change a byte of the index. `index_apart` indexes too, for a
first build: each worker indexes runs of documents alone, and the runs' postings are joined in
order, which gives the postings one process would have written (index.py's `joined_index`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

from newsgen.search.index import (
    Indexed,
    IndexPiece,
    SearchDoc,
    Terms,
    doc_terms,
    index_range,
    joined_index,
    settled_runs,
)
from newsgen.workers import imap_forked, map_forked

CHUNK = 250  # documents per hand-off: large enough to amortise it, small for even sharing
# Runs per worker when indexing: a few, for even sharing; each is one more join for the parent.
RUNS_PER_WORKER = 4
# Documents in one run at most: a worker holds its run's postings and terms until it hands them
# on, so runs that grew with the site would make each worker's memory grow with it.
RUN_MOST = 5000

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


def split_entry(entry: CachedTerms) -> Terms:
    """The terms and counts of a document from the form the term cache keeps."""
    joined, counts = entry
    return (joined.split(b"\0") if counts else ()), counts


def index_apart(
    docs: Sequence[SearchDoc],
    terms_of: Callable[[int, SearchDoc], CachedTerms],
    workers: int,
    keep: Callable[[int, list[CachedTerms]], None] | None = None,
) -> tuple[Indexed, list[CachedTerms]]:
    """`index.index_docs(docs, ...)` from id 0 on `workers` forked processes, with the terms of
    each document by id as `terms_of(doc_id, doc)` gave them.

    With `keep`, each worker hands it the terms of each run it indexed, as `keep(first id,
    terms by id from there)`, in the worker, and none come back: the list returned is empty.
    """

    def index(first: int, stop: int) -> list[tuple[IndexPiece, list[CachedTerms]]]:
        made: list[CachedTerms] = []

        def terms(doc_id: int, doc: SearchDoc) -> Terms:
            entry = terms_of(doc_id, doc)
            made.append(entry)
            return split_entry(entry)

        # A run that reaches past the settled documents is indexed as two pieces, one each side.
        pieces = [index_range(docs, terms, a, b) for a, b in settled_runs(first, stop, len(docs))]
        if keep is not None:
            keep(first, made)
            made = []
        return [(piece, made if at == len(pieces) - 1 else []) for at, piece in enumerate(pieces)]

    run = max(CHUNK, min(RUN_MOST, math.ceil(len(docs) / (workers * RUNS_PER_WORKER))))
    made_by_all: list[CachedTerms] = []

    def pieces() -> Iterator[IndexPiece]:
        # Joined as they come in, not gathered first: all of them at once are a second copy
        # of the whole index's postings.
        for piece, made in imap_forked(index, len(docs), run, workers):
            made_by_all.extend(made)
            yield piece

    indexed = joined_index(None, 0, pieces(), len(docs))
    return indexed, made_by_all
