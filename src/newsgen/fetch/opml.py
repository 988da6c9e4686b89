"""Import feed subscriptions from an OPML file into newsgen.yaml, and export them as OPML."""

from __future__ import annotations

from pathlib import Path

from newsgen.config import CONFIG_NAME, load_config
from newsgen.fetch.configedit import add_feeds
from newsgen.fetch.items import feed_key, is_http_url
from newsgen.models import Config, FeedConfig
from newsgen.opml import Subscription, write_opml
from newsgen.opml import read_opml as read_subscriptions


def read_opml(opml_path: Path) -> list[FeedConfig]:
    """The http(s) feeds an OPML file subscribes to, in document order; folders and
    `category` paths become their tags."""
    return [
        FeedConfig(url=s.url, name=s.name, tags=s.tags)
        for s in read_subscriptions(opml_path)
        if is_http_url(s.url)
    ]


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


def export_opml(config: Config) -> str:
    """The configured feeds as OPML 2.0, in folders by their first tag (`feeds export`)."""
    subscriptions = [Subscription(f.url, f.name, f.tags) for f in config.feeds]
    return write_opml(subscriptions, title=f"{config.site.title}: feeds")
