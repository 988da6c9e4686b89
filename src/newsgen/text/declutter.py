"""Take tracking and sharing clutter out of article HTML before it is sanitised.

Feeds and pasted pages carry more than the article: 1x1 tracking pixels and beacons, FeedBurner
"feedflare" buttons, share-on-Facebook/X/WhatsApp rows, "The post … appeared first on …"
trailers, "Continue reading" links, and `utm_*` parameters on links. A reader gets none of it.

Most bodies hold nothing of the kind, and a cheap look says so, so they are never parsed here;
the others are parsed once with lxml (see `declutter_html`). The sanitiser runs after this, so
nothing here has to be safe: it only removes elements and attributes and shortens URLs.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit, urlunsplit

import lxml.html
from lxml import etree

# Hosts whose images are beacons and whose links are ads, counters or share buttons. Miniflux
# blocks the same family (feedsportal, stats.wordpress.com, feeds.feedburner.com).
TRACKER_HOSTS = (
    "feeds.feedburner.com",
    "feedproxy.google.com",
    "feedsportal.com",
    "da.feedsportal.com",
    "pixel.wp.com",
    "stats.wp.com",
    "stats.wordpress.com",
    "doubleclick.net",
    "google-analytics.com",
    "googletagmanager.com",
    "pixel.quantserve.com",
    "sb.scorecardresearch.com",
    "b.scorecardresearch.com",
    "pi.feedsportal.com",
    "feeds.wordpress.com",
    "api.flattr.com",
    "pixel.facebook.com",
    "www.facebook.com/tr",
    "analytics.twitter.com",
    "ad.doubleclick.net",
    "rss.buysellads.com",
    "assets.feedblitz.com",
    "feeds.feedblitz.com",
    "res.feedsportal.com",
)
_TRACKER_MARKERS = tuple(sorted({host.split("/")[0].rsplit(".", 2)[-2] for host in TRACKER_HOSTS}))
# Links that ask the reader to share the page somewhere, whatever their text says.
_SHARE_URL = re.compile(
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed))"
    r"|(?:twitter|x)\.com/(?:intent/(?:tweet|retweet|like|favorite|post)|share\b|home\?status=)"
    r"|api\.whatsapp\.com/send|//wa\.me/|whatsapp://send"
    r"|linkedin\.com/(?:sharearticle|sharing/share|cws/share)"
    r"|pinterest\.com/pin/create|reddit\.com/submit|t\.me/share|telegram\.me/share"
    r"|plus\.google\.com/share|tumblr\.com/(?:share|widgets/share)|getpocket\.com/(?:save|edit)"
    r"|news\.ycombinator\.com/submitlink|bsky\.app/intent|mastodonshare|toot\.kytta"
    r"|flipboard\.com/bookmarklet|buffer\.com/add|addtoany\.com/share|sharethis\.com"
    r"|/~ff/|/~a/|^mailto:\?",  # a mail with no recipient, only the page to share
)
# Query parameters that say how a reader arrived, never which page it is. fetch/items.py keeps
# its own list: it decides an item's identity, which must not change when this one grows.
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "mc_", "_hs", "pk_", "mtm_")
TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "twclid", "mkt_tok",
        "cmpid", "ocid", "_ga", "_gl", "wt.mc_id", "ref_src", "smid", "cmp", "mbid",
        "spm", "xtor", "vero_id", "oly_enc_id", "oly_anon_id", "__s", "rb_clickid", "s_cid",
    }
)  # fmt: skip
# Element classes and ids of share widgets ("feedflare", "sharedaddy", "share-buttons",
# "a2a_kit", "social-share"); a token must start with one of these words.
_SHARE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:feedflare|share|sharing|sharedaddy|addtoany|a2a_kit|shareaholic"
    r"|socialshare|sociable|jp-relatedposts|wp-block-social-links)(?:$|[\s_-])",
    re.IGNORECASE,
)
_TRAILER_HOLDERS = frozenset(
    {"p", "div", "li", "section", "aside", "footer", "h4", "h5", "h6", "strong", "em", "i"}
)
# Whole blocks whose text is a syndication trailer or a share prompt.
_TRAILER = re.compile(
    r"^(?:the post\b.{1,300}\bappeared first on\b.{1,200}"
    r"|this (?:article|story|post|piece) (?:was |is )?(?:originally |first )?"
    r"(?:appeared|published|posted|ran)\b.{0,200}\b(?:on|in|at|by)\b.{0,200}"
    # "The story was published in the Times last week …" is news; only "originally" is a trailer.
    r"|the (?:article|story|post|piece) (?:was |is )?(?:originally|first) "
    r"(?:appeared|published|posted)\b.{0,200}\b(?:on|in|at|by)\b.{0,200}"
    r"|(?:originally|first) (?:published|appeared|posted)\b.{0,40}\b(?:on|in|at|by)\b.{0,200}"
    r"|(?:share|sharing)(?: (?:this|on|via|the)\b[^.!?]{0,60})?[\s:|•·,;/–—-]*"
    r"|sharing is caring\b.{0,40}|like this(?: post| article| story)?:?)$",
    re.IGNORECASE | re.DOTALL,
)
# A last link or line that only points to the rest of the article on its site.
_MORE = re.compile(
    r"^[\s.…\[(»›→]*(?:continue reading|read more|read the (?:full|rest|whole)|keep reading"
    r"|read full (?:story|article)|more\s*»|full story)\b.{0,120}$",
    re.IGNORECASE | re.DOTALL,
)
# Text that is only punctuation or separators once the links in a share row are gone.
_LEFTOVER = re.compile(r"^[\s\u00a0\u200b|•·,;:/()\[\]–—-]*$")
SMALL_IMAGE = 50  # px: below this an image is an icon, a button or a pixel, never a picture

# The cheap first look: any of these, and the body is parsed. They are meant to miss nothing
# the parsed pass would change; a false alarm only costs one parse. Pixels, beacons, share
# links and widgets show in opening tags, so only those are searched for them; trailers end
# the text. Plain substring tests on that little text: a regular expression of the same
# alternatives over a whole body costs more than the rest of reading the seed.
_TAG_MARKERS = (
    *("feedburner", "feedproxy", "feedsportal", "pixel.", "stats.w", "doubleclick", "analytics"),
    *("scorecard", "quantserve", "flattr", "feedblitz", "buysellads", "facebook.com/tr", "/~"),
    *(f"{side}{quote}{size}{unit}" for side in ("width=", "height=") for quote in ('"', "'", "")
      for size in "01" for unit in ("", "px") if quote or not unit),
    *("share", "sharing", "flare", "a2a_", "addtoany", "sociable", "relatedposts", "intent/"),
    *("wa.me", "whatsapp", "pin/create", "submitlink", "mailto:?"),
)  # fmt: skip
_TEXT_MARKERS = (
    *("share", "appeared", "originally", "first published", "first posted", "reading"),
    *("read more", "read the", "full story", "full article", "more »", "&raquo;"),
)  # fmt: skip
_TRAILER_REACH = 1000  # characters at the end of a body where a trailer is looked for
_OPENING_TAG = re.compile(r"<[A-Za-z][\w-]*\s[^<>]*>")
# A tracking parameter in any address: one pattern, which starts only at `?`, `&` or `;`.
_TRACKING_IN_TEXT = re.compile(
    "[?&;#](?:"
    + "|".join(re.escape(name) for name in sorted((*TRACKING_PREFIXES, *TRACKING_NAMES)))
    + ")"
)
_MORE_HOLDERS = ("a", "p", "div", "li", "span", "strong", "em", "b", "i", "small")
_KEEP_EMPTY = frozenset({"img", "br", "hr", "td", "th", "tr", "source", "picture", "iframe"})
_EMPTY_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "section", "aside", "footer", "figure", "blockquote", "h4"}
)
_VISIBLE = frozenset({"img", "picture", "iframe", "video", "svg"})


def is_tracking_param(name: str) -> bool:
    """Say whether a query parameter only tracks how a reader arrived (`utm_source`, `fbclid`)."""
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """Return `url` without tracking parameters (`utm_*`, `fbclid`, …), otherwise unchanged."""
    if "?" not in url and "#" not in url:
        return url
    parts = urlsplit(url)
    pairs = parts.query.split("&") if parts.query else []
    kept = [pair for pair in pairs if pair and not is_tracking_param(pair.split("=", 1)[0])]
    # "#xtor=RSS-1" and "#utm_source=…" are tracking, not a place in the page.
    fragment = parts.fragment
    if "=" in fragment and is_tracking_param(fragment.split("=", 1)[0]):
        fragment = ""
    if len(kept) == len(pairs) and fragment == parts.fragment:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), fragment))


def is_tracker_url(url: str) -> bool:
    """Say whether an address is a beacon, ad or counter host rather than content."""
    lowered = url.lower()
    if not any(marker in lowered for marker in _TRACKER_MARKERS):
        return False
    parts = urlsplit(lowered.strip())
    host = parts.hostname or ""
    where = host + parts.path
    for tracker in TRACKER_HOSTS:
        if "/" in tracker:
            if where.startswith(tracker) or where.endswith("." + tracker):
                return True
        elif host == tracker or host.endswith("." + tracker):
            return True
    return False


def is_share_url(url: str) -> bool:
    """Say whether a link asks the reader to share the page, or is a FeedBurner flare or ad."""
    return bool(_SHARE_URL.search(url.lower()))


def pixel_size(value: str | None) -> int | None:
    """Read a `width`/`height` value as whole pixels; None when it is not a plain number."""
    match = re.match(r"\s*(\d+)\s*(?:px)?\s*$", value or "")
    return int(match.group(1)) if match else None


def is_small_image(width: str | int | None, height: str | int | None) -> bool:
    """Say whether an image of this size (where known) is an icon, button or pixel."""
    sizes = [v if isinstance(v, int) else pixel_size(v) for v in (width, height)]
    return any(size is not None and size < SMALL_IMAGE for size in sizes)


def is_pixel(width: str | None, height: str | None) -> bool:
    """A 1x1 or zero-size image: a beacon, whatever its address."""
    return any(size is not None and size <= 1 for size in (pixel_size(width), pixel_size(height)))


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SIZE_ATTR = re.compile(r"""\b(width|height)\s*=\s*["']?\s*([^"'\s>]*)""", re.IGNORECASE)


def is_card_image(url: str, body: str = "") -> bool:
    """Say whether `url` may be an article's picture on cards and in og:image.

    Never a tracker's beacon or a share button, nor an image the body shows under 50 px.
    """
    if not url:
        return False
    if is_tracker_url(url) or is_share_url(url):
        return False
    if url not in body and html.escape(url) not in body:
        return True
    for tag in _IMG_TAG.finditer(body):
        markup = tag.group()
        if url in markup or html.escape(url) in markup:
            sizes = {name.lower(): value for name, value in _SIZE_ATTR.findall(markup)}
            if is_small_image(sizes.get("width"), sizes.get("height")):
                return False
    return True


def may_need_declutter(markup: str) -> bool:
    """The cheap test: False means `declutter_html` would return the markup unchanged."""
    tags = " ".join(_OPENING_TAG.findall(markup)).lower()
    if any(marker in tags for marker in _TAG_MARKERS) or _TRACKING_IN_TEXT.search(tags):
        return True
    tail = markup[-_TRAILER_REACH:].lower()
    return any(marker in tail for marker in _TEXT_MARKERS)


def declutter_html(markup: str) -> str:
    """Remove pixels, beacons, share widgets, trailers and tracking parameters from HTML.

    Returns the markup itself when there is nothing to remove (no parse, no reformatting).
    """
    if not markup or not may_need_declutter(markup):
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup  # nothing lxml can read as a fragment; the sanitiser still runs
    changed = _remove_clutter(root)
    changed = _remove_more_links(root) or changed
    if not changed:
        return markup
    _remove_empty(root)
    text = lxml.html.tostring(root, encoding="unicode")
    return text[len("<div>") : -len("</div>")].strip()


def _remove_clutter(element: lxml.html.HtmlElement) -> bool:
    """Judge every element below `element`, innermost first, removing or rewriting clutter."""
    changed = False
    for child in list(element):
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions: the sanitiser drops them
        changed = _remove_clutter(child) or changed
        if child.getparent() is None:
            continue  # removed with an image it held
        tag = child.tag.lower()
        if tag == "img":
            changed = _image(child) or changed
        elif tag == "a":
            changed = _link(child) or changed
        elif tag in ("source", "iframe"):
            changed = _strip_url(child, "src") or changed
        elif _is_share_widget(child) or (tag in _TRAILER_HOLDERS and _is_trailer(child)):
            child.drop_tree()
            changed = True
    return changed


def _is_share_widget(element: lxml.html.HtmlElement) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    # A share row is a few words at most; a long text with such a class is the article.
    return bool(_SHARE_CLASS.search(marks)) and len(_text(element)) < 300


def _image(element: lxml.html.HtmlElement) -> bool:
    src = element.get("src", "") or element.get("data-src", "")
    if (
        is_pixel(element.get("width"), element.get("height"))
        or is_tracker_url(src)
        or is_share_url(src)
    ):
        parent = element.getparent()
        # A beacon or flare wrapped in its own link goes with the link.
        if parent is not None and parent.tag == "a" and not (parent.text_content() or "").strip():
            parent.drop_tree()
        else:
            element.drop_tree()
        return True
    changed = _strip_url(element, "src")
    for name in ("width", "height"):
        value = element.get(name)
        if value is not None and not pixel_size(value):
            del element.attrib[name]  # "100%", "auto": no help to the layout
            changed = True
    return changed


def _link(element: lxml.html.HtmlElement) -> bool:
    href = element.get("href", "")
    if is_share_url(href):
        element.drop_tree()
        return True
    if is_tracker_url(href):
        # A counted redirect to the article itself ("feeds.feedburner.com/~r/…"): keep the words.
        element.drop_tag()
        return True
    return _strip_url(element, "href")


def _strip_url(element: lxml.html.HtmlElement, name: str) -> bool:
    value = element.get(name)
    if not value:
        return False
    stripped = strip_tracking(value)
    if stripped == value:
        return False
    element.set(name, stripped)
    return True


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join((element.text_content() or "").split())


def _is_trailer(element: lxml.html.HtmlElement) -> bool:
    text = _text(element)
    if not text or len(text) >= 600 or not _TRAILER.match(text):
        return False
    # WordPress links both names in "The post … appeared first on …"; without a link the words
    # may be the article's own ("The post office appeared first on the list").
    return text[:9].lower() != "the post " or element.find(".//a") is not None


def _remove_more_links(root: lxml.html.HtmlElement) -> bool:
    """Drop a "Continue reading…" / "Read more" link or line that ends the body."""
    for element in reversed(list(root.iter(*_MORE_HOLDERS))):
        if element is root or element.getparent() is None:
            continue
        text = _text(element)
        if len(text) <= 140 and _MORE.match(text) and not _followed(element, root):
            _trim_before(element)
            element.drop_tree()
            _remove_more_links(root)  # "Read more" under a "Continue reading" line
            return True
    return False


def _trim_before(element: lxml.html.HtmlElement) -> None:
    """Drop the space before an element that ends its parent, so no "… </p>" is left."""
    previous, parent = element.getprevious(), element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip() or None
    elif parent is not None:
        parent.text = (parent.text or "").rstrip() or None


def _followed(element: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    """Say whether any text or picture follows `element` inside `root`."""
    node = element
    while node is not root and node is not None:
        if (node.tail or "").strip():
            return True
        for following in node.itersiblings():
            if _text(following) or following.find(".//img") is not None or following.tag == "img":
                return True
        node = node.getparent()
    return False


def _remove_empty(root: lxml.html.HtmlElement) -> None:
    """Remove what the removals left empty, innermost first.

    A block (a paragraph, a list item) holding only white space or the separators of a share
    row goes; an inline element holding only white space is unwrapped, keeping the space
    between the words around it.
    """
    for element in reversed(list(root.iter())):
        if element is root or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag in _KEEP_EMPTY or any(child.tag in _VISIBLE for child in element.iter()):
            continue
        text = (element.text_content() or "").replace("\u00a0", " ").replace("\u200b", "")
        if element.tag in _EMPTY_BLOCKS and _LEFTOVER.match(text):
            element.drop_tree()
        elif not text.strip():
            element.drop_tag()
