"""Turn a fetched item into a front-matter seed file, as SPEC.md describes, and write it once.

The front matter is produced by a YAML emitter from a dict, never by formatting strings, and
read back before it is written: no title, summary or tag can add a key or end the block.
The file's path depends only on the item's identity, so every run, shard or machine that sees
an item names its file the same way, and an existing file is never replaced.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from slugify import slugify

from newsgen.atomicwrite import publish, stage
from newsgen.fetch.dates import clamp_future
from newsgen.fetch.items import FeedItem, canonical_link, key_hash
from newsgen.fetch.keywords import title_keywords
from newsgen.fetch.pages import PageResult
from newsgen.fetch.text import html_to_text, one_line, truncate_words
from newsgen.frontmatter import split_front_matter
from newsgen.models import FeedConfig
from newsgen.text.clean import repair_mojibake
from newsgen.text.sanitize import is_safe_url, sanitize_html

_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

DESCRIPTION_LENGTH = 200
SUMMARY_LENGTH = 600
MAX_CATEGORY_TAGS = 5
MAX_TAG_LENGTH = 40
# Last path segments that name a page type, not the article ("/2018/06/22/trump/index.html").
_GENERIC_SEGMENTS = frozenset({"index", "default", "article", "story", "post", "item", "url"})


class SeedFormatError(RuntimeError):
    """The emitted front matter did not read back as written: a bug, never bad input."""


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed file ready to be written: where it goes and its whole text."""

    relpath: PurePosixPath  # inside seeds/
    text: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What every item of one feed shares."""

    feed: FeedConfig
    source_name: str  # the `categories` entry: configured name, feed title or host
    now: datetime
    language: str = ""  # the configured language, else the feed's own


def build_seed(
    item: FeedItem, keys: tuple[str, ...], context: FeedContext, page: PageResult | None = None
) -> Seed:
    """Render an item as a seed file: front matter from a YAML emitter, then sanitised HTML.

    `page` is the item's article page, for feeds with `full_text: true`: its body replaces the
    feed's when it holds more text, and the seed says which body it carries and why.
    """
    link = _public_link(item.link)
    # Mojibake is repaired here, before the title becomes the slug: the build repairs what it
    # shows, but a URL made from "itâ€™s" would keep "itaeurtms" for good.
    body = sanitize_html(repair_mojibake(item.body_html), base_url=link or context.feed.url)
    body_text = html_to_text(body)
    summary = one_line(repair_mojibake(one_line(item.summary))) or body_text
    origin: dict[str, str] = {}
    if page is not None:
        origin = _body_origin(page, len(body_text))
        if origin["body_source"] == "page":
            body = page.body_html
            body_text = html_to_text(body)
    title = (
        one_line(repair_mojibake(one_line(item.title)))
        or truncate_words(summary, 90)
        or urlsplit(link).netloc
        or "Untitled"
    )
    slug = slugify(title, max_length=80, word_boundary=True) or f"item-{key_hash(keys[0])[:8]}"
    meta: dict[str, Any] = {
        "title": title,
        "date": _iso(clamp_future(item.date, context.now)),
        "description": truncate_words(summary, DESCRIPTION_LENGTH),
        "summary": truncate_words(summary, SUMMARY_LENGTH),
        "slug": slug,
        "image": item.image if is_safe_url(item.image) else "",
    }
    if item.image_alt and meta["image"]:
        meta["image_alt"] = one_line(item.image_alt)
    meta |= {
        "link": link,
        "source": context.feed.url,
        "categories": [context.source_name],
        "tags": _tags(item, context.feed),
        "keywords": _keywords(item, f"{summary} {body_text[:3000]}"),
        "draft": False,
    }
    # The feed's configured language, else the entry's own (Atom xml:lang), else the feed's.
    language = context.feed.language or item.language or context.language
    if language:
        meta["language"] = language
    if item.enclosures:
        first = item.enclosures[0]
        enclosure: dict[str, Any] = {"url": first.url, "type": first.type}
        meta["enclosure"] = enclosure | ({"length": first.length} if first.length else {})
    authors = list(dict.fromkeys(name for name in map(one_line, item.authors) if name))
    if authors:
        meta["author"] = authors[0] if len(authors) == 1 else authors
    if one_line(item.guid):
        meta["guid"] = one_line(item.guid)
    meta |= origin
    if not body:
        body = f"<p>{html.escape(summary)}</p>" if summary else ""
    relpath = seed_relpath(item, keys, context.feed.url)
    return Seed(relpath=relpath, text=_render(meta, body), keys=keys)


def _body_origin(page: PageResult, feed_length: int) -> dict[str, str]:
    """Front matter saying where the body came from: the page, or the feed and why."""
    if page.failure:
        note = f"page not used: {page.failure}"
    elif page.text_length <= feed_length:
        note = (
            f"page not used: its article text ({page.text_length:,} characters) is no longer "
            f"than the feed's ({feed_length:,})"
        )
    else:
        return {"body_source": "page", "page_url": page.url}
    return {"body_source": "feed", "page_url": page.url, "body_note": note}


def stage_seed(seeds_dir: Path, seed: Seed) -> Path:
    """Write the seed to a hidden temporary file beside its place; see `publish_seed`."""
    return stage(seeds_dir.joinpath(*seed.relpath.parts), seed.text)


def publish_seed(seeds_dir: Path, seed: Seed, staged: Path) -> bool:
    """Move a staged seed into place unless a file is there already, which is left as it is."""
    return publish(staged, seeds_dir.joinpath(*seed.relpath.parts))


def seed_relpath(item: FeedItem, keys: tuple[str, ...], feed_url: str) -> PurePosixPath:
    """Name an item's file from its identity alone: `<host>/<slug-from-link>-<digest>.md`."""
    identity_url = item.link or (item.guid if "://" in item.guid else "") or feed_url
    folder = _safe_name(urlsplit(identity_url).hostname or "") or "feed"
    stem = _link_slug(item.link) if item.link else ""
    digest = key_hash(keys[0])[:12]
    return PurePosixPath(folder, f"{stem}-{digest}.md" if stem else f"{digest}.md")


def _public_link(link: str) -> str:
    """Drop tracking parameters and the fragment, keeping the scheme the publisher used."""
    return canonical_link(link) if link else ""


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _safe_name(text: str) -> str:
    """Make a folder name of lower-case letters, digits, dots and dashes, never `.` or `..`."""
    name = re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip(".-")
    return name[:100]


def _link_slug(link: str) -> str:
    """Take a readable name from the link's path: its last meaningful segment."""
    segments = [unquote(s) for s in urlsplit(link).path.split("/") if s]
    for segment in reversed(segments):
        stem = re.sub(r"\.(s?html?|php|aspx?|jsp|cms)$", "", segment, flags=re.IGNORECASE)
        slug = slugify(stem, max_length=60, word_boundary=True)
        if slug and slug not in _GENERIC_SEGMENTS:
            return slug
    return ""


def _tags(item: FeedItem, feed: FeedConfig) -> list[str]:
    """The feed's configured tags and the item's categories: what people chose."""
    return _clean_tags([*feed.tags, *item.categories[:MAX_CATEGORY_TAGS]])


def _keywords(item: FeedItem, context: str) -> list[str]:
    """Names in the headline: topics only where they gather stories (text/topics.py)."""
    return _clean_tags(title_keywords(item.title, context))


def _clean_tags(tags: Iterable[str]) -> list[str]:
    clean = (one_line(tag).lower().strip("#").strip() for tag in tags)
    return list(dict.fromkeys(tag for tag in clean if tag and len(tag) <= MAX_TAG_LENGTH))


def _render(meta: dict[str, Any], body: str) -> str:
    front = yaml.dump(
        meta,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # one line per value: no value can start a line of its own
    )
    text = f"---\n{front}---\n{body.strip()}\n"
    if split_front_matter(text).meta != meta:
        raise SeedFormatError(f"front matter did not read back as written: {meta!r}")
    return text
