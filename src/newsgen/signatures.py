"""Digests of what each page shows, so an unchanged page need not be rendered again."""

from __future__ import annotations

import hashlib
from typing import Any

from newsgen.models import Article, SiteConfig, Story

_SEPARATOR = "\x1f"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Signatures:
    """Computes and remembers digests of articles, stories and pages for one build.

    A page's signature covers the theme, the configuration, the newsgen version and every value
    its template is given, so equal signatures mean equal bytes.
    """

    def __init__(self, theme: str, config: SiteConfig, version: str) -> None:
        self._base = _digest(_SEPARATOR.join((theme, repr(config), version)))
        self._articles: dict[str, str] = {}
        self._stories: dict[int, str] = {}

    def of(self, *parts: Any) -> str:
        """Digest of any values with a stable `repr` (strings, numbers, tuples, lists)."""
        return _digest(self._base + _SEPARATOR + repr(parts))

    def article(self, article: Article) -> str:
        digest = self._articles.get(article.key)
        if digest is None:
            digest = _digest(repr(article))  # a frozen dataclass's repr lists every field
            self._articles[article.key] = digest
        return digest

    def story(self, story: Story) -> str:
        digest = self._stories.get(id(story))
        if digest is None:
            digest = _digest(_SEPARATOR.join(self.article(a) for a in story.articles))
            self._stories[id(story)] = digest
        return digest

    def entry(self, entry: Any) -> str:
        return self.article(entry.article) + self.story(entry.story)
