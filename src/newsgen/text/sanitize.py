"""Make untrusted article HTML safe to publish, with an allow-list sanitiser (nh3/Ammonia)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3

from newsgen.text.declutter import declutter_html
from newsgen.text.xmlchars import xml_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
        "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s",
        "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes"},
    "source": {"srcset", "type", "media", "sizes"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
    "ol": {"start", "reversed"},
    "*": {"lang", "dir"},
}

# Whole elements whose content is code or chrome, never article text.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math"}
)

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_TAGS = set(ALLOWED_TAGS)
_DROPPED = set(DROPPED_WITH_CONTENT)
_ATTRIBUTES = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
_SCHEMES = set(URL_SCHEMES)
# Every picture waits until it is scrolled to, and its host is not told which page showed it.
# Added to the sanitiser's output, where every image starts `<img ` and neither attribute is
# left: nh3's own way to set them writes them in a different order from one run to the next.
IMAGE_ATTRIBUTES = 'loading="lazy" referrerpolicy="no-referrer"'

# An element left with nothing in it (its pixel, share links or script removed): innermost first,
# so a repeat takes the element that held it.
_EMPTY = re.compile(
    r"<(p|div|span|a|em|strong|b|i|u|small|li|ul|ol|figure|figcaption|blockquote|"
    r"h[2-6])(?:\s[^<>]*)?>(?:\s|&nbsp;|\u00a0|<br>)*</\1>"
)


def _srcset_filter(base_url: str):
    """Return an attribute filter for `srcset`, which nh3 neither resolves nor scheme-checks."""

    def check(tag: str, attribute: str, value: str) -> str | None:
        if attribute != "srcset":
            return value
        parts = [_srcset_part(base_url, part) for part in value.split(",")]
        kept = [part for part in parts if part]
        return ", ".join(kept) if kept else None

    return check


def _srcset_part(base_url: str, part: str) -> str:
    pieces = part.strip().split(None, 1)
    if not pieces:
        return ""
    url = urljoin(base_url, pieces[0]) if base_url else pieces[0]
    if urlsplit(url).scheme.lower() not in ("http", "https", ""):
        return ""  # javascript:, data: and friends
    return " ".join([url, *pieces[1:]])


def sanitize_html(html: str, base_url: str = "") -> str:
    """Strip everything not on the allow-list; resolve relative links when `base_url` is given.

    No script, style, event handler, `javascript:`/`data:` URL, frame, object, form, meta or base
    survives, and every link gets `rel="noopener noreferrer"`. Tracking pixels, share widgets,
    trailers and tracking parameters go first (`declutter_html`), and empty elements last.
    """
    if not html:
        return ""
    html = declutter_html(xml_safe(html))  # lxml refuses a text that holds what XML cannot
    resolvable = _is_web_url(base_url)
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROPPED,
        attributes=_ATTRIBUTES,
        # Relative links are resolved in Rust; only srcset lists need the Python filter.
        url_relative=("rewrite_with_base", base_url) if resolvable else None,
        attribute_filter=_srcset_filter(base_url if resolvable else "")
        if "srcset" in html.lower()
        else None,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    if "<img " in cleaned:
        cleaned = cleaned.replace("<img ", f"<img {IMAGE_ATTRIBUTES} ")
    return _without_empty(cleaned).strip()


def _without_empty(html: str) -> str:
    while True:
        shorter = _EMPTY.sub("", html)
        if shorter == html:
            return html
        html = shorter


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_safe_url(url: str) -> bool:
    """Say whether a URL from content (an image, a link) may appear in an attribute we write."""
    if not url:
        return False
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in ("http", "https") or (scheme == "" and not url.strip().startswith("//"))
