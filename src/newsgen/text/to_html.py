"""Turn a plain-text article body into real HTML: paragraphs, sub-headings, lists, quotes, links.

Two layouts are understood. Most pasted news has one paragraph per line; some text separates
paragraphs with blank lines. When blank lines are present a sub-heading must stand alone between
them, so a short photo caption glued to its neighbour stays a paragraph; hard-wrapped text (blank
lines between blocks of nearly full lines) is joined back into paragraphs.

A quoted social post is its text, ending in a `pic.twitter.com/...` or `https://t.co/...` link,
then a credit line `— Name (@handle) Month D, YYYY`; both become one `<blockquote>` with the
name in a `<cite>`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from newsgen.text.titles import is_subheading

_BULLET = re.compile(r"^\s*[•\-*–·▪◦][\s\u00a0]+(?P<text>\S.*)$")
_POST_END = re.compile(r"(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)\s*$")
_POST_CREDIT = re.compile(
    r"^[—–-]\s*(?P<who>.+?\(@\w{1,30}\))\s*(?P<when>[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$"
)
_POST_LINK = re.compile(r"\s*(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)")
MAX_POST = 280  # a post longer than this cannot be one; the line before it is article text
_URL = re.compile(r"(?P<url>(?:https?://|www\.|pic\.twitter\.com/)[^\s<>\"“”]+)")
_URL_TRAILING = ".,;:!?)]}’”'\""
_CAPTION = re.compile(
    r"^(?:in this (?:pool |handout |file )?(?:photo|photograph|image|picture)\b)"
    r"|\((?:AP|AFP|Reuters)? ?Photo\b|\bPhoto by\b|\bvia Getty Images\b|/AFP\b|REUTERS/"
    # No `[` inside the brackets: from each of a run of `[` the scan then stops at the next one.
    r"|\[[^\[\]]*(?:AFP|Reuters|AP Photo|Getty)[^\[\]]*\]$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of non-blank lines; `post` marks a quoted social post whose last line is the credit."""

    lines: tuple[str, ...]
    post: bool = False


def text_to_html(text: str, *, dateline: str = "") -> str:
    """Convert a plain-text body to HTML; `dateline` ("MOSCOW") opens the first real paragraph."""
    blocks = _posts(_blocks(text.split("\n")))
    spaced = len(blocks) > 1 and any(len(block.lines) == 1 for block in blocks)
    wrapped = _is_hard_wrapped(blocks)
    parts: list[str] = []
    items: list[str] = []
    for index, block in enumerate(blocks):
        if block.post:
            _flush_list(parts, items)
            parts.append(_post(block.lines[:-1], block.lines[-1]))
            continue
        units = [" ".join(line.strip() for line in block.lines)] if wrapped else block.lines
        alone = len(block.lines) == 1 or not spaced or _heads_list(block)
        for unit in units:
            bullet = _BULLET.match(unit)
            if bullet:
                items.append(f"<li>{_inline(bullet['text'])}</li>")
                continue
            _flush_list(parts, items)
            if alone and is_subheading(unit):
                parts.append(f"<h2>{_inline(unit)}</h2>")
            else:
                parts.append(f"<p>{_inline(unit)}</p>")
        if not _list_goes_on(blocks, index):
            _flush_list(parts, items)
    _flush_list(parts, items)
    return _with_dateline(parts, dateline)


def is_caption(line: str) -> bool:
    """Say whether a paragraph is a photo caption or credit rather than article text."""
    return bool(_CAPTION.search(line.strip()))


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(Block(tuple(current)))
            current = []
    if current:
        blocks.append(Block(tuple(current)))
    return blocks


def _posts(blocks: list[Block]) -> list[Block]:
    """Merge each post's text and credit line, across blank lines, into one `post` block."""
    merged: list[Block] = []
    for block in blocks:
        credit = len(block.lines) == 1 and _POST_CREDIT.match(block.lines[0].strip())
        if credit and merged and not merged[-1].post and _POST_END.search(merged[-1].lines[-1]):
            text = merged.pop().lines
            # A post may span two paragraphs: take the one before when both still fit in one post.
            if merged and _fits_post(merged[-1], text):
                text = merged.pop().lines + text
            merged.append(Block((*text, block.lines[0]), post=True))
        elif len(block.lines) >= 2 and _POST_END.search(block.lines[-2]) and _is_credit(block):
            merged.append(Block(block.lines, post=True))
        else:
            merged.append(block)
    return merged


def _heads_list(block: Block) -> bool:
    """Say whether a block is one line followed by bullets, so the line may be a list's heading."""
    return len(block.lines) > 1 and all(_BULLET.match(line) for line in block.lines[1:])


def _is_credit(block: Block) -> bool:
    return bool(_POST_CREDIT.match(block.lines[-1].strip()))


def _fits_post(before: Block, text: tuple[str, ...]) -> bool:
    if before.post or len(before.lines) != 1 or _BULLET.match(before.lines[0]):
        return False
    if is_subheading(before.lines[0]):
        return False
    body = _POST_LINK.sub("", " ".join((*before.lines, *text)))
    return len(body) + 23 <= MAX_POST  # a post's link counts as 23 characters


def _is_hard_wrapped(blocks: list[Block]) -> bool:
    """Say whether the text was wrapped at a fixed width, so lines in a block form one paragraph."""
    lines = [line for block in blocks for line in block.lines]
    multi = [block for block in blocks if len(block.lines) > 1 and not block.post]
    # One two-line block is more likely a caption and its credit than wrapped prose.
    if len(lines) < 4 or len(multi) < max(2, len(blocks) / 2):
        return False
    if any(_BULLET.match(line) for line in lines):
        return False
    longest = max(len(line) for line in lines)
    filled = [len(line) for block in multi for line in block.lines[:-1]]
    # Wrapped text fills every line but a paragraph's last to nearly the same width.
    return longest <= 100 and all(length >= longest * 0.6 for length in filled)


def _post(text: tuple[str, ...], credit: str) -> str:
    """Render a quoted social post and its `— Name (@handle) Date` line as one block quote."""
    match = _POST_CREDIT.match(credit.strip())
    who = html.escape(match["who"]) if match else ""
    when = f" {html.escape(match['when'])}" if match and match["when"] else ""
    paragraphs = "".join(f"<p>{_inline(line)}</p>" for line in text)
    return f"<blockquote>{paragraphs}<p>— <cite>{who}</cite>{when}</p></blockquote>"


def _list_goes_on(blocks: list[Block], index: int) -> bool:
    """Say whether a bullet list continues past a blank line."""
    if index + 1 >= len(blocks) or blocks[index].post or blocks[index + 1].post:
        return False
    return bool(
        _BULLET.match(blocks[index].lines[-1]) and _BULLET.match(blocks[index + 1].lines[0])
    )


def _flush_list(parts: list[str], items: list[str]) -> None:
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
        items.clear()


def _with_dateline(parts: list[str], dateline: str) -> str:
    """Open the first paragraph that is not a photo caption with the dateline, AP style."""
    if dateline:
        for index, part in enumerate(parts):
            if part.startswith("<p>") and not is_caption(html.unescape(part[3:])):
                parts[index] = f"<p>{html.escape(dateline)} — {part[3:]}"
                break
    return "\n".join(parts)


def _inline(text: str) -> str:
    """Escape text and turn bare URLs into links."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match["url"].rstrip(_URL_TRAILING)
        start = match.start()
        out.append(html.escape(text[position:start]))
        href = url if url.startswith(("http://", "https://")) else f"https://{url}"
        out.append(f'<a href="{html.escape(href)}">{html.escape(url)}</a>')
        position = start + len(url)
    out.append(html.escape(text[position:]))
    return "".join(out).strip()
