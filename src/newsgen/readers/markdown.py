"""Read Markdown written without front matter: `# Title`, then the article in Markdown.

A note-taking app or an editor's export gives `# Headline`, `**bold**`, `[text](url)` and
`## Section` with no metadata block. The `# Title` line becomes the title (and is not repeated
in the body), the rest is converted as a front-matter seed's Markdown body is, and the date is
worked out as for plain text.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.readers.frontmatter import body_to_html
from newsgen.readers.plaintext import (
    UNTITLED,
    TextPiece,
    build_article,
    date_of_lone_piece,
    inferred_note,
    weekday_hints,
)
from newsgen.text.sanitize import sanitize_html
from newsgen.text.summary import plain_text, summary_from_html
from newsgen.text.titles import headline_from_sentence
from newsgen.text.to_html import is_caption

_TITLE = re.compile(r"^#[ \t]+(?P<title>\S.*?)(?:[ \t]+#+)?[ \t]*$")
# Marks no plain text or pasted page has, but Markdown is made of.
_STRONG = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # an ATX heading
    re.compile(r"\*\*\S[^*\n]*\*\*|__\S[^_\n]*__"),  # **bold** or __bold__
    re.compile(r"(?<!!)\[[^\]\n]+\]\((?:https?://|/|#|mailto:)[^)\s]*\)"),  # [text](url)
    re.compile(r"^```", re.MULTILINE),  # a fenced code block
)
_WEAK = (
    re.compile(r"^>[ \t]\S", re.MULTILINE),  # a quotation
    re.compile(r"!\[[^\]\n]*\]\([^)\s]+\)"),  # an image
    re.compile(r"(?<![*\w])\*\S[^*\n]*\S\*(?![*\w])"),  # *emphasis*
    re.compile(r"^\d+\.[ \t]+\S", re.MULTILINE),  # a numbered list
)
_HTML_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre)>", re.IGNORECASE)


def is_markdown(text: str) -> bool:
    """Say whether text without front matter is Markdown rather than plain or pasted text.

    A `# Title` first line is enough; otherwise two different Markdown marks are needed, one of
    them a strong one (a heading, bold, an inline link, a code fence), so a stray asterisk or
    "1. " in pasted news does not turn it into Markdown.
    """
    first = next((line for line in text.split("\n") if line.strip()), "")
    if _TITLE.match(first.strip()):
        return True
    strong = sum(1 for pattern in _STRONG if pattern.search(text))
    weak = sum(1 for pattern in _WEAK if pattern.search(text))
    return strong >= 1 and strong + weak >= 2


def parse_markdown_seed(
    text: str, *, rel_path: str, timezone: ZoneInfo, mtime: datetime
) -> tuple[list[Article], list[Diagnostic]]:
    """Read a Markdown seed into one article: title from `# Title`, body as HTML."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    heading = _TITLE.match(lines[start].strip()) if lines else None
    title = heading["title"].strip() if heading else ""
    body = "\n".join(lines[start + 1 :] if heading else lines)
    body_html = sanitize_html(body_to_html(body.strip("\n")))
    paragraphs = [plain_text(part) for part in _HTML_BLOCK_END.split(body_html)]
    if not title:
        first = next((p for p in paragraphs if p and not is_caption(p)), "")
        title = headline_from_sentence(first) if first else ""
    piece = TextPiece(
        title=title or UNTITLED,
        title_inferred=heading is None,
        body_html=body_html,
        summary=summary_from_html(body_html, skip=is_caption),
        text="\n".join(p for p in paragraphs if p),
        line=start + 1,
    )
    dated = date_of_lone_piece(piece, rel_path=rel_path, mtime=mtime, timezone=timezone)
    article = build_article(piece, dated, rel_path=rel_path, weekdays=weekday_hints(piece))
    fix = "start the file with front matter (`---`, `title:`, `date:`, `---`)"
    note = inferred_note(piece, dated, rel_path, fix=fix)
    return [article], [note] if note else []


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    return parse_markdown_seed(seed.text, rel_path=rel_path, timezone=timezone, mtime=mtime)


FORMAT = SeedFormat("Markdown", lambda seed: is_markdown(seed.text), _read)
