"""Load and validate `newsgen.yaml`, reporting every problem at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsgen.errors import ConfigError
from newsgen.models import Config, FeedConfig, FetchConfig, SiteConfig

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


SITE_KEYS: dict[str, Check] = {
    "title": _is_str,
    "description": _is_str,
    "base_url": _is_site_url,
    "language": _is_str,
    "timezone": _is_timezone,
    "per_page": _is_positive_int,
}

FEED_KEYS: dict[str, Check] = {
    "url": _is_feed_url,
    "name": _is_str,
    "tags": _is_tag_list,
    "allow_private": _is_bool,
}

FETCH_KEYS: dict[str, Check] = {"allow_private": _is_bool}

SECTIONS = ("site", "feeds", "fetch", "plugins")


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
            tags = tuple(feed.get("tags", ()))
            allow_private = feed.get("allow_private", fetch.allow_private)
            feeds.append(
                FeedConfig(
                    url=feed["url"],
                    name=feed.get("name", ""),
                    tags=tags,
                    allow_private=allow_private,
                )
            )
    plugins = data.get("plugins", []) or []
    if not (isinstance(plugins, list) and all(isinstance(name, str) for name in plugins)):
        problems.append("plugins: expected a list of installed plugin names, such as [related]")
        plugins = []
    if problems:
        raise ConfigError(path, problems)
    return Config(site=SiteConfig(**site), feeds=tuple(feeds), plugins=tuple(plugins), fetch=fetch)


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
