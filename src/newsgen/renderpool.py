"""Render and stage pages, across processes when there are enough of them to pay for it.

Pages whose inputs did not change are reused first, in this process. Workers are forked for
the rest, after the site is planned, so they share the parsed site and the compiled templates
without pickling them; each renders a slice of the pages straight into the staging folder and
reports back only its manifest entries.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsgen.output import StagedOutput
from newsgen.render import PageJob, Renderer

CHUNK = 256  # pages per task: large enough to amortise the hand-off, small for even sharing
MIN_PAGES_PER_WORKER = 400  # below this a fork costs more than it saves


@dataclass(frozen=True, slots=True)
class _Work:
    renderer: Renderer
    jobs: Sequence[PageJob]
    staged: StagedOutput


_work: _Work | None = None  # set in the parent just before forking; inherited by the workers


def default_jobs() -> int:
    """Worker processes to use when not told: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _render(work: _Work, job: PageJob) -> None:
    output = work.renderer.render(job)
    work.staged.write(output.path, output.data, job.recorded_signature())


def _render_range(bounds: tuple[int, int]) -> tuple[dict[str, list], dict[str, list], int, int]:
    work = _work
    assert work is not None, "workers are forked from write_pages"
    work.staged.reset_results()  # a worker reports each range on its own
    for index in range(*bounds):
        _render(work, work.jobs[index])
    return work.staged.take_results()


def write_pages(
    renderer: Renderer,
    jobs: Sequence[PageJob],
    staged: StagedOutput,
    *,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Render every job whose signature changed, reuse the rest, all into `staged`."""
    global _work
    # Reusing a page is a stat and a dictionary lookup: cheaper here than handing it to a worker.
    stale = [job for job in jobs if not staged.reuse(job.path, job.signatures)]
    if on_progress:
        on_progress(len(jobs) - len(stale))
    work = _Work(renderer, stale, staged)
    workers = min(workers or default_jobs(), max(1, len(stale) // MIN_PAGES_PER_WORKER))
    if workers <= 1:
        for done, job in enumerate(stale, 1):
            _render(work, job)
            if on_progress and done % CHUNK == 0:
                on_progress(CHUNK)
        if on_progress:
            on_progress(len(stale) % CHUNK)
        return
    ranges = [(start, min(start + CHUNK, len(stale))) for start in range(0, len(stale), CHUNK)]
    _work = work
    try:
        context = multiprocessing.get_context("fork")
        gc.freeze()  # workers share the site with us: a collection in them would copy its pages
        with context.Pool(workers) as pool:
            for manifest, verified, written, unchanged in pool.imap_unordered(
                _render_range, ranges
            ):
                staged.merge_results(manifest, verified, written, unchanged)
                if on_progress:
                    on_progress(len(manifest))
    finally:
        _work = None
