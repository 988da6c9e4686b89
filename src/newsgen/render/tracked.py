"""Notice whether a page reads all of a list, so a page that does not is not redone for it.

Every page of a topic or a day shows the topic (its name, counts and chart) and one slice of
its stories. Which other stories are on the topic's other pages makes no difference to it,
unless its template reads `group.entries` itself (a site's own template may). A page's
signature therefore leaves the other stories out, and the page is given the group wrapped in
`Tracked`, which notes a read of `entries`; a page that read them is recorded under a signature
that covers them all (see `render.PageJob.recorded_signature`). What a template does depends
only on what it is given, so a page whose template did not read them last time, and whose own
inputs are the same, would not read them now either.
"""

from __future__ import annotations

from typing import Any


class Tracked:
    """A read-only view of a group or archive that notes whether `entries` was read."""

    __slots__ = ("read_entries", "target")

    def __init__(self, target: Any) -> None:
        self.target = target
        self.read_entries = False

    def __getattr__(self, name: str) -> Any:
        if name == "entries":
            self.read_entries = True
        return getattr(self.target, name)


def untracked(value: Any) -> Any:
    """The object behind a `Tracked` view, for newsgen's own helpers (their reads are covered)."""
    return value.target if isinstance(value, Tracked) else value
