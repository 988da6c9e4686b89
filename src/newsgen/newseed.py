"""`newsgen new "Title"`: start a hand-written seed with today's date."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import yaml

from newsgen.config import load_config
from newsgen.errors import UsageError
from newsgen.readers.frontmatter import PLACEHOLDER
from newsgen.site import group_slug
from newsgen.text.slugs import make_slug


def new_seed(
    site_dir: Path, title: str, *, seeds_dir: Path | None = None, today: date | None = None
) -> Path:
    """Create `seeds/YYYY-MM-DD-slug.md` with front matter and return its path; never overwrite.

    The seed is a draft (`draft: true`) with a placeholder body: neither is published until
    the body is written and the draft flag set to false.
    """
    if not title.strip():
        raise UsageError('give the article a title: newsgen new "Council approves the tram line"')
    load_config(site_dir)  # a broken config is reported now, not at the next build
    today = today or date.today()
    seeds = seeds_dir or site_dir / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    # The slug is written out so the URL is in git: a later title edit cannot move it.
    slug = make_slug(title.strip())
    meta = {
        "title": title.strip(), "slug": slug, "date": today.isoformat(), "tags": [],
        "draft": True,
    }  # fmt: skip
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False)
    text = f"---\n{front}---\n{PLACEHOLDER}\n"
    stem = f"{today.isoformat()}-{group_slug(title)}"
    for number in range(1, 1000):
        path = seeds / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    raise UsageError(f"too many seeds named {stem}*.md in {seeds}; choose another title")
