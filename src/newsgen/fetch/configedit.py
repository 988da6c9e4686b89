"""Edit newsgen.yaml as text (add feeds, follow a moved one), so comments and layout survive."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from newsgen.atomicwrite import write_atomic
from newsgen.config import parse_config
from newsgen.models import FeedConfig

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FEEDS_KEY = re.compile(r"^feeds:[ \t]*(?:(\[[ \t]*\]|null|~)[ \t]*)?(?:#.*)?$", re.MULTILINE)


def add_feeds(config_path: Path, feeds: list[FeedConfig]) -> None:
    """Append `feeds` to the `feeds:` list of a config file (created if missing), atomically."""
    text = config_path.read_text(encoding="utf-8-sig") if config_path.exists() else ""
    before = yaml.load(text, Loader=_Loader) or {}
    entries = [_entry(feed) for feed in feeds]
    expected = dict(before) | {"feeds": [*(before.get("feeds") or []), *entries]}
    edited = _append_text(text, entries)
    if edited is None or yaml.load(edited, Loader=_Loader) != expected:
        # A layout the text edit does not handle (say, an inline list): write the data anew.
        edited = yaml.dump(expected, allow_unicode=True, sort_keys=False, default_flow_style=False)
    parse_config(yaml.load(edited, Loader=_Loader), config_path)  # never write a config we reject
    write_atomic(config_path, edited, durable=True)


def _entry(feed: FeedConfig) -> dict[str, Any]:
    entry: dict[str, Any] = {"url": feed.url}
    if feed.name:
        entry["name"] = feed.name
    if feed.tags:
        entry["tags"] = list(feed.tags)
    return entry


def _render(entries: list[dict[str, Any]], indent: str) -> str:
    block = yaml.dump(
        entries, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )
    return "".join(indent + line + "\n" for line in block.splitlines())


def _append_text(text: str, entries: list[dict[str, Any]]) -> str | None:
    """Insert entries after the last item of the top-level `feeds:` block; None if unsure how."""
    if text and not text.endswith("\n"):
        text += "\n"
    match = _FEEDS_KEY.search(text)
    if match is None:
        if re.search(r"^feeds:", text, re.MULTILINE):
            return None  # an inline list or some other form
        return f"{text}feeds:\n{_render(entries, '  ')}"
    if match.group(1):  # `feeds: []` or `feeds: null`
        return f"{text[: match.start()]}feeds:\n{_render(entries, '  ')}{text[match.end() + 1 :]}"
    lines = text[match.end() + 1 :].splitlines(keepends=True)
    last_content, indent = 0, None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        if indent is None and stripped.startswith("-"):
            indent = line[: len(line) - len(line.lstrip())]
        last_content = index + 1
    head = text[: match.end() + 1] + "".join(lines[:last_content])
    block = _render(entries, indent if indent is not None else "  ")
    return head + block + "".join(lines[last_content:])


_URL_VALUE = r"""(?P<head>\burl:[ \t]*)(?P<quote>["']?){old}(?P=quote)(?=[ \t]*(?:[,}}\r\n#]|$))"""


def replace_feed_url(config_path: Path, old: str, new: str) -> bool:
    """Change one feed's `url:` from `old` to `new` in place, keeping everything else as it was.

    Returns False, having written nothing, when the file does not hold `old` exactly once as a
    feed's url (or the edit would change anything else): the caller tells the user what to do.
    """
    try:
        text = config_path.read_text(encoding="utf-8-sig")
        before = yaml.load(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    pattern = re.compile(_URL_VALUE.format(old=re.escape(old)), re.MULTILINE)
    matches = list(pattern.finditer(text))
    if len(matches) != 1 or not isinstance(before, dict):
        return False
    match = matches[0]
    quote = match.group("quote") or ('"' if re.search(r"[\s#,\[\]{}\"']", new) else "")
    value = json.dumps(new) if quote == '"' else f"{quote}{new}{quote}"
    edited = text[: match.start()] + match.group("head") + value + text[match.end() :]
    if yaml.load(edited, Loader=_Loader) != _with_url(before, old, new):
        return False
    parse_config(yaml.load(edited, Loader=_Loader), config_path)  # never write a config we reject
    try:
        write_atomic(config_path, edited)
    except OSError:
        return False
    return True


def url_line(config_path: Path, url: str) -> int:
    """Return the line of newsgen.yaml that holds a feed URL, or 0 when it cannot be found."""
    try:
        lines = config_path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((number for number, line in enumerate(lines, 1) if url in line), 0)


def _with_url(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    feeds = [
        {**entry, "url": new} if isinstance(entry, dict) and entry.get("url") == old else entry
        for entry in data.get("feeds") or []
    ]
    return {**data, "feeds": feeds}
