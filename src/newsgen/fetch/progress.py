"""Show a run's progress: a live bar on a terminal, one plain line per feed in CI logs."""

from __future__ import annotations

import os
import sys
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsgen.fetch.report import FeedOutcome


class Reporter(Protocol):
    def feed_done(self, outcome: FeedOutcome) -> None: ...

    def close(self) -> None: ...


class Silent:
    """Say nothing (`--quiet`)."""

    def feed_done(self, outcome: FeedOutcome) -> None:
        return None

    def close(self) -> None:
        return None


class PlainLines:
    """Write one line per finished feed, for logs that are read after the fact."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._total = total
        self._done = 0
        self._stream = stream

    def feed_done(self, outcome: FeedOutcome) -> None:
        self._done += 1
        width = len(str(self._total))
        print(
            f"fetch: [{self._done:>{width}}/{self._total}] {outcome.url}: {outcome.describe()}",
            file=self._stream,
            flush=True,
        )

    def close(self) -> None:
        return None


class LiveBar:
    """Draw a progress bar that names the last feed finished."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._progress = Progress(
            TextColumn("fetch"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
            console=Console(file=stream),
            transient=True,
        )
        self._task = self._progress.add_task("", total=total)
        self._progress.start()

    def feed_done(self, outcome: FeedOutcome) -> None:
        self._progress.update(self._task, advance=1, description=outcome.url[:60])

    def close(self) -> None:
        self._progress.stop()


def make_reporter(total: int, *, quiet: bool, stream: TextIO | None = None) -> Reporter:
    """Pick the display for where the output goes: nothing, a live bar, or plain lines."""
    stream = stream or sys.stderr
    if quiet or total == 0:
        return Silent()
    if stream.isatty() and os.environ.get("CI") != "true" and os.environ.get("TERM") != "dumb":
        return LiveBar(total, stream)
    return PlainLines(total, stream)
