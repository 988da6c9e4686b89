"""Undated articles take the date of their story's dated report, when their guess contradicts it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsgen.models import Article, Story
from newsgen.stories.dates import date_from_stories

REPORT_DAY = datetime(2025, 12, 17, 12, tzinfo=UTC)


def article(name: str, when: datetime, *, explicit: bool) -> Article:
    return Article(
        title=name, date=when, slug=name, body_html="", summary="", source="x",
        seed_path=f"{name}.txt", explicit_date=explicit,
    )  # fmt: skip


def test_a_paste_date_far_from_the_story_is_replaced() -> None:
    report = article("report", REPORT_DAY, explicit=True)
    rewrite = article("rewrite", datetime(2026, 11, 18, tzinfo=UTC), explicit=False)
    stories, notes = date_from_stories([Story((rewrite, report))])
    dates = {a.title: a.date for a in stories[0].articles}
    assert dates["rewrite"] == REPORT_DAY
    assert len(notes) == 1 and notes[0].path == "rewrite.txt" and "report.txt" in notes[0].message


def test_a_guess_close_to_the_story_stands() -> None:
    report = article("report", REPORT_DAY, explicit=True)
    near = article("near", REPORT_DAY + timedelta(days=1), explicit=False)
    stories, notes = date_from_stories([Story((near, report))])
    assert {a.title: a.date for a in stories[0].articles}["near"] == REPORT_DAY + timedelta(days=1)
    assert notes == ()


def test_a_story_without_a_dated_report_is_left_alone() -> None:
    a = article("a", REPORT_DAY, explicit=False)
    b = article("b", datetime(2026, 1, 1, tzinfo=UTC), explicit=False)
    stories, notes = date_from_stories([Story((b, a))])
    assert stories[0].articles == (b, a) and notes == ()
