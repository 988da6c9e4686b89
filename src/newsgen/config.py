"""Load and validate `newsgen.yaml`, reporting every problem at once."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsgen.errors import ConfigError
from newsgen.models import (
    DEFAULT_SHOW,
    Config,
    FeedConfig,
    FetchConfig,
    RetentionConfig,
    SiteConfig,
    TopicsConfig,
)

CONFIG_NAME = "newsgen.yaml"

Check = Callable[[Any], str | None]  # returns what was expected, or None when fine


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


def _is_positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 1000
    return None if ok else "a whole number from 1 to 1000"


def _is_timezone(value: Any) -> str | None:
    if not isinstance(value, str):
        return "an IANA time zone name such as UTC or Europe/Berlin"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"an IANA time zone name such as UTC or Europe/Berlin, not {value!r}"
    return None


def _is_site_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return "a URL such as https://example.org/news/ or a path such as /news/"
    if value.startswith("/"):
        return None
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return f"a URL such as https://example.org/news/ or a path such as /news/, not {value!r}"


def _is_feed_url(value: Any) -> str | None:
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return None
    return f"an http:// or https:// URL, not {value!r}"


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _is_tag_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(tag, str) and tag.strip() for tag in value)
    return None if ok else "a list of tag names, such as [world, europe]"


def _is_rename_map(value: Any) -> str | None:
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
        for k, v in value.items()
    )
    return None if ok else 'a mapping of topic names, such as {"u.s.": "United States"}'


def _is_merge_map(value: Any) -> str | None:
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and k.strip() and _is_tag_list(v) is None for k, v in value.items()
    )
    return None if ok else "a mapping of a topic to the names it takes in, such as {war: [wars]}"


def _is_phrase_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(p, str | int) and str(p).strip() for p in value)
    return None if ok else 'a list of words or phrases, such as [ukraine, "climate change"]'


def _is_max_items(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000
    return None if ok else "a whole number of items from 1 to 100000"


def _is_days(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000
    return None if ok else "a whole number of days from 1 to 100000"


_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float | None:
    """Read `90s`, `30m`, `1h`, `1d` or `2w` as seconds; None when it is none of these."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        return None
    return float(int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def _is_interval(value: Any) -> str | None:
    if isinstance(value, str) and parse_duration(value) is not None:
        return None
    return f"a time such as 30m, 1h, 6h or 1d (s, m, h, d, w), not {value!r}"


def _is_show(value: Any) -> str | None:
    return None if value in SHOW_MODES else "summary or full"


SHOW_MODES = ("summary", "full")
PERMALINK_FIELDS = ("year", "month", "day", "slug")


def _is_permalink(value: Any) -> str | None:
    """A pattern such as /{year}/{month}/{slug}/: ends in a slash, names the slug, stays inside."""
    example = 'a pattern such as "/{year}/{month}/{day}/{slug}/"'
    if not isinstance(value, str):
        return example
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        return f"{example}, not {value!r} ({exc})"
    if not value.endswith("/"):
        return f"{example} that ends in /, not {value!r}"
    if "slug" not in names:
        return f"{example} that contains {{slug}}, not {value!r}"
    unknown = sorted(names - set(PERMALINK_FIELDS))
    if unknown:
        return f"{example} using only {{{'}, {'.join(PERMALINK_FIELDS)}}}, not {{{unknown[0]}}}"
    if ".." in value.split("/") or "\\" in value or "//" in value.strip("/"):
        return f"{example} without `..`, `//` or backslashes, not {value!r}"
    return None


SITE_KEYS: dict[str, Check] = {
    "title": _is_str,
    "description": _is_str,
    "base_url": _is_site_url,
    "language": _is_str,
    "timezone": _is_timezone,
    "per_page": _is_positive_int,
    "show": _is_show,
}

FEED_KEYS: dict[str, Check] = {
    "url": _is_feed_url,
    "name": _is_str,
    "tags": _is_tag_list,
    "include": _is_phrase_list,
    "exclude": _is_phrase_list,
    "max_items": _is_max_items,
    "interval": _is_interval,
    "enabled": _is_bool,
    "language": _is_str,
    "full_text": _is_bool,
    "allow_private": _is_bool,
    "show": _is_show,
}

PERMALINK_KEYS: dict[str, Check] = {"article": _is_permalink}

RETENTION_KEYS: dict[str, Check] = {"days": _is_days}

FETCH_KEYS: dict[str, Check] = {"allow_private": _is_bool}

TOPIC_KEYS: dict[str, Check] = {
    "rename": _is_rename_map,
    "merge": _is_merge_map,
    "hide": _is_tag_list,
    "min_stories": _is_positive_int,
}
DEFAULT_MIN_STORIES = TopicsConfig().min_stories

SECTIONS = ("site", "feeds", "fetch", "topics", "plugins", "retention", "params", "permalinks")


def normalise_base_url(base_url: str) -> str:
    """Make a base URL end in exactly one slash, so joining paths never doubles or drops one."""
    return base_url.rstrip("/") + "/"


def _check_mapping(
    data: Any, keys: dict[str, Check], where: str, problems: list[str]
) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.append(f"{where}: expected a mapping of keys ({', '.join(keys)})")
        return {}
    clean: dict[str, Any] = {}
    for key, value in data.items():
        check = keys.get(key)
        if check is None:
            known = ", ".join(keys)
            problems.append(f"{where}.{key}: unknown key; expected one of: {known}")
            continue
        expected = check(value)
        if expected:
            problems.append(f"{where}.{key}: expected {expected}")
            continue
        clean[key] = value
    return clean


def parse_config(data: Any, path: Path | str = CONFIG_NAME) -> Config:
    """Validate an already-loaded YAML document and build a `Config` from it."""
    problems: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, ["the file must be a mapping with the keys site: and feeds:"])
    for key in data:
        if key not in SECTIONS:
            problems.append(f"{key}: unknown key; expected one of: {', '.join(SECTIONS)}")
    site = _check_mapping(data.get("site", {}) or {}, SITE_KEYS, "site", problems)
    fetch = FetchConfig(
        **_check_mapping(data.get("fetch", {}) or {}, FETCH_KEYS, "fetch", problems)
    )
    if "base_url" in site:
        site["base_url"] = normalise_base_url(site["base_url"])
    site |= _own_fields(data, problems)
    feeds: list[FeedConfig] = []
    raw_feeds = data.get("feeds", []) or []
    if not isinstance(raw_feeds, list):
        problems.append("feeds: expected a list of feeds, each with a url:")
        raw_feeds = []
    for index, raw in enumerate(raw_feeds):
        where = f"feeds[{index}]"
        feed = _check_mapping(raw, FEED_KEYS, where, problems)
        if isinstance(raw, dict) and "url" not in raw:
            problems.append(f"{where}.url: missing; every feed needs a url")
        if "url" in feed:
            feeds.append(_feed_config(feed, fetch))
    retention = _check_mapping(
        data.get("retention", {}) or {}, RETENTION_KEYS, "retention", problems
    )
    topics = _check_mapping(data.get("topics", {}) or {}, TOPIC_KEYS, "topics", problems)
    plugins = data.get("plugins", []) or []
    if not (isinstance(plugins, list) and all(isinstance(name, str) for name in plugins)):
        problems.append("plugins: expected a list of installed plugin names, such as [related]")
        plugins = []
    if problems:
        raise ConfigError(path, problems)
    site_show = site.get("show", DEFAULT_SHOW)
    site["feed_show"] = tuple((f.url, f.show) for f in feeds if f.show and f.show != site_show)
    return Config(
        site=SiteConfig(**site),
        feeds=tuple(feeds),
        plugins=tuple(plugins),
        retention=RetentionConfig(**retention),
        fetch=fetch,
        topics=_topics(topics),
    )


def _topics(raw: dict[str, Any]) -> TopicsConfig:
    """Freeze a checked `topics:` mapping, keeping the order it was written in."""
    return TopicsConfig(
        rename=tuple(raw.get("rename", {}).items()),
        merge=tuple((k, tuple(v)) for k, v in raw.get("merge", {}).items()),
        hide=tuple(raw.get("hide", ())),
        min_stories=raw.get("min_stories", DEFAULT_MIN_STORIES),
    )


def _feed_config(feed: dict[str, Any], fetch: FetchConfig) -> FeedConfig:
    """Build one feed's settings from its checked keys."""

    def phrases(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(" ".join(str(p).split()) for p in feed.get(key, ())))

    interval = parse_duration(feed["interval"]) if "interval" in feed else None
    return FeedConfig(
        url=feed["url"],
        name=feed.get("name", ""),
        tags=tuple(feed.get("tags", ())),
        include=phrases("include"),
        exclude=phrases("exclude"),
        max_items=feed.get("max_items", 0),
        interval=interval or 0.0,
        enabled=feed.get("enabled", True),
        language=feed.get("language", "").strip(),
        full_text=feed.get("full_text", False),
        allow_private=feed.get("allow_private", fetch.allow_private),
        show=feed.get("show", ""),
    )


def _own_fields(data: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """`params:` (free-form, for templates) and `permalinks:`, as `SiteConfig` fields."""
    fields: dict[str, Any] = {}
    params = data.get("params")
    if params is not None:
        if isinstance(params, dict) and all(isinstance(key, str) for key in params):
            fields["params"] = params
        else:
            problems.append("params: expected a mapping of names to values, for templates")
    permalinks = _check_mapping(
        data.get("permalinks", {}) or {}, PERMALINK_KEYS, "permalinks", problems
    )
    if "article" in permalinks:
        fields["article_permalink"] = permalinks["article"].lstrip("/")
    return fields


def load_config(site_dir: Path) -> Config:
    """Read `newsgen.yaml` from a site folder; a folder without one gets every default."""
    path = site_dir / CONFIG_NAME
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read the file: {exc}"]) from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ConfigError(path, [f"{where}not valid YAML: {exc}"]) from exc
    return parse_config(data, path)
