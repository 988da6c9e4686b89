"""Small charts drawn at build time as inline SVG: no JavaScript, no image files, no fonts.

Each chart comes with a text equivalent (a visually hidden table) so that a screen reader hears
the numbers, not just "image". The output depends only on the input, so builds stay
byte-identical.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape

BAR_WIDTH = 8
BAR_GAP = 2
HEIGHT = 48  # drawing units; the SVG scales to the width of its container
# Spelled out rather than strftime("%B"), which follows the process locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _day(value: date) -> date:
    # A datetime is a date too, but comparing one with a date raises: keep only the day.
    return value.date() if isinstance(value, datetime) else value


def _short(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def _long(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _stories(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"


def recent_days(dates_newest_first: Iterable[date], days: int = 30) -> tuple[date, ...]:
    """The dates a chart of `days` days draws from, of dates given newest first.

    Stops reading at the first date before the window: a topic's signature takes this in place
    of its every story, and the stories beyond the chart cost nothing to sign.
    """
    found: list[date] = []
    first = None
    for value in dates_newest_first:
        day = _day(value)
        if first is None:
            first = day
        elif (first - day).days >= days:
            break
        found.append(day)
    return tuple(found)


def stories_per_day_svg(
    dates: Sequence[date], *, days: int = 30, label: str, end: date | None = None
) -> Markup:
    """A bar chart of how many of `dates` fall on each of the `days` days up to `end`.

    `end` defaults to the newest date, so the chart shows the latest stretch of activity
    rather than a window that depends on when the site was built.
    """
    if not dates or days < 1:
        return Markup("")
    counts = Counter(_day(value) for value in dates)
    last = _day(end) if end is not None else max(counts)
    window = [last - timedelta(days=days - 1 - offset) for offset in range(days)]
    per_day = [counts.get(day, 0) for day in window]
    total = sum(per_day)
    busiest = max(per_day)
    summary = f"{label}: {_stories(total)} from {_long(window[0])} to {_long(last)}" + (
        f", at most {busiest} on one day" if total else ""
    )
    return Markup(
        '<figure class="chart">'
        f"{_svg(window, per_day, busiest, summary)}"
        f'<figcaption aria-hidden="true">{escape(label)} · {_short(window[0])} – {_short(last)}'
        f"</figcaption>"
        f"{_table(window, per_day, label)}"
        "</figure>"
    )


def _svg(window: list[date], per_day: list[int], busiest: int, summary: str) -> str:
    width = len(window) * (BAR_WIDTH + BAR_GAP) - BAR_GAP
    # A dashed baseline marks every day, so empty days read as days without stories rather than
    # as missing data, in one element instead of thirty.
    bars = [
        f'<line class="days" x1="0" y1="{HEIGHT - 0.5}" x2="{width}" y2="{HEIGHT - 0.5}" '
        f'stroke="currentColor" stroke-dasharray="{BAR_WIDTH} {BAR_GAP}"/>'
    ]
    for index, (day, count) in enumerate(zip(window, per_day, strict=True)):
        if count:
            height = max(2, round(count / busiest * (HEIGHT - 2)))
            bars.append(
                f'<rect x="{index * (BAR_WIDTH + BAR_GAP)}" y="{HEIGHT - height}" '
                f'width="{BAR_WIDTH}" height="{height}"><title>{_short(day)}: {_stories(count)}'
                "</title></rect>"
            )
    return (
        f'<svg role="img" viewBox="0 0 {width} {HEIGHT}" preserveAspectRatio="none" '
        f'width="{width}" height="{HEIGHT}" focusable="false">'
        f"<title>{escape(summary)}</title>{''.join(bars)}</svg>"
    )


def _table(window: list[date], per_day: list[int], label: str) -> str:
    # Only the days with stories: thirty rows of "0" would bury the numbers that matter. The
    # wrapper hides it, as a table ignores the 1px width that hides other elements.
    rows = "".join(
        f'<tr><th scope="row"><time datetime="{day.isoformat()}">{_long(day)}</time></th>'
        f"<td>{count}</td></tr>"
        for day, count in zip(window, per_day, strict=True)
        if count
    )
    return (
        f'<div class="visually-hidden"><table><caption>{escape(label)}, by day</caption>'
        f'<tr><th scope="col">Day</th><th scope="col">Stories</th></tr>{rows}</table></div>'
    )
