"""Render and stage pages, across processes when there are enough of them to pay for it.

Pages whose inputs did not change are reused first, in this process. The rest are rendered in
chunks that this process and forked workers take in turn from a shared counter, so the work
evens out whatever each chunk costs. Workers are forked after the site is planned, so they
share the parsed site and the compiled templates without pickling them; each renders straight
into the staging folder and reports back only its manifest entries.

This process renders too, rather than wait on its workers: every forked worker copies the
pages of shared memory it touches (reading a Python object writes its reference count), about
half of the site's memory at 100,000 articles, so N cores are used with N - 1 workers, not N.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized

from newsgen.errors import BuildError
from newsgen.output.staging import StagedOutput
from newsgen.render.pages import PageJob, Renderer
from newsgen.workers import default_jobs

CHUNK = 256  # pages per turn: large enough to amortise the hand-off, small for even sharing
MIN_PAGES_PER_WORKER = 400  # below this a fork costs more than it saves

Results = tuple[dict[str, list], dict[str, list], int, int]  # StagedOutput.take_results()


@dataclass(frozen=True, slots=True)
class _Work:
    renderer: Renderer
    jobs: Sequence[PageJob]
    staged: StagedOutput
    next_chunk: Synchronized[int] | None  # shared between processes: the chunk to take next

    def chunks(self) -> Iterator[range]:
        """Take chunks until none is left; other processes take theirs from the same counter."""
        count = len(self.jobs)
        while True:
            if self.next_chunk is None:
                return
            with self.next_chunk.get_lock():
                start = self.next_chunk.value * CHUNK
                self.next_chunk.value += 1
            if start >= count:
                return
            yield range(start, min(start + CHUNK, count))

    def render(self, indexes: range) -> None:
        for index in indexes:
            job = self.jobs[index]
            output = self.renderer.render(job)
            self.staged.write(output.path, output.data, job.recorded_signature())


def write_pages(
    renderer: Renderer,
    jobs: Sequence[PageJob],
    staged: StagedOutput,
    *,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    alongside: Callable[[], None] | None = None,
) -> None:
    """Render every job whose signature changed, reuse the rest, all into `staged`.

    `alongside` is other work for this process, done while the workers start rendering (or
    before rendering, when there are none).
    """
    # Reusing a page is a stat and a dictionary lookup: cheaper here than handing it to a worker.
    stale = [job for job in jobs if not staged.reuse(job.path, job.signatures)]
    progress = on_progress or (lambda count: None)
    progress(len(jobs) - len(stale))
    processes = min(workers or default_jobs(), max(1, len(stale) // MIN_PAGES_PER_WORKER))
    if processes <= 1:
        if alongside:
            alongside()
        whole = _Work(renderer, stale, staged, None)
        for start in range(0, len(stale), CHUNK):
            whole.render(range(start, min(start + CHUNK, len(stale))))
            progress(min(CHUNK, len(stale) - start))
        return
    context = multiprocessing.get_context("fork")
    work = _Work(renderer, stale, staged, context.Value("i", 0))
    gc.freeze()  # workers share the site with us: a collection in them would copy its pages
    children = [_Child.start(context, work) for _ in range(processes - 1)]
    try:
        if alongside:
            alongside()
        for chunk in work.chunks():
            work.render(chunk)
            progress(len(chunk))
        for child in children:
            child.take(staged, progress)
    finally:
        for child in children:
            child.stop()


class _Child:
    """A forked worker taking chunks from the shared counter; it reports once, at its end.

    Once, not after each chunk: a report waits in a pipe until this process reads it, and this
    process may be busy for seconds (`alongside`), which would stall a worker reporting often.
    """

    def __init__(self, process: multiprocessing.process.BaseProcess, results: Connection):
        self.process = process
        self.results = results
        self.done = False

    @classmethod
    def start(cls, context: multiprocessing.context.ForkContext, work: _Work) -> _Child:
        results, sending = context.Pipe(duplex=False)
        process = context.Process(target=_child_main, args=(work, sending))
        process.start()
        sending.close()
        return cls(process, results)

    def take(self, staged: StagedOutput, progress: Callable[[int], None]) -> None:
        """Wait for the worker's report and merge it."""
        try:
            message: Results = self.results.recv()
        except EOFError:
            self.process.join()
            raise BuildError(
                f"a render worker failed (exit code {self.process.exitcode}); "
                "its error is shown above"
            ) from None
        self.done = True
        staged.merge_results(*message)
        progress(len(message[0]))

    def stop(self) -> None:
        if self.process.is_alive() and not self.done:
            self.process.kill()  # the build failed elsewhere: its pages are not wanted
        self.process.join()
        self.results.close()


def _child_main(work: _Work, sending: Connection) -> None:
    work.staged.reset_results()  # report only the files this worker staged
    for chunk in work.chunks():
        work.render(chunk)
    sending.send(work.staged.take_results())
    sending.close()
    # Straight out, not through multiprocessing's exit: that flushes sys.stdout and stderr,
    # whose locks another thread of the parent may have held when this process was forked.
    os._exit(0)
