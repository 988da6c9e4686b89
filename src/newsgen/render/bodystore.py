"""Keep every article body in one block of memory, so that forked workers really share them.

Render workers and the search process are forked, sharing the parent's memory until one side
writes to a page. Reading a Python object writes to it (its reference count), so a worker that
renders an article page copies the page holding that body's bytes object: at 100,000 articles,
most of half a gigabyte of bodies, once per worker. Packed into one block, with each article
holding a small memoryview of its part, the bodies are only ever read and stay shared; only the
views themselves are copied.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.heap import return_freed_memory
from newsgen.models import Article


def pack_bodies(articles: Sequence[Article]) -> None:
    """Move the articles' bodies into one block; each keeps a read-only view of its own part.

    The articles stay equal to what they were (a view compares equal to the bytes it shows):
    this changes where the bytes live, not what the article is, which is why a frozen
    dataclass may be updated in place here.
    """
    # Bodies the parse cache maps from its files are views already, shared the same way.
    loose = [article for article in articles if not isinstance(article.body_utf8, memoryview)]
    block = memoryview(b"".join([article.body_utf8 for article in loose]))
    start = 0
    for article in loose:
        end = start + len(article.body_utf8)
        object.__setattr__(article, "body_utf8", block[start:end])
        start = end
    # The bodies' old bytes objects are freed now, but held by the heap until handed back.
    return_freed_memory()
