"""Fetch feeds into seed files: the pipeline, and the public entry points the CLI calls.

    select feeds (--feed, --shard) -> fetch each (http.py, several at once)
    -> parse (feeds.py) -> render new items (seedwriter.py) -> write, in feed-list order
    -> remember validators and seen items (state.py)

Writing happens in the order of the feed list, whatever order the downloads finish in, so when
two feeds carry the same item the earlier feed's copy is the one kept, run after run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsgen.atomicwrite import discard, remove_stale_temps
from newsgen.errors import FetchError, UsageError
from newsgen.fetch.feeds import FeedFormatError, parse_feed
from newsgen.fetch.http import HttpClient, HttpFailure, HttpPolicy, HttpResult, Validators
from newsgen.fetch.items import (
    ParsedFeed,
    feed_key,
    is_http_url,
    item_keys,
    key_hash,
    shared_keys,
)
from newsgen.fetch.known import seed_identities
from newsgen.fetch.progress import Reporter, make_reporter
from newsgen.fetch.report import FeedOutcome, FetchReport, Status
from newsgen.fetch.seedwriter import FeedContext, Seed, build_seed, publish_seed, stage_seed
from newsgen.fetch.shard import select_shard
from newsgen.fetch.state import FeedState, FetchState, load_state, save_state
from newsgen.models import Config, FeedConfig
from newsgen.paths import SEED_INDEX, STATE_DIR

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
) -> FetchReport:
    """Fetch the configured feeds (or `feed_urls`) into new seed files under `site_dir/seeds/`.

    `shard=(i, n)` fetches only the i-th of n stable slices of the list (1 <= i <= n).
    A failing feed is reported in the result and never stops the others.
    """
    started = time.monotonic()
    feeds = select_shard(_feeds_to_fetch(config, feed_urls), shard)
    if not feeds:
        return FetchReport((), elapsed=time.monotonic() - started)  # and nothing is written
    state = load_state(site_dir)
    seeds_dir = site_dir / SEEDS_DIR
    remove_stale_temps(seeds_dir, older_than=STALE_TEMP_SECONDS)
    known = set(state.known) | seed_identities(seeds_dir, site_dir / STATE_DIR / SEED_INDEX)
    reporter = make_reporter(len(feeds), quiet=quiet)
    writers = ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="newsgen-seed")
    now = datetime.now(UTC)
    run = _Run(seeds_dir, state, known, now, policy or HttpPolicy(), reporter, writers)
    try:
        outcomes = asyncio.run(run.fetch_all(feeds, jobs))
    finally:
        writers.shutdown()
        reporter.close()
        # Saved even after an interruption: the feeds written so far keep their validators.
        save_state(site_dir, run.feed_states, run.seen, run.now.date())
    return FetchReport(tuple(outcomes), elapsed=time.monotonic() - started)


def _feeds_to_fetch(config: Config, feed_urls: Sequence[str]) -> list[FeedConfig]:
    """Resolve `--feed` URLs against the config (to keep their names and tags), minus repeats."""
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
        wanted = list(config.feeds)
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
    error: str = ""
    retry_at: datetime | None = None
    deferred_until: datetime | None = None


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

    async def fetch_all(self, feeds: Sequence[FeedConfig], jobs: int) -> list[FeedOutcome]:
        async with HttpClient(self.policy, jobs=jobs) as client:
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
        deferred = self.state.deferred_until(feed.url, self.now)
        if deferred is not None:
            return _Fetched(feed, deferred_until=deferred)
        previous = self.state.feed(feed.url)
        try:
            result = await client.get(
                feed.url,
                Validators(previous.etag, previous.last_modified),
                allow_private=feed.allow_private,
            )
        except HttpFailure as failure:
            return _Fetched(feed, error=failure.reason, retry_at=failure.retry_at)
        if result.status == 304:
            return _Fetched(feed, result=result)
        try:
            return await asyncio.to_thread(self._prepare, feed, result)
        except (FeedFormatError, SeedWriteError) as exc:
            return _Fetched(feed, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a parser bug on one hostile feed must not stop the rest
            return _Fetched(feed, error=f"unparsable: {type(exc).__name__}: {exc}")

    def _prepare(self, feed: FeedConfig, result: HttpResult) -> _Fetched:
        """Parse a downloaded feed and render its new items; runs in a worker thread."""
        parsed = parse_feed(result.body, result.url, result.content_type)
        context = FeedContext(feed, _source_name(feed, parsed), self.now)
        seeds: list[Seed] = []
        known: list[str] = []
        shared = shared_keys(parsed.items)
        taken: set[str] = set()  # digests of this feed's items so far: a copy is written once
        for item in parsed.items:
            keys = item_keys(item, feed.url, shared)
            digests = [key_hash(key) for key in keys]
            # `known` only grows, so an item known now is still known when it is written.
            if any(digest in self.known for digest in digests):
                known.extend(digests)
            elif not taken.intersection(digests):
                seeds.append(build_seed(item, keys, context))
            taken.update(digests)
        return _Fetched(
            feed,
            result=result,
            seeds=self._stage(seeds),
            already_known=tuple(known),
            items=len(parsed.items),
            empty_items=parsed.skipped,
        )

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
        """Write a feed's new seeds and note its state; runs in feed-list order."""
        url = fetched.feed.url
        previous = self.state.feed(url)
        if fetched.deferred_until is not None:
            note = f"the server asked to wait until {fetched.deferred_until:%Y-%m-%d %H:%M} UTC"
            return FeedOutcome(url, Status.DEFERRED, note=note)
        if fetched.error:
            if fetched.retry_at is not None:
                not_before = fetched.retry_at.astimezone(UTC).isoformat(timespec="seconds")
                self.feed_states[url] = FeedState(
                    previous.etag, previous.last_modified, not_before=not_before
                )
            return FeedOutcome(url, Status.FAILED, error=FetchError(url, fetched.error))
        assert fetched.result is not None
        today = self.now.date().isoformat()
        if fetched.result.status == 304:
            self.feed_states[url] = FeedState(previous.etag, previous.last_modified)
            return FeedOutcome(url, Status.NOT_MODIFIED)
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
            error = FetchError(url, reason)
            return FeedOutcome(url, Status.FAILED, seeds=tuple(written), error=error)
        validators = fetched.result.validators
        self.feed_states[url] = FeedState(validators.etag, validators.last_modified)
        return FeedOutcome(
            url,
            Status.UPDATED if written else Status.UNCHANGED,
            new_items=len(written),
            items=fetched.items,
            empty_items=fetched.empty_items,
            seeds=tuple(written),
        )

    def _publish(self, seed: Seed, temp: Path, today: str) -> bool:
        digests = [key_hash(key) for key in seed.keys]
        self.seen.update(dict.fromkeys(digests, today))
        if any(digest in self.known for digest in digests):
            discard(temp)
            return False  # an earlier feed of this run had it
        self.known.update(digests)
        return publish_seed(self.seeds_dir, seed, temp)


def _source_name(feed: FeedConfig, parsed: ParsedFeed) -> str:
    """Name the source: the configured name, else the feed's own title, else its host."""
    return feed.name or parsed.title or (urlsplit(feed.url).hostname or feed.url)
