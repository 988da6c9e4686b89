"""A map over forked workers for work that each item does alone, and a forked worker that
reports once; how many to use when the user does not say is cores.py's."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from newsgen.errors import BuildError
from newsgen.heap import return_freed_memory
from newsgen.mapped import release

Item = TypeVar("Item")
_job: Callable[[int, int], list[Any]] | None = None  # inherited by forked workers


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
    return_freed_memory()  # else shared with the workers, and copied by the first to reuse it
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


class ReportingChild:
    """A forked process that leaves one report as it ends, read once it has ended.

    Once, not as it goes: this process may be busy for seconds before it reads. In an unnamed
    file in `folder`, not through a pipe: a report sent through a pipe is held pickled by the
    sender, which cannot end until it is read, while the reader takes it in, so the sender's
    memory and two copies of the report are held at once; a render worker's report of its
    pages made the peak of a large first build that way.
    """

    def __init__(self, what: str, target: Callable[..., None], *args: Any, folder: Path) -> None:
        """Start `target(*args, report)`, which ends with `send_and_exit(report, ...)`; `what`
        names the worker in the error if it fails."""
        self.what = what
        # Held past this call, and closed (so gone from the disk) by `stop`.
        self._report = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=target, args=(*args, self._report))
        self.process.start()
        self.done = False

    def take(self) -> Any:
        """Wait for the process to end, and read its report."""
        self.process.join()
        if self.process.exitcode != 0:
            raise BuildError(
                f"{self.what} failed (exit code {self.process.exitcode}); its error is shown above"
            )
        self._report.seek(0)
        try:
            report = pickle.load(self._report)
        except EOFError:  # it ended without a word: a bug, said as such
            raise BuildError(f"{self.what} ended without reporting what it did") from None
        self.done = True
        return report

    def stop(self) -> None:
        """Wait for the process to end; kill it first if its report was never taken (the work
        failed elsewhere, and what it makes is not wanted)."""
        if self.process.is_alive() and not self.done:
            self.process.kill()
        self.process.join()
        self._report.close()


def send_and_exit(report_file: BinaryIO, report: object) -> None:
    """End a `ReportingChild`'s process with its report.

    Straight out, not through multiprocessing's exit: that flushes sys.stdout and stderr,
    whose locks another thread of the parent may have held when this process was forked.
    """
    pickle.dump(report, report_file, protocol=pickle.HIGHEST_PROTOCOL)
    report_file.flush()
    os._exit(0)
