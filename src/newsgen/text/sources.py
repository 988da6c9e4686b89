"""Decide the display name of an article's source (the `/sources/` pages group by it)."""

from __future__ import annotations

from urllib.parse import urlsplit

EDITORS_DESK = "Editors' desk"


def host_name(url: str) -> str:
    """Return the host of a URL without `www.`, or "" when it is not a web address."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname
    return host[4:] if host.startswith("www.") else host


def display_source(source: str, *, categories: tuple[str, ...], link: str, seed_path: str) -> str:
    """Return the name to show for where an article came from.

    `source` may be a feed URL (fetch writes one, with the feed's name or host as the first
    category) or a name. Without one: the host of the article's link, else the sub-folder of
    seeds/ the file is in, else the editors' desk.
    """
    source = source.strip()
    if source:
        host = host_name(source)
        if not host:
            return source
        return categories[0] if categories else host
    host = host_name(link) if link else ""
    if host:
        return host
    folders = seed_path.split("/")[:-1]
    return folders[0] if folders else EDITORS_DESK
