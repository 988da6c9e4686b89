"""Read plain-text articles: no metadata, so the title, dateline and date are worked out.

The same reader serves a whole plain-text file, the body of a header-line file and each article
of a multi-article dump; only the way the date is decided differs (see `seed_dump`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.text import dates
from newsgen.text.clean import strip_boilerplate
from newsgen.text.sanitize import sanitize_html
from newsgen.text.slugs import make_slug
from newsgen.text.sources import display_source
from newsgen.text.summary import summary_from_html
from newsgen.text.titles import (
    headline_from_sentence,
    is_headline,
    is_subheading,
    strip_section_suffix,
)
from newsgen.text.to_html import is_caption, text_to_html

# "MOSCOW", "KYIV", "NEW YORK": a place name on its own line under the headline.
_DATELINE = re.compile(r"^[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}$")
# "NewsFeed", "Russia": a site's section label, one or two words without punctuation.
_LABEL = re.compile(r"^[A-Za-z][A-Za-z&-]*(?: [A-Za-z][A-Za-z&-]*)?$")
_SINGLE_LABEL = re.compile(r"^[A-Za-z]{2,20}$")
UNTITLED = "Untitled"  # when not even a word can be made into a title
_DATE_LINES = 6  # a dateline ("Here is where things stand on ...") sits near the top


@dataclass(frozen=True, slots=True)
class TextPiece:
    """One plain-text article, read and cleaned, before its date is decided."""

    title: str
    title_inferred: bool
    body_html: str
    summary: str
    text: str  # the cleaned body text, where evidence of the date is looked for
    line: int  # 1-based line of the file where the article starts


@dataclass(frozen=True, slots=True)
class DatedBy:
    """A decided date and how it was found, for `Article.inferred` and the info message."""

    value: datetime
    explicit: bool
    how: str
    inferred: bool = True


def read_piece(
    lines: list[str], first_line: int, *, title: str = "", labels: bool = False
) -> TextPiece | None:
    """Read one article from its lines; `first_line` is the file line of `lines[0]`.

    Returns None when nothing but boilerplate is left. With `title` (a header line gave it) the
    text is all body. With `labels` (articles pasted from a site, as in a dump) a lone section
    label above or under the headline is dropped.
    """
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None
    lines = strip_boilerplate(lines[start:])
    if not lines:
        return None
    line = first_line + start
    title_inferred = False
    if not title:
        lines = _drop_leading_label(lines) if labels else lines
        if is_headline(lines[0]):
            title = strip_section_suffix(lines[0].strip())
            lines = _drop_trailing_label(lines[1:]) if labels else lines[1:]
        else:
            title = headline_from_sentence(lines[0]) or UNTITLED
            title_inferred = True
    dateline, lines = _split_dateline(lines)
    body = "\n".join(lines)
    body_html = sanitize_html(text_to_html(body, dateline=dateline))
    return TextPiece(
        title=title,
        title_inferred=title_inferred,
        body_html=body_html,
        summary=summary_from_html(body_html, skip=is_caption),
        text=body,
        line=line,
    )


def _nonblank(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip()]


def _drop_leading_label(lines: list[str]) -> list[str]:
    """Drop a section label ("Russia") standing alone above the real headline."""
    filled = _nonblank(lines)
    if len(filled) < 3:
        return lines
    label, headline = lines[filled[0]].strip(), lines[filled[1]].strip()
    if _LABEL.match(label) and is_headline(headline) and len(headline.split()) > 2:
        return lines[filled[1] :]
    return lines


def _drop_trailing_label(lines: list[str]) -> list[str]:
    """Drop a one-word section label ("NewsFeed") right under the headline.

    An upper-case word is a dateline and a word followed by a list or heading is a sub-heading,
    so both stay.
    """
    filled = _nonblank(lines)
    if len(filled) < 2:
        return lines
    word, following = lines[filled[0]].strip(), lines[filled[1]].strip()
    if (
        _SINGLE_LABEL.match(word)
        and not word.isupper()
        and not is_subheading(following)
        and not following.lstrip().startswith(("•", "-", "*", "–"))
    ):
        return lines[filled[1] :]
    return lines


def _split_dateline(lines: list[str]) -> tuple[str, list[str]]:
    """Take a place-name dateline ("MOSCOW") off the top of the body."""
    filled = _nonblank(lines)
    if len(filled) >= 2:
        first = lines[filled[0]].strip()
        if _DATELINE.match(first) and len(first) <= 30:
            return first, lines[filled[0] + 1 :]
    return "", lines


def date_of_lone_piece(
    piece: TextPiece, *, rel_path: str, mtime: datetime, timezone: ZoneInfo
) -> DatedBy:
    """Decide the date of a plain-text file's only article, from the strongest evidence."""
    reference = mtime.astimezone(timezone).date()
    name = rel_path.rsplit("/", 1)[-1]
    found = dates.date_from_filename(name)
    if found:
        return DatedBy(dates.at_midnight(found, timezone), True, "the file name")
    found = dates.dateline_date(piece.text.split("\n")[:_DATE_LINES], reference)
    if found:
        return DatedBy(dates.at_midnight(found, timezone), True, "the dateline")
    written = dates.full_dates(piece.text)
    if written:
        past = [value for value in written if value <= reference]
        found = max(past) if past else min(written)
        return DatedBy(dates.at_midnight(found, timezone), True, "the latest date in the text")
    weekdays = dates.weekday_mentions(piece.text)
    if weekdays:
        found = max(dates.latest_weekday(day, reference) for day in weekdays)
        name = dates.WEEKDAYS[weekdays[0]].title()
        how = f'the weekday "{name}" in the text and the date the file was first seen'
        return DatedBy(dates.at_midnight(found, timezone), False, how)
    return DatedBy(mtime.astimezone(timezone), False, "the date the file was first seen")


def build_article(
    piece: TextPiece,
    dated: DatedBy,
    *,
    rel_path: str,
    weekdays: tuple[int, ...] = (),
    author: str = "",
) -> Article:
    """Make the frozen article from a read piece and its decided date."""
    inferred = (("title",) if piece.title_inferred else ()) + (("date",) if dated.inferred else ())
    return Article(
        title=piece.title,
        date=dated.value,
        slug=make_slug(piece.title, fallback_seed=f"{rel_path}:{piece.line}"),
        body_html=piece.body_html,
        summary=piece.summary,
        source=display_source("", categories=(), link="", seed_path=rel_path),
        author=author,
        seed_path=rel_path,
        seed_line=piece.line,
        inferred=inferred,
        explicit_date=dated.explicit,
        weekday_hints=weekdays,
    )


LONE_FIX = "start the file with a line `date YYYY-MM-DD Title` or with front matter"


def inferred_note(
    piece: TextPiece, dated: DatedBy, rel_path: str, *, fix: str = LONE_FIX
) -> Diagnostic | None:
    """Say which fields were guessed and how to state them, as `check` reports it."""
    said: list[str] = []
    if piece.title_inferred:
        said.append(f'title "{piece.title}" inferred from the first sentence')
    if dated.inferred:
        said.append(f"date {dated.value:%Y-%m-%d} inferred from {dated.how}")
    if not said:
        return None
    pronoun = "them" if len(said) > 1 else "it"
    return Diagnostic(rel_path, piece.line, "info", f"{'; '.join(said)}; to set {pronoun}, {fix}")


def weekday_hints(piece: TextPiece) -> tuple[int, ...]:
    """Return the weekdays the article says things happened on (Monday=0), first mention first."""
    return tuple(dates.weekday_mentions(piece.text))


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    piece = read_piece(seed.lines, 1)
    if piece is None:
        message = "the file is empty (or only boilerplate); write an article or delete the file"
        return [], [Diagnostic(rel_path, 1, "warning", message)]
    dated = date_of_lone_piece(piece, rel_path=rel_path, mtime=mtime, timezone=timezone)
    note = inferred_note(piece, dated, rel_path)
    article = build_article(piece, dated, rel_path=rel_path, weekdays=weekday_hints(piece))
    return [article], [note] if note else []


# Takes any text: the last of the formats.
FORMAT = SeedFormat("plain text", lambda seed: True, _read)
