"""Digests of what each page shows, so an unchanged page need not be rendered again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from newsgen.models import Article, SiteConfig, Story, content_digest

_SEPARATOR = "\x1f"
# A page recorded under its deep signature (tracked.py) is told by this mark; one rendered from
# its own entries alone, with no deep signature worked out (touched.py), is recorded as
# unsigned, which no signature ever equals.
DEEP = "deep:"
UNSIGNED_DEEP = f"{DEEP}unsigned"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Signatures:
    """Computes and remembers digests of articles, stories and pages for one build.

    A page's signature covers the theme, the configuration, the newsgen version and every value
    its template is given, so equal signatures mean equal bytes.
    """

    def __init__(self, theme: str, config: SiteConfig, version: str) -> None:
        self._base = _digest(_SEPARATOR.join((theme, repr(config), version)))
        # Keyed by id(): articles and stories live as long as the site, so ids stay unique.
        self._articles: dict[int, str] = {}
        self._stories: dict[int, str] = {}
        # Entries by id(); each is kept alive beside its digest, so its id is never reused.
        self._entries: dict[int, str] = {}
        self._entries_held: list[Any] = []

    @property
    def base(self) -> str:
        """The digest every signature starts from: theme, configuration and code."""
        return self._base

    def forget(self) -> None:
        """Drop every remembered digest; they are made again when asked for."""
        self._articles.clear()
        self._stories.clear()
        self._entries.clear()
        self._entries_held.clear()

    def of(self, *parts: Any) -> str:
        """Digest of any values with a stable `repr` (strings, numbers, tuples, lists)."""
        return _digest(self._base + _SEPARATOR + repr(parts))

    def page(self, context: str, number: int, shape: object, signed: Sequence[str]) -> str:
        """Digest of one page of a list: `of(context, number, shape, signed)`, made faster;
        `shape` is what its navigation depends on (`Renderer.paginated`).

        Entry digests are fixed-length hex, so joined they need no separator; a list page is
        the most common page there is, and a repr of its list costs several times as much.
        """
        head = _SEPARATOR.join((self._base, "page", context, str(number), str(shape), ""))
        return _digest(head + "".join(signed))

    def article_page(self, article: str, story: str, newer: str, older: str) -> str:
        """Digest of an article page from its digests (`-` for a missing neighbour)."""
        return _digest(_SEPARATOR.join((self._base, "article", article, story, newer, older)))

    def joined(self, signed: Sequence[str]) -> str:
        """Digest of a whole list's entry digests."""
        return _digest("".join(signed))

    def article(self, article: Article) -> str:
        digest = self._articles.get(id(article))
        if digest is None:
            parsed = article.parsed_digest
            if parsed:  # what the parse stage hashed, and the fields changed since (models.py)
                placed = (article.date, article.slug, article.tags, article.language)
                digest = _digest(parsed + repr(placed))
            else:
                digest = content_digest(article)
            self._articles[id(article)] = digest
        return digest

    def story(self, story: Story) -> str:
        digest = self._stories.get(id(story))
        if digest is None:
            digest = _digest(_SEPARATOR.join(self.article(a) for a in story.articles))
            self._stories[id(story)] = digest
        return digest

    def entry(self, entry: Any) -> str:
        return self.article(entry.article) + self.story(entry.story)

    def entries(self, entries: Sequence[Any]) -> list[str]:
        """`entry` of each, remembered: one article's entry is on half a dozen lists.

        Looked up by the entry itself (the site shares one `Entry` per article among all its
        lists), at C speed: a large site's lists hold over ten entries per article.
        """
        memo = self._entries
        try:
            return list(map(memo.__getitem__, map(id, entries)))
        except KeyError:
            for entry in entries:
                if id(entry) not in memo:
                    memo[id(entry)] = self.entry(entry)
                    self._entries_held.append(entry)
            return list(map(memo.__getitem__, map(id, entries)))
