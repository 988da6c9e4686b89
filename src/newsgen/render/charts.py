"""Small charts drawn at build time as inline SVG: no JavaScript, no image files, no fonts.

Each chart comes with a text equivalent (a visually hidden table) so that a screen reader hears
the numbers, not just "image". The output depends only on the input, so builds stay
byte-identical.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from babel.dates import format_skeleton
from markupsafe import Markup, escape

from newsgen.render.i18n import SiteLocale, site_locale

BAR_WIDTH = 8
BAR_GAP = 2
HEIGHT = 48  # drawing units; the SVG scales to the width of its container
ENGLISH = site_locale("en")


def _day(value: date) -> date:
    # A datetime is a date too, but comparing one with a date raises: keep only the day.
    return value.date() if isinstance(value, datetime) else value


def _short(day: date, words: SiteLocale) -> str:
    return format_skeleton("MMMd", day, locale=words.locale)


def _stories(count: int, words: SiteLocale) -> str:
    return words.translations.ngettext("%(num)d story", "%(num)d stories", count) % {"num": count}


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
    dates: Sequence[date],
    *,
    days: int = 30,
    label: str,
    end: date | None = None,
    words: SiteLocale = ENGLISH,
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
    gettext = words.translations.gettext
    summary = gettext("%(label)s: %(stories)s from %(start)s to %(end)s") % {
        "label": label,
        "stories": _stories(total, words),
        "start": words.date(window[0]),
        "end": words.date(last),
    }
    if total:
        summary += gettext(", at most %(num)d on one day") % {"num": busiest}
    return Markup(
        '<figure class="chart">'
        f"{_svg(window, per_day, busiest, summary, words)}"
        f'<figcaption aria-hidden="true">{escape(label)} · {_short(window[0], words)} – '
        f"{_short(last, words)}"
        f"</figcaption>"
        f"{_table(window, per_day, label, words)}"
        "</figure>"
    )


def _svg(
    window: list[date], per_day: list[int], busiest: int, summary: str, words: SiteLocale
) -> str:
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
                f'width="{BAR_WIDTH}" height="{height}"><title>{_short(day, words)}: '
                f"{_stories(count, words)}"
                "</title></rect>"
            )
    return (
        f'<svg role="img" viewBox="0 0 {width} {HEIGHT}" preserveAspectRatio="none" '
        f'width="{width}" height="{HEIGHT}" focusable="false">'
        f"<title>{escape(summary)}</title>{''.join(bars)}</svg>"
    )


def _table(window: list[date], per_day: list[int], label: str, words: SiteLocale) -> str:
    # Only the days with stories: thirty rows of "0" would bury the numbers that matter. The
    # wrapper hides it, as a table ignores the 1px width that hides other elements.
    rows = "".join(
        f'<tr><th scope="row"><time datetime="{day.isoformat()}">{words.date(day)}</time></th>'
        f"<td>{count}</td></tr>"
        for day, count in zip(window, per_day, strict=True)
        if count
    )
    gettext = words.translations.gettext
    caption = escape(gettext("%(label)s, by day") % {"label": label})
    day_heading, count_heading = escape(gettext("Day")), escape(gettext("Stories"))
    return (
        f'<div class="visually-hidden"><table><caption>{caption}</caption>'
        f'<tr><th scope="col">{day_heading}</th>'
        f'<th scope="col">{count_heading}</th></tr>{rows}</table></div>'
    )
