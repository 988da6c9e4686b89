"""When each seed file first appeared: the reference date of a seed that states no date.

A file's modification time is no such date: every checkout, and so every CI run, resets it, and
an undated seed would get a new date, and a new URL, each time. Instead:

- a file committed to git is dated by the commit that added it, found for every seed in one
  `git log` pass over the seeds folder (as Hugo's `enableGitInfo` does);
- a file outside git, or not committed yet, by the first build that saw it.

Either date is kept in `.newsgen/first-seen.json` the first time a seed is seen and never
changed after, so a restored CI cache keeps every date even in a shallow clone. A fresh clone
without that cache finds the same date again in git for every committed file; only a file that
was built before it was committed gets its commit date there instead of the earlier first build.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.errors import Diagnostic
from newsgen.paths import FIRST_SEEN as RECORD_NAME

GIT_TIMEOUT = 300  # seconds; one pass over 100,000 files takes a few


class FirstDates:
    """The first-seen date of each seed under `seeds_dir`, by its path relative to it."""

    def __init__(self, seeds_dir: Path, state_dir: Path | None, now: datetime) -> None:
        self.seeds_dir = seeds_dir
        self.state_dir = state_dir
        self.now = int(now.timestamp())
        self.seen: dict[str, int] = _load(state_dir)
        self.changed = False
        self.diagnostics: list[Diagnostic] = []

    def settle(self, rel_paths: Sequence[str]) -> None:
        """Date every path not seen before (by git where committed, else now); forget the gone."""
        missing = [path for path in rel_paths if path not in self.seen]
        if missing:
            committed = self._git_dates()
            for path in missing:
                self.seen[path] = min(committed.get(path, self.now), self.now)
            self.changed = True
        # Every listed path is in the record now: it holds more only if files went away.
        if len(self.seen) != len(rel_paths):
            present = set(rel_paths)
            self.seen = {path: when for path, when in self.seen.items() if path in present}
            self.changed = True

    def timestamp(self, rel_path: str) -> int:
        return self.seen.get(rel_path, self.now)

    def date(self, rel_path: str) -> datetime:
        return datetime.fromtimestamp(self.timestamp(rel_path), tz=UTC)

    def save(self) -> None:
        if self.changed and self.state_dir is not None:
            # JSON escapes to ASCII: a seed name may hold bytes that are not UTF-8.
            data = json.dumps(self.seen, sort_keys=True, separators=(",", ":"))
            write_atomic(self.state_dir / RECORD_NAME, data.encode("utf-8"))
            self.changed = False

    def _git_dates(self) -> dict[str, int]:
        """The time of the commit that first added each file under seeds/, in one `git log`."""
        seeds = str(self.seeds_dir)
        try:
            shallow = subprocess.run(
                ["git", "rev-parse", "--is-shallow-repository"],
                cwd=seeds, capture_output=True, text=True, timeout=GIT_TIMEOUT,
            )  # fmt: skip
            if shallow.returncode != 0:
                return {}  # not in a git work tree
            listing = subprocess.run(
                ["git", "log", "--format=%x00%ct", "--name-only", "--diff-filter=A",
                 "--no-renames", "--relative", "-z", "--", "."],
                cwd=seeds, capture_output=True, timeout=GIT_TIMEOUT,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            message = f"git could not date the seeds ({exc}); undated seeds take today's date"
            self.diagnostics.append(Diagnostic(seeds, 1, "warning", message))
            return {}
        if listing.returncode != 0:
            return {}  # a repository with no commit yet
        if shallow.stdout.strip() == "true":
            message = (
                "this git clone is shallow, so undated seeds first seen now are dated by the "
                "oldest commit it has; clone with full history (actions/checkout: fetch-depth: 0)"
            )
            self.diagnostics.append(Diagnostic(seeds, 1, "warning", message))
        return parse_git_log(listing.stdout)


def parse_git_log(output: bytes) -> dict[str, int]:
    """Read `git log --format=%x00%ct --name-only -z`: newest first, so the last date wins."""
    dates: dict[str, int] = {}
    when = 0
    expect_time = False
    for token in output.split(b"\0"):
        if not token:
            expect_time = True  # each commit starts with a NUL, so an empty token comes first
            continue
        if expect_time:
            when = int(token)
            expect_time = False
            continue
        name = token[1:] if token.startswith(b"\n") else token
        dates[name.decode("utf-8", "surrogateescape")] = when
    return dates


def _load(state_dir: Path | None) -> dict[str, int]:
    if state_dir is None:
        return {}
    try:
        data = json.loads((state_dir / RECORD_NAME).read_bytes())
    except (OSError, ValueError):
        return {}  # none yet, or damaged: git dates the committed seeds again
    if not isinstance(data, dict):
        return {}
    return {str(path): int(when) for path, when in data.items() if isinstance(when, int)}
