"""How many worker processes to use when the user does not say (`--jobs`), and a map over
forked workers for work that each item does alone."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from newsgen.mapped import release

Item = TypeVar("Item")
_job: Callable[[int, int], list[Any]] | None = None  # inherited by forked workers


def default_jobs() -> int:
    """Worker processes to use when not told: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Items from which a large job goes to a forked worker even on one core (`--jobs 1`): what the
# worker reads and makes (pages of the parse cache it maps, every article's terms) is then its
# own memory, gone when it ends, instead of this process's until the build ends.
APART_ON_ONE_CORE = 50_000


def forked_workers(count: int, jobs: int, per_worker: int, apart_from: int | None) -> int:
    """How many forked workers share `count` items: one per `per_worker` items, at most `jobs`;
    0 when this process does them itself, as it does few of them on one core. From
    `apart_from` items (never, if None), one worker takes them even when `jobs` is 1."""
    workers = min(jobs, count // per_worker)
    if workers > 1 or (apart_from is not None and count >= apart_from):
        return max(workers, 1)
    return 0


def map_forked(
    job: Callable[[int, int], list[Item]], count: int, chunk: int, workers: int
) -> list[Item]:
    """`job(start, stop)` over `range(count)` in chunks of `chunk`, on `workers` forked
    processes; the results joined in order.

    The workers inherit `job` by the fork instead of unpickling it, so it may be a closure over
    anything this process holds (the parsed site, a list of files).
    """
    return list(imap_forked(job, count, chunk, workers))


def imap_forked(
    job: Callable[[int, int], list[Item]], count: int, chunk: int, workers: int
) -> Iterator[Item]:
    """`map_forked`, each result given as soon as it and those before it are in: a caller that
    boils each down need not hold them all at once."""
    global _job
    ranges = [(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    _job = job
    release()  # this process waits while the workers read: it needs none of what it had read
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_run, ranges):
                yield from part
    finally:
        _job = None


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "workers are forked from map_forked"
    try:
        return _job(*bounds)
    finally:
        release()  # what the run read of the mapped bodies: the next run reads others
