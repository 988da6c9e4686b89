"""Turn feed HTML and messy strings into clean one-line plain text."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

_SPACE = re.compile(r"\s+")
_CONTROLS = {code: " " for code in range(0x100) if unicodedata.category(chr(code)) == "Cc"} | {
    0xFEFF: None
}


def one_line(text: str) -> str:
    """Collapse every run of whitespace, line and paragraph separators included, to one space."""
    # Control characters have no place in a title; direction marks (Cf) stay for RTL text.
    return _SPACE.sub(" ", text.translate(_CONTROLS)).strip()


# SVG and MathML are foreign content that the sanitiser drops whole, text and all; an item whose
# only text is a formula or a chart's title would be empty without reading it here first.
_FOREIGN = re.compile(r"<(svg|math)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SVG_TEXT = re.compile(r"<(title|desc|text)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _foreign_text(match: re.Match[str]) -> str:
    inner = match.group(2)
    if match.group(1).lower() == "svg":
        inner = " ".join(text.group(2) for text in _SVG_TEXT.finditer(inner))
    return " " + html.escape(html.unescape(_TAG.sub("", inner)), quote=False) + " "


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML fragment, entities decoded, on one line."""
    if not markup:
        return ""
    if "<svg" in markup.lower() or "<math" in markup.lower():
        markup = _FOREIGN.sub(_foreign_text, markup)
    # Block ends become spaces so "<p>a</p><p>b</p>" does not read "ab".
    spaced = re.sub(r"(?i)<(?:br|/p|/div|/li|/h\d|/tr|/td|/blockquote)\b[^>]*>", " ", markup)
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return one_line(html.unescape(stripped))


def truncate_words(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters at a word boundary, marking the cut with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def first_sentence(text: str, limit: int = 90) -> str:
    """Make a headline from running text: its first sentence, cut to `limit` characters."""
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match and len(match.group(1)) >= 20 else text
    return truncate_words(sentence, limit)
