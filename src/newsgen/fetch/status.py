"""`newsgen feeds status`: each feed's health as a plain table or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from newsgen.fetch.alerts import feed_problem
from newsgen.fetch.health import FeedHealth, load_health
from newsgen.models import Config, FeedConfig
from newsgen.paths import STATE_DIR


@dataclass(frozen=True, slots=True)
class FeedStatus:
    url: str
    name: str
    configured: bool  # listed in newsgen.yaml (else only ever fetched with --feed)
    enabled: bool
    state: str  # ok, failing, silent, gone, moved, disabled, never fetched
    health: FeedHealth
    items_per_week: float
    problem: str  # what the warning says, if there is one

    def as_json(self) -> dict[str, Any]:
        health = self.health
        return {
            "url": self.url,
            "name": self.name,
            "configured": self.configured,
            "enabled": self.enabled,
            "state": self.state,
            "last_success": health.last_success or None,
            "last_failure": health.last_failure or None,
            "last_error": health.last_error or None,
            "failures": health.failures,
            "failing_since": health.failing_since or None,
            "items_per_week": self.items_per_week,
            "last_new_item": health.last_new_item or None,
            "moved_to": health.moved_to or None,
            "moved_from": health.moved_from or None,
            "gone_since": health.gone_since or None,
            "first_checked": health.first_checked or None,
            "checked": health.checked or None,
            "problem": self.problem or None,
        }


def feed_statuses(site_dir: Path, config: Config, now: datetime) -> list[FeedStatus]:
    """Every configured feed, then any other feed fetched before, with its health."""
    health = load_health(site_dir, site_dir / STATE_DIR)
    feeds = list(config.feeds)
    listed = {feed.url for feed in feeds}
    feeds += [FeedConfig(url=url) for url in sorted(health) if url not in listed]
    return [_status(feed, health.get(feed.url), feed.url in listed, now) for feed in feeds]


def _status(
    feed: FeedConfig, record: FeedHealth | None, configured: bool, now: datetime
) -> FeedStatus:
    health = record or FeedHealth()
    alert = feed_problem(feed.url, health, now) if record is not None else None
    if not feed.enabled:
        state = "disabled"
    elif health.gone_since:
        state = "gone"
    elif health.moved_to:
        state = "moved"
    elif health.failures:
        state = "failing"
    elif not health.last_success:
        state = "never fetched"
    elif alert is not None:
        state = "silent"
    else:
        state = "ok"
    problem = alert.message if alert is not None else ""
    if state == "moved":
        problem = f"moved permanently to {health.moved_to}; update its url in newsgen.yaml"
    elif state == "failing" and not problem:
        problem = health.last_error
    return FeedStatus(
        url=feed.url,
        name=feed.name,
        configured=configured,
        enabled=feed.enabled,
        state=state,
        health=health,
        items_per_week=health.items_per_week(now),
        problem=problem,
    )


COLUMNS = ("FEED", "STATE", "LAST OK", "LAST FAILURE", "FAILS", "ITEMS/WEEK", "LAST NEW", "NOTE")


def status_table(statuses: list[FeedStatus]) -> str:
    """Render the statuses as aligned plain-text columns, one feed a line."""
    rows = [COLUMNS] + [
        (
            status.name or status.url,
            status.state,
            _when(status.health.last_success),
            _when(status.health.last_failure),
            str(status.health.failures),
            f"{status.items_per_week:g}",
            _when(status.health.last_new_item),
            status.problem,
        )
        for status in statuses
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _when(iso: str) -> str:
    """Show an ISO time as `YYYY-MM-DD HH:MM` (it is UTC), or `-` when it never happened."""
    return iso[:16].replace("T", " ") if iso else "-"
