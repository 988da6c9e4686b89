"""Read JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser cannot."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urljoin

from newsgen.fetch.dates import parse_date
from newsgen.fetch.items import (
    FeedFormatError,
    FeedItem,
    ParsedFeed,
    is_http_url,
    language_tag,
)
from newsgen.fetch.text import html_to_text, one_line
from newsgen.models import Enclosure
from newsgen.text.declutter import is_tracker_url
from newsgen.text.enclosures import make_enclosure

# "https://jsonfeed.org/version/1.1", "http://jsonfeed.org/version/1", or a bare "1.1" or 1.
_VERSION = re.compile(r"(?:jsonfeed\.org/version/|^)1(?:\.[01])?/?$")


def parse_json_feed(data: bytes, base_url: str) -> ParsedFeed:
    """Read a JSON Feed document; raise FeedFormatError for broken JSON or other JSON."""
    try:
        doc = json.loads(data)
    except UnicodeDecodeError as exc:
        raise FeedFormatError(f"unparsable: JSON is not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise FeedFormatError(
            f"unparsable: broken JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        ) from exc
    if not isinstance(doc, dict) or "version" not in doc:
        raise FeedFormatError("not a feed: JSON without a JSON Feed `version`")
    version = doc["version"]
    # Pixel Envy and others write http://jsonfeed.org/...; some write a bare "1.1".
    if not isinstance(version, str | int | float) or not _VERSION.search(str(version)):
        raise FeedFormatError(
            f"not a feed: JSON Feed version {str(version)[:60]!r} is not 1.0 or 1.1"
        )
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise FeedFormatError("not a feed: JSON Feed without an `items` list")
    home = _text(doc.get("home_page_url"))
    base = urljoin(base_url, home) if home else base_url
    feed_authors = _authors(doc)
    items = [_item(raw, base, feed_authors) for raw in raw_items if isinstance(raw, dict)]
    kept = tuple(item for item in items if item is not None)
    title = one_line(html.unescape(_text(doc.get("title"))))
    language = language_tag(_text(doc.get("language")))
    skipped = len(raw_items) - len(kept)
    return ParsedFeed(title=title, items=kept, skipped=skipped, language=language)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _item(raw: dict[str, Any], base: str, feed_authors: tuple[str, ...]) -> FeedItem | None:
    body = _text(raw.get("content_html"))
    if not body and _text(raw.get("content_text")):
        paragraphs = _text(raw.get("content_text")).split("\n\n")
        body = "".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
    link = _absolute(base, _text(raw.get("url")) or _text(raw.get("external_url")))
    guid = _text(raw.get("id")) or (str(raw["id"]) if isinstance(raw.get("id"), int) else "")
    # Titles are plain text by the spec, yet real feeds carry entities such as &#8211;.
    title = one_line(html.unescape(_text(raw.get("title"))))
    summary = one_line(_text(raw.get("summary")))
    if not (title or body or summary or link):
        return None
    return FeedItem(
        title=title,
        link=link,
        guid=guid,
        date=parse_date(_text(raw.get("date_published")) or _text(raw.get("date_modified"))),
        body_html=body or html.escape(summary),
        summary=summary or html_to_text(body),
        image=_image(raw, base),
        authors=_authors(raw) or feed_authors,
        enclosures=_attachments(raw, base),
        categories=_tags(raw.get("tags")),
        language=language_tag(_text(raw.get("language"))),
    )


def _tags(value: Any) -> tuple[str, ...]:
    """The item's tags: a list by the spec; a single string in some feeds is one tag."""
    tags = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(one_line(tag) for tag in tags if isinstance(tag, str) and tag.strip())


def _absolute(base: str, url: str) -> str:
    url = urljoin(base, url.strip()) if url.strip() else ""
    return url if is_http_url(url) else ""


def _image(raw: dict[str, Any], base: str) -> str:
    for key in ("image", "banner_image"):
        url = _absolute(base, _text(raw.get(key)))
        if url and not is_tracker_url(url):
            return url
    for attachment in raw.get("attachments") or ():
        if isinstance(attachment, dict) and _text(attachment.get("mime_type")).startswith("image/"):
            url = _absolute(base, _text(attachment.get("url")))
            if url and not is_tracker_url(url):
                return url
    return ""


def _attachments(raw: dict[str, Any], base: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for attachment in raw.get("attachments") or ():
        if not isinstance(attachment, dict):
            continue
        url = _absolute(base, _text(attachment.get("url")))
        kind, size = attachment.get("mime_type"), attachment.get("size_in_bytes", 0)
        enclosure = make_enclosure(url, kind, size)
        if enclosure is not None:
            found.setdefault(enclosure.url, enclosure)
    return tuple(found.values())


def _authors(raw: dict[str, Any]) -> tuple[str, ...]:
    """The names of an item's or a feed's authors: 1.1's `authors`, else 1.0's `author`."""
    authors = raw.get("authors")
    if not isinstance(authors, list):
        authors = [raw.get("author")]  # JSON Feed 1.0 had one author object
    names = [one_line(_text(a.get("name"))) for a in authors if isinstance(a, dict)]
    return tuple(dict.fromkeys(name for name in names if name))
