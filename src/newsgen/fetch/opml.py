"""Import feed subscriptions from an OPML file into newsgen.yaml."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from newsgen.config import CONFIG_NAME, load_config
from newsgen.errors import UsageError
from newsgen.fetch.configedit import add_feeds
from newsgen.fetch.items import feed_key, is_http_url
from newsgen.models import FeedConfig


def read_opml(opml_path: Path) -> list[FeedConfig]:
    """Return the feeds an OPML file subscribes to, folders flattened, in document order."""
    try:
        # Python's expat refuses external entities and caps entity expansion (billion laughs).
        root = ElementTree.parse(opml_path).getroot()
    except OSError as exc:
        raise UsageError(f"{opml_path}: cannot read the file: {exc.strerror or exc}") from exc
    except ElementTree.ParseError as exc:
        raise UsageError(f"{opml_path}: not a valid OPML file: {exc}") from exc
    if root.tag.lower() != "opml":
        raise UsageError(f"{opml_path}: not an OPML file (the root element is <{root.tag}>)")
    feeds = []
    for outline in root.iter("outline"):
        attributes = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        url = attributes.get("xmlurl", "")
        if is_http_url(url):
            name = attributes.get("title") or attributes.get("text") or ""
            feeds.append(FeedConfig(url=url, name=" ".join(name.split())))
    return feeds


def import_opml(site_dir: Path, opml_path: Path) -> int:
    """Add the OPML feeds that newsgen.yaml lacks, keeping the rest of it; return how many."""
    config = load_config(site_dir)
    known = {feed_key(feed.url) for feed in config.feeds}
    new: list[FeedConfig] = []
    for feed in read_opml(opml_path):
        if feed_key(feed.url) not in known:
            known.add(feed_key(feed.url))
            new.append(feed)
    if new:
        add_feeds(site_dir / CONFIG_NAME, new)
    return len(new)
