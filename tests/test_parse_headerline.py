"""Header-line seeds: `date YYYY-MM-DD Title`, an optional dateline, then plain text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.parse import parse_seed_text

TZ = ZoneInfo("America/New_York")
MTIME = datetime(2026, 3, 1, tzinfo=UTC)


def parse(text: str) -> tuple[list[Article], list[Diagnostic]]:
    return parse_seed_text(text, rel_path="desk/vote.txt", timezone=TZ, mtime=MTIME)


@pytest.mark.parametrize(
    "first",
    [
        "date 2025-11-03 Council approves tram line",
        " date 2025-11-03  Council approves tram line  ",
    ],
)
def test_header_gives_title_and_date(first: str) -> None:
    [article], notes = parse(f"{first}\n\nThe council approved the tram line on Monday night.\n")
    assert notes == []
    assert article.title == "Council approves tram line"
    assert article.date == datetime(2025, 11, 3, tzinfo=TZ)
    assert article.explicit_date and article.inferred == ()
    assert article.slug == "council-approves-tram-line"
    assert article.source == "desk"
    assert article.body_html == "<p>The council approved the tram line on Monday night.</p>"


def test_upper_case_line_is_a_dateline_not_body() -> None:
    text = (
        "date 2025-11-03 Council approves tram line\n\nBOSTON\n\n"
        "The council approved the tram line on Monday night after a long debate.\n\n"
        "Work starts in spring."
    )
    [article], _ = parse(text)
    assert article.body_html == (
        "<p>BOSTON — The council approved the tram line on Monday night after a long debate.</p>\n"
        "<p>Work starts in spring.</p>"
    )
    assert article.summary.startswith("BOSTON — The council approved")


def test_impossible_date_warns_and_infers() -> None:
    [article], notes = parse("date 2025-02-30 Title here\n\nText written on 12 January 2026.")
    assert [note.level for note in notes] == ["warning", "info"]
    assert notes[0].line == 1 and "date YYYY-MM-DD Title" in notes[0].message
    assert article.date == datetime(2026, 1, 12, tzinfo=TZ)
    assert article.inferred == ("date",)


def test_header_without_title_infers_it() -> None:
    [article], notes = parse("date 2025-11-03\nSnow closes the mountain pass\n\nThe pass closed.")
    assert article.title == "Snow closes the mountain pass"
    assert article.date == datetime(2025, 11, 3, tzinfo=TZ)
    assert notes == []


def test_header_with_no_body_is_an_error() -> None:
    articles, notes = parse("date 2025-11-03 Only a title\n\n")
    assert articles == []
    assert notes[0].level == "error" and notes[0].line == 1
