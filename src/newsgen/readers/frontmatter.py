"""Read front-matter seeds: YAML metadata between `---` lines, then an HTML or Markdown body.

This is what `fetch` writes, so it is the hot path of a big build: no HTML tree is built here
(bodies are parsed only when they show clutter, see text/declutter.py), and ftfy only runs on
text that shows signs of mojibake.
"""

from __future__ import annotations

import difflib
import html
import re
import reprlib
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import markdown
from slugify import slugify

from newsgen.errors import Diagnostic
from newsgen.frontmatter import FrontMatterError, has_front_matter, split_front_matter
from newsgen.models import Article, Enclosure
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.readers.plaintext import DatedBy, TextPiece, date_of_lone_piece
from newsgen.text import dates
from newsgen.text.clean import repair_mojibake
from newsgen.text.declutter import is_card_image, strip_tracking
from newsgen.text.enclosures import make_enclosure
from newsgen.text.language import normalise_language
from newsgen.text.sanitize import is_safe_url, sanitize_html
from newsgen.text.slugs import MAX_EDITOR_LENGTH, make_slug
from newsgen.text.sources import display_source
from newsgen.text.summary import plain_text, shorten, summary_from_html
from newsgen.text.tags import normalise_tags
from newsgen.text.titles import headline_from_sentence
from newsgen.text.to_html import is_caption, text_to_html

# What `newsgen new` writes as the body: a seed still saying only this is never published.
PLACEHOLDER = "Write the article here, in Markdown."


class FieldError(ValueError):
    """A front matter value of the wrong kind; the message says what to write instead."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("a single line of text (quote it if it contains a colon)")
    return " ".join(repair_mojibake(html.unescape(str(value))).split())


def _names(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(name for name in (_text(item) for item in value) if name)
    return _text(value)


def _url(value: Any) -> str:
    url = _text(value)
    if url and not is_safe_url(url):
        raise FieldError("an http:// or https:// address")
    return url


def _enclosure(value: Any) -> Enclosure:
    """`enclosure: {url: …, type: audio/mpeg, length: 1234}`, or only the URL."""
    if isinstance(value, dict):
        enclosure = make_enclosure(value.get("url"), value.get("type", ""), value.get("length", 0))
    else:
        enclosure = make_enclosure(value)
    if enclosure is None:
        raise FieldError(
            "an audio or video file as {url: https://…/episode.mp3, type: audio/mpeg, "
            "length: 48200000}, or its http(s) URL alone"
        )
    return enclosure


def _date(value: Any) -> Any:
    if dates.parse_date_value(value, ZoneInfo("UTC")) is None:
        raise FieldError("a date such as 2025-12-31 or 2025-12-31T18:30:00+01:00")
    return value


def _string_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # "tags: world, europe" is a common slip for a YAML list; accept it.
        items: list[Any] = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        items = value
    else:
        raise FieldError("a list such as [world, europe]")
    return tuple(text for text in (_text(item) for item in items) if text)


def _tags(value: Any) -> tuple[str, ...]:
    return normalise_tags(_string_list(value))


_PATH_LIKE = re.compile(r"[/\\\x00-\x1f\x7f]|\.\.")


def _slug_text(value: Any) -> str:
    slug = _text(value)
    if _PATH_LIKE.search(slug) or (slug and not slugify(slug)):
        raise FieldError("lower-case letters, digits and dashes, such as council-approves-plan")
    return slug


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "no", "false"):
        return value.strip().lower() in ("yes", "true")
    raise FieldError("true or false")


def _language(value: Any) -> str:
    tag = normalise_language(_text(value))
    if not tag:
        raise FieldError("a language tag such as en, de or pt-BR")
    return tag


# Pelican's METADATA_PROCESSORS idea: one normaliser per key, applied in one loop.
FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "date": _date,
    "description": _text,
    "summary": _text,
    "slug": _slug_text,
    "image": _url,
    "image_alt": _text,
    "link": _url,
    "source": _text,
    "categories": _string_list,
    "tags": _tags,
    "keywords": _tags,
    "draft": _bool,
    "author": _names,
    "guid": _text,
    "enclosure": _enclosure,
    "language": _language,
    "lang": _language,
    # Where a fetched body came from (`full_text: true` feeds): kept for readers of the seed.
    "body_source": _text,
    "page_url": _url,
    "body_note": _text,
}

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:", re.MULTILINE)
_HTML_BLOCK = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|blockquote|table|br|img|figure|section|article|pre)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]>", re.IGNORECASE | re.DOTALL)
_markdown = threading.local()


def parse_frontmatter_seed(
    text: str, *, rel_path: str, timezone: ZoneInfo, mtime: datetime
) -> tuple[list[Article], list[Diagnostic]]:
    """Read one front-matter seed into one article, reporting every bad field by line."""
    try:
        parsed = split_front_matter(text)
    except FrontMatterError as exc:
        return [], [Diagnostic(rel_path, exc.line, "error", str(exc))]
    key_lines = _key_lines(text)
    diagnostics: list[Diagnostic] = []
    meta: dict[str, Any] = {}
    params: dict[str, Any] = {}
    for key, raw in parsed.meta.items():
        line = key_lines.get(str(key), 1)
        normalise = FIELDS.get(str(key))
        try:
            if normalise is None:
                params[str(key)] = _param(raw)
                close = _near_miss(str(key))
                if close:
                    diagnostics.append(_near_miss_warning(rel_path, line, str(key), close))
            else:
                meta[str(key)] = normalise(raw)
        except FieldError as exc:
            diagnostics.append(_field_warning(rel_path, line, str(key), raw, str(exc)))
    if parsed.body.strip() == PLACEHOLDER:
        message = (
            "the body is still the placeholder `newsgen new` wrote, so the article is not "
            "published; write the article in its place"
        )
        return [], [*diagnostics, Diagnostic(rel_path, parsed.body_line, "warning", message)]
    article = _article(meta, parsed.body, parsed.body_line, rel_path, timezone, mtime, diagnostics)
    if params:
        article = replace(article, body_html=article.body_html, params=params)
    if article.draft:
        message = (
            "draft: true, so it is not published (`build --drafts` shows it); "
            "set `draft: false` when it is ready"
        )
        diagnostics.append(Diagnostic(rel_path, key_lines.get("draft", 1), "info", message))
    return [article], diagnostics


MAX_PARAM_ITEMS = 1000  # a YAML alias can make billions of items out of a few lines


def _param(value: Any) -> Any:
    """A key of the site's own (`article.params`): kept as written, if of a sensible size."""
    budget = [MAX_PARAM_ITEMS]

    def copy(item: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise FieldError(f"a value of at most {MAX_PARAM_ITEMS} items")
        if isinstance(item, list):
            return [copy(x) for x in item]
        if isinstance(item, dict):
            return {str(k): copy(v) for k, v in item.items()}
        return item

    return copy(value)


def _near_miss(key: str) -> str:
    """The known key an unknown one is probably a typo of (`titel`), or ''."""
    if key in FIELDS:
        return ""
    close = difflib.get_close_matches(key.lower(), FIELDS, n=1, cutoff=0.8)
    return close[0] if close else ""


def _near_miss_warning(rel_path: str, line: int, key: str, close: str) -> Diagnostic:
    message = (
        f"front matter key `{key[:80]}` is not one newsgen reads (templates get it as "
        f"article.params); did you mean `{close}`?"
    )
    return Diagnostic(rel_path, line, "warning", message)


def _field_warning(rel_path: str, line: int, key: str, raw: Any, expected: str) -> Diagnostic:
    consequence = {
        "title": "the title is inferred from the body",
        "date": "the date is inferred",
        "slug": "the slug is made from the title",
    }.get(key, "the value is ignored")
    message = f"`{key}: {_shown(raw)}` is not valid: write {expected}; {consequence}"
    return Diagnostic(rel_path, line, "warning", message)


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 80
_short.maxlevel, _short.maxlist, _short.maxdict = 2, 4, 4


def _shown(value: Any) -> str:
    """Quote a value for a message, cut short: YAML aliases can make one of billions of items."""
    return _short.repr(value)


def _key_lines(text: str) -> dict[str, int]:
    """Map each top-level front matter key to its 1-based line, for messages."""
    text = text.lstrip("\ufeff")
    end = text.find("\n---", 3)
    block = text[: end if end != -1 else len(text)]
    lines: dict[str, int] = {}
    for match in _KEY_LINE.finditer(block):
        lines.setdefault(match["key"], block.count("\n", 0, match.start()) + 1)
    return lines


def _article(
    meta: dict[str, Any],
    body: str,
    body_line: int,
    rel_path: str,
    timezone: ZoneInfo,
    mtime: datetime,
    diagnostics: list[Diagnostic],
) -> Article:
    link = strip_tracking(meta.get("link", ""))
    image = strip_tracking(meta.get("image", ""))
    if image and not is_card_image(image, body):
        image = ""  # a beacon, an icon or a share button is no picture for a card
    body_html = sanitize_html(
        _body_html(repair_mojibake(body), body_line, rel_path, diagnostics), base_url=link
    )
    inferred: list[str] = []
    title = meta.get("title", "")
    if not title:
        title = _title_from_body(body_html) or "Untitled"
        inferred.append("title")
        fix = "add `title: ...` to the front matter"
        message = f'no title; "{title}" was inferred from the body; {fix}'
        diagnostics.append(Diagnostic(rel_path, 1, "info", message))
    dated = _date_of(meta, body_html, rel_path, timezone, mtime, diagnostics)
    if dated.inferred:
        inferred.append("date")
    categories = meta.get("categories", ())
    source = meta.get("source", "")
    summary = meta.get("summary") or meta.get("description") or ""
    return Article(
        title=title,
        date=dated.value,
        slug=_slug(meta.get("slug", ""), title, rel_path),
        body_html=body_html,
        summary=shorten(plain_text(summary))
        if summary
        else summary_from_html(body_html, skip=is_caption),
        source=display_source(source, categories=categories, link=link, seed_path=rel_path),
        source_url=source if source.startswith(("http://", "https://")) else "",
        link=link,
        image=urljoin(link, image) if image and link else image,
        image_alt=meta.get("image_alt", ""),
        author=meta.get("author", ""),
        tags=meta.get("tags", ()),
        keywords=meta.get("keywords", ()),
        categories=categories,
        enclosure=meta.get("enclosure"),
        language=meta.get("language") or meta.get("lang", ""),
        draft=meta.get("draft", False),
        seed_path=rel_path,
        seed_line=1,
        inferred=tuple(inferred),
        explicit_date=dated.explicit,
    )


def _slug(stated: str, title: str, rel_path: str) -> str:
    if stated:
        return make_slug(stated, fallback_seed=f"{rel_path}:1", max_length=MAX_EDITOR_LENGTH)
    return make_slug(title, fallback_seed=f"{rel_path}:1")


def _date_of(
    meta: dict[str, Any],
    body_html: str,
    rel_path: str,
    timezone: ZoneInfo,
    mtime: datetime,
    diagnostics: list[Diagnostic],
) -> DatedBy:
    """Return the article's stated date, or the best inferred one with an info message."""
    if "date" in meta:
        value = dates.parse_date_value(meta["date"], timezone)
        if value is not None:
            return DatedBy(value, True, "the front matter", inferred=False)
    text = "\n".join(plain_text(part) for part in re.split(r"</p>|<br\s*/?>", body_html))
    piece = TextPiece("", False, body_html, "", text, 1)
    dated = date_of_lone_piece(piece, rel_path=rel_path, mtime=mtime, timezone=timezone)
    message = (
        f"no date; {dated.value:%Y-%m-%d} was inferred from {dated.how}; add `date: YYYY-MM-DD`"
    )
    diagnostics.append(Diagnostic(rel_path, 1, "info", message))
    return dated


def _title_from_body(body_html: str) -> str:
    heading = _HEADING.search(body_html)
    if heading and plain_text(heading.group(1)):
        return plain_text(heading.group(1))
    first = summary_from_html(body_html, skip=is_caption)
    return headline_from_sentence(first) if first else ""


def _body_html(body: str, line: int, rel_path: str, diagnostics: list[Diagnostic]) -> str:
    """Convert the body, falling back to plain text for bodies no converter can take."""
    try:
        if _DEEP_INDENT.search(body) and not looks_like_html(body):
            # Markdown takes seconds on such a list before it gives up with a RecursionError.
            raise RecursionError
        converted = body_to_html(body)
    except RecursionError:
        problem = "the Markdown body is nested too deeply to convert"
    else:
        depth = html_nesting(converted)
        if depth <= MAX_HTML_NESTING:
            return converted
        problem = f"the HTML body nests {depth} elements deep"
    message = f"{problem}; it is shown as plain text; flatten its lists, quotes or tags"
    diagnostics.append(Diagnostic(rel_path, line, "warning", message))
    return text_to_html(html.unescape(_TAG.sub(" ", body)))


MAX_HTML_NESTING = 256  # the HTML parser slows down with the square of the depth
# A line indented this far is a list or quote nested deeper than MAX_HTML_NESTING elements.
_DEEP_INDENT = re.compile(rf"^[ \t]{{{2 * MAX_HTML_NESTING},}}\S", re.MULTILINE)
_TAG = re.compile(r"<[^<>]*>")
_ELEMENT = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
# Elements that never nest (void) or whose end tag may be left out: neither deepens the page.
_FLAT = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "html", "head", "body",
    }
)  # fmt: skip


def html_nesting(markup: str) -> int:
    """Estimate how deep the elements of an HTML fragment nest, in one pass over its tags."""
    depth = deepest = 0
    for closing, name, self_closing in _ELEMENT.findall(markup):
        if self_closing or name.lower() in _FLAT:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def looks_like_html(body: str) -> bool:
    """Say whether a body is HTML (starts with a tag or holds block tags) rather than Markdown."""
    stripped = body.lstrip()
    if (
        stripped.startswith("<")
        and len(stripped) > 1
        and (stripped[1].isalpha() or stripped[1] == "!")
    ):
        return True
    return bool(_HTML_BLOCK.search(body))


def body_to_html(body: str) -> str:
    """Return the body as HTML, converting Markdown when it is not HTML already."""
    if not body.strip() or looks_like_html(body):
        return body
    converter = getattr(_markdown, "converter", None)
    if converter is None:
        # One converter per thread: building one costs more than converting a short article.
        converter = _markdown.converter = markdown.Markdown(extensions=["extra", "sane_lists"])
    return _convert_markdown(converter.reset(), body)


MANY_OPENERS = 64  # more `[` or `(` than real prose has: worth checking which are unmatched
_BRACKET = re.compile(r"(?<!\\)[\[\]()]")
_OPENER = {"]": "[", ")": "("}
# Private-use characters stand in for unmatched brackets while Markdown runs: it ignores them.
_STAND_INS = {"[": "\ue000", "(": "\ue001"}


def _convert_markdown(converter: markdown.Markdown, body: str) -> str:
    """Convert, hiding the `[` and `(` that nothing closes when there are many.

    Markdown looks for the end of a link from every `[` and `(` to the end of the text, so a
    few thousand unmatched ones take minutes. Unmatched, they cannot start a link anyway.
    """
    unmatched = _unmatched_openers(body)
    if len(unmatched) <= MANY_OPENERS or any(c in body for c in _STAND_INS.values()):
        return str(converter.convert(body))
    chars = list(body)
    for index in unmatched:
        chars[index] = _STAND_INS[chars[index]]
    converted = str(converter.convert("".join(chars)))
    for opener, stand_in in _STAND_INS.items():
        converted = converted.replace(stand_in, opener)
    return converted


def _unmatched_openers(body: str) -> list[int]:
    if body.count("[") + body.count("(") <= MANY_OPENERS:
        return []
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    for match in _BRACKET.finditer(body):
        char = match.group()
        if char in open_at:
            open_at[char].append(match.start())
        elif open_at[_OPENER[char]]:
            open_at[_OPENER[char]].pop()
    return open_at["["] + open_at["("]


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    return parse_frontmatter_seed(seed.raw, rel_path=rel_path, timezone=timezone, mtime=mtime)


FORMAT = SeedFormat("front matter", lambda seed: has_front_matter(seed.raw), _read)
