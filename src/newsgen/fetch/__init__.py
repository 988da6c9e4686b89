"""Fetch configured feeds into seed files: politely, safely and without duplicates.

The modules, in the order one feed flows through them:

    shard.py       pick this job's slice of the feed list
    http.py        bounded, polite HTTP: timeouts, deadline, size cap, redirects, 304s
    feeds.py       bytes -> FeedItems (feedparser for XML, jsonfeed.py for JSON Feed)
    items.py       what identifies an item: guid or canonical link
    seedwriter.py  FeedItem -> front-matter seed file, written atomically, never over another
    state.py       .newsgen/fetch-state.json: validators, known items, Retry-After
    run.py         the pipeline, and the public `fetch()`
"""

from __future__ import annotations

from newsgen.fetch.opml import import_opml
from newsgen.fetch.report import FeedOutcome, FetchReport
from newsgen.fetch.run import fetch, list_feeds

__all__ = ["FeedOutcome", "FetchReport", "fetch", "import_opml", "list_feeds"]
