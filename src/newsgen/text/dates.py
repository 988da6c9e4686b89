"""Read dates from metadata and infer them from file names and the words of an article.

The evidence, strongest first: a date in the metadata; a date in the file name
(`2025-12-17-...`, `20251217...`); a dateline such as "Here is where things stand on Wednesday,
December 31:" (the year is the one in which that weekday matches, nearest the reference date); the
latest full date in the text ("December 30, 2025", "30 December 2025", "Dec. 17, 2025"); a weekday
("on Wednesday"), resolved to the latest such day on or before a reference date; the file's
modification time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"

FULL_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01]))\b"
)
# "Wednesday, December 31" with no year after it: a dateline, whose year must be worked out.
WEEKDAY_DATE = re.compile(
    rf"\b(?P<wd>{_WEEKDAY}),?\s+(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?P<m2>{_MONTH}))"
    rf"(?!,?\s*{_YEAR})\b"
)
# "Thursday, November 6, 2025": the weekday only repeats the written date, so it is no extra clue.
_WEEKDAY_OF_DATE = re.compile(
    rf"\b(?P<wd>{_WEEKDAY}),?\s+(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})\b"
)
WEEKDAY_WORD = re.compile(rf"\b(?P<wd>{_WEEKDAY})(?:’s|'s)?\b")
# A sentence that looks ahead ("is scheduled to meet on Sunday") says nothing about when it was
# written, so its weekdays are not evidence.
_FUTURE = re.compile(
    r"\b(?:will|won’t|won't|shall|(?:is|are|was|were) (?:scheduled|set|due|expected|to)\b"
    r"|plans? to|planned to|prepares? to|next|upcoming|tomorrow)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# "said on Wednesday that the pier will close": when it was said and what will happen are
# separate clauses, so the future tense of one does not void the weekday of the other.
_SPEECH_SPLIT = re.compile(
    r"\b(?:that|said|says|told|added|announced|according to|warned|wrote)\b|;", re.IGNORECASE
)
# Short lines that state when the text was written: "Here is where things stand on ...:".
_DATELINE_LINE = re.compile(
    r"^(?:here is where things stand|as of|updated|published|posted|last updated)\b", re.IGNORECASE
)

# The date must start the name or follow a separator, so a hex hash never reads as one.
FILENAME_DATE = re.compile(
    r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])"
    r"(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()[:3]]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def date_from_filename(name: str) -> date | None:
    """Return the date a file name carries (`2025-12-17-title.txt`, `20251217.txt`), if any."""
    match = FILENAME_DATE.search(name)
    if not match:
        return None
    return _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))


def full_dates(text: str) -> list[date]:
    """Return every full calendar date written in the text, in order of appearance."""
    found: list[date] = []
    for match in FULL_DATE.finditer(text):
        if match["iy"]:
            value = _safe_date(int(match["iy"]), int(match["im"]), int(match["id"]))
        else:
            month = _month_number(match["m1"] or match["m2"])
            day = _day_number(match["d1"] or match["d2"])
            value = _safe_date(int(match["y1"] or match["y2"]), month, day)
        if value is not None:
            found.append(value)
    return found


def year_for_weekday(weekday: int, month: int, day: int, reference: date) -> date | None:
    """Return the date with this month and day falling on `weekday`, nearest the reference."""
    candidates = [
        value
        for year in range(reference.year - 12, reference.year + 13)
        if (value := _safe_date(year, month, day)) is not None and value.weekday() == weekday
    ]
    if not candidates:
        return None
    # Nearest wins; on a tie the past one, because text describes what has happened.
    return min(candidates, key=lambda value: (abs((value - reference).days), value > reference))


def dateline_date(lines: list[str], reference: date) -> date | None:
    """Return the date a short dateline line states, such as "... on Wednesday, December 31:"."""
    for line in lines:
        words = line.split()
        if not words or len(words) > 16:
            continue
        match = WEEKDAY_DATE.search(line)
        if match and (_DATELINE_LINE.match(line.strip()) or line.rstrip().endswith(":")):
            weekday = WEEKDAYS.index(match["wd"].lower())
            month = _month_number(match["m1"] or match["m2"])
            day = _day_number(match["d1"] or match["d2"])
            return year_for_weekday(weekday, month, day, reference)
        if _DATELINE_LINE.match(line.strip()):
            dates = full_dates(line)
            if dates:
                return dates[0]
    return None


def weekday_mentions(text: str) -> list[int]:
    """Return the weekdays (Monday=0) the text says things happened on, first mention first.

    Weekdays in a clause that looks ahead ("will meet on Sunday") and weekdays that are part of a
    written date ("Wednesday, December 31") are left out.
    """
    found: list[int] = []
    for sentence in _SENTENCE.findall(text):
        for clause in _SPEECH_SPLIT.split(sentence):
            if _FUTURE.search(clause):
                continue
            dated = [match.span("wd") for match in _WEEKDAY_OF_DATE.finditer(clause)]
            for match in WEEKDAY_WORD.finditer(clause):
                weekday = WEEKDAYS.index(match["wd"].lower())
                if match.span("wd") not in dated and weekday not in found:
                    found.append(weekday)
    return found


def latest_weekday(weekday: int, on_or_before: date) -> date:
    """Return the latest date that falls on `weekday` and is not after `on_or_before`."""
    return on_or_before - timedelta(days=(on_or_before.weekday() - weekday) % 7)


def latest_evidence(text: str, upper: date) -> date | None:
    """Return the latest date the text shows something happened on, not after `upper`.

    An article is published on or after the latest event it describes, so this is a lower bound
    for its date.
    """
    dates = [value for value in full_dates(text) if value <= upper]
    dates += [latest_weekday(weekday, upper) for weekday in weekday_mentions(text)]
    return max(dates, default=None)


def at_midnight(value: date, timezone: ZoneInfo) -> datetime:
    """Return the start of that day in the site's time zone."""
    return datetime.combine(value, time(0, 0), tzinfo=timezone)


def parse_date_value(value: object, timezone: ZoneInfo) -> datetime | None:
    """Turn a front matter date (date, datetime, ISO 8601 or RFC 2822 text) into an aware datetime.

    A value without a zone is read in the site's time zone. Returns None when it is not a date.
    """
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, date):
        parsed = at_midnight(value, timezone)
    elif isinstance(value, str) and value.strip():
        parsed = _parse_iso(value.strip()) or _parse_rfc2822(value.strip())
    else:
        return None
    if parsed is None or not is_plausible_year(parsed.year):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone)


# Outside these a year is a typo; inside them no time zone moves a date to a three-digit year
# (which `%Y` does not pad) or past 9999.
MIN_YEAR, MAX_YEAR = 1001, 8998


def is_plausible_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
