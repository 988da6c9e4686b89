"""Multi-article dumps: one article per `Source link`, dated between their neighbours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.parse import parse_seed_text

TZ = ZoneInfo("UTC")
MTIME = datetime(2026, 6, 1, tzinfo=UTC)

DUMP = """Local

Bridge repainting finishes early | Town News

Painters finished the footbridge on Friday, a week earlier than planned.

Source link

Youth choir wins regional prize
NewsFeed

The choir won the regional prize on Thursday, ahead of eleven other choirs.

Source link

Town roundup, day 12 | Town News

Here is where things stand on Wednesday, November 5:

  • The market reopened.
  • The library extended its hours.

Source link

Museum reopens after roof repair

The museum reopened its doors with a new exhibition.

Source link
"""


def parse(
    text: str = DUMP, rel_path: str = "roundup.txt"
) -> tuple[list[Article], list[Diagnostic]]:
    return parse_seed_text(text, rel_path=rel_path, timezone=TZ, mtime=MTIME)


def test_each_article_is_split_titled_and_located() -> None:
    articles, notes = parse()
    assert [a.title for a in articles] == [
        "Bridge repainting finishes early",
        "Youth choir wins regional prize",
        "Town roundup, day 12",
        "Museum reopens after roof repair",
    ]
    assert [a.seed_line for a in articles] == [1, 9, 16, 25]
    assert articles[1].body_html.startswith("<p>The choir won")  # the label line is gone
    assert all("Source link" not in a.body_html for a in articles)
    assert [note.line for note in notes] == [1, 9, 16, 25]
    assert all(note.level == "info" for note in notes)


def test_dates_come_from_datelines_and_neighbours() -> None:
    articles, _ = parse(rel_path="2025-11-08-roundup.txt")
    assert [a.date.date() for a in articles] == [
        date(2025, 11, 7),  # "on Friday", below the file's date
        date(2025, 11, 6),  # "on Thursday", above the dateline below it
        date(2025, 11, 5),  # its own dateline: Wednesday, November 5 (2025)
        date(2025, 11, 5),  # no clue: the date of the article above it
    ]
    assert [a.explicit_date for a in articles] == [False, False, True, False]
    assert all("date" in a.inferred for a in articles)


def test_weekday_outside_the_window_is_clamped_to_it() -> None:
    text = (
        "Day one list\n\nHere is where things stand on Friday, December 26:\n\nItems.\n\n"
        "Source link\n\nSurvey results\n\nThe pollster said on Wednesday that hopes grew.\n\n"
        "Source link\n\nDay zero list\n\nHere is where things stand on Thursday, December 25:\n\n"
        "Items.\n\nSource link\n"
    )
    articles, _ = parse(text)
    assert [a.date.date() for a in articles] == [
        date(2025, 12, 26),
        date(2025, 12, 25),  # Wednesday the 24th is before the list below it
        date(2025, 12, 25),
    ]


def test_old_history_does_not_date_the_last_article() -> None:
    text = (
        "First story\n\nThe council met on Tuesday, December 23, 2025.\n\nSource link\n\n"
        "Opinion piece\n\nThe election of 28 July 2024 still matters.\n\nSource link\n"
    )
    articles, _ = parse(text)
    assert [a.date.date() for a in articles] == [date(2025, 12, 23), date(2025, 12, 23)]


def test_text_after_the_last_marker_is_an_article_too() -> None:
    articles, _ = parse("First story\n\nBody one.\n\nSource link\n\nSecond story\n\nBody two.\n")
    assert [a.title for a in articles] == ["First story", "Second story"]


def test_empty_chunks_are_skipped() -> None:
    articles, _ = parse("Source link\n\n\nSource link\nOnly story\n\nBody.\nSource link\n")
    assert [a.title for a in articles] == ["Only story"]
