"""What an article page shows of a fetched item: its summary or, if the site says so, all of it.

A site chooses with `site.show` and per feed with `feeds[].show` (`summary` or `full`). Articles
written by hand, not fetched, are the site's own and always shown in full.
"""

from __future__ import annotations

from html import escape

from newsgen.models import Article, SiteConfig


class Shown:
    """Answers, for one site's configuration, how much of each article its pages show."""

    def __init__(self, config: SiteConfig) -> None:
        self.default_full = config.show == "full"
        self.feed_full = {url: show == "full" for url, show in config.feed_show}
        # The footer says what the site does: true as soon as one feed is republished in full.
        self.republishes = self.default_full or any(self.feed_full.values())

    def full(self, article: Article) -> bool:
        """True when the page shows the whole body: the site's own article, or a full feed's."""
        if not article.source_url:
            return True
        return self.feed_full.get(article.source_url, self.default_full)

    def body_html(self, article: Article) -> str:
        """The HTML (a str, escaped where feeds need it) that pages and feeds show as its text."""
        if self.full(article):
            return article.body_html
        return f"<p>{escape(article.summary, quote=False)}</p>"
