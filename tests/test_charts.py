"""The stories-per-day chart: right bars, a text equivalent, the same bytes every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone

from newsgen.render.charts import HEIGHT, stories_per_day_svg

DAYS = [date(2025, 12, 1), date(2025, 12, 1), date(2025, 12, 1), date(2025, 12, 3)]


def parse(markup: str) -> ET.Element:
    # The chart must be well-formed XML as well as HTML: inline SVG is parsed strictly by some
    # readers (feed readers, XHTML tools), and it lets the test walk the tree.
    return ET.fromstring(markup)


def bars(figure: ET.Element) -> list[ET.Element]:
    svg = figure.find("svg")
    assert svg is not None
    return [rect for rect in svg if rect.tag.endswith("rect")]


def test_a_bar_for_each_day_with_stories_scaled_to_the_busiest() -> None:
    figure = parse(stories_per_day_svg(DAYS, days=5, label="Stories per day"))
    rects = bars(figure)  # 29 Nov .. 3 Dec: bars on 1 and 3 Dec only
    assert [int(rect.get("x", "-1")) for rect in rects] == [2 * 10, 4 * 10]
    heights = [int(rect.get("height", "0")) for rect in rects]
    assert heights == [HEIGHT - 2, round((HEIGHT - 2) / 3)]  # the busiest day fills the height
    assert all(int(r.get("y", "0")) + int(r.get("height", "0")) == HEIGHT for r in rects)
    baseline = figure[0].find("line")
    assert baseline is not None and baseline.get("x2") == "48"  # every day, empty or not


def test_the_svg_is_an_image_with_a_summary_for_screen_readers() -> None:
    figure = parse(stories_per_day_svg(DAYS, days=5, label="Stories about Ukraine"))
    svg = figure[0]
    assert svg.get("role") == "img"
    title = svg[0]
    assert title.tag == "title"
    assert title.text == (
        "Stories about Ukraine: 4 stories from 29 November 2025 to 3 December 2025, "
        "at most 3 on one day"
    )


def test_a_hidden_table_lists_the_days_with_stories() -> None:
    figure = parse(stories_per_day_svg(DAYS, days=5, label="Stories about Ukraine"))
    hidden = figure.find("div")
    assert hidden is not None
    assert hidden.get("class") == "visually-hidden"
    table = hidden.find("table")
    assert table is not None
    rows = [
        ("".join(row[0].itertext()), "".join(row[1].itertext())) for row in table.findall("tr")[1:]
    ]
    assert rows == [("1 December 2025", "3"), ("3 December 2025", "1")]


def test_window_ends_at_the_newest_date_or_the_given_end() -> None:
    newest = parse(stories_per_day_svg(DAYS, days=3, label="x"))
    assert "".join(newest.find("figcaption").itertext()).endswith("1 Dec – 3 Dec")  # type: ignore[union-attr]
    later = parse(stories_per_day_svg(DAYS, days=3, label="x", end=date(2025, 12, 10)))
    assert bars(later) == []
    assert "0 stories" in later[0][0].text  # type: ignore[operator]


def test_datetimes_count_on_their_own_day_whatever_the_time() -> None:
    plus_two = timezone(timedelta(hours=2))
    moments = [datetime(2025, 1, 2, 0, 30, tzinfo=plus_two), datetime(2025, 1, 2, 23, tzinfo=UTC)]
    figure = parse(stories_per_day_svg(moments, days=2, label="x"))
    assert [r.get("x") for r in bars(figure)] == ["10"]  # both on 2 January, the second day
    assert "2 stories" in figure[0][0].text  # type: ignore[operator]


def test_labels_are_escaped() -> None:
    markup = stories_per_day_svg([date(2025, 1, 1)], days=1, label='<b>"Q&A"</b>')
    assert "<b>" not in markup
    assert "&lt;b&gt;" in markup


def test_same_input_same_bytes_and_in_any_order() -> None:
    first = stories_per_day_svg(DAYS, label="x")
    assert first == stories_per_day_svg(list(reversed(DAYS)), label="x")
    assert len(first) < 2000  # inline on every page of a topic: it has to stay small


def test_nothing_to_draw_gives_nothing() -> None:
    assert stories_per_day_svg([], label="x") == ""
    assert not re.search(r"\S", stories_per_day_svg([date(2025, 1, 1)], days=0, label="x"))
