"""Fetch configured feeds into seed files: politely, safely and without duplicates.

The modules, in the order one feed flows through them:

    run.py         the pipeline, and the public `fetch()`; report.py and progress.py show it
    shard.py       pick this job's slice of the feed list (`--shard I/N`)
    schedule.py    whether a feed is due: its `interval`, `<ttl>` and Cache-Control max-age
    state.py       .newsgen/fetch-state.json: validators, Retry-After times, items seen
    known.py       the identities of the items already in seeds/ (cached by size and time)
    http.py        bounded, polite HTTP: timeouts, deadline, size cap, redirects, 304s
    feeds.py       bytes -> FeedItems: feedparser for RSS and Atom, jsonfeed.py for JSON Feed
                   (with dates.py and text.py for the fields)
    filters.py     a feed's `include`/`exclude` and `max_items`
    items.py       what identifies an item: its canonical link or guid
    keywords.py    tags from the names in a headline
    pages.py       `full_text: true`: each new item's page, politely (robots.py, pagecache.py),
                   its article found by extract.py
    seedwriter.py  FeedItem -> front-matter seed file, written once, never over another
    health.py      each feed's health, in .newsgen/ and the committed feeds-status.json
    alerts.py      warnings about failing, silent, gone and moved feeds (and GitHub annotations)
    status.py      `feeds status`
    retention.py   `retention: {days: N}`: old fetched seeds move to archive/ (`prune`)
    opml.py        `feeds import` and `feeds export`; configedit.py edits newsgen.yaml (adds
                   feeds, follows moves)
                   keeping its comments"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgen.fetch.opml import export_opml, import_opml
    from newsgen.fetch.report import FeedOutcome, FetchReport
    from newsgen.fetch.run import fetch, list_feeds

__all__ = ["FeedOutcome", "FetchReport", "export_opml", "fetch", "import_opml", "list_feeds"]

# Imported when first asked for (PEP 562): `newsgen build` loads this package for the `fetch`
# command's argument checks, and the HTTP client and feed parser behind `fetch()` would add a
# seventh of a second to every build.
_HOMES = {
    "import_opml": "newsgen.fetch.opml",
    "export_opml": "newsgen.fetch.opml",
    "FeedOutcome": "newsgen.fetch.report",
    "FetchReport": "newsgen.fetch.report",
    "fetch": "newsgen.fetch.run",
    "list_feeds": "newsgen.fetch.run",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
