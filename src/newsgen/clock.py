"""The time newsgen takes as "now": the system clock, or `NEWSGEN_NOW` for tests and replays.

Builds decide with it which future-dated articles wait, and when an undated seed was first seen;
fetch dates what it fetches by it. Setting `NEWSGEN_NOW` to an ISO 8601 time with a UTC offset
(`2026-05-01T06:17:00+00:00`) replays a scheduled job at that time: the test that replays months
of scheduled runs uses it. It is a testing hook, not a way to publish "as of" another day.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from newsgen.errors import UsageError

NOW_VARIABLE = "NEWSGEN_NOW"


def now() -> datetime:
    """The current time, timezone-aware: `NEWSGEN_NOW` when set, else the system clock."""
    stated = os.environ.get(NOW_VARIABLE, "").strip()
    if not stated:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(stated)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise UsageError(
            f"{NOW_VARIABLE}={stated!r} is not an ISO 8601 time with a UTC offset, such as "
            "2026-05-01T06:17:00+00:00; unset it to use the system clock"
        )
    return value
