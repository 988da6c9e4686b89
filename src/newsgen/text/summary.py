"""Make the short plain-text summary shown in lists, feeds and meta descriptions."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

MAX_SUMMARY = 280
MIN_PARAGRAPH = 40  # shorter paragraphs are labels, bylines or credits, not a lede

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment (or of text with entities), single-spaced."""
    if "<" in fragment:
        # nh3 with no allowed tags is a fast, correct tag stripper (no regex guessing at HTML).
        fragment = nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(fragment).split())


def shorten(text: str, limit: int = MAX_SUMMARY) -> str:
    """Cut text to at most `limit` characters at a word boundary, marking the cut with `…`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return cut + "…"


def summary_from_html(body_html: str, *, skip: Callable[[str], bool] = lambda text: False) -> str:
    """Return the first real paragraph of a body, shortened; `skip` rejects captions and such."""
    fallback = ""
    for match in _PARAGRAPH.finditer(body_html):
        text = plain_text(match.group(1))
        if not text or skip(text):
            continue
        if len(text) >= MIN_PARAGRAPH:
            return shorten(text)
        fallback = fallback or text
    if fallback:
        return shorten(fallback)
    return shorten(plain_text(body_html))
