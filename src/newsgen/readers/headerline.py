"""Read header-line seeds: a first line `date YYYY-MM-DD Title`, then a plain-text body."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.readers.plaintext import (
    DatedBy,
    build_article,
    date_of_lone_piece,
    inferred_note,
    read_piece,
    weekday_hints,
)
from newsgen.text import dates

HEADER = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})\b[ \t]*(?P<title>.*?)\s*$")


def header_line_index(lines: list[str]) -> int | None:
    """Return the index of the header line when the first non-blank line is one."""
    for index, line in enumerate(lines):
        if line.strip():
            return index if HEADER.match(line) else None
    return None


def parse_headerline_seed(
    text: str, *, rel_path: str, timezone: ZoneInfo, mtime: datetime
) -> tuple[list[Article], list[Diagnostic]]:
    """Read one header-line seed into one article."""
    lines = text.split("\n")
    index = header_line_index(lines)
    assert index is not None, "parse_headerline_seed needs a header line"  # the caller checked
    header = HEADER.match(lines[index])
    assert header is not None
    line = index + 1
    diagnostics: list[Diagnostic] = []
    piece = read_piece(lines[index + 1 :], line + 1, title=header["title"])
    if piece is None:
        message = "the article has a header line but no text; write the body under it"
        return [], [Diagnostic(rel_path, line, "error", message)]
    piece = replace(piece, line=line)  # the article starts at its header line
    stated = _stated_date(header["date"])
    if stated is None:
        message = (
            f"`{header['date']}` is not a real date; write the header as `date YYYY-MM-DD Title`"
        )
        diagnostics.append(Diagnostic(rel_path, line, "warning", message))
        dated = date_of_lone_piece(piece, rel_path=rel_path, mtime=mtime, timezone=timezone)
    else:
        dated = DatedBy(dates.at_midnight(stated, timezone), True, "the header line", False)
    note = inferred_note(piece, dated, rel_path)
    if note:
        diagnostics.append(note)
    article = build_article(piece, dated, rel_path=rel_path, weekdays=weekday_hints(piece))
    return [article], diagnostics


def _stated_date(text: str) -> date | None:
    year, month, day = (int(part) for part in text.split("-"))
    try:
        stated = date(year, month, day)
    except ValueError:
        return None
    return stated if dates.is_plausible_year(year) else None


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    return parse_headerline_seed(seed.text, rel_path=rel_path, timezone=timezone, mtime=mtime)


FORMAT = SeedFormat("header line", lambda seed: header_line_index(seed.lines) is not None, _read)
