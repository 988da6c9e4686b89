"""Keep the previous site after a swap and build the next site inside it.

After a build swaps its staged site in, the folder it swapped out holds the site before. Most of
its files are the very files the next build wants (hard links to the same inodes), so instead of
deleting 20,000 files and making 20,000 links and folders again, the next build takes that
folder as its staging folder and changes only what differs.

Readying that spare folder is left to a detached process, so the build that made it ends at
once: it deletes files nobody recorded (dropped into `output/` by hand) and writes the record of
what the folder holds. After a first build there is no previous site, so the process makes the
spare folder as hard links to the new one. The process holds `spare.lock`, so a next build that
needs the folder waits for it rather than find it half-ready (one with nothing to do does not
wait). A record vouches for the folder only while it is the one the record names (its inode),
and a build deletes the record before it changes the folder, so a build stopped half-way never
leaves a record that lies.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Mapping
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.output.detached import run_detached
from newsgen.paths import SPARE_LOCK, SPARE_RECORD

_RECORD_VERSION = 2
_NONE = object()  # no entry: unlike a file not vouched for (None)

ManifestEntry = list  # [digest, size, mtime_ns, signature?] as kept in the output manifest
# Every file in a spare folder, by the manifest entry of the file it is (a staged file's is
# the entry the build that staged it recorded, signature and all, so that the next build finds
# it the same by comparing entries), or what was known of it; None: not vouched for.
Held = dict[str, ManifestEntry | None]


def spare_dir(staging: Path) -> Path:
    return staging.with_name(staging.name.replace(".staging", ".spare"))


def hold_spare_lock(state_dir: Path) -> int:
    """Lock the spare folder, waiting for a process still readying it; return the lock's fd."""
    fd = os.open(state_dir / SPARE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel when its last holder dies
    return fd


def wait_until_ready(state_dir: Path) -> None:
    """Wait for a process readying the spare folder, so `.newsgen/` can be deleted or copied."""
    os.close(hold_spare_lock(state_dir))


def take_spare(
    spare: Path,
    staging: Path,
    state_dir: Path,
    manifest: Mapping[str, ManifestEntry],
    identity: object,
) -> Held | None:
    """Move the spare folder to `staging` if its record vouches for it; return what it holds.

    The record says what the folder holds as it differs from the output manifest the build
    that readied it left (`identity`, `manifest` as loaded): most of its files are the live
    site's, whose entries the manifest holds already.
    """
    record_path = state_dir / SPARE_RECORD
    try:
        record = pickle.loads(record_path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        record = None  # damaged: the folder is not reused
    record_path.unlink(missing_ok=True)  # from here on the folder may change
    try:
        inode = spare.stat().st_ino
    except FileNotFoundError:
        return None
    if not _vouches_for(record, inode, identity):
        return None
    os.rename(spare, staging)
    assert isinstance(record, dict)
    held: Held = dict(manifest)  # a copy of its table: no entry is visited
    for absent in record["absent"]:
        held.pop(absent, None)
    held.update(record["files"])
    return held


def _vouches_for(record: object, inode: int, identity: object) -> bool:
    return (
        isinstance(record, dict)
        and record.get("version") == _RECORD_VERSION
        and record.get("inode") == inode
        and record.get("manifest") == identity
        and isinstance(record.get("files"), dict)
        and isinstance(record.get("absent"), list)
    )


def ready_in_background(
    spare: Path,
    state_dir: Path,
    lock: int,
    known: Mapping[str, ManifestEntry],
    verified: Mapping[str, ManifestEntry],
    made: Mapping[str, ManifestEntry],
    identity: object,
) -> None:
    """Ready the previous site, now in `spare`, for the next build (see the module docstring).

    `known` is every file the build that made it recorded; `verified` those whose size and time
    this build confirmed, and so whose content is known; `made`, the manifest this build left,
    as `identity` names it, which the record says the folder's files as they differ from.
    """
    args = (spare, state_dir, known, verified, made, identity)
    run_detached(_ready_retired, *args, keep_fd=lock)


def clone_in_background(
    output: Path,
    spare: Path,
    state_dir: Path,
    lock: int,
    made: Mapping[str, ManifestEntry],
    identity: object,
) -> None:
    """After a first build: make the spare folder as hard links to the new site."""
    run_detached(_clone, output, spare, state_dir, made, identity, keep_fd=lock)


def _ready_retired(
    spare: Path,
    state_dir: Path,
    known: Mapping[str, ManifestEntry],
    verified: Mapping[str, ManifestEntry],
    made: Mapping[str, ManifestEntry],
    identity: object,
) -> None:
    held: Held = {}
    strays = []
    for relative in files_under(spare):
        if relative in known:
            held[relative] = verified.get(relative)
        else:
            strays.append(relative)
    remove_files(spare, strays)
    _write_record(spare, state_dir, held, made, identity)


def _clone(
    output: Path,
    spare: Path,
    state_dir: Path,
    made: Mapping[str, ManifestEntry],
    identity: object,
) -> None:
    if spare.exists():
        return  # someone else's: leave it to the next build to sort out
    partial = spare.with_name(spare.name + ".partial")
    if partial.exists():
        remove_files(partial, files_under(partial))
    folders: set[str] = set()
    held: Held = {}
    for relative, entry in made.items():
        folder = os.path.dirname(relative)
        if folder not in folders:
            os.makedirs(partial / folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(output / relative, partial / relative)
        except OSError:
            continue  # gone or replaced since the build: the next build makes it
        stat = os.stat(partial / relative)
        same = [stat.st_size, stat.st_mtime_ns] == entry[1:3]
        held[relative] = entry if same else None
    os.rename(partial, spare)
    _write_record(spare, state_dir, held, made, identity)


def _write_record(
    spare: Path, state_dir: Path, held: Held, made: Mapping[str, ManifestEntry], identity: object
) -> None:
    """Record what the folder holds (`held`) as it differs from the manifest `made`: the
    files whose entry is not the manifest's (or that it does not have), and its files that
    are not there."""
    record = {
        "version": _RECORD_VERSION,
        "inode": spare.stat().st_ino,
        "manifest": identity,
        "files": {path: entry for path, entry in held.items() if made.get(path, _NONE) != entry},
        "absent": [path for path in made if path not in held],
    }
    write_atomic(state_dir / SPARE_RECORD, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def files_under(root: Path) -> list[str]:
    """Every file below `root`, relative and with `/` separators (no stat: names only)."""
    found: list[str] = []
    pending = [("", os.fspath(root))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found.append(prefix + entry.name)
    return found


def remove_files(root: Path, relatives: list[str]) -> None:
    """Delete files, and the folders that leaves empty (`root` itself stays)."""
    folders: set[str] = set()
    for relative in relatives:
        try:
            os.unlink(root / relative)
        except FileNotFoundError:
            continue  # gone already, as it was to be (deleted from the spare folder by hand)
        folders.add(os.path.dirname(relative))
    # Deepest first, so a folder is only tried once its sub-folders had their chance.
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty: it still holds other files
                break
            folder = os.path.dirname(folder)
