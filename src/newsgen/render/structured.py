"""Outputs written as data, not markup: JSON Feed 1.1, schema.org JSON-LD and the sources OPML.

Each is made from plain Python values by a serialiser (json, the OPML writer), so no title or
summary can break the document; templates call these functions, so a theme can still wrap them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from markupsafe import Markup

from newsgen.models import Article, FeedConfig, SiteConfig
from newsgen.opml import Subscription, write_opml
from newsgen.render.i18n import SiteLocale
from newsgen.render.shown import Shown
from newsgen.render.urls import Urls
from newsgen.site import group_slug

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def rfc822(moment: datetime) -> str:
    """A date as RSS 2.0 writes it: `Mon, 03 Nov 2025 09:00:00 +0000`."""
    return format_datetime(moment)


def _script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no `</script>`, no `<!--`, no HTML entities."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Structured:
    """The data outputs of one site."""

    def __init__(
        self,
        config: SiteConfig,
        urls: Urls,
        article_path: Callable[[Article], str],
        shown: Shown,
        locale: SiteLocale,
    ) -> None:
        self.config = config
        self.locale = locale
        self.urls = urls
        self.article_path = article_path
        self.shown = shown

    def json_feed(self, *, title: str, home: str, self_path: str, items: Sequence[Article]) -> str:
        """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
        absolute = self.urls.absolute
        feed: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": title,
            "home_page_url": absolute(home),
            "feed_url": absolute(self_path),
            "description": self.config.description,
            "language": self.config.language,
            "items": [self._json_item(article) for article in items],
        }
        # Compact: only without `indent` does the json module write in C, four times as fast,
        # and a large site has a feed for each topic and source.
        return json.dumps(feed, ensure_ascii=False, separators=(",", ":"))

    def _json_item(self, article: Article) -> dict[str, Any]:
        url = self.urls.absolute(self.article_path(article))
        item: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": article.title,
            "content_html": self.shown.body_html(article),
            "summary": article.summary,
            "date_published": article.date.isoformat(),
        }
        if article.link:
            item["external_url"] = article.link
        if article.image:
            item["image"] = article.image
        if article.author or article.source:
            item["authors"] = [{"name": article.author or article.source}]
        if article.tags:
            item["tags"] = list(article.tags)
        return item

    def article_jsonld(self, article: Article) -> Markup:
        """`<script type="application/ld+json">`: a schema.org NewsArticle and its breadcrumbs."""
        absolute = self.urls.absolute
        url = absolute(self.article_path(article))
        day = article.date
        news: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "@id": url,
            "mainEntityOfPage": url,
            "url": url,
            "headline": article.title,
            "description": article.summary,
            "datePublished": day.isoformat(),
            "dateModified": day.isoformat(),
            "inLanguage": self.config.language,
            "publisher": {"@type": "Organization", "name": self.config.title},
        }
        if article.author:
            news["author"] = [{"@type": "Person", "name": article.author}]
        elif article.source:
            news["author"] = [{"@type": "Organization", "name": article.source}]
        if article.source:
            news["sourceOrganization"] = {
                "@type": "Organization",
                "name": article.source,
                "url": absolute(f"sources/{group_slug(article.source)}/"),
            }
        if article.image:
            news["image"] = [article.image]
        if article.tags:
            news["keywords"] = list(article.tags)
        if article.link:
            news["isBasedOn"] = article.link
        crumbs = [
            (self.config.title, absolute("")),
            (f"{day.year}", absolute(f"{day.year:04d}/")),
            (self.locale.month_name(day.month), absolute(f"{day.year:04d}/{day.month:02d}/")),
            (
                self.locale.day_and_month(day),
                absolute(f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"),
            ),
            (article.title, url),
        ]
        breadcrumbs = {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": link}
                for n, (name, link) in enumerate(crumbs, 1)
            ],
        }
        return Markup(
            f'<script type="application/ld+json">{_script_json(news)}</script>\n'
            f'<script type="application/ld+json">{_script_json(breadcrumbs)}</script>'
        )

    def subscriptions_opml(self, feeds: Sequence[FeedConfig]) -> str:
        """The configured feeds as an OPML blogroll, in folders by their first tag."""
        title = f"{self.config.title}: sources"
        subscriptions = [Subscription(f.url, f.name, f.tags) for f in feeds]
        return write_opml(subscriptions, title=title, owner_url=self.urls.absolute(""))
