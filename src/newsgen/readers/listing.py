"""List the seeds folder: every file a build reads, with its size and time, and what it skips.

Apart from the parse stage, and light: a build whose inputs have not changed lists the seeds,
finds nothing new and stops, and must not pay for loading the readers first.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import NamedTuple, NoReturn

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


def list_seeds(seeds_dir: Path, *, halves: bool = False) -> list[ListedSeed]:
    """Walk seeds/ once, with sizes and times: both the build fingerprint and the cache use it.

    With `halves`, every other entry of the folder is listed here and the rest by a forked
    process (`_listed_in_halves`): for a large folder, whose stat a file is most of a build
    that finds nothing new.
    """
    if not seeds_dir.is_dir():
        return []
    if halves:
        listed = _listed_in_halves(seeds_dir)
        if listed is not None:
            return listed
    walk = _Walk(seeds_dir)
    walk.folder(str(seeds_dir), walk.root)
    return walk.listed(with_stats=True)


def seed_files(seeds_dir: Path) -> list[tuple[Path, Refusal | None]]:
    """List seed files at any depth in sorted order, with a refusal for paths not to be read.

    Hidden files and folders and editor backups are skipped silently. A link is followed only
    inside `seeds_dir` and only to something not read already, so a link loop ends at once.
    """
    return [(Path(location), refusal) for location, refusal in seed_locations(seeds_dir)]


def seed_locations(seeds_dir: Path) -> list[tuple[str, Refusal | None]]:
    """`seed_files` as plain strings, without asking each file its size and time."""
    walk = _Walk(seeds_dir)
    walk.folder(str(seeds_dir), walk.root)
    return [(seed.location, seed.refusal) for seed in walk.listed(with_stats=False)]


def _listed_in_halves(seeds_dir: Path) -> list[ListedSeed] | None:
    """`list_seeds`, every other entry of the folder walked, and its files asked their size
    and time, by a forked process that sends its lists back through a pipe: taken in turn,
    folders of sources large and small share out evenly.

    None, for the caller to list the folder whole, when it has fewer than two entries to
    share, when a link turns up (a link is skipped when it leads to a file read already,
    which only a walk of the whole folder can tell) or when the other process fails.
    """
    walk = _Walk(seeds_dir)
    try:
        entries = walk.entries(str(seeds_dir))
    except OSError:
        return None  # the walk of the whole folder reports it
    if len(entries) < 2 or not hasattr(os, "fork"):
        return None
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        _send_lists(walk, entries[1::2], writer)  # never returns
    os.close(writer)
    pipe = os.fdopen(reader, "rb")
    try:
        mine = walk.lists(entries[::2])
        sent = pipe.read()
    finally:
        pipe.close()  # first: if this process stopped early, the other ends on a broken pipe
        _, status = os.waitpid(child, 0)
    if status != 0 or walk.links or not sent:
        return None
    theirs = pickle.loads(sent)
    if theirs is None:
        return None  # links in its entries
    listed: list[ListedSeed] = []
    for number, rows in enumerate(theirs):
        listed += mine[number]
        listed += [ListedSeed(*row) for row in rows]
    for rest in mine[len(theirs) :]:
        listed += rest
    return listed


def _send_lists(walk: _Walk, entries: list[os.DirEntry[str]], writer: int) -> NoReturn:
    """In the forked process: list each of `entries`, write the lists (None if it met a
    link) to `writer`, and end without running what the parent set to run at its exit."""
    code = 1
    try:
        lists = walk.lists(entries)
        rows = None if walk.links else [[tuple(seed) for seed in listed] for listed in lists]
        with os.fdopen(writer, "wb") as pipe:
            pickle.dump(rows, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


class _Walk:
    """One walk of a seeds folder: its files and refusals in order, and the links it met."""

    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.prefix = os.path.join(str(seeds_dir), "")
        self.root = str(seeds_dir.resolve())
        self.seen = {self.root}  # real paths read: a link to one of them is skipped
        self.found: list[tuple[str, Refusal | None]] = []
        self.links = 0

    @staticmethod
    def entries(folder: str) -> list[os.DirEntry[str]]:
        return sorted(os.scandir(folder), key=_name)

    def folder(self, folder: str, real_folder: str) -> None:
        try:
            entries = self.entries(folder)
        except OSError as exc:
            self.found.append(
                (folder, ("error", f"cannot list the folder ({exc.strerror or exc})"))
            )
            return
        self.entries_of(entries, real_folder)

    def entries_of(self, entries: list[os.DirEntry[str]], real_folder: str) -> None:
        # Plain strings, not Paths: this runs for every seed of every build (10,000 and
        # more), and pathlib's joins and comparisons cost several times the system calls.
        root, seen, found = self.root, self.seen, self.found
        for entry in entries:
            if is_ignored_name(entry.name):
                continue
            if entry.is_symlink():  # only a link needs resolving: asking every file costs seconds
                self.links += 1
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
                message = (
                    "links to a path outside seeds/, which is not followed; copy it into seeds/"
                )
                found.append((entry.path, ("warning", message)))
            elif target in seen:
                found.append(
                    (entry.path, ("info", "links to a file or folder already read; skipped"))
                )
            elif entry.is_dir():
                seen.add(target)
                self.folder(entry.path, target)
            elif entry.is_file():
                seen.add(target)
                found.append((entry.path, None))

    def lists(self, entries: list[os.DirEntry[str]]) -> list[list[ListedSeed]]:
        """What each of `entries` of the seeds folder holds, with sizes and times."""
        lists = []
        for entry in entries:
            self.found.clear()
            self.entries_of([entry], self.root)
            lists.append(self.listed(with_stats=True))
        return lists

    def listed(self, *, with_stats: bool) -> list[ListedSeed]:
        """What the walk found, each file with its size and time if `with_stats`."""
        listed = []
        prefix, seeds_dir = self.prefix, self.seeds_dir
        stat_of = os.stat
        for location, refusal in self.found:
            rel_path = (
                location[len(prefix) :]
                if location.startswith(prefix)
                else Path(location).relative_to(seeds_dir).as_posix()
            )
            if refusal or not with_stats:
                listed.append(ListedSeed(location, rel_path, refusal))
                continue
            try:
                stat = stat_of(location)
            except OSError:
                listed.append(ListedSeed(location, rel_path, None))
                continue
            listed.append(ListedSeed(location, rel_path, None, stat.st_size, stat.st_mtime_ns))
        return listed


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def is_ignored_name(name: str) -> bool:
    """Say whether a file or folder name is hidden or an editor's backup or lock file."""
    return (
        name.startswith((".", "~$"))
        or name.endswith(_BACKUP_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )
