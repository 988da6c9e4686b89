"""Topics of the whole 60-feed corpus, fetched from 127.0.0.1 and built: few one-story pages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import require_shared
from newsgen.build import build
from newsgen.fetch import fetch
from newsgen.models import Config, FeedConfig

pytest_plugins = ["feedserver"]

MAX_SINGLE_SHARE = 0.10


@pytest.mark.slow
def test_at_most_a_tenth_of_topic_pages_hold_one_story(tmp_path: Path) -> None:
    from feedserver import FeedServer

    corpus = require_shared("corpus", "feeds")
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle, delimiter="\t")]
    server = FeedServer(root=corpus).start()
    try:
        config = Config(feeds=tuple(FeedConfig(url=server.url(name)) for name in names))
        fetch(tmp_path, config, quiet=True)
    finally:
        server.stop()
    build(tmp_path, search=False, jobs=1, quiet=True)
    tags = tmp_path / "output" / "tags"
    pages = [p for p in tags.iterdir() if (p / "index.html").is_file()]
    topics = [p for p in pages if 'http-equiv="refresh"' not in (p / "index.html").read_text()]
    single = [p.name for p in topics if " in 1 story " in (p / "index.html").read_text()]
    print(f"\n{len(topics)} topic pages, {len(single)} with one story")
    assert len(topics) >= 50
    assert len(single) <= MAX_SINGLE_SHARE * len(topics), single
    index = (tags / "index.html").read_text(encoding="utf-8")
    assert index.count("<details") == 1  # the long tail, folded
    # A merged spelling's old address points to its topic: `usa` to `us`.
    assert 'url=/tags/us/"' in (tags / "usa" / "index.html").read_text(encoding="utf-8")
