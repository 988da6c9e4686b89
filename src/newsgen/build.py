"""The build: stop at once when nothing it reads has changed, else run the stages (pipeline.py).

Split so: a build with nothing to do must not pay for loading every stage's libraries.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from newsgen import clock
from newsgen.buildreport import BuildReport, unchanged_report
from newsgen.collector import paused
from newsgen.config import CONFIG_NAME, load_config, normalise_base_url
from newsgen.confine import OUTSIDE, is_inside
from newsgen.cores import default_jobs
from newsgen.fingerprint import article_count, input_fingerprint, load_record, unchanged_build
from newsgen.models import Config
from newsgen.output.lock import site_lock
from newsgen.paths import STATE_DIR
from newsgen.plugins import load_plugins
from newsgen.progress import Progress
from newsgen.readers.listing import ListedSeed, list_seeds

__all__ = ["BuildReport", "build"]

# Articles at the last build from which the seeds are listed on two processes, given two: a
# fork costs more than it saves on a small site (see readers/listing.py).
LIST_IN_HALVES = 20_000


def build(
    site_dir: Path | str = ".",
    *,
    seeds_dir: Path | str | None = None,
    output_dir: Path | str | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    strict: bool = False,
    search: bool = True,
    jobs: int | None = None,
    quiet: bool = False,
    future: bool = False,
    allow_shrink: bool = False,
) -> BuildReport:
    """Build the site in `site_dir`; with `strict`, any warning leaves `output/` untouched.

    Articles dated after now wait for a later build unless `future`. A build that would publish
    no article, or fewer than half of the last build's, raises `ShrinkError` and leaves
    `output/` untouched unless `allow_shrink`: a typo in a path must not publish a blank site.
    """
    started = time.perf_counter()
    now = clock.now()
    site_dir = Path(site_dir)
    config = _with_base_url(load_config(site_dir), base_url)
    plugins = load_plugins(config.plugins, str(site_dir / CONFIG_NAME))
    seeds = Path(seeds_dir) if seeds_dir else site_dir / "seeds"
    output = Path(output_dir) if output_dir else site_dir / "output"
    state = site_dir / STATE_DIR
    progress = Progress(quiet=quiet)

    with site_lock(state), _unfreezing():
        # Absolute and normal, so that `--site .` and `--site /path/to/site` are the same build.
        options = {"seeds": os.path.abspath(seeds), "output": os.path.abspath(output),
                   "site": config, "drafts": drafts, "search": search,
                   "plugins": plugins.identity, "future": future}  # fmt: skip
        # A value for each seed, kept to the end of the build: nothing for the collector.
        with paused():
            record = load_record(state)  # the last build's, read once for the whole build
            halves = (jobs or default_jobs()) > 1 and article_count(record) >= LIST_IN_HALVES
            listed = (
                list_seeds(seeds, halves=halves)
                if seeds_dir
                else confined_seeds(seeds, site_dir, halves=halves)
            )
        fingerprint = input_fingerprint(site_dir, listed, options)
        last = unchanged_build(record, output, fingerprint, now)
        if last is not None and not (strict and last["warnings"]):
            return unchanged_report(last, output, started)
        # Only now: the stages' libraries take a good part of a second to load.
        from newsgen.pipeline import run_stages

        report = run_stages(
            site_dir, seeds=seeds, output=output, state=state, config=config, plugins=plugins,
            listed=listed, fingerprint=fingerprint, now=now, started=started, progress=progress,
            drafts=drafts, strict=strict, search=search, jobs=jobs, future=future,
            allow_shrink=allow_shrink, last_articles=article_count(record),
        )  # fmt: skip
    if not report.strict_failed:
        plugins.build_finished(report)
    return report


def confined_seeds(seeds: Path, site_dir: Path, *, halves: bool = False) -> list[ListedSeed]:
    """The site's own seeds/, unless it is a link out of the site folder (see confine.py)."""
    real = os.path.realpath(seeds)
    if not seeds.is_symlink() or is_inside(real, os.path.realpath(site_dir)):
        return list_seeds(seeds, halves=halves)
    return [ListedSeed(str(seeds), "seeds", ("warning", OUTSIDE.format(target=real)))]


@contextmanager
def _unfreezing() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()  # a long-running `newsgen serve` must get that memory back


def _with_base_url(config: Config, base_url: str | None) -> Config:
    if not base_url:
        return config
    return replace(config, site=replace(config.site, base_url=normalise_base_url(base_url)))
