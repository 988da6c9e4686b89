"""Tell a person about feeds that need one: failing for days, silent for weeks, gone, moved.

Printed on stderr by every run; under GitHub Actions also as `::warning` annotations, which
show on the run's page, and as a table in the job summary ($GITHUB_STEP_SUMMARY).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from newsgen.fetch.health import FeedHealth, days_since
from newsgen.models import FeedConfig

FAILING_DAYS = 2  # a feed failing for this long is more than a passing outage
SILENT_DAYS = 14  # a feed with no new item for this long has probably stopped


@dataclass(frozen=True, slots=True)
class Move:
    """A feed that answered from a new address after a permanent redirect."""

    old: str
    new: str
    updated: bool  # newsgen.yaml now has the new URL
    how: str = ""  # when it could not be updated: what the user should change


@dataclass(frozen=True, slots=True)
class Alert:
    url: str
    title: str  # short: "Feed failing", "Feed silent", "Feed gone", "Feed moved"
    message: str
    level: str = "warning"  # or "notice", for news that needs no repair


def feed_alerts(
    feeds: Iterable[FeedConfig],
    health: Mapping[str, FeedHealth],
    moves: Sequence[Move],
    now: datetime,
) -> list[Alert]:
    """List the problems of `feeds`, in their order, by what their health record says."""
    alerts = [_move_alert(move) for move in moves]
    moved = {move.old for move in moves}
    for feed in feeds:
        record = health.get(feed.url)
        if record is None or feed.url in moved:
            continue
        alert = feed_problem(feed.url, record, now)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _move_alert(move: Move) -> Alert:
    if move.updated:
        text = f"moved permanently to {move.new}; newsgen.yaml now has the new URL"
        return Alert(move.old, "Feed moved", text, level="notice")
    return Alert(move.old, "Feed moved", f"moved permanently to {move.new}; {move.how}")


def feed_problem(url: str, record: FeedHealth, now: datetime) -> Alert | None:
    if record.gone_since:
        text = (
            f"gone (HTTP 410 Gone since {record.gone_since[:10]}); it is not asked any more. "
            f"Remove it from newsgen.yaml, or try it once more with `newsgen fetch --feed {url}`"
        )
        return Alert(url, "Feed gone", text)
    failing = days_since(record.failing_since, now)
    if record.failures and failing is not None and failing >= FAILING_DAYS:
        text = (
            f"failing for {int(failing)} days ({record.failures} fetches in a row); "
            f"last error: {record.last_error}"
        )
        return Alert(url, "Feed failing", text)
    if record.failures or not record.last_success:
        return None
    if record.last_new_item:
        silent = days_since(record.last_new_item, now)
        text = (
            f"no new item for {int(silent or 0)} days (the last came {record.last_new_item[:10]})"
        )
    else:
        silent = days_since(record.first_checked, now)
        text = f"no new item in the {int(silent or 0)} days since it was first fetched"
    if silent is not None and silent >= SILENT_DAYS:
        return Alert(url, "Feed silent", text)
    return None


def print_alerts(alerts: Iterable[Alert], stream: TextIO) -> None:
    for alert in alerts:
        print(f"fetch: {alert.level}: {alert.url}: {alert.message}", file=stream)


def report_to_github(
    alerts: Sequence[Alert], summary: str, stream: TextIO, env: Mapping[str, str] | None = None
) -> None:
    """Under GitHub Actions, annotate the run and add the problems to the job summary."""
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") != "true":
        return
    for alert in alerts:
        title = _escape_property(alert.title)
        message = _escape_data(f"{alert.url}: {alert.message}")
        print(f"::{alert.level} title={title}::{message}", file=stream, flush=True)
    summary_path = env.get("GITHUB_STEP_SUMMARY", "")
    if summary_path:
        with Path(summary_path).open("a", encoding="utf-8") as handle:
            handle.write(job_summary(alerts, summary))


def job_summary(alerts: Sequence[Alert], summary: str) -> str:
    """Markdown for the job summary: the run's line, then a table of feeds that need a look."""
    lines = ["### newsgen fetch", "", summary, ""]
    if alerts:
        lines += ["| feed | problem |", "| --- | --- |"]
        lines += [f"| {_cell(a.url)} | **{a.title}**: {_cell(a.message)} |" for a in alerts]
        lines.append("")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
