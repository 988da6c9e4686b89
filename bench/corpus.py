"""Read a generated seeds folder into plain records for the peer converters and the page check.

The converters must give Hugo and Pelican the same articles newsgen sees, so they read the seed
files with newsgen's own front-matter reader rather than with a second YAML dialect.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from newsgen.frontmatter import split_front_matter
from newsgen.text.slugs import make_slug


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    date: datetime  # as written in the seed, with its own UTC offset
    description: str
    tags: tuple[str, ...]
    source: str  # the feed's host, which is what newsgen calls the source
    link: str
    image: str
    body: str
    slug: str  # unique within its UTC day, as newsgen's URLs need
    path: Path

    @property
    def utc(self) -> datetime:
        return self.date.astimezone(UTC)

    @property
    def url_path(self) -> str:
        return f"{self.utc:%Y/%m/%d}/{self.slug}/"


def as_datetime(value: object) -> datetime:
    """YAML hands back a datetime for an unquoted timestamp and a str for a quoted one."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def seed_files(seeds: Path) -> list[Path]:
    # Sorted so that slug de-duplication, and so every converted file, is stable run to run.
    return sorted(path for path in seeds.rglob("*.md") if path.is_file())


def read_entries(seeds: Path) -> Iterator[Entry]:
    """Yield one Entry per seed file, newest-first order not implied."""
    taken: set[str] = set()
    for path in seed_files(seeds):
        front = split_front_matter(path.read_text(encoding="utf-8"))
        meta = front.meta
        when = as_datetime(meta["date"])
        title = html.unescape(str(meta["title"]))
        base = make_slug(title)  # newsgen's own rule, so peers' URLs match
        slug, number = base, 1
        while f"{when.astimezone(UTC):%Y/%m/%d}/{slug}" in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(f"{when.astimezone(UTC):%Y/%m/%d}/{slug}")
        yield Entry(
            title=title,
            date=when,
            description=html.unescape(str(meta.get("description") or "")),
            tags=tuple(str(tag) for tag in meta.get("tags") or ()),
            source=str((meta.get("categories") or [""])[0]),
            link=str(meta.get("link") or ""),
            image=str(meta.get("image") or ""),
            body=front.body,
            slug=slug,
            path=path.relative_to(seeds),
        )
