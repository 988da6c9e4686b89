"""What a fetched item is, and what identifies it across feeds, runs and shards."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from newsgen.fetch.text import one_line
from newsgen.models import Enclosure


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, normalised: text fields are plain text, `body_html` is not yet safe."""

    title: str
    link: str = ""  # absolute http(s) URL, or ""
    guid: str = ""
    date: datetime | None = None  # timezone-aware when present
    body_html: str = ""
    summary: str = ""  # plain text
    image: str = ""
    image_alt: str = ""
    authors: tuple[str, ...] = ()  # the entry's, else its feed's (Atom and JSON Feed say so)
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()  # audio and video only; pictures go to `image`
    language: str = ""  # the entry's own, where it has one: Atom xml:lang, JSON Feed `language`


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document read into items; `skipped` counts entries with nothing in them."""

    title: str
    items: tuple[FeedItem, ...]
    skipped: int = 0
    language: str = ""  # the feed's own language tag, such as en-gb
    ttl: float = 0.0  # seconds the feed says it may be cached (RSS <ttl>)


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")


def language_tag(text: str) -> str:
    """Normalise a feed's language (`en_US`, `EN-us`) to a BCP 47 tag; "" when it is none."""
    tag = text.strip().replace("_", "-").lower()
    return tag if _LANGUAGE_TAG.match(tag) else ""


class FeedFormatError(ValueError):
    """A document that is not a feed, or a feed that cannot be read; the message says which."""


# Query parameters that say how a reader arrived, never which article it is.
_TRACKING_PREFIXES = ("utm_", "at_", "ns_", "mc_", "_hs", "pk_", "mtm_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "twclid", "mkt_tok",
        "cmpid", "ocid", "_ga", "_gl", "wt.mc_id", "ref_src", "smid", "cmp",
    }
)  # fmt: skip


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def canonical_link(url: str) -> str:
    """Normalise a URL for comparison: no tracking parameters, default port or upper case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    # Filter the raw pairs rather than decode and re-encode, which would alter the other ones.
    pairs = [pair for pair in parts.query.split("&") if pair and not _is_tracking(_name(pair))]
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    # A fragment can be the post's own anchor on a day page (scripting.com/2017/06/26.html#a0806),
    # so it stays, unless it is tracking ("#xtor=RSS-1") rather than a place.
    fragment = "" if "=" in parts.fragment else parts.fragment
    return urlunsplit((scheme, netloc, path, "&".join(pairs), fragment))


def _name(pair: str) -> str:
    return unquote_plus(pair.split("=", 1)[0])


def is_http_url(url: str) -> bool:
    """Say whether a string is an absolute http(s) URL with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def shared_keys(items: Iterable[FeedItem]) -> frozenset[str]:
    """Return the keys that several different items of one feed share, so none of them is named.

    A podcast links every episode to its home page; a blog repeats a guid by mistake. Copies
    of one entry (the same keys and title, as a feed that lists an entry twice has, its links
    differing only in tracking parameters) are one item, not several sharing a key: their keys
    stay, so the copies are written once and a second feed's copy is known by them.
    """
    distinct = {(_raw_keys(item), one_line(item.title)) for item in items}
    counts = Counter(key for keys, _title in distinct for key in keys)
    return frozenset(key for key, count in counts.items() if count > 1)


def _raw_keys(item: FeedItem) -> tuple[str, ...]:
    keys = (
        link_key(item.link) if item.link else "",
        guid_key(item.guid) if item.guid.strip() else "",
    )
    return tuple(dict.fromkeys(key for key in keys if key))


def guid_key(guid: str) -> str:
    """Return the key a guid is known by, as written to and read from a seed's `guid:`."""
    return "guid:" + one_line(guid)


def item_keys(
    item: FeedItem, feed_url: str, shared: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """List every key an item is known by; the first is its primary identity.

    The canonical link comes first because editors' own seeds carry `link:` and the same
    article shows up under different guids in different feeds. The scheme is left out so an
    http and an https copy of the same page are one item. A key that several items of the
    feed share (`shared`) names none of them and is left out. An item with no key left is
    known by its feed and content, so it is still kept exactly once.
    """
    keys = [key for key in _raw_keys(item) if key not in shared]
    if not keys:
        basis = "\n".join((canonical_link(feed_url), item.title, item.summary, item.body_html))
        keys.append("content:" + hashlib.sha256(basis.encode("utf-8")).hexdigest())
    return tuple(keys)


def feed_key(url: str) -> str:
    """Normalise a feed URL, so that one feed written two ways is one feed (and one shard)."""
    return canonical_link(url).split("://", 1)[-1].rstrip("/")


def link_key(link: str) -> str:
    """Return the key an editor's `link:` value is known by."""
    return "link:" + canonical_link(link).split("://", 1)[-1]


def key_hash(key: str) -> str:
    """Return a short, stable digest of an identity key, for file names and the state file."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
