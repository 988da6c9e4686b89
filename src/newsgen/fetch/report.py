"""What a fetch run did, feed by feed, and the exit code it means."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from newsgen.errors import FetchError

if TYPE_CHECKING:
    from newsgen.fetch.alerts import Alert
    from newsgen.fetch.retention import Retired


class Status(Enum):
    UPDATED = "updated"  # new items written
    UNCHANGED = "unchanged"  # downloaded, nothing new in it
    NOT_MODIFIED = "not modified"  # the server answered 304
    DEFERRED = "deferred"  # the server asked (Retry-After) not to be asked before a later time
    NOT_DUE = "not due"  # asked less than its `interval`, `<ttl>` or max-age ago
    GONE = "gone"  # answered 410 Gone once: not asked any more
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    url: str
    status: Status
    new_items: int = 0
    items: int = 0  # items the document holds (empty entries left out)
    empty_items: int = 0  # entries with no title, link or text, which were skipped
    seeds: tuple[str, ...] = ()  # seed files written, relative to seeds/
    error: FetchError | None = None
    note: str = ""  # e.g. when a deferred feed may be asked again
    moved_to: str = ""  # where the feed answered from after a permanent redirect

    def describe(self) -> str:
        """Say in a few words what happened to this feed."""
        if self.error is not None:
            return f"failed: {self.error.reason}"
        if self.status is Status.UPDATED:
            return f"{self.new_items} new of {self.items}"
        if self.status in (Status.DEFERRED, Status.NOT_DUE):
            return f"{self.status.value}: {self.note}"
        if self.status is Status.NOT_MODIFIED:
            return "not modified"
        return f"nothing new in {self.items}"


@dataclass(frozen=True, slots=True)
class FetchReport:
    outcomes: tuple[FeedOutcome, ...]
    elapsed: float = 0.0
    alerts: tuple[Alert, ...] = ()  # feeds that need a person: failing, silent, gone, moved
    retired: Retired | None = None  # seeds moved to archive/ by retention in this run

    @property
    def feeds_total(self) -> int:
        return len(self.outcomes)

    @property
    def new_items(self) -> int:
        return sum(outcome.new_items for outcome in self.outcomes)

    @property
    def unchanged_feeds(self) -> int:
        quiet = (Status.UNCHANGED, Status.NOT_MODIFIED)
        return sum(outcome.status in quiet for outcome in self.outcomes)

    @property
    def not_modified_feeds(self) -> int:
        return sum(outcome.status is Status.NOT_MODIFIED for outcome in self.outcomes)

    @property
    def deferred_feeds(self) -> int:
        return sum(outcome.status is Status.DEFERRED for outcome in self.outcomes)

    @property
    def failures(self) -> tuple[FetchError, ...]:
        return tuple(o.error for o in self.outcomes if o.error is not None)

    @property
    def not_due_feeds(self) -> int:
        return sum(outcome.status is Status.NOT_DUE for outcome in self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 when anything could be fetched (or there was nothing to ask), 1 when all failed."""
        return self.exit_code_for(strict=False)

    def exit_code_for(self, *, strict: bool) -> int:
        """1 when every feed asked failed; with `strict`, when any feed failed (or is gone)."""
        if strict:
            return 1 if self.failures else 0
        asked = [o for o in self.outcomes if o.status is not Status.NOT_DUE]
        return 1 if asked and len(self.failures) == len(asked) else 0

    def summary(self) -> str:
        """One line for the end of a run."""
        if not self.outcomes:
            return "fetch: no feeds to fetch (list some under feeds: in newsgen.yaml or use --feed)"
        parts = [
            f"{self.new_items} new item{'s' if self.new_items != 1 else ''} "
            f"from {self.feeds_total} feed{'s' if self.feeds_total != 1 else ''}",
            f"{self.unchanged_feeds} unchanged ({self.not_modified_feeds} not modified)",
            f"{len(self.failures)} failed",
        ]
        if self.deferred_feeds:
            parts.append(f"{self.deferred_feeds} deferred by the server")
        if self.not_due_feeds:
            parts.append(f"{self.not_due_feeds} not due yet")
        if self.retired is not None and self.retired.files:
            count = len(self.retired.files)
            parts.append(f"{count} old seed{'s' if count != 1 else ''} archived")
        return f"fetch: {', '.join(parts)} in {self.elapsed:.1f} s"
