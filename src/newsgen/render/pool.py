"""Plan, render and stage pages, across processes when the site is large enough to pay for it.

The site's pages come in parts (`Renderer.parts`: a thousand article pages, fifty topics' lists)
that this process and forked workers take in turn from a shared counter, largest first, so the
work evens out whatever each part costs. Each process plans its part: a page whose inputs did
not change is reused, the rest are rendered straight into the staging folder. Planning is
spread too: after one edit to a large site, signing every page to find the few that changed
is most of the build. Workers are forked after the site is made, so they share the parsed site
and the compiled templates without pickling them, and report back only their manifest entries.

This process works too, rather than wait on its workers: every forked worker copies the
pages of shared memory it touches (reading a Python object writes its reference count), about
half of the site's memory at 100,000 articles, so N cores are used with N - 1 workers, not N.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from typing import BinaryIO

from newsgen.collector import paused
from newsgen.cores import default_jobs
from newsgen.errors import NewsgenError
from newsgen.heap import return_freed_memory
from newsgen.mapped import RELEASE_EVERY, release
from newsgen.output.staging import StagedOutput, StagedResults
from newsgen.render.pages import PageJob, PlanPart, Renderer
from newsgen.workers import ReportingChild, send_and_exit

# Pages per process below which a fork costs more than it saves: fewer when every page is to
# be rendered (a first build) than when most are to be reused.
MIN_PAGES_PER_WORKER = 2000
MIN_NEW_PAGES_PER_WORKER = 400


@dataclass(frozen=True, slots=True)
class _Work:
    renderer: Renderer
    parts: Sequence[PlanPart]  # largest first
    staged: StagedOutput
    next_part: Synchronized[int] | None  # shared between processes: the part to take next

    def taken(self) -> Iterator[PlanPart]:
        """Take parts until none is left; other processes take theirs from the same counter."""
        if self.next_part is None:
            yield from self.parts
            return
        while True:
            with self.next_part.get_lock():
                index = self.next_part.value
                self.next_part.value += 1
            if index >= len(self.parts):
                return
            yield self.parts[index]

    def write(self, part: PlanPart, progress: Callable[[int], None]) -> None:
        """Plan one part; reuse each of its pages whose inputs did not change, render the rest."""
        renderer, staged = self.renderer, self.staged
        reused = rendered = 0
        for job in renderer.plan_part(part):
            if not _stage(renderer, staged, job):
                reused += 1
                continue
            progress(1)
            rendered += 1
            if rendered % RELEASE_EVERY == 0:
                release()  # the bodies of the pages rendered so far (see mapped.py)
        release()  # the bodies of the part's article pages: the next part shows others
        progress(reused)

    def finished(self) -> None:
        """Let go of what rendering kept (cards, digests) once this process has no part left:
        the workers' reports come in while every process still holds what it made, which was
        the peak of a large first build, and the search index comes next. The renderer sits in
        a cycle (its templates call its methods) of objects the collector froze when the
        workers forked, so its caches would otherwise last to the end of the build."""
        self.renderer.let_go()
        return_freed_memory()


def write_pages(
    renderer: Renderer,
    staged: StagedOutput,
    *,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    alongside: Callable[[], None] | None = None,
    parts: Sequence[PlanPart] | None = None,
) -> None:
    """Render every page whose signature changed, reuse the rest, all into `staged`.

    `parts` is `renderer.parts()`, when the caller has it. `alongside` is other work for this
    process, done while the workers start (or first, when there are none).
    """
    parts = sorted(renderer.parts() if parts is None else parts, key=lambda p: -p.pages)
    progress = on_progress or (lambda count: None)
    pages = sum(part.pages for part in parts)
    per_worker = MIN_PAGES_PER_WORKER if staged.has_previous_site else MIN_NEW_PAGES_PER_WORKER
    processes = min(workers or default_jobs(), max(1, pages // per_worker))
    if processes <= 1:
        if alongside:
            alongside()
        whole = _Work(renderer, parts, staged, None)
        for part in whole.taken():
            whole.write(part, progress)
        whole.finished()
        return
    # Memory freed but still in this process's heap would be shared with the workers, and
    # copied again by whichever process reused it first: it goes back to the system now.
    return_freed_memory()
    if not staged.has_previous_site:
        # Every list page is to be rendered, each showing cards that are on several lists.
        renderer.cards_ahead(staged.state_dir, processes)
    context = multiprocessing.get_context("fork")
    work = _Work(renderer, parts, staged, context.Value("i", 0))
    gc.freeze()  # workers share the site with us: a collection in them would copy its pages
    children = [
        ReportingChild("a render worker", _child_main, work, folder=staged.state_dir)
        for _ in range(processes - 1)
    ]
    try:
        if alongside:
            alongside()
        for part in work.taken():
            work.write(part, progress)
        work.finished()
        for child in children:
            _take(child, staged, progress)
    finally:
        for child in children:
            child.stop()


def write_touched(
    renderer: Renderer,
    staged: StagedOutput,
    jobs: Sequence[PageJob],
    carried: Collection[str],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Write the pages `renderer.plan_touched` planned, rendering those whose signature
    changed, and carry the last build's `carried` pages (by path) over as they are."""
    progress = on_progress or (lambda count: None)
    for job in jobs:
        _stage(renderer, staged, job)
        progress(1)
    with paused():  # a manifest entry for each page: no garbage, and the heap grows by them
        staged.carry(carried)
    progress(len(carried))
    renderer.let_go()


def _stage(renderer: Renderer, staged: StagedOutput, job: PageJob) -> bool:
    """Reuse the page if its inputs did not change (a stat and a dictionary lookup), else
    render it; return whether it was rendered."""
    if staged.reuse(job.path, job.signatures):
        return False
    output = renderer.render(job)
    staged.write(output.path, output.data, job.recorded_signature())
    return True


def _take(child: ReportingChild, staged: StagedOutput, progress: Callable[[int], None]) -> None:
    """Wait for a worker's report and merge it."""
    message: StagedResults | NewsgenError = child.take()
    if isinstance(message, NewsgenError):
        raise message
    staged.merge_results(*message)
    progress(len(message[0]))


def _child_main(work: _Work, report: BinaryIO) -> None:
    work.staged.reset_results()  # report only the files this worker staged
    try:
        for part in work.taken():
            work.write(part, lambda count: None)
        work.finished()
    except NewsgenError as error:  # such as a failing template: said once, by the parent
        send_and_exit(report, error)
    send_and_exit(report, work.staged.take_results())
