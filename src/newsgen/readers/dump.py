"""Read multi-article dumps: articles pasted one after another, each ended by `Source link`.

Dates: a dump lists articles newest first, so each article's date lies between the dates of its
neighbours. An article whose dateline states its day ("Here is where things stand on Wednesday,
December 31:") is an anchor. Any other article takes the latest event its text mentions (a
weekday, a full date) not after the article above it, kept within the window down to the next
anchor below: an article is published on or after the latest event it describes. Without such
evidence it shares the date of the article above it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.readers.plaintext import (
    DatedBy,
    TextPiece,
    build_article,
    inferred_note,
    read_piece,
    weekday_hints,
)
from newsgen.text import dates

SOURCE_LINK = re.compile(r"^\s*source link\s*$", re.IGNORECASE)
# Without an anchor below, older evidence than this is history the article recalls, not news.
_STALE = timedelta(days=7)
_DATE_LINES = 6
DUMP_FIX = "move the article to a file of its own that starts `date YYYY-MM-DD Title`"


def is_dump(lines: list[str]) -> bool:
    """Say whether the text holds articles ended by `Source link` lines."""
    return any(SOURCE_LINK.match(line) for line in lines)


def split_dump(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Cut the lines into articles at each `Source link`; returns (0-based start, lines)."""
    pieces: list[tuple[int, list[str]]] = []
    start = 0
    for index, line in enumerate(lines):
        if SOURCE_LINK.match(line):
            pieces.append((start, lines[start:index]))
            start = index + 1
    pieces.append((start, lines[start:]))
    return [(first, chunk) for first, chunk in pieces if any(line.strip() for line in chunk)]


def parse_dump_seed(
    text: str, *, rel_path: str, timezone: ZoneInfo, mtime: datetime
) -> tuple[list[Article], list[Diagnostic]]:
    """Read every article of a dump, dating each from its text and its neighbours."""
    lines = text.split("\n")
    pieces = [
        piece
        for first, chunk in split_dump(lines)
        if (piece := read_piece(chunk, first + 1, labels=True)) is not None
    ]
    if not pieces:
        message = "the file has `Source link` lines but no article text; write the articles"
        return [], [Diagnostic(rel_path, 1, "warning", f"{message} above them or delete the file")]
    name = rel_path.rsplit("/", 1)[-1]
    reference = dates.date_from_filename(name) or mtime.astimezone(timezone).date()
    dated = dump_dates(pieces, reference, timezone)
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    for piece, when in zip(pieces, dated, strict=True):
        articles.append(
            build_article(piece, when, rel_path=rel_path, weekdays=weekday_hints(piece))
        )
        note = inferred_note(piece, when, rel_path, fix=DUMP_FIX)
        if note:
            diagnostics.append(note)
    return articles, diagnostics


def dump_dates(pieces: list[TextPiece], reference: date, timezone: ZoneInfo) -> list[DatedBy]:
    """Date every article of a newest-first dump (see the module docstring)."""
    anchors = [
        dates.dateline_date(piece.text.split("\n")[:_DATE_LINES], reference) for piece in pieces
    ]
    result: list[DatedBy] = []
    upper = reference
    for index, piece in enumerate(pieces):
        anchor = anchors[index]
        if anchor is not None:
            day, explicit, how = anchor, True, "its dateline"
        else:
            lower = next((value for value in anchors[index + 1 :] if value is not None), None)
            day, explicit, how = _between(piece.text, lower, upper, first=index == 0)
        result.append(DatedBy(dates.at_midnight(day, timezone), explicit, how))
        upper = day
    return result


def _between(text: str, lower: date | None, upper: date, *, first: bool) -> tuple[date, bool, str]:
    """Date an article without a dateline from its text, within [lower, upper]."""
    evidence = dates.latest_evidence(text, upper)
    # Far below the article above, with no anchor under it, evidence is history the article
    # recalls. The top article has only the file's date above it, so its evidence always counts.
    recent = first or lower is not None or (evidence is not None and evidence >= upper - _STALE)
    if evidence is not None and recent:
        day = min(max(evidence, lower or evidence), upper)
        explicit = day in dates.full_dates(text)
        how = "the dates and weekdays in its text, between the articles around it"
        return day, explicit, how
    if first:
        return upper, False, "the date the file was first seen"
    return upper, False, "the article above it"


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    return parse_dump_seed(seed.text, rel_path=rel_path, timezone=timezone, mtime=mtime)


FORMAT = SeedFormat("dump", lambda seed: is_dump(seed.lines), _read)
