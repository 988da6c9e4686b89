"""Plain-text seeds: the title, dateline and date are inferred, and `check` is told so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.parse import parse_seed_text

TZ = ZoneInfo("UTC")
MTIME = datetime(2026, 1, 10, 15, 30, tzinfo=UTC)  # a Saturday

LEDE = "The harbour authority said on Wednesday that the old pier will close for repairs."


def parse(text: str, rel_path: str = "pier.txt") -> tuple[list[Article], list[Diagnostic]]:
    return parse_seed_text(text, rel_path=rel_path, timezone=TZ, mtime=MTIME)


def test_headline_first_line_is_the_title() -> None:
    [article], notes = parse(f"Old pier to close for repairs\n\n{LEDE}\n")
    assert article.title == "Old pier to close for repairs"
    assert article.body_html == f"<p>{LEDE}</p>"
    assert "title" not in article.inferred
    assert notes[0].level == "info" and "date" in notes[0].message


def test_lede_first_line_gives_a_short_title_and_stays_in_the_body() -> None:
    [article], notes = parse(f"{LEDE}\nThe work takes six weeks.")
    assert article.title == "The harbour authority says the old pier will close for repairs"
    assert article.body_html.startswith(f"<p>{LEDE}</p>")
    assert article.inferred == ("title", "date")
    assert "inferred from the first sentence" in notes[0].message


@pytest.mark.parametrize(
    ("rel_path", "body", "expected", "explicit", "how"),
    [
        ("2025-12-17-pier.txt", LEDE, date(2025, 12, 17), True, "file name"),
        ("pier.txt", f"{LEDE} The pier opened on 4 May 1998 and closed on Dec. 3, 2025.",
         date(2025, 12, 3), True, "latest date"),
        ("pier.txt", LEDE, date(2026, 1, 7), False, "weekday"),
        ("pier.txt", "The pier will close for repairs soon.", date(2026, 1, 10), False,
         "first seen"),
    ],
)  # fmt: skip
def test_date_inference_hierarchy(
    rel_path: str, body: str, expected: date, explicit: bool, how: str
) -> None:
    [article], notes = parse(f"Pier closes\n\n{body}", rel_path)
    assert article.date.date() == expected
    assert article.date.tzinfo is not None
    assert article.explicit_date is explicit
    assert "date" in article.inferred
    assert how in notes[0].message


def test_weekday_hints_are_exposed() -> None:
    [article], _ = parse(f"{LEDE} Talks on Monday failed. They will meet on Friday.")
    assert article.weekday_hints == (2, 0)


def test_boilerplate_trailers_are_removed() -> None:
    text = (
        f"Pier closes\n{LEDE}\n___\nFollow AP’s coverage of the harbour at https://example.org/hub\n"
        "This article was rewritten by Example.com based on verified reporting.\n"
        "All opinions, quotes, or statements do not necessarily reflect the views of Example.\n"
        "Stay informed with Example.com. Follow us on Google News for updates.\n\n\n\n"
    )
    [article], _ = parse(text)
    assert article.body_html == f"<p>{LEDE}</p>"


def test_empty_file_is_a_warning() -> None:
    articles, notes = parse("\n \n\u00a0\n")
    assert articles == [] and notes[0].level == "warning"


def test_mojibake_is_repaired() -> None:
    [article], _ = parse(
        "Kyivâ€™s new bridge opens\n\nThe unitâs crews â€” all of them â€” cheered."
    )
    assert article.title == "Kyiv’s new bridge opens"
    assert article.body_html == "<p>The unit’s crews — all of them — cheered.</p>"


def test_a_short_title_over_a_standfirst_is_kept_in_a_lone_file() -> None:
    [article], _ = parse(f"Storm warning\nHeavy winds are expected along the coast tonight\n{LEDE}")
    assert article.title == "Storm warning"
    assert article.body_html.startswith("<h2>Heavy winds are expected along the coast tonight</h2>")
