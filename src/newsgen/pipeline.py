"""The stages of a build with work to do: parse the seeds, group them into stories, arrange
them into a site, render it, swap it in."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from newsgen.buildreport import BuildReport
from newsgen.collector import paused
from newsgen.config import CONFIG_NAME
from newsgen.cores import default_jobs
from newsgen.errors import Diagnostic
from newsgen.fingerprint import save_record
from newsgen.guard import (
    base_url_notes,
    check_shrink,
    future_notes,
    split_future,
)
from newsgen.mapped import release
from newsgen.models import Article, Config, FeedConfig, Site, Story
from newsgen.output.intact import checking_output
from newsgen.output.staging import StagedOutput, WriteReport, load_manifest, safe_relative
from newsgen.permalinks import Permalinks
from newsgen.places import KeptPlaces, PlaceRecord, place_identity
from newsgen.plugins import Plugins
from newsgen.progress import Progress
from newsgen.readers.cache import read_seeds_cached
from newsgen.readers.firstdates import FirstDates
from newsgen.readers.listing import ListedSeed
from newsgen.render.bodystore import pack_bodies
from newsgen.render.i18n import SiteLocale, site_locale
from newsgen.render.origins import ListOrigins
from newsgen.render.pages import Renderer
from newsgen.render.pool import write_pages, write_touched
from newsgen.render.theme import static_files, template_files
from newsgen.render.touched import (
    Changes,
    PlanRecord,
    SiteShape,
    Touched,
    parsed_digests,
    touched_only,
)
from newsgen.search.job import SearchJob
from newsgen.site import make_site
from newsgen.stories.dates import date_from_stories
from newsgen.stories.regroup import Regrouped, regroup_stories
from newsgen.text.plural import counted
from newsgen.text.sources import EDITORS_DESK

SEARCH_BESIDE_FIRST_BUILD = 50_000  # articles; see _publish


def run_stages(
    site_dir: Path,
    *,
    seeds: Path,
    output: Path,
    state: Path,
    config: Config,
    plugins: Plugins,
    listed: list[ListedSeed],
    fingerprint: str,
    now: datetime,
    started: float,
    progress: Progress,
    drafts: bool,
    strict: bool,
    search: bool,
    jobs: int | None,
    future: bool,
    allow_shrink: bool,
    last_articles: int,
) -> BuildReport:
    """Everything `build.build` does once it knows its inputs changed since the last build;
    `last_articles` is how many the last build published."""
    # From the start to rendering, another core checks the live site's files against the
    # manifest (output/intact.py), while this one reads the seeds, groups and places them.
    manifest = load_manifest(state)
    with checking_output(output, manifest, state, jobs) as intact:
        progress.step("parsing seeds")
        first_dates = FirstDates(seeds, state, now)
        first_dates.settle([seed.rel_path for seed in listed if not seed.refusal])
        parsed = read_seeds_cached(
            seeds,
            timezone=ZoneInfo(config.site.timezone),
            include_drafts=drafts,
            cache_dir=state,
            jobs=jobs,
            listed=listed,
            first_dates=first_dates,
        )
        parsed = replace(parsed, diagnostics=tuple(first_dates.diagnostics) + parsed.diagnostics)
        # Said even when all is well: it is how a log shows whether a restored cache, or the
        # slices of `newsgen parse --shard`, spared this build its parsing.
        reused = parsed.seeds - parsed.parsed
        progress.note(
            f"{counted(parsed.seeds, 'seed')}: {parsed.parsed} parsed, {reused} from the cache"
        )
        static = static_files(site_dir)
        # Links out of the site folder in static/ or templates/ are never read (confine.py).
        refused = static.refused + template_files(site_dir).refused
        if strict and any(d.level in ("warning", "error") for d in parsed.diagnostics + refused):
            return BuildReport(
                articles=len(parsed.articles), pages_written=0, pages_unchanged=0,
                seconds=time.perf_counter() - started, diagnostics=parsed.diagnostics + refused,
                output_dir=output, strict_failed=True,
            )  # fmt: skip
        due, waiting = (parsed.articles, ()) if future else split_future(parsed.articles, now)
        check_shrink(
            seeds, len(due), last_articles, allow=allow_shrink,
            files=sum(not seed.refusal for seed in listed), found=refused + parsed.diagnostics,
        )  # fmt: skip
        locale = site_locale(config.site.language)
        named = _desk_named(due, locale)
        plan = PlanRecord(state)
        places = PlaceRecord(state, place_identity(config, locale.editors_desk()))
        kept = None
        if not plugins.loaded:
            with paused():  # a few lists and dictionaries by article, and no garbage
                kept = places.kept(named, _desk_named(parsed.earlier, locale), plan.recorded())
        # Placing and grouping make the build's largest graphs of objects, kept until it
        # ends: the collector would walk them each time the heap grows, finding nothing to
        # free, and after this, while rendering makes garbage, each full collection would
        # walk the site.
        with paused():
            placed = _place(
                named, kept, state=state, config=config, plugins=plugins, jobs=jobs,
                progress=progress,
            )  # fmt: skip
            site, grouped = placed.site, placed.grouped
        release()  # the bodies grouping read: rendering reads them again a part at a time
        origins = ListOrigins(state)
        staged = StagedOutput(output, state, manifest=manifest, intact=intact)
        published = _publish(
            site, site_dir, staged, state, static.files, search=search, jobs=jobs,
            progress=progress, plugins=plugins, feeds=config.feeds, origins=origins,
            plan=plan, kept=kept if placed.reused else None,
        )  # fmt: skip
    if placed.permalinks is not None:
        placed.permalinks.save()
    origins.save()
    grouped.save()
    first_dates.save()  # only now: a failed build must not fix a date it never published
    if plugins.loaded:
        places.forget()  # a plugin may place anything: the next build places the site again
    else:
        _keep_places(places, placed, kept, published, named)
    dating_notes = placed.dating_notes
    diagnostics = (
        refused + parsed.diagnostics + dating_notes + future_notes(waiting)
        + base_url_notes(config) + _language_notes(config)
    )  # fmt: skip
    next_due = min((a.date for a in waiting), default=None)
    written = published.written
    save_record(
        state, output, fingerprint, len(site.articles), written.total, diagnostics, next_due
    )
    report = BuildReport(
        articles=len(site.articles),
        pages_written=written.written,
        pages_unchanged=written.unchanged,
        seconds=time.perf_counter() - started,
        diagnostics=diagnostics,
        output_dir=output,
        pages_reused=written.reused,
    )
    return report


@dataclass(frozen=True, slots=True)
class _Placed:
    """The site a build placed, and how."""

    site: Site
    grouped: Regrouped
    dating_notes: tuple[Diagnostic, ...]
    permalinks: Permalinks | None  # to save: None when the URLs were not placed again
    reused: bool  # the last build's places, kept (places.py)


def _place(
    articles: Sequence[Article],
    kept: KeptPlaces | None,
    *,
    state: Path,
    config: Config,
    plugins: Plugins,
    jobs: int | None,
    progress: Progress,
) -> _Placed:
    """Group the articles into stories and place them into the site: as the last build placed
    them when they `kept` their places and grouping finds the same stories, else anew."""
    workers = jobs or default_jobs()
    if kept is not None:
        pack_bodies(articles)
        progress.step("grouping stories")
        as_told = kept.regrouped(state)
        grouped = as_told or regroup_stories(articles, cache_dir=state, workers=workers)
        site = kept.site(None if as_told else grouped.stories)
        if site is not None:
            return _Placed(site, grouped, kept.dating_notes, None, reused=True)
    permalinks = Permalinks(state, config.site.article_permalink)
    pinned, published = permalinks.pin(articles)
    if kept is None:
        pack_bodies(pinned)
        progress.step("grouping stories")
        pinned = list(plugins.articles_read(pinned))
        grouped = regroup_stories(pinned, cache_dir=state, workers=workers)
        told = grouped.stories
    else:  # grouped already: the same stories, of the articles as pinned (no plugin is loaded)
        by_key = {article.key: article for article in pinned}
        told = tuple(
            Story(tuple(by_key[a.key] for a in story.articles)) for story in grouped.stories
        )
    stories, dating_notes = date_from_stories(told)
    site = make_site(
        [a for s in stories for a in s.articles], config.site, stories, config.topics,
        published=published,
    )  # fmt: skip
    site = plugins.site_assembled(site)
    site = replace(site, redirects=permalinks.settle(site.articles))
    return _Placed(site, grouped, dating_notes, permalinks, reused=False)


class _Published(NamedTuple):
    """What `_publish` wrote, and what the site was to the plan record."""

    written: WriteReport
    shape: str
    origins: dict[str, int]  # where each list's pages begin
    changes: Changes | None  # how it differs from the last build's, when it kept its shape
    first: bool  # no build recorded its plan before


def _keep_places(
    places: PlaceRecord,
    placed: _Placed,
    kept: KeptPlaces | None,
    published: _Published,
    articles: Sequence[Article],
) -> None:
    """Record the placed site for the next build, when it is likely to reuse it.

    By a first build, and by one whose articles are the last build's (those of the record, or
    of the plan record when none was kept), as after an edit: the next build is then likely
    to edit again. Not after articles came or went, as a scheduled fetch brings them, whose
    next build brings more: recording costs a visit to every entry of every list, which would
    be spent on every such build for nothing.
    """
    shape, origins = published.shape, published.origins
    if placed.reused and kept is not None and (shape, origins) == (kept.shape, kept.origins):
        places.save_kept(kept)
        return
    changes = published.changes
    if published.first or places.same_articles or (changes is not None and changes.added == 0):
        with paused():
            places.save(
                placed.site, articles, placed.grouped.stories, shape, origins,
                placed.dating_notes,
            )  # fmt: skip
    else:
        places.forget()


def _desk_named(articles: Sequence[Article], locale: SiteLocale) -> Sequence[Article]:
    """The seeds that name no source and sit outside any folder, under the desk's name in the
    site's language: the parse stage, which does not know the site, names it in English."""
    name = locale.editors_desk()
    if name == EDITORS_DESK:
        return articles
    return [
        replace(a, source=name).with_parsed_digest() if a.source == EDITORS_DESK else a
        for a in articles
    ]


def _compared(
    site: Site,
    renderer: Renderer,
    plan: PlanRecord,
    feeds: tuple[FeedConfig, ...],
    kept: KeptPlaces | None,
) -> tuple[str, list[str], Changes | None]:
    """The site's shape and articles' digests, as the plan record keeps them, and how they
    differ from the record's; the shape's columns are let go before the pages are made. A
    site of `kept` places has the shape recorded with them, its lists begun where they were."""
    digests = parsed_digests(site)
    if kept is not None and kept.origins == renderer.origins:
        changes = plan.changes(renderer.signs.base, kept.shape, digests, len(site.stories))
        return kept.shape, digests, changes
    shape = SiteShape(site, renderer.origins, (renderer.outputs, feeds))
    changes = plan.changes(renderer.signs.base, shape, digests, len(site.stories))
    return shape.digest, digests, changes


def _render(
    renderer: Renderer,
    staged: StagedOutput,
    edited: tuple[Touched, dict[str, str]] | None,
    *,
    jobs: int | None,
    progress: Progress,
    alongside: Callable[[], None] | None,
) -> None:
    """Stage the site's pages: when it kept its shape (`edited`), only those that show what
    changed are planned, the last build's others carried over; else every page is planned."""
    if edited is None:
        parts = renderer.parts()
        pages = sum(part.pages for part in parts)
        progress.step(f"rendering {pages} pages")
        with progress.counter(pages, "pages") as advance:
            write_pages(
                renderer, staged, workers=jobs, on_progress=advance, alongside=alongside,
                parts=parts,
            )  # fmt: skip
        return
    touched, recorded = edited
    planned = list(renderer.plan_touched(touched))
    carried = recorded.keys() - {safe_relative(job.path) for job in planned}
    pages = len(planned) + len(carried)
    progress.step(f"rendering {pages} pages")
    if alongside:
        alongside()
    with progress.counter(pages, "pages") as advance:
        write_touched(renderer, staged, planned, carried, on_progress=advance)


def _language_notes(config: Config) -> tuple[Diagnostic, ...]:
    """A warning when the site's language has no catalog and its words stay in English."""
    warning = site_locale(config.site.language).warning
    return (Diagnostic(CONFIG_NAME, 1, "warning", warning),) if warning else ()


def _publish(
    site: Site,
    site_dir: Path,
    staged: StagedOutput,
    state: Path,
    static: dict[str, str],
    *,
    search: bool,
    jobs: int | None,
    progress: Progress,
    plugins: Plugins,
    origins: ListOrigins,
    plan: PlanRecord,
    kept: KeptPlaces | None,
    feeds: tuple[FeedConfig, ...] = (),
) -> _Published:
    """Render the site into `staged` and swap it in whole; on any failure, drop it. Returns
    what was written, and what the site was to the plan record."""
    search_job = None
    try:
        # Beside rendering in a child when little is to be rendered, as after an edit. On a
        # first build of a small site, in this process while the render workers start; on a
        # first build of a large one, after rendering: the index then adds to the memory the
        # render workers hold, and SEARCH_BESIDE_FIRST_BUILD keeps that under 2 GB.
        if search and staged.has_previous_site:
            search_job = SearchJob(site, staged, state, jobs)
        elif search and len(site.articles) <= SEARCH_BESIDE_FIRST_BUILD:
            search_job = SearchJob(site, staged, state, jobs=1)  # inline: made by finish()
        renderer = Renderer(site, site_dir, plugins=plugins, feeds=feeds)
        if kept is not None and kept.begun_as_recorded:
            # The lists are the ones their origins were settled from: settling again, a
            # visit to every entry of every list, would find the same.
            renderer.begin_at(kept.origins)
            origins.keep()
        else:
            renderer.count_from(origins)
        with paused():  # values that last to the end of the build, a few for each article
            shape, digests, changes = _compared(site, renderer, plan, feeds, kept)
        alongside = search_job.finish if search_job and search_job.inline else None
        edited = touched_only(site, changes, staged, plugins)
        _render(renderer, staged, edited, jobs=jobs, progress=progress, alongside=alongside)
        base = renderer.signs.base
        staged.copy_files(static)
        if search:
            progress.step("indexing for search")
            # In this process unless started beside rendering: a child would copy every
            # page of the site it touches, at 100,000 articles about a gigabyte.
            search_job = search_job or SearchJob(
                site, staged, state, jobs=1, index_workers=jobs or default_jobs()
            )
            search_job.finish()
        written = staged.commit()
    except BaseException:
        if search_job:
            search_job.cancel()
        staged.discard()
        raise
    plan.save(base, shape, digests, len(site.stories))  # only now: it vouches for the site
    return _Published(written, shape, renderer.origins, changes, plan.recorded() is None)
