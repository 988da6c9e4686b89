"""List the seeds folder: every file a build reads, with its size and time, and what it skips.

Apart from the parse stage, and light: a build whose inputs have not changed lists the seeds,
finds nothing new and stops, and must not pay for loading the readers first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

_BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".rej")


Refusal = tuple[str, str]  # (level, message) for a path that is not read


class ListedSeed(NamedTuple):  # a tuple: made for every seed of every build, at C speed
    """A path under seeds/ with its size and time, or the reason it is not read."""

    location: str  # a string, not a Path: a build lists every seed, and Paths cost seconds
    rel_path: str
    refusal: Refusal | None
    size: int = -1  # -1: could not be asked; read_seed_file reports why
    mtime_ns: int = -1

    @property
    def path(self) -> Path:
        return Path(self.location)


def list_seeds(seeds_dir: Path) -> list[ListedSeed]:
    """Walk seeds/ once, with sizes and times: both the build fingerprint and the cache use it."""
    if not seeds_dir.is_dir():
        return []
    listed = []
    prefix = os.path.join(str(seeds_dir), "")
    stat_of = os.stat
    for location, refusal in seed_locations(seeds_dir):
        rel_path = (
            location[len(prefix) :]
            if location.startswith(prefix)
            else Path(location).relative_to(seeds_dir).as_posix()
        )
        if refusal:
            listed.append(ListedSeed(location, rel_path, refusal))
            continue
        try:
            stat = stat_of(location)
        except OSError:
            listed.append(ListedSeed(location, rel_path, None))
            continue
        listed.append(ListedSeed(location, rel_path, None, stat.st_size, stat.st_mtime_ns))
    return listed


def seed_files(seeds_dir: Path) -> list[tuple[Path, Refusal | None]]:
    """List seed files at any depth in sorted order, with a refusal for paths not to be read.

    Hidden files and folders and editor backups are skipped silently. A link is followed only
    inside `seeds_dir` and only to something not read already, so a link loop ends at once.
    """
    return [(Path(location), refusal) for location, refusal in seed_locations(seeds_dir)]


def seed_locations(seeds_dir: Path) -> list[tuple[str, Refusal | None]]:
    """`seed_files` as plain strings: what a build lists every time, for every seed."""
    root = str(seeds_dir.resolve())
    found: list[tuple[str, Refusal | None]] = []
    _walk(str(seeds_dir), root, root, {root}, found)
    return found


def _walk(
    folder: str,
    real_folder: str,
    root: str,
    seen: set[str],
    found: list[tuple[str, Refusal | None]],
) -> None:
    # Plain strings, not Paths: this runs for every seed of every build (10,000 and more), and
    # pathlib's joins and comparisons cost several times the system calls they wrap.
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        found.append((folder, ("error", f"cannot list the folder ({exc.strerror or exc})")))
        return
    for entry in entries:
        if is_ignored_name(entry.name):
            continue
        if entry.is_symlink():  # only a link needs resolving: asking for every file costs seconds
            try:
                target = os.path.realpath(entry.path, strict=True)
            except (OSError, RuntimeError):
                message = "is a broken link or a link loop; fix the link or delete it"
                found.append((entry.path, ("warning", message)))
                continue
            inside = target == root or target.startswith(root + os.sep)
        else:
            target = real_folder + os.sep + entry.name
            inside = True  # below a folder already inside
        if not inside:
            message = "links to a path outside seeds/, which is not followed; copy it into seeds/"
            found.append((entry.path, ("warning", message)))
        elif target in seen:
            found.append((entry.path, ("info", "links to a file or folder already read; skipped")))
        elif entry.is_dir():
            seen.add(target)
            _walk(entry.path, target, root, seen, found)
        elif entry.is_file():
            seen.add(target)
            found.append((entry.path, None))


def is_ignored_name(name: str) -> bool:
    """Say whether a file or folder name is hidden or an editor's backup or lock file."""
    return (
        name.startswith((".", "~$"))
        or name.endswith(_BACKUP_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )
