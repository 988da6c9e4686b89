"""Notice whether a page reads more of a list than its signature covers, so a page that does
not is not redone when the rest of the list changes.

Every page of a topic or a day shows the topic or day and one slice of its stories; its first
page also shows a summary (counts, a chart, the days of a month). Which stories are on the
other pages, and the summary on a later page, make no difference to that page unless its
template reads them itself (a site's own template may). A page's signature therefore covers
only what newsgen's own templates show on it, and the page is given the group or archive
wrapped in `Tracked`, which notes a read of anything else; a page that read more is recorded
under a signature that covers the whole list (see `render.PageJob.recorded_signature`). What a
template does depends only on what it is given, so a page whose template did not read more last
time, and whose own inputs are the same, would not read more now either.
"""

from __future__ import annotations

from typing import Any


class Tracked:
    """A read-only view of a group or archive that notes a read of what its page is not signed
    with: any attribute outside `signed`, or `read(name)` for a newsgen helper's own reads."""

    __slots__ = ("read_unsigned", "signed", "target")

    def __init__(self, target: Any, signed: frozenset[str]) -> None:
        self.target = target
        self.signed = signed
        self.read_unsigned = False

    def __getattr__(self, name: str) -> Any:
        self.read(name)
        return getattr(self.target, name)

    def read(self, name: str) -> None:
        if name not in self.signed:
            self.read_unsigned = True


def untracked(value: Any, reading: str) -> Any:
    """The object behind a `Tracked` view, for a newsgen helper that reads `reading` of it."""
    if isinstance(value, Tracked):
        value.read(reading)
        return value.target
    return value
