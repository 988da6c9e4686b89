"""Turn a title or an editor's `slug:` into a bounded, safe, lower-case ASCII URL segment."""

from __future__ import annotations

import hashlib

from slugify import slugify

MAX_LENGTH = 80
MAX_EDITOR_LENGTH = 120  # an editor's own `slug:` is kept as written unless it is absurdly long
FALLBACK = "article"


def make_slug(text: str, *, fallback_seed: str = "", max_length: int = MAX_LENGTH) -> str:
    """Return a lower-case ASCII slug of at most `max_length` characters, cut at a word boundary.

    Whatever the input (`../../etc`, emoji, an empty string), the result never contains `/` or
    `..` and is never empty: without usable letters it is `article` or `article-<hash>` of
    `fallback_seed`, so two such articles on one day still differ.
    """
    slug = slugify(text or "", max_length=max_length, word_boundary=True, lowercase=True)
    # slugify already maps every separator to "-"; this guards the contract, not a known case.
    slug = slug.replace("/", "-").replace("..", "-").strip("-.")
    if slug:
        return slug
    if fallback_seed:
        digest = hashlib.sha1(fallback_seed.encode("utf-8")).hexdigest()[:8]
        return f"{FALLBACK}-{digest}"
    return FALLBACK
