"""`newsgen check`: parse every seed and report what is wrong, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen.config import load_config
from newsgen.errors import Diagnostic
from newsgen.readers.parse import read_seeds
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
    """Parse the seeds (drafts included) and collect every diagnostic."""
    config = load_config(site_dir)
    seeds = seeds_dir or site_dir / "seeds"
    # Languages are not checked: detecting them would load a 100 MB model for nothing.
    timezone = ZoneInfo(config.site.timezone)
    parsed = read_seeds(seeds, timezone=timezone, include_drafts=True, detect=False)
    return CheckReport(articles=len(parsed.articles), diagnostics=parsed.diagnostics)
