"""Find the live site's files that no longer match the output manifest (edited by hand,
replaced or gone), in a forked process while this one reads the seeds, groups the stories and
places them.

A rebuild reuses a page on the strength of the manifest, once the file's size and time show it
is the very file recorded (`StagedOutput.reuse`): a stat per page, which on a large site is
seconds of the rendering stage, where every process waits on the slowest. Asked of every
recorded file at once, on another core and before rendering starts, the same question costs
the build nothing it waits for. A file changed after the check is reused as it stands, and the
next build, finding it unlike its record, renders it again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from newsgen.cores import default_jobs
from newsgen.output.sparetree import ManifestEntry
from newsgen.workers import ReportingChild, send_and_exit

# Recorded files from which the check pays for its fork: below, a stat per reused page is
# cheaper than starting a process.
APART_FROM = 5_000


class IntactCheck:
    """The check, running in a forked process from its making until `altered()`."""

    def __init__(self, output_dir: Path, manifest: Mapping[str, ManifestEntry], folder: Path):
        self._child = ReportingChild(
            "checking the site's files", _report_altered, output_dir, manifest, folder=folder
        )
        self._altered: frozenset[str] | None = None

    def altered(self) -> frozenset[str]:
        """The recorded files that differ from their record: wait for the check, once."""
        if self._altered is None:
            try:
                self._altered = frozenset(self._child.take())
            finally:
                self._child.stop()
        return self._altered

    def stop(self) -> None:
        """End the check if it is still at work (the build failed before it was needed)."""
        self._child.stop()


@contextmanager
def checking_output(
    output_dir: Path, manifest: Mapping[str, ManifestEntry], folder: Path, jobs: int | None
) -> Iterator[IntactCheck | None]:
    """An `IntactCheck` of `manifest`'s files, when the site is large and another core is
    there to run it; None otherwise, and each reused page is then checked as it comes."""
    if len(manifest) < APART_FROM or (jobs or default_jobs()) < 2 or not output_dir.is_dir():
        yield None
        return
    check = IntactCheck(output_dir, manifest, folder)
    try:
        yield check
    finally:
        check.stop()


def altered_files(output_dir: Path, manifest: Mapping[str, ManifestEntry]) -> list[str]:
    """The files of `manifest` whose size or time differ from the record, or that are gone."""
    root = os.path.join(output_dir, "")
    altered = []
    for relative, entry in manifest.items():
        try:
            stat = os.stat(root + relative)
        except OSError:
            altered.append(relative)
            continue
        if not matches_record(entry, stat):
            altered.append(relative)
    return altered


def matches_record(entry: object, stat: os.stat_result) -> bool:
    """Whether a file's size and time are those its manifest entry recorded: then it is the
    file recorded. A damaged entry vouches for nothing."""
    return isinstance(entry, list) and entry[1:3] == [stat.st_size, stat.st_mtime_ns]


def _report_altered(
    output_dir: Path, manifest: Mapping[str, ManifestEntry], report: BinaryIO
) -> None:
    send_and_exit(report, altered_files(output_dir, manifest))
