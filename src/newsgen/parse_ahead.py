"""`newsgen parse`: parse the seeds into the build's cache, all of them or one slice, and stop.

A build parses whatever its cache lacks, and after a newsgen upgrade that is every seed: the
longest stage of a large site's build, and the one that splits without losing anything. N jobs
of a CI matrix each run `newsgen parse --shard I/N`, each filling only the cache files its slice
owns; copied together into `.newsgen/parse-cache/`, they let the build that follows reuse every
seed it finds unchanged, as if it had parsed them itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen import clock
from newsgen.build import confined_seeds
from newsgen.config import load_config
from newsgen.errors import Diagnostic
from newsgen.output.lock import site_lock
from newsgen.paths import STATE_DIR
from newsgen.readers.cache import SHARDS, fill_slice, shard_path, slice_shards
from newsgen.readers.firstdates import FirstDates
from newsgen.readers.listing import list_seeds
from newsgen.text.plural import counted


@dataclass(frozen=True, slots=True)
class ParseAheadReport:
    seeds: int  # in the slice (every seed without one)
    parsed: int  # parsed now; the rest were in the cache already
    cache_files: tuple[Path, ...]  # the files of the slice, written or found up to date
    slice: tuple[int, int] | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.level == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level == "warning" for d in self.diagnostics)

    def summary(self) -> str:
        which = f"slice {self.slice[0]}/{self.slice[1]}: " if self.slice else ""
        reused = self.seeds - self.parsed
        return (
            f"{which}{counted(self.seeds, 'seed')}, {self.parsed} parsed, {reused} from the cache, "
            f"{counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"
        )


def parse_ahead(
    site_dir: Path,
    *,
    seeds_dir: Path | None = None,
    shard: tuple[int, int] | None = None,
    jobs: int | None = None,
) -> ParseAheadReport:
    """Fill `.newsgen/parse-cache/` for the seeds of slice `shard` (index, count), or all."""
    config = load_config(site_dir)
    seeds = seeds_dir or site_dir / "seeds"
    state = site_dir / STATE_DIR
    shards = slice_shards(*shard) if shard else tuple(range(SHARDS))
    with site_lock(state):
        listed = list_seeds(seeds) if seeds_dir else confined_seeds(seeds, site_dir)
        first_dates = FirstDates(seeds, state, clock.now())
        first_dates.settle([seed.rel_path for seed in listed if not seed.refusal])
        filled = fill_slice(
            seeds, timezone=ZoneInfo(config.site.timezone), cache_dir=state, shards=shards,
            jobs=jobs, listed=listed, first_dates=first_dates,
        )  # fmt: skip
        # An entry holds the first-seen date it was parsed with: the build must find the same
        # one to reuse it. A committed seed's comes from git, the same on every machine of a
        # matrix; any other's from this record, which the build in this folder reads.
        first_dates.save()
    files = tuple(
        path for path in (shard_path(state, number) for number in filled.shards) if path.exists()
    )
    diagnostics = tuple(first_dates.diagnostics) + filled.diagnostics
    return ParseAheadReport(filled.seeds, filled.parsed, files, shard, diagnostics)
