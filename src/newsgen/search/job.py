"""Index the site for search in a forked process while this one renders the pages.

Indexing and rendering read the same finished `Site` and write different files (`search/` data
against pages), so on a machine with two cores or more they can run side by side. The child
stages its files into the same staging folder and sends back only their manifest entries.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import BinaryIO

from newsgen.cores import default_jobs
from newsgen.heap import return_freed_memory
from newsgen.models import Site
from newsgen.output.staging import StagedOutput, StagedResults
from newsgen.search.build import search_docs, write_search_index
from newsgen.search.index import SearchDocs
from newsgen.workers import ReportingChild, send_and_exit


class SearchJob:
    """`write_search_index`, started now and finished by `finish()`; inline on one core."""

    def __init__(
        self,
        site: Site,
        staged: StagedOutput,
        state_dir: Path,
        jobs: int | None,
        *,
        index_workers: int = 1,
    ):
        """`jobs` above one indexes in a child process; `index_workers` processes index a first
        build's articles (or tokenise those the cache lacks), for a job made when nothing else
        is running."""
        self._site, self._staged, self._state_dir = site, staged, state_dir
        self._index_workers = index_workers
        self._child: ReportingChild | None = None
        self._finished = False
        if (jobs or default_jobs()) > 1:
            # The articles' digests are made here: read in the child, every article would
            # have its count of references written, and each page holding one copied.
            docs = search_docs(site)
            docs.digests()
            gc.freeze()  # the child shares the site: a collection in it would copy its pages
            return_freed_memory()  # and free memory, which the first to reuse it would copy
            self._child = ReportingChild(
                "indexing for search", _index, site, staged, state_dir, docs, folder=state_dir
            )

    @property
    def inline(self) -> bool:
        """Whether `finish()` makes the index itself, in this process."""
        return self._child is None

    def finish(self) -> None:
        """Wait for the index and take its files into the staged site (at most once)."""
        if self._finished:
            return
        self._finished = True
        if self._child is None:
            workers = self._index_workers
            write_search_index(self._site, self._staged, self._state_dir, workers=workers)
            return
        try:
            results: StagedResults = self._child.take()
        finally:
            self._child.stop()
        self._staged.merge_results(*results)

    def cancel(self) -> None:
        """Stop the indexing process, if it is still at work (the build failed elsewhere)."""
        if self._child is not None:
            self._child.stop()


def _index(
    site: Site, staged: StagedOutput, state_dir: Path, docs: SearchDocs, report: BinaryIO
) -> None:
    # An exception here is printed by multiprocessing; the parent then finds the exit code.
    staged.reset_results()  # report only the search files
    write_search_index(site, staged, state_dir, docs=docs)
    send_and_exit(report, staged.take_results())
