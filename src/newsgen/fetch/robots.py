"""Ask each host's robots.txt, once per run, whether newsgen may fetch an article page.

Read as RFC 9309 says: a robots.txt that is missing (any 4xx) allows everything; one that
cannot be had (a 5xx, a timeout, no connection) forbids everything, since the site may be
saying no. Only article pages are asked about: feeds are published to be fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsgen.fetch.http import HttpFailure, HttpResult

ROBOTS_AGENT = "newsgen"  # the product token a robots.txt names us by


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One host's answer: a parsed robots.txt, or a blanket yes or no with the reason."""

    parser: RobotFileParser | None
    allow_all: bool = False
    reason: str = ""  # why everything is forbidden

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(ROBOTS_AGENT)
        return float(delay) if delay is not None else 0.0


# get(robots.txt URL, the feed it is fetched for, whether that feed may reach private addresses)
Getter = Callable[[str, str, bool], Awaitable[HttpResult]]
REFUSED = "refused to connect"  # how http.py begins an address the feed may not reach


class Robots:
    """robots.txt rules per scheme and host, fetched once per run with `get`."""

    def __init__(self, get: Getter) -> None:
        self._get = get
        self._rules: dict[tuple[str, str, bool], asyncio.Task[RobotsRules]] = {}

    async def rules(self, url: str, feed_url: str = "", allow_private: bool = False) -> RobotsRules:
        """The rules for `url`'s host, as reached for the feed at `feed_url`."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        # Per feed's host too: whether a host may be reached at all depends on the feed.
        key = (origin, urlsplit(feed_url).netloc, allow_private)
        if key not in self._rules:  # one fetch per host, however many pages ask at once
            self._rules[key] = asyncio.create_task(self._fetch(origin, feed_url, allow_private))
        return await self._rules[key]

    async def _fetch(self, origin: str, feed_url: str, allow_private: bool) -> RobotsRules:
        try:
            result = await self._get(f"{origin}/robots.txt", feed_url, allow_private)
        except HttpFailure as failure:
            if 400 <= failure.status_code < 500:
                return RobotsRules(None, allow_all=True)
            if failure.reason.startswith(REFUSED):  # the page could not be reached either
                return RobotsRules(None, reason=failure.reason)
            return RobotsRules(None, reason=f"robots.txt could not be read ({failure.reason})")
        parser = RobotFileParser()
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return RobotsRules(parser)
