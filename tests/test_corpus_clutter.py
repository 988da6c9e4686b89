"""The whole real-world feed corpus fetched from 127.0.0.1 and built: no page carries clutter.

No tracking pixel or beacon, no FeedBurner flare or share widget, no `utm_` or other tracking
parameter, and no card picture that the feeds show as an icon under 50 px.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clutterscan import Findings, is_tracker_url, scan_site
from conftest import require_shared
from newsgen.build import build
from newsgen.fetch import fetch
from newsgen.models import Config, FeedConfig

pytest_plugins = ["feedserver"]

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_MEDIA = re.compile(r"<media:(?:content|thumbnail)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(src|url|width|height)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def small_images(corpus: Path) -> set[str]:
    """Every image address the corpus itself shows with a width or height under 50 px."""
    found: set[str] = set()
    for path in corpus.iterdir():
        if path.suffix not in (".xml", ".json", ".rss", ".atom"):
            continue
        text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        for tag in [*_IMG.findall(text), *_MEDIA.findall(text)]:
            attrs = {name.lower(): value for name, value in _ATTR.findall(tag)}
            sizes = [attrs.get("width", ""), attrs.get("height", "")]
            if any(size.isdigit() and int(size) < 50 for size in sizes):
                found.add(attrs.get("src") or attrs.get("url") or "")
    return found - {""}


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    from feedserver import FeedServer

    corpus = require_shared("corpus", "feeds")
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle, delimiter="\t")]
    server = FeedServer(root=corpus).start()
    try:
        site = tmp_path_factory.mktemp("clutter-site")
        config = Config(feeds=tuple(FeedConfig(url=server.url(name)) for name in names))
        fetch(site, config, quiet=True)
    finally:
        server.stop()
    build(site, quiet=True, search=False)
    yield site / "output", corpus


@pytest.fixture(scope="module")
def scanned(corpus_site: tuple[Path, Path]) -> tuple[Findings, set[str]]:
    return scan_site(corpus_site[0])


def test_the_corpus_has_the_clutter_to_remove(corpus_site: tuple[Path, Path]) -> None:
    # Without this the scan below could pass on a corpus that never had any clutter.
    corpus = corpus_site[1]
    raw = "".join(p.read_text(encoding="utf-8", errors="replace") for p in corpus.iterdir())
    assert raw.count("feedflare") >= 100
    assert raw.count("utm_") >= 50
    assert len(re.findall(r'height=(?:"|&quot;)1(?:"|&quot;)', raw)) >= 100


def test_no_page_has_pixels_widgets_or_tracking(scanned: tuple[Findings, set[str]]) -> None:
    findings, _ = scanned
    # Every article page of the corpus's 2,300-odd items, with lists, topics and feeds.
    assert findings.counts["pages"] > 4000
    for kind in ("pixel", "widget", "tracking parameter", "utm"):
        assert findings.counts[kind] == 0, findings.examples.get(kind)


def test_no_card_image_is_a_pixel_or_an_icon(
    corpus_site: tuple[Path, Path], scanned: tuple[Findings, set[str]]
) -> None:
    _, cards = scanned
    assert len(cards) > 300  # the corpus has pictures, and cards show them
    small = small_images(corpus_site[1])
    assert len(small) > 10
    assert not [url for url in cards if is_tracker_url(url)]
    assert not cards & small
