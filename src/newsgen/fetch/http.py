"""Fetch one URL politely and within bounds, whatever the server does.

Every request has connect and read timeouts and the whole fetch of a feed, redirects and a
Retry-After wait included, a deadline, so a server that drips one byte a second cannot hold a
run. Bodies are decompressed here, not by httpx, so the size cap counts decompressed bytes and
a gzip bomb stops at the cap instead of filling memory. Redirects are followed by hand to tell
a loop from a long chain, to note where a feed has moved for good (301 or 308 from the start),
and so that each target is checked before it is followed: http(s) only, and the addresses
guard.py allows. At most `per_host` requests go to one host at a time.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from newsgen.fetch.guard import AddressRefused, Destination, GuardedTransport, current_destination
from newsgen.version import __version__

USER_AGENT = f"newsgen/{__version__} (static news site generator; feed fetcher)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "application/feed+json, application/atom+xml, application/rss+xml, application/rdf+xml, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """The limits of one run; every number is per feed."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence between two pieces of the answer
    deadline: float = 60.0  # the whole fetch of one feed, redirects and retries included
    max_bytes: int = 16 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    per_host: int = 2
    max_retry_wait: float = 20.0  # a longer Retry-After defers the feed to a later run


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True, slots=True)
class HttpResult:
    """A usable answer: 200 with a body, or 304 Not Modified."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    validators: Validators = Validators()
    moved_to: str = ""  # the last target of permanent redirects (301, 308) from the start
    max_age: int = 0  # seconds the answer stays fresh, by Cache-Control: max-age


class HttpFailure(Exception):
    """A fetch that gave nothing usable; `reason` is the message for the user."""

    def __init__(
        self, reason: str, retry_at: datetime | None = None, *, status_code: int = 0
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at
        self.status_code = status_code  # the HTTP status that ended the fetch, if one did


class _RetryLater(Exception):
    def __init__(self, status: str, retry_at: datetime) -> None:
        super().__init__(status)
        self.status = status
        self.retry_at = retry_at


class HttpClient:
    """An async client for many feeds at once; use as `async with HttpClient(policy) as client`."""

    def __init__(
        self,
        policy: HttpPolicy | None = None,
        *,
        jobs: int = 8,
        user_agent: str = USER_AGENT,
        accept: str = ACCEPT,
    ) -> None:
        self.policy = policy or HttpPolicy()
        self._user_agent = user_agent
        self._accept = accept
        self._jobs = asyncio.Semaphore(max(jobs, 1))
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.policy.per_host)
        )
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> HttpClient:
        policy = self.policy
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=policy.connect_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
                pool=policy.deadline,
            ),
            follow_redirects=False,
            transport=GuardedTransport(),
            # Checked before httpx reads the Location, which it cannot do for "javascript:x".
            event_hooks={"response": [_check_redirect]},
            trust_env=False,
            headers={
                "User-Agent": self._user_agent,
                "Accept": self._accept,
                # Only what _Decoder can bound; brotli and zstd are not offered.
                "Accept-Encoding": "gzip, deflate",
            },
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(
        self,
        url: str,
        validators: Validators = Validators(),
        *,
        allow_private: bool = False,
        origin: str = "",
    ) -> HttpResult:
        """Fetch `url`; raise HttpFailure with a reason a person can act on.

        Non-public addresses are reached only at the host and port `origin` names (the
        configured feed URL; `url` itself when not given), or anywhere with `allow_private`
        (see guard.py). An article page is fetched with its feed as `origin`: the feed's
        publisher wrote the link, and may not send newsgen where the feed itself is not.

        The host's slot is taken before a job slot, so feeds queued behind a busy host do not
        keep other hosts waiting, and the deadline starts only once the fetch really starts.
        Redirects to another host count against the first host's slot.
        """
        try:
            host = httpx.URL(url).host
            destination = Destination.of(origin or url, allow_private=allow_private)
        except httpx.InvalidURL as exc:
            raise HttpFailure(f"invalid URL: {exc}") from None
        # This task's connections, and only its, are checked against this feed's destination.
        current_destination.set(destination)
        async with self._hosts[host], self._jobs:
            return await self._get_within_deadline(url, validators)

    async def _get_within_deadline(self, url: str, validators: Validators) -> HttpResult:
        try:
            async with asyncio.timeout(self.policy.deadline):
                return await self._get_with_retry(url, validators)
        except TimeoutError:
            raise HttpFailure(
                f"timeout: no complete answer within {self.policy.deadline:g} s"
            ) from None

    async def _get_with_retry(self, url: str, validators: Validators) -> HttpResult:
        try:
            return await self._follow(url, validators)
        except _RetryLater as later:
            wait = (later.retry_at - datetime.now(UTC)).total_seconds()
            if wait > self.policy.max_retry_wait:
                until = f"{later.retry_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
                raise HttpFailure(
                    f"{later.status}; the server asks to wait until {until}",
                    retry_at=later.retry_at,
                ) from None
            await asyncio.sleep(max(wait, 0.0))
        try:
            return await self._follow(url, validators)
        except _RetryLater as later:
            raise HttpFailure(
                f"{later.status} again after waiting as asked", retry_at=later.retry_at
            ) from None

    async def _follow(self, url: str, validators: Validators) -> HttpResult:
        assert self._client is not None, "use HttpClient as an async context manager"
        try:
            request = self._client.build_request("GET", url, headers=_conditional(validators))
        except httpx.InvalidURL as exc:
            raise HttpFailure(f"invalid URL: {exc}") from None
        chain = [str(request.url)]
        moved_to, permanent = "", True
        for _hop in range(self.policy.max_redirects + 1):
            outcome = await self._send(request)
            if isinstance(outcome, HttpResult):
                return replace(outcome, moved_to=moved_to) if moved_to else outcome
            status, request = outcome
            target = str(request.url)
            # Only a chain of permanent moves from the feed's own URL moves the feed: a
            # temporary hop after them (a login or CDN bounce) is followed but not kept.
            permanent = permanent and status in (301, 308)
            if permanent:
                moved_to = target
            if target in chain:
                loop = [*chain[chain.index(target) :], target]
                raise HttpFailure("redirect loop: " + " -> ".join(loop))
            chain.append(target)
        raise HttpFailure(f"too many redirects (more than {self.policy.max_redirects})")

    async def _send(self, request: httpx.Request) -> HttpResult | tuple[int, httpx.Request]:
        assert self._client is not None
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise HttpFailure(_describe(exc, self.policy)) from None
        except AddressRefused as exc:
            raise HttpFailure(str(exc)) from None
        try:
            return await self._handle(response)
        except httpx.HTTPError as exc:
            raise HttpFailure(_describe(exc, self.policy)) from None
        finally:
            await response.aclose()

    async def _handle(self, response: httpx.Response) -> HttpResult | tuple[int, httpx.Request]:
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
            return response.status_code, self._redirect(response)
        if response.status_code == 304:
            return HttpResult(
                str(response.url),
                304,
                validators=_validators(response),
                max_age=_max_age(response.headers.get("cache-control", "")),
            )
        if response.status_code in (429, 503) and "retry-after" in response.headers:
            retry_at = _retry_at(response.headers["retry-after"])
            if retry_at is not None:
                raise _RetryLater(status, retry_at)
        if response.status_code not in (200, 203):
            raise HttpFailure(status, status_code=response.status_code)
        body = await _read_body(response, self.policy.max_bytes)
        return HttpResult(
            url=str(response.url),
            status=200,
            body=body,
            content_type=response.headers.get("content-type", ""),
            validators=_validators(response),
            max_age=_max_age(response.headers.get("cache-control", "")),
        )

    def _redirect(self, response: httpx.Response) -> httpx.Request:
        """The request a redirect asks for (its target is checked already: `_redirect_target`)."""
        assert self._client is not None
        conditional = {
            name: value
            for name, value in response.request.headers.items()
            if name.lower() in ("if-none-match", "if-modified-since")
        }
        return self._client.build_request("GET", _redirect_target(response), headers=conditional)


async def _check_redirect(response: httpx.Response) -> None:
    """Refuse a redirect to anything but an http(s) URL, before httpx reads its Location."""
    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
        _redirect_target(response)


def _redirect_target(response: httpx.Response) -> httpx.URL:
    location = response.headers["location"]
    shown = repr(location if len(location) <= 100 else location[:99] + "…")
    try:
        target = response.url.join(location.strip())
        # Build it whole, as a request would: httpx checks some parts only then.
        target = httpx.URL(str(target))
    except httpx.InvalidURL as exc:
        raise HttpFailure(f"redirect to an invalid URL {shown}: {exc}") from None
    if target.scheme not in ("http", "https"):
        raise HttpFailure(
            f"redirect to a {target.scheme}: URL refused (only http and https): {shown}"
        )
    if not target.host:
        raise HttpFailure(f"redirect to an invalid URL {shown}: no host")
    return target


_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def _max_age(cache_control: str) -> int:
    """Read the seconds of freshness a Cache-Control header grants; 0 for none or no-store."""
    if re.search(r"(?:^|,)\s*(?:no-store|no-cache)\b", cache_control, re.IGNORECASE):
        return 0
    match = _MAX_AGE.search(cache_control)
    return min(int(match.group(1)), 10**9) if match else 0


def _conditional(validators: Validators) -> dict[str, str]:
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _validators(response: httpx.Response) -> Validators:
    return Validators(
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )


def _retry_at(value: str) -> datetime | None:
    """Read Retry-After, in seconds or as an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return datetime.now(UTC) + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _describe(exc: httpx.HTTPError, policy: HttpPolicy) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timeout: could not connect within {policy.connect_timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timeout: the server sent nothing for {policy.read_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout: {exc}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL: {exc}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP answer: {exc}"
    return f"HTTP error: {exc}"


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    encoding = response.headers.get("content-encoding", "")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes and encoding in ("", "identity"):
        raise HttpFailure(
            f"too large: {int(length):,} bytes announced, the limit is {_human(max_bytes)}"
        )
    decoder = _Decoder(encoding, max_bytes)
    async for chunk in response.aiter_raw():
        decoder.feed(chunk)
    return decoder.finish()


class _Decoder:
    """Decompress gzip or deflate into at most `limit` bytes, without ever holding more."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise HttpFailure(f"unsupported content-encoding: {content_encoding}")
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._coding = codings[0] if codings else ""
        self._zlib: zlib._Decompress | None = None
        if self._coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> None:
        if self._coding == "deflate" and self._zlib is None:
            # "deflate" is zlib-wrapped by the standard, raw in some servers.
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if data[:1] == b"x" else -zlib.MAX_WBITS)
        if self._zlib is None:
            self._keep(data)
            return
        try:
            while data and not self._zlib.eof:
                self._keep(self._zlib.decompress(data, self._limit - self._size + 1))
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise HttpFailure(f"broken {self._coding} compression: {exc}") from None

    def finish(self) -> bytes:
        if self._zlib is not None and not self._zlib.eof:
            try:
                self._keep(self._zlib.flush())
            except zlib.error as exc:
                raise HttpFailure(f"broken {self._coding} compression: {exc}") from None
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise HttpFailure(f"too large: more than {_human(self._limit)} after decompression")
        self._parts.append(data)
