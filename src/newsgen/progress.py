"""Show progress: a live bar on a terminal, plain log lines when not on one (CI logs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """Announces the steps of long work; silent when `quiet`."""

    def __init__(self, *, quiet: bool = False, stream=None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._started = time.perf_counter()

    def step(self, what: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self._started
            print(f"[{elapsed:6.2f}s] {what}", file=self.stream, flush=True)

    def note(self, what: str) -> None:
        """A line about the step under way, such as what it found."""
        if not self.quiet:
            print(f"  {what}", file=self.stream, flush=True)

    @contextmanager
    def counter(self, total: int, what: str) -> Iterator[Callable[[int], None]]:
        """Yield an `advance(n)` function: a bar on a terminal, a line every few seconds in CI."""
        if self.quiet:
            yield lambda n: None
            return
        if self.interactive:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            columns = (
                TextColumn(f"  {what}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with RichProgress(*columns, console=Console(file=self.stream), transient=True) as bar:
                task = bar.add_task(what, total=total)
                yield lambda n: bar.advance(task, n)
            return
        state = {"done": 0, "last": time.perf_counter()}

        def advance(n: int) -> None:
            state["done"] += n
            now = time.perf_counter()
            if now - state["last"] >= 5:
                print(f"  {state['done']}/{total} {what}", file=self.stream, flush=True)
                state["last"] = now

        yield advance
