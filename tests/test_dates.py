"""Dates from metadata, file names, datelines, written dates and weekdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from newsgen.text import dates

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025-12-17-putin-speech.txt", date(2025, 12, 17)),
        ("20251217.txt", date(2025, 12, 17)),
        ("notes_2025_12_17.md", date(2025, 12, 17)),
        ("003_13cd91f9d764e08c.txt", None),
        ("a20251217b.txt", None),  # inside a hash, not a date
        ("2025-02-30-x.txt", None),
        ("report.txt", None),
    ],
)
def test_date_from_filename(name: str, expected: date | None) -> None:
    assert dates.date_from_filename(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on December 30, 2025 in Belarus", [date(2025, 12, 30)]),
        ("elected on 28 July 2024, when", [date(2024, 7, 28)]),
        ("in Moscow on Dec. 17, 2025.", [date(2025, 12, 17)]),
        ("Tuesday, Sept. 2nd, 2025 and 2024-01-05", [date(2025, 9, 2), date(2024, 1, 5)]),
        ("in November 2024 and on December 15", []),
        ("February 30, 2025", []),
    ],
)
def test_full_dates(text: str, expected: list[date]) -> None:
    assert dates.full_dates(text) == expected


@pytest.mark.parametrize(
    ("line", "reference", "expected"),
    [
        ("Here is where things stand on Wednesday, December 31:", date(2026, 11, 22),
         date(2025, 12, 31)),
        ("Here is where things stand on Thursday, December 25:", date(2025, 12, 26),
         date(2025, 12, 25)),
        ("Here is where things stand on Monday, December 29:", date(2031, 1, 1),
         date(2031, 12, 29)),
        ("Updated: 3 March 2024", date(2026, 1, 1), date(2024, 3, 3)),
        ("Putin spoke on Wednesday, December 17, at the meeting.", date(2026, 1, 1), None),
    ],
)  # fmt: skip
def test_dateline_date(line: str, reference: date, expected: date | None) -> None:
    assert dates.dateline_date([line], reference) == expected


def test_year_for_weekday_prefers_the_nearest_matching_year() -> None:
    # 31 December fell on a Wednesday in 2014, 2025 and 2031.
    assert dates.year_for_weekday(2, 12, 31, date(2025, 11, 22)) == date(2025, 12, 31)
    assert dates.year_for_weekday(2, 12, 31, date(2016, 1, 1)) == date(2014, 12, 31)
    assert dates.year_for_weekday(2, 12, 31, date(2030, 6, 1)) == date(2031, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin said on Wednesday that talks stalled.", [2]),
        ("He spoke on Monday. Talks in Berlin on Sunday ended.", [0, 6]),
        ("On Sunday, Zelenskyy is scheduled to meet Trump.", []),
        ("They will meet on Friday.", []),
        ("Reporting at Wednesday’s meeting, he said so.", [2]),
        ("The choir won on Thursday, November 6, 2025.", []),
        ("Here is where things stand on Wednesday, December 31:", []),
        ("No days here.", []),
    ],
)
def test_weekday_mentions(text: str, expected: list[int]) -> None:
    assert dates.weekday_mentions(text) == expected


def test_latest_weekday() -> None:
    wednesday = date(2025, 12, 17)
    assert dates.latest_weekday(2, wednesday) == wednesday
    assert dates.latest_weekday(4, wednesday) == date(2025, 12, 12)


def test_latest_evidence_ignores_dates_after_the_bound() -> None:
    text = "On Tuesday the court met. It meets again on January 9, 2026. In 2024-05-01 too."
    assert dates.latest_evidence(text, date(2025, 12, 31)) == date(2025, 12, 30)
    assert dates.latest_evidence("Nothing dated.", date(2025, 12, 31)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 12, 31), datetime(2025, 12, 31, tzinfo=BERLIN)),
        (datetime(2025, 12, 31, 18, 30), datetime(2025, 12, 31, 18, 30, tzinfo=BERLIN)),
        ("2025-12-31T18:30:00Z", datetime(2025, 12, 31, 18, 30, tzinfo=UTC)),
        ("2025-12-31 18:30", datetime(2025, 12, 31, 18, 30, tzinfo=BERLIN)),
        ("Wed, 31 Dec 2025 18:30:00 +0100",
         datetime(2025, 12, 31, 18, 30, tzinfo=timezone(timedelta(hours=1)))),
        ("someday", None),
        (5, None),
        ("", None),
    ],
)  # fmt: skip
def test_parse_date_value(value: object, expected: datetime | None) -> None:
    parsed = dates.parse_date_value(value, BERLIN)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None
