"""Fetch feeds into seed files: the pipeline, and the public entry points the CLI calls.

    select feeds (--feed, --shard, enabled) -> skip the gone and the not yet due (schedule.py)
    -> fetch each (http.py, several at once) -> parse (feeds.py) -> filter (filters.py)
    -> with `full_text: true`, each new item's page (pages.py)
    -> render new items (seedwriter.py) -> write, in feed-list order
    -> remember validators and seen items (state.py), each feed's health (health.py),
       follow permanent moves in newsgen.yaml (configedit.py)
    -> archive seeds past retention (retention.py) -> tell about feeds in trouble (alerts.py)

Writing happens in the order of the feed list, whatever order the downloads finish in, so when
two feeds carry the same item the earlier feed's copy is the one kept, run after run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsgen import clock
from newsgen.atomicwrite import discard, remove_stale_temps
from newsgen.config import CONFIG_NAME
from newsgen.errors import FetchError, UsageError
from newsgen.fetch.alerts import Move, feed_alerts
from newsgen.fetch.configedit import replace_feed_url, url_line
from newsgen.fetch.feeds import FeedFormatError, parse_feed
from newsgen.fetch.filters import ItemFilter, newest
from newsgen.fetch.health import FeedHealth, load_health, save_health
from newsgen.fetch.http import HttpClient, HttpFailure, HttpPolicy, HttpResult, Validators
from newsgen.fetch.items import (
    FeedItem,
    ParsedFeed,
    canonical_link,
    feed_key,
    is_http_url,
    item_keys,
    key_hash,
    shared_keys,
)
from newsgen.fetch.known import seed_identities
from newsgen.fetch.pagecache import PageCache
from newsgen.fetch.pages import PAGE_ACCEPT, PageFetcher, PagePolicy, PageResult
from newsgen.fetch.progress import Reporter, make_reporter
from newsgen.fetch.report import FeedOutcome, FetchReport, Status
from newsgen.fetch.retention import ARCHIVE_DIR, Retired, retention_cutoff, retire_seeds
from newsgen.fetch.schedule import fresh_until, next_due
from newsgen.fetch.seedwriter import FeedContext, Seed, build_seed, publish_seed, stage_seed
from newsgen.fetch.shard import select_shard
from newsgen.fetch.state import FeedState, FetchState, load_state, save_state, state_lock
from newsgen.models import Config, FeedConfig
from newsgen.paths import ARCHIVE_INDEX, SEED_INDEX, STATE_DIR

SEEDS_DIR = "seeds"
WRITER_THREADS = 8
STALE_TEMP_SECONDS = 3600.0  # no run lives this long: its deadline per feed is a minute


class SeedWriteError(OSError):
    """Seed files could not be written for one feed (disk full, permissions)."""


def list_feeds(config: Config) -> list[FeedConfig]:
    """Return the configured feeds, in the order of newsgen.yaml."""
    return list(config.feeds)


def fetch(
    site_dir: Path,
    config: Config,
    *,
    feed_urls: Sequence[str] = (),
    shard: tuple[int, int] | None = None,
    jobs: int = 8,
    quiet: bool = False,
    policy: HttpPolicy | None = None,
    now: datetime | None = None,
    page_policy: PagePolicy | None = None,
) -> FetchReport:
    """Fetch the configured feeds (or `feed_urls`) into new seed files under `site_dir/seeds/`.

    `shard=(i, n)` fetches only the i-th of n stable slices of the list (1 <= i <= n).
    A failing feed is reported in the result and never stops the others. Feeds named in
    `feed_urls` are asked now, whatever their `interval`, `enabled` or a 410 said before.
    `now` replaces the clock, to replay scheduled runs. Feeds with `full_text: true` also
    fetch each new item's page (`page_policy`, see pages.py).
    """
    started = time.monotonic()
    now = (now or clock.now()).astimezone(UTC)
    feeds = select_shard(_feeds_to_fetch(config, feed_urls), shard)
    # Retention looks at the whole of seeds/, so a shard, which sees only its feeds, leaves
    # it to `newsgen prune` in the job that merges the shards.
    retain = config.retention.days if shard is None and not feed_urls else 0
    if not feeds and not retain:
        return FetchReport((), elapsed=time.monotonic() - started)  # and nothing is written
    run = _prepare_run(site_dir, config, now, policy or HttpPolicy(), len(feeds), quiet=quiet)
    run.explicit = bool(feed_urls)
    run.page_policy = page_policy or PagePolicy()
    try:
        outcomes = asyncio.run(run.fetch_all(feeds, jobs))
    finally:
        run.writers.shutdown()
        run.reporter.close()
        moves = _save(site_dir, run)  # even after an interruption: what was written is noted
    retired = retire(site_dir, retain, now) if retain else None
    alerts = feed_alerts(feeds, run.health_after(), moves, now)
    return FetchReport(
        tuple(outcomes), elapsed=time.monotonic() - started, alerts=tuple(alerts), retired=retired
    )


def _prepare_run(
    site_dir: Path, config: Config, now: datetime, policy: HttpPolicy, feeds: int, *, quiet: bool
) -> _Run:
    """Read what earlier runs left: fetch state, the items on disk, each feed's health."""
    state_dir = site_dir / STATE_DIR
    state = load_state(site_dir)
    seeds_dir = site_dir / SEEDS_DIR
    remove_stale_temps(seeds_dir, older_than=STALE_TEMP_SECONDS)
    known = set(state.known) | seed_identities(seeds_dir, state_dir / SEED_INDEX)
    # Archived items stay known, so an old item still in its feed is not fetched again.
    known |= seed_identities(site_dir / ARCHIVE_DIR, state_dir / ARCHIVE_INDEX)
    writers = ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="newsgen-seed")
    run = _Run(seeds_dir, state, known, now, policy, make_reporter(feeds, quiet=quiet), writers)
    run.health = load_health(site_dir, state_dir)
    run.configured = {feed.url for feed in config.feeds}
    days = config.retention.days
    run.oldest = retention_cutoff(days, now) if days else None
    return run


def _save(site_dir: Path, run: _Run) -> list[Move]:
    """Follow moved feeds in newsgen.yaml, then save fetch state and health, in one lock."""
    with state_lock(site_dir):
        moves = _follow_moves(site_dir, run)
        save_state(site_dir, run.feed_states, run.seen, run.now.date(), locked=True)
        save_health(site_dir, site_dir / STATE_DIR, run.health_changes)
    return moves


def retire(site_dir: Path, days: int, now: datetime | None = None) -> Retired:
    """Move fetched seeds dated more than `days` ago from seeds/ to archive/ (`newsgen prune`)."""
    index = site_dir / STATE_DIR / SEED_INDEX
    when = (now or datetime.now(UTC)).astimezone(UTC)
    return retire_seeds(site_dir / SEEDS_DIR, site_dir / ARCHIVE_DIR, index, days, when)


def _follow_moves(site_dir: Path, run: _Run) -> list[Move]:
    """Put the new URL of each permanently moved feed into newsgen.yaml, or say how to."""
    config_path = site_dir / CONFIG_NAME
    moves = []
    for old, new in run.moved.items():
        configured = old in run.configured
        if configured and replace_feed_url(config_path, old, new):
            moves.append(Move(old, new, updated=True))
            record = run.health_changes.get(old) or run.health.get(old, FeedHealth())
            run.health_changes[old] = None
            run.health_changes[new] = replace(record, moved_to="", moved_from=old)
            run.feed_states[new] = run.feed_states.get(old) or run.state.feed(old)
            run.feed_states[old] = None
            continue
        line = url_line(config_path, old) if configured else 0
        if line:
            how = f"change its url on line {line} of {CONFIG_NAME} to {new}"
        elif configured:
            how = f"change its url in {CONFIG_NAME} to {new}"
        else:
            how = f"use --feed {new} from now on"
        moves.append(Move(old, new, updated=False, how=how))
    return moves


def _feeds_to_fetch(config: Config, feed_urls: Sequence[str]) -> list[FeedConfig]:
    """Resolve `--feed` URLs against the config (to keep their settings), minus repeats.

    Without `--feed`, the enabled feeds of the config; a disabled one is fetched only by name.
    """
    configured = {feed_key(feed.url): feed for feed in config.feeds}
    if feed_urls:
        for url in feed_urls:
            if not is_http_url(url):
                raise UsageError(f"--feed {url!r}: expected an http:// or https:// URL")
        default = config.fetch.allow_private
        wanted = [
            configured.get(feed_key(url), FeedConfig(url=url, allow_private=default))
            for url in feed_urls
        ]
    else:
        wanted = [feed for feed in config.feeds if feed.enabled]
    unique: dict[str, FeedConfig] = {}
    for feed in wanted:
        unique.setdefault(feed_key(feed.url), feed)
    return list(unique.values())


@dataclass(frozen=True, slots=True)
class _Fetched:
    """One feed after download and parsing, before anything is written."""

    feed: FeedConfig
    result: HttpResult | None = None
    seeds: tuple[tuple[Seed, Path], ...] = ()  # each new seed, staged in a temporary file
    already_known: tuple[str, ...] = ()  # digests of items in the feed that were known before
    items: int = 0
    empty_items: int = 0
    filtered: int = 0  # items left out by the feed's include/exclude or max_items
    error: str = ""
    status_code: int = 0  # the HTTP status of a failure, when it was one
    retry_at: datetime | None = None
    deferred_until: datetime | None = None
    due: datetime | None = None  # not asked: its interval, <ttl> or max-age runs until then
    gone: bool = False  # not asked: it answered 410 Gone before
    fresh_until: str = ""


@dataclass(frozen=True, slots=True)
class _Selected:
    """A parsed feed, the items to write (with their keys), and the digests to remember."""

    parsed: ParsedFeed
    new: tuple[tuple[FeedItem, tuple[str, ...]], ...]
    known: tuple[str, ...]  # items known before, and items passed over for `max_items`
    known_before: int  # how many digests of `known` were of items known before


@dataclass
class _Run:
    seeds_dir: Path
    state: FetchState
    known: set[str]
    now: datetime
    policy: HttpPolicy
    reporter: Reporter
    writers: ThreadPoolExecutor
    feed_states: dict[str, FeedState | None] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)
    health: dict[str, FeedHealth] = field(default_factory=dict)  # as the run started
    health_changes: dict[str, FeedHealth | None] = field(default_factory=dict)
    explicit: bool = False  # the feeds were named with --feed: ask them now, whatever
    configured: set[str] = field(default_factory=set)  # the URLs newsgen.yaml lists
    moved: dict[str, str] = field(default_factory=dict)  # feed URL -> permanent new URL
    oldest: datetime | None = None  # items dated before this are past retention
    page_policy: PagePolicy = field(default_factory=PagePolicy)
    pages: PageFetcher | None = None  # made when some feed has `full_text: true`

    def health_after(self) -> dict[str, FeedHealth]:
        """Each feed's health with this run's changes."""
        changed = {url: h for url, h in self.health_changes.items() if h is not None}
        gone = {url for url, h in self.health_changes.items() if h is None}
        return {url: h for url, h in self.health.items() if url not in gone} | changed

    async def fetch_all(self, feeds: Sequence[FeedConfig], jobs: int) -> list[FeedOutcome]:
        async with contextlib.AsyncExitStack() as stack:
            client = await stack.enter_async_context(HttpClient(self.policy, jobs=jobs))
            if any(feed.full_text for feed in feeds):
                page_client = HttpClient(self.page_policy.http(), jobs=jobs, accept=PAGE_ACCEPT)
                await stack.enter_async_context(page_client)
                cache = PageCache(self.seeds_dir.parent)
                self.pages = PageFetcher(page_client, cache, self.page_policy)
            tasks = [asyncio.create_task(self._fetch_one(client, feed)) for feed in feeds]
            outcomes = []
            try:
                for task in tasks:
                    outcome = self._commit(await task)
                    self.reporter.feed_done(outcome)
                    outcomes.append(outcome)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        return outcomes

    async def _fetch_one(self, client: HttpClient, feed: FeedConfig) -> _Fetched:
        record = self.health.get(feed.url, FeedHealth())
        if record.gone_since and not self.explicit:
            return _Fetched(feed, gone=True)
        deferred = self.state.deferred_until(feed.url, self.now)
        if deferred is not None:
            return _Fetched(feed, deferred_until=deferred)
        previous = self.state.feed(feed.url)
        due = None if self.explicit else next_due(feed, previous, self.now)
        if due is not None:
            return _Fetched(feed, due=due)
        # A feed that moved while newsgen.yaml could not follow is asked at its new address.
        url = record.moved_to or feed.url
        try:
            result = await client.get(
                url,
                Validators(previous.etag, previous.last_modified),
                allow_private=feed.allow_private,
            )
        except HttpFailure as failure:
            return _Fetched(
                feed,
                error=failure.reason,
                status_code=failure.status_code,
                retry_at=failure.retry_at,
            )
        if record.moved_to and not result.moved_to:
            result = replace(result, moved_to=record.moved_to)
        if result.status == 304:
            return _Fetched(
                feed, result=result, fresh_until=fresh_until(self.now, 0, result.max_age)
            )
        try:
            selected = await asyncio.to_thread(self._select, feed, result)
            pages = await self._pages(feed, selected.new)
            return await asyncio.to_thread(self._prepare, feed, result, selected, pages)
        except (FeedFormatError, SeedWriteError) as exc:
            return _Fetched(feed, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a parser bug on one hostile feed must not stop the rest
            return _Fetched(feed, error=f"unparsable: {type(exc).__name__}: {exc}")

    def _select(self, feed: FeedConfig, result: HttpResult) -> _Selected:
        """Parse a downloaded feed and pick the items to write; runs in a worker thread."""
        parsed = parse_feed(result.body, result.url, result.content_type)
        known: list[str] = []
        fresh: list[tuple[FeedItem, tuple[str, ...]]] = []
        shared = shared_keys(parsed.items)
        keeps = ItemFilter(feed).keeps
        taken: set[str] = set()  # digests of this feed's items so far: a copy is written once
        for item in parsed.items:
            if not keeps(item) or self._past_retention(item):
                continue  # judged again next time: a changed filter may want it
            keys = item_keys(item, feed.url, shared)
            digests = [key_hash(key) for key in keys]
            # `known` only grows, so an item known now is still known when it is written.
            if any(digest in self.known for digest in digests):
                known.extend(digests)
            elif not taken.intersection(digests):
                fresh.append((item, keys))
            taken.update(digests)
        chosen = {id(item) for item in newest([item for item, _ in fresh], feed.max_items)}
        new = tuple((item, keys) for item, keys in fresh if id(item) in chosen)
        # Items over `max_items` are passed over for good, not written by a later run.
        skipped = [key_hash(k) for item, keys in fresh if id(item) not in chosen for k in keys]
        return _Selected(parsed, new, known=(*known, *skipped), known_before=len(known))

    async def _pages(
        self, feed: FeedConfig, new: Sequence[tuple[FeedItem, tuple[str, ...]]]
    ) -> list[PageResult | None]:
        """The article page of each new item, for a feed with `full_text: true`."""
        if not feed.full_text or self.pages is None:
            return [None] * len(new)
        fetcher = self.pages
        asked = [
            fetcher.fetch(
                canonical_link(item.link) if item.link else "",
                item.title,
                feed.url,
                allow_private=feed.allow_private,
            )
            for item, _ in new
        ]
        return list(await asyncio.gather(*asked))

    def _prepare(
        self,
        feed: FeedConfig,
        result: HttpResult,
        selected: _Selected,
        pages: Sequence[PageResult | None],
    ) -> _Fetched:
        """Render the selected items as seeds and stage them; runs in a worker thread."""
        parsed = selected.parsed
        language = feed.language or parsed.language
        context = FeedContext(feed, _source_name(feed, parsed), self.now, language)
        seeds = [
            build_seed(item, keys, context, page)
            for (item, keys), page in zip(selected.new, pages, strict=True)
        ]
        return _Fetched(
            feed,
            result=result,
            seeds=self._stage(seeds),
            already_known=selected.known,
            items=len(parsed.items),
            empty_items=parsed.skipped,
            filtered=len(parsed.items) - len(seeds) - selected.known_before,
            fresh_until=fresh_until(self.now, parsed.ttl, result.max_age),
        )

    def _past_retention(self, item: FeedItem) -> bool:
        return self.oldest is not None and item.date is not None and item.date < self.oldest

    def _stage(self, seeds: list[Seed]) -> tuple[tuple[Seed, Path], ...]:
        """Write new seeds to temporary files now, in this worker thread: fsync is the slow part."""
        # Many fsyncs at once share the file system's journal commits: several times faster.
        futures = [self.writers.submit(stage_seed, self.seeds_dir, seed) for seed in seeds]
        wait(futures)
        failed = [f.exception() for f in futures if f.exception() is not None]
        if failed:
            for future in futures:
                if future.exception() is None:
                    discard(future.result())
            raise SeedWriteError(f"cannot write seed files in {self.seeds_dir}: {failed[0]}")
        return tuple((seed, future.result()) for seed, future in zip(seeds, futures, strict=True))

    def _commit(self, fetched: _Fetched) -> FeedOutcome:
        """Write a feed's new seeds and note its state and health; runs in feed-list order."""
        url = fetched.feed.url
        previous = self.state.feed(url)
        record = self.health.get(url, FeedHealth())
        if fetched.gone:
            self.health_changes[url] = record.skipped(self.now)
            reason = f"gone (HTTP 410 since {record.gone_since[:10]}); not asked any more"
            return FeedOutcome(url, Status.GONE, error=FetchError(url, reason))
        if fetched.due is not None:
            return FeedOutcome(url, Status.NOT_DUE, note=f"due at {fetched.due:%Y-%m-%d %H:%M} UTC")
        if fetched.deferred_until is not None:
            self.health_changes[url] = record.skipped(self.now)
            note = f"the server asked to wait until {fetched.deferred_until:%Y-%m-%d %H:%M} UTC"
            return FeedOutcome(url, Status.DEFERRED, note=note)
        asked = replace(previous, not_before="", fresh_until="", fetched_at=_iso(self.now))
        if fetched.error:
            self.health_changes[url] = record.failed(
                self.now, fetched.error, gone=fetched.status_code == 410
            )
            if fetched.retry_at is not None:
                asked = replace(asked, not_before=_iso(fetched.retry_at.astimezone(UTC)))
            self.feed_states[url] = asked
            return FeedOutcome(url, Status.FAILED, error=FetchError(url, fetched.error))
        result = fetched.result
        assert result is not None
        moved_to = result.moved_to if result.moved_to and result.moved_to != url else ""
        if moved_to:
            self.moved[url] = moved_to
        today = self.now.date().isoformat()
        if result.status == 304:
            self.feed_states[url] = replace(asked, fresh_until=fetched.fresh_until)
            self._note_success(url, record, 0, moved_to)
            return FeedOutcome(url, Status.NOT_MODIFIED, moved_to=moved_to)
        self.seen.update(dict.fromkeys(fetched.already_known, today))
        written: list[str] = []
        done = 0
        try:
            for seed, temp in fetched.seeds:
                if self._publish(seed, temp, today):
                    written.append(seed.relpath.as_posix())
                done += 1
        except OSError as exc:
            for _, temp in fetched.seeds[done:]:
                discard(temp)
            reason = f"cannot write seed files in {self.seeds_dir}: {exc}"
            self.health_changes[url] = record.failed(self.now, reason)
            error = FetchError(url, reason)
            return FeedOutcome(url, Status.FAILED, seeds=tuple(written), error=error)
        validators = result.validators
        self.feed_states[url] = replace(
            asked,
            etag=validators.etag,
            last_modified=validators.last_modified,
            fresh_until=fetched.fresh_until,
        )
        self._note_success(url, record, len(written), moved_to)
        return FeedOutcome(
            url,
            Status.UPDATED if written else Status.UNCHANGED,
            new_items=len(written),
            items=fetched.items,
            empty_items=fetched.empty_items,
            seeds=tuple(written),
            moved_to=moved_to,
        )

    def _note_success(self, url: str, record: FeedHealth, new_items: int, moved_to: str) -> None:
        self.health_changes[url] = replace(record.succeeded(self.now, new_items), moved_to=moved_to)

    def _publish(self, seed: Seed, temp: Path, today: str) -> bool:
        digests = [key_hash(key) for key in seed.keys]
        self.seen.update(dict.fromkeys(digests, today))
        if any(digest in self.known for digest in digests):
            discard(temp)
            return False  # an earlier feed of this run had it
        self.known.update(digests)
        return publish_seed(self.seeds_dir, seed, temp)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _source_name(feed: FeedConfig, parsed: ParsedFeed) -> str:
    """Name the source: the configured name, else the feed's own title, else its host."""
    return feed.name or parsed.title or (urlsplit(feed.url).hostname or feed.url)
