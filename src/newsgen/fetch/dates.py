"""Read the many ways feeds write dates into timezone-aware datetimes."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Month and weekday names that non-English feeds put in RFC 822 dates, which feedparser skips.
_MONTHS = {
    "jan": "Jan", "janv": "Jan", "ene": "Jan", "gen": "Jan", "jän": "Jan",
    "fev": "Feb", "fév": "Feb", "feb": "Feb", "févr": "Feb",
    "mar": "Mar", "mär": "Mar", "mars": "Mar", "março": "Mar", "marzo": "Mar",
    "abr": "Apr", "avr": "Apr", "apr": "Apr",
    "mai": "May", "may": "May", "mag": "May", "mei": "May",
    "jun": "Jun", "juin": "Jun", "giu": "Jun",
    "jul": "Jul", "juil": "Jul", "lug": "Jul",
    "ago": "Aug", "aoû": "Aug", "août": "Aug", "aug": "Aug",
    "set": "Sep", "sep": "Sep", "sept": "Sep",
    "out": "Oct", "oct": "Oct", "okt": "Oct", "ott": "Oct",
    "nov": "Nov",
    "dez": "Dec", "dic": "Dec", "déc": "Dec", "dec": "Dec",
}  # fmt: skip

_SLASHED = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_RFC822ISH = re.compile(r"^\s*(?:[^\W\d]+\.?,?\s+)?(\d{1,2})\s+([^\W\d]+)\.?\s+(\d{2,4})\s+(.*)$")


def from_struct(value: time.struct_time | None) -> datetime | None:
    """Convert feedparser's UTC struct_time to an aware datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_date(raw: str) -> datetime | None:
    """Parse ISO 8601, RFC 822 (also with foreign month names) and `YYYY/M/D h:m` dates."""
    raw = raw.strip()
    if not raw:
        return None
    for reader in (_iso, _slashed, _rfc822):
        parsed = reader(raw)
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _iso(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def _slashed(raw: str) -> datetime | None:
    match = _SLASHED.match(raw)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _rfc822(raw: str) -> datetime | None:
    match = _RFC822ISH.match(raw)
    if match:
        day, month, year, rest = match.groups()
        month = _MONTHS.get(month.lower()[:5], _MONTHS.get(month.lower()[:3], month))
        raw = f"{day} {month} {year} {rest}"
    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def item_date(raw: str, parsed: time.struct_time | None) -> datetime | None:
    """Pick an item's date: our reading of the raw text where feedparser is known to misread it."""
    if raw and _SLASHED.match(raw):
        # feedparser reads "2020/1/10 14:33:00" as 1 November 2020.
        return parse_date(raw)
    return from_struct(parsed) or (parse_date(raw) if raw else None)


def clamp_future(value: datetime | None, now: datetime) -> datetime:
    """Use `now` for a missing date or one in the future, which would pin an item to the top."""
    if value is None or value > now:
        return now
    return value
