"""Podcast and video enclosures: which ones an article carries, read the same from feeds and seeds.

Only audio and video are enclosures here (a picture is the article's `image`), only at an
absolute http(s) URL, and with a media type a browser's <audio> or <video> can be told: a
missing or generic type ("application/octet-stream") is guessed from the file's extension.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlsplit

from newsgen.models import Enclosure

_EXTRA_TYPES = {".m4a": "audio/mp4", ".opus": "audio/ogg", ".m4v": "video/mp4"}


def make_enclosure(url: Any, media_type: Any = "", length: Any = 0) -> Enclosure | None:
    """An Enclosure from loosely typed feed or seed values, or None when it is not one."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    kind = media_type.strip().lower().split(";", 1)[0] if isinstance(media_type, str) else ""
    if not kind.startswith(("audio/", "video/")):
        kind = guess_type(parts.path)
    if not kind:
        return None
    return Enclosure(url, kind, _length(length))


def guess_type(path: str) -> str:
    """The audio or video type a file name says, or ""."""
    lowered = path.lower()
    for extension, kind in _EXTRA_TYPES.items():
        if lowered.endswith(extension):
            return kind
    kind = mimetypes.guess_type(lowered)[0] or ""
    return kind if kind.startswith(("audio/", "video/")) else ""


def _length(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        return 0
    return number if 0 < number < 2**53 else 0


def human_size(length: int) -> str:
    """A size for people: "48.2 MB", "912 kB"."""
    if length >= 1_000_000_000:
        return f"{length / 1_000_000_000:.1f} GB"
    if length >= 1_000_000:
        return f"{length / 1_000_000:.1f} MB"
    return f"{max(length // 1000, 1)} kB"
