"""Fetch new items' article pages for feeds with `full_text: true`, politely, and extract them.

    page URL -> page cache (fresh: done) -> robots.txt (robots.py) -> one request at a time
    per host, `delay` seconds apart -> conditional GET (http.py: timeouts, size cap,
    redirects) -> extract the article (extract.py, in a worker thread) -> page cache

The same bounded client as feeds, with tighter limits: a page is one item, not a whole feed.
Every way of failing gives a `PageResult` with a reason, never an exception: the item is then
written with its feed's text, and the seed says why.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsgen.fetch.extract import NotHtml, extract_article
from newsgen.fetch.http import HttpClient, HttpFailure, HttpPolicy, HttpResult, Validators
from newsgen.fetch.items import is_http_url
from newsgen.fetch.pagecache import CachedPage, PageCache
from newsgen.fetch.robots import REFUSED, Robots

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
MAX_CRAWL_DELAY = 30.0  # a robots.txt asking for longer between requests gets no page fetches


@dataclass(frozen=True, slots=True)
class PagePolicy:
    """How politely and within which bounds article pages are fetched."""

    delay: float = 1.0  # seconds between two requests to one host (more if robots.txt asks)
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    deadline: float = 30.0  # one page, redirects included
    max_bytes: int = 5 * 1024 * 1024  # after decompression; article pages are rarely 1 MiB
    max_redirects: int = 5
    fresh: timedelta = timedelta(days=1)  # a cached answer this young is used without asking

    def http(self) -> HttpPolicy:
        return HttpPolicy(
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            deadline=self.deadline,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            per_host=1,
            max_retry_wait=0.0,  # a page that says "come back later" is not waited for
        )


@dataclass(frozen=True, slots=True)
class PageResult:
    """An item's page: its extracted body, or why there is none."""

    url: str  # after redirects
    body_html: str = ""
    text_length: int = 0
    failure: str = ""


class PageFetcher:
    """Fetch article pages through `client`; use one per run."""

    def __init__(self, client: HttpClient, cache: PageCache, policy: PagePolicy) -> None:
        self._client = client
        self._cache = cache
        self._policy = policy
        self._robots = Robots(self._get_robots)
        self._host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last_request: dict[str, float] = {}

    async def fetch(
        self, url: str, title: str = "", feed_url: str = "", *, allow_private: bool = False
    ) -> PageResult:
        """The article of the page at `url`, from the cache when it is fresh.

        The page and its robots.txt are fetched under the rules of the feed (`feed_url`,
        `allow_private`; see guard.py): item links are written by the feed's publisher, and a
        public feed must not make newsgen fetch, and publish, what only the machine running
        it can reach.
        """
        if not is_http_url(url):
            return PageResult(url, failure="no http(s) link to fetch")
        cached = self._cache.get(url)
        now = datetime.now(UTC)
        if cached is not None and now - cached.checked_at() < self._policy.fresh:
            return _result(cached)
        rules = await self._robots.rules(url, feed_url, allow_private)
        if rules.reason.startswith(REFUSED):  # this feed may not reach it; another may
            return PageResult(url, failure=rules.reason)
        if not rules.allows(url):
            return self._keep(url, url, now, failure=rules.reason or "robots.txt disallows it")
        delay = max(self._policy.delay, rules.crawl_delay())
        if delay > MAX_CRAWL_DELAY:
            reason = f"robots.txt asks for {delay:g} s between requests"
            return self._keep(url, url, now, failure=reason)
        validators = Validators(cached.etag, cached.last_modified) if cached else Validators()
        try:
            answer = await self._polite_get(url, validators, delay, feed_url, allow_private)
        except HttpFailure as failure:
            if failure.reason.startswith(REFUSED):
                return PageResult(url, failure=failure.reason)
            return self._keep(url, url, now, failure=failure.reason)
        if answer.status == 304 and cached is not None:
            return _result(self._remember(cached, answer, now))
        return await self._extract(url, answer, title, now)

    async def _extract(self, url: str, answer: HttpResult, title: str, now: datetime) -> PageResult:
        try:
            found = await asyncio.to_thread(
                extract_article, answer.body, answer.content_type, answer.url, title
            )
        except NotHtml as exc:
            return self._keep(url, answer.url, now, answer, failure=f"not a web page ({exc})")
        except Exception as exc:  # noqa: BLE001 - one hostile page must not fail its whole feed
            reason = f"the page could not be read: {type(exc).__name__}: {exc}"
            return self._keep(url, answer.url, now, answer, failure=reason)
        failure = "" if found.body_html else "no article text found on the page"
        return self._keep(
            url, answer.url, now, answer, body=found.body_html, length=found.text_length,
            failure=failure,
        )  # fmt: skip

    async def _polite_get(
        self, url: str, validators: Validators, delay: float, origin: str, allow_private: bool
    ) -> HttpResult:
        """One request at a time per host, `delay` seconds after the end of the one before."""
        host = url.split("://", 1)[1].split("/", 1)[0].lower()
        async with self._host_locks[host]:
            last = self._last_request.get(host)
            if last is not None:
                await asyncio.sleep(max(0.0, last + delay - time.monotonic()))
            try:
                return await self._client.get(
                    url, validators, allow_private=allow_private, origin=origin
                )
            finally:
                self._last_request[host] = time.monotonic()

    async def _get_robots(self, url: str, origin: str, allow_private: bool) -> HttpResult:
        return await self._polite_get(url, Validators(), self._policy.delay, origin, allow_private)

    def _keep(
        self,
        url: str,
        final_url: str,
        now: datetime,
        answer: HttpResult | None = None,
        *,
        body: str = "",
        length: int = 0,
        failure: str = "",
    ) -> PageResult:
        validators = answer.validators if answer is not None else Validators()
        page = CachedPage(
            url=url,
            final_url=final_url,
            checked=now.isoformat(timespec="seconds"),
            etag=validators.etag,
            last_modified=validators.last_modified,
            body_html=body,
            text_length=length,
            failure=failure,
        )
        self._cache.put(page)
        return _result(page)

    def _remember(self, cached: CachedPage, answer: HttpResult, now: datetime) -> CachedPage:
        """A 304: the extraction still holds; note when it was confirmed."""
        validators = answer.validators
        page = CachedPage(
            url=cached.url,
            final_url=cached.final_url,
            checked=now.isoformat(timespec="seconds"),
            etag=validators.etag or cached.etag,
            last_modified=validators.last_modified or cached.last_modified,
            body_html=cached.body_html,
            text_length=cached.text_length,
            failure=cached.failure,
        )
        self._cache.put(page)
        return page


def _result(page: CachedPage) -> PageResult:
    return PageResult(page.final_url, page.body_html, page.text_length, page.failure)
