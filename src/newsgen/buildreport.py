"""What a build tells its caller: how many articles and pages, how long, what it found."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from newsgen.errors import Diagnostic
from newsgen.text.plural import counted


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    pages_written: int
    pages_unchanged: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]
    output_dir: Path
    strict_failed: bool = False
    pages_reused: int = 0  # of the unchanged: not made again, their inputs being the same
    skipped: bool = False  # nothing the build reads had changed since the last: nothing was done

    @property
    def pages_made(self) -> int:
        """Pages and files made this build (rendered, indexed, copied), changed or not."""
        return self.pages_written + self.pages_unchanged - self.pages_reused

    @property
    def exit_code(self) -> int:
        return 1 if self.strict_failed else 0

    def summary(self) -> str:
        return (
            f"{counted(self.articles, 'article')}, {counted(self.pages_written, 'page')} written, "
            f"{self.pages_unchanged} unchanged, {self.seconds:.2f} s"
        )


def unchanged_report(record: dict, output: Path, started: float) -> BuildReport:
    """Nothing the build reads has changed and output/ is as it left it: nothing to do."""
    return BuildReport(
        articles=record["articles"],
        pages_written=0,
        pages_unchanged=record["pages"],
        seconds=time.perf_counter() - started,
        diagnostics=tuple(Diagnostic(**d) for d in record["diagnostics"]),
        output_dir=output,
        pages_reused=record["pages"],
        skipped=True,
    )
