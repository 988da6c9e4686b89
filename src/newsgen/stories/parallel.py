"""Read many articles into terms on several cores: the part of counting each article does alone.

On a first build every article is read, and reading is most of what grouping costs; the rest
(numbering, weighing, comparing) works on the whole archive at once and stays in one process.
Each worker keeps its own copy of the vocabulary across the runs of articles it reads, so a word
is stemmed once per worker, not once per run; with each run it hands back the terms it met for the
first time. Those are numbered in the order of the runs, which is the order one process reading
the runs in turn would have numbered them, so the result is the same to the last entry.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from newsgen.models import Article
from newsgen.stories.terms import Tallies, Vocabulary, joined_tallies, tally
from newsgen.workers import APART_ON_ONE_CORE, forked_workers, imap_forked

CHUNK = 2000  # articles per hand-off: large enough to amortise it, small for even sharing
MIN_ARTICLES_PER_WORKER = 5000  # fewer are read faster in one process than across a fork

# A run's tallies in its worker's own term ids, the worker, and the stems it numbered first there.
_Part = tuple[Tallies, int, list[str]]


def tally_apart(articles: Sequence[Article], vocabulary: Vocabulary, workers: int) -> Tallies:
    """`tally(articles, vocabulary)`, read by up to `workers` forked processes."""
    workers = forked_workers(len(articles), workers, MIN_ARTICLES_PER_WORKER, APART_ON_ONE_CORE)
    if not workers:
        return tally(articles, vocabulary)
    known = len(vocabulary.stems)
    owns: list[Vocabulary] = []  # in a worker: the copy it keeps from run to run

    def read(start: int, stop: int) -> list[_Part]:
        if not owns:
            owns.append(Vocabulary(vocabulary.stems))
        own = owns[0]
        before = len(own.stems)
        part = tally(articles[start:stop], own)
        return [(part, os.getpid(), own.stems[before:])]

    # Each worker takes its runs in order, so a term a run uses but did not number itself was
    # numbered by an earlier run of the same worker, already mapped when this run comes up.
    shared: dict[int, np.ndarray] = {}  # worker -> the shared id of each of its own ids
    renumbered = []
    # Each run renumbered as it comes in: held until all were in, the runs as they came would
    # be a third copy of every article's terms at counting's peak.
    for part, worker, stems in imap_forked(read, len(articles), CHUNK, workers):
        new = np.array([vocabulary.stem_id(stem) for stem in stems], dtype=np.int64)
        before = shared.get(worker, np.arange(known, dtype=np.int64))
        shared[worker] = ids = np.concatenate((before, new))
        renumbered.append(_renumbered(part, ids))
    return joined_tallies(renumbered)


def _renumbered(part: Tallies, ids: np.ndarray) -> Tallies:
    """A run's tallies under the shared vocabulary's ids, terms ascending again in each article."""
    terms = ids[part.terms]
    rows = np.repeat(np.arange(len(part.sizes), dtype=np.int64), part.sizes)
    order = np.argsort((rows << 32) | terms)  # (article, term) pairs are all different
    return Tallies(
        part.sizes,
        terms[order].astype(part.terms.dtype),
        part.counts[order],
        part.firsts[order],
        part.copy_keys,
        part.titles,
        part.roundups,
    )
