"""`newsgen init`: the files a new site starts from, written only where nothing is yet."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from newsgen.errors import UsageError
from newsgen.render.themedir import PACKAGE_DIR
from newsgen.version import __version__

CONFIG = """\
# newsgen.yaml: the configuration of this news site. Every key is optional.
# The README and docs/ list every key; `newsgen check` reports any mistake in this file.

site:
  title: "My News"
  description: "News, gathered."
  # Where the site will live: a full URL (feeds, sitemaps and canonical links need it)
  # or a path such as /news/. `newsgen build --base-url URL` overrides it.
  base_url: /
  language: en
  timezone: UTC
  per_page: 20
  # What pages show of articles fetched from feeds: "summary" (the summary and a link to
  # the original) or "full" (the whole text, republished; ask the publisher first).
  show: summary

# Feeds to fetch with `newsgen fetch`; each new item becomes a file in seeds/.
# `newsgen feeds import subscriptions.opml` adds the feeds of an OPML file here.
feeds:
#  - url: https://example.org/feed.xml
#    name: Example News
#    tags: [world]
#    show: summary     # or full, for this feed only

# Your own values, for your templates: {{ site.params.contact }}
params:
#  contact: desk@example.org

# Where article pages go; must end in / and contain {slug}.
# permalinks:
#   article: "/{year}/{month}/{day}/{slug}/"
"""

GITIGNORE = """\
# Made by `newsgen build`: rebuilt from seeds/ on every run.
output/
output.*/
# newsgen's caches and fetch state (the publish workflow keeps the state between runs).
.newsgen/
"""

REQUIREMENTS = f"""\
# What the publish workflow installs; pin a version for repeatable builds.
newsgen>={__version__}
"""

SEED = """\
---
title: Welcome to your news site
date: {today}
tags: [newsgen]
---
This article is a seed: a file in `seeds/`. Edit it, delete it, or add more with
`newsgen new "A headline"`. List feeds in `newsgen.yaml`, run `newsgen fetch`, then
`newsgen build` (or `newsgen serve` to watch the site while you edit).
"""

WORKFLOW = Path(".github", "workflows", "publish.yml")


def starter_workflow() -> str:
    """The GitHub Actions workflow that fetches, commits seeds, builds and publishes."""
    for path in (
        PACKAGE_DIR / "workflows" / "publish.yml",  # installed: see pyproject.toml
        PACKAGE_DIR.parents[1] / WORKFLOW,  # the source tree
    ):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"the starter workflow is missing (looked in {PACKAGE_DIR})")


def starter_files(today: date) -> dict[Path, str]:
    """Each file `init` writes, by its path inside the site folder."""
    return {
        Path("newsgen.yaml"): CONFIG,
        Path(".gitignore"): GITIGNORE,
        Path("requirements.txt"): REQUIREMENTS,
        WORKFLOW: starter_workflow(),
        Path("seeds", "welcome.md"): SEED.format(today=today.isoformat()),
    }


def init_site(site_dir: Path, *, today: date | None = None) -> list[Path]:
    """Write the starter files into `site_dir`; refuse, writing nothing, if any exists."""
    files = starter_files(today or date.today())
    taken = [site_dir / name for name in files if (site_dir / name).exists()]
    if taken:
        listed = ", ".join(str(path) for path in taken)
        raise UsageError(
            f"already there: {listed}; nothing was written (newsgen init never overwrites a "
            "file: move them away, or start in an empty folder)"
        )
    written = []
    for name, text in files.items():
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a file that appeared since the check above is still never overwritten.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written
