"""`newsgen check`: parse every seed and report what is wrong, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen import clock
from newsgen.config import load_config
from newsgen.errors import Diagnostic
from newsgen.guard import future_notes, split_future
from newsgen.paths import STATE_DIR
from newsgen.readers.firstdates import FirstDates
from newsgen.readers.parse import read_seeds, seed_files
from newsgen.text.plural import counted


@dataclass(frozen=True, slots=True)
class CheckReport:
    articles: int
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.level == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level == "warning" for d in self.diagnostics)

    def summary(self) -> str:
        return ", ".join(
            (
                counted(self.articles, "article"),
                counted(self.errors, "error"),
                counted(self.warnings, "warning"),
            )
        )


def check(site_dir: Path, *, seeds_dir: Path | None = None) -> CheckReport:
    """Parse the seeds (drafts included) and collect every diagnostic.

    Undated seeds get the dates a build gives them (firstdates.py; the record is only read),
    and each seed dated after now is named, with the time a build will publish it.
    """
    config = load_config(site_dir)
    seeds = seeds_dir or site_dir / "seeds"
    now = clock.now()
    first_dates = FirstDates(seeds, site_dir / STATE_DIR, now)
    if seeds.is_dir():
        first_dates.settle([path.relative_to(seeds).as_posix() for path, _ in seed_files(seeds)])
    parsed = read_seeds(
        seeds,
        timezone=ZoneInfo(config.site.timezone),
        include_drafts=True,
        first_seen=first_dates.date,
        # Languages are not checked: detecting them would load a 100 MB model for nothing.
        detect=False,
    )
    _, waiting = split_future(parsed.articles, now)
    diagnostics = tuple(first_dates.diagnostics) + parsed.diagnostics + future_notes(waiting)
    return CheckReport(articles=len(parsed.articles), diagnostics=diagnostics)
