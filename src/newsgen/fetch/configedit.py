"""Add feeds to newsgen.yaml by editing its text, so the user's comments and layout survive."""

from __future__ import annotations

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
