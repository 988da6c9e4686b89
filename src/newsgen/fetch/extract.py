"""Find the article in a downloaded web page: its body as safe HTML, without the page's chrome.

trafilatura does the finding: in published comparisons of open-source main-text extractors
(its own benchmark, ScrapingHub's article-extraction benchmark, Bevendorff et al. 2023) it
has the best balance of precision and recall, and it runs offline on the page's bytes. What it
returns is sanitised like any other body before it reaches a seed.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from newsgen.fetch.text import html_to_text
from newsgen.text.sanitize import sanitize_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div)\b", re.IGNORECASE)
_WRAPPER = re.compile(r"</?(?:html|body)\b[^>]*>", re.IGNORECASE)
# trafilatura evaluates XPath expressions compiled once at import, and an lxml XPath object used
# by two threads at once can abort the whole process: pages are extracted one at a time.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True, slots=True)
class Extracted:
    """The article found in a page: sanitised HTML and its plain-text length."""

    body_html: str
    text_length: int


class NotHtml(ValueError):
    """The answer is no web page (a PDF, an image, JSON)."""


def is_html(content_type: str, body: bytes) -> bool:
    """Say whether an answer is a web page: by its declared type, or by its first bytes if none."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind:
        return kind in HTML_TYPES
    return bool(_LOOKS_LIKE_HTML.search(body[:2048]))


def extract_article(body: bytes, content_type: str, url: str, title: str = "") -> Extracted:
    """Extract the article of a page; empty when the page holds none. Raises NotHtml."""
    if not is_html(content_type, body):
        raise NotHtml(content_type.split(";", 1)[0].strip() or "no content type, and no HTML")
    import trafilatura  # here, not at the top: most fetches never extract a page

    with _ONE_AT_A_TIME:
        found = _extract(trafilatura, _decoded(body, content_type), url)
    if not found:
        return Extracted("", 0)
    clean = sanitize_html(_without_title(_WRAPPER.sub("", found), title), base_url=url)
    return Extracted(clean, len(html_to_text(clean)))


def _extract(trafilatura: Any, page: str | bytes, url: str) -> str | None:
    found: str | None = trafilatura.extract(
        page,
        url=url,
        output_format="html",
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        deduplicate=False,  # True remembers texts across calls and drops a repeat whole
    )
    return found


def _decoded(body: bytes, content_type: str) -> str | bytes:
    """Text in the charset the server named; else the bytes, for trafilatura to detect."""
    match = _CHARSET.search(content_type)
    if match:
        try:
            return body.decode(match[1], errors="replace")
        except LookupError:  # a charset Python does not know: let the page's own <meta> say
            return body
    return body


def _without_title(markup: str, title: str) -> str:
    """Drop a leading heading that repeats the headline: the article page shows it already."""
    match = re.match(r"\s*<h([1-6])[^>]*>(.*?)</h\1>", markup, re.DOTALL | re.IGNORECASE)
    if match and title and html_to_text(match[2]).casefold() == " ".join(title.split()).casefold():
        return markup[match.end() :]
    return markup
