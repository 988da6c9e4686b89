"""Normalise tags, in this one place, so `Ukraine`, ` ukraine ` and `#Ukraine` are one tag."""

from __future__ import annotations

import html
from collections.abc import Iterable

MAX_TAG_LENGTH = 60


def normalise_tag(raw: str) -> str:
    """Return the canonical form of one tag: unescaped, trimmed, single-spaced, lower-case."""
    text = " ".join(html.unescape(raw).split()).lstrip("#").strip()
    return text.lower()[:MAX_TAG_LENGTH].strip()


def normalise_tags(raw: Iterable[str]) -> tuple[str, ...]:
    """Normalise every tag, drop empty ones and duplicates, keep the first-seen order."""
    tags = (normalise_tag(tag) for tag in raw)
    return tuple(dict.fromkeys(tag for tag in tags if tag))
