"""Write files whole or not at all, and create new files without ever replacing another's.

Every file newsgen writes outside `output/` goes through here: state and cache files are
written beside their place and renamed over it, so a reader sees the old file or the new one;
seeds are created under their name only if nobody (another shard, an editor) took it first.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: bytes | str, *, durable: bool = False) -> None:
    """Replace `path` with `data`; a reader sees the old file or the new one, never a part.

    `durable` flushes it to disk before the rename, for what a crash must not empty (the fetch
    state, the user's config); caches skip that cost, since losing one only costs speed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_with(path, lambda file: file.write(payload), durable=durable)


def write_atomic_with(
    path: Path, write: Callable[[BinaryIO], object], *, durable: bool = False
) -> None:
    """`write_atomic`, for data written into the open file (streamed, never held whole)."""
    temp = _temp_file(path, write, durable=durable)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _temp_file(path: Path, write: Callable[[BinaryIO], object], *, durable: bool) -> Path:
    """Write a fresh hidden file beside `path` with `write` and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                # A crash after the rename must not leave an empty file never written again.
                os.fsync(handle.fileno())
    except BaseException:
        os.unlink(temp_name)
        raise
    return Path(temp_name)


def stage(path: Path, text: str) -> Path:
    """Write `text` to a hidden temporary file beside `path`, on disk, ready for `publish`.

    Staging is the slow part (fsync), so it can run in many threads at once; publishing is
    a single link.
    """
    data = text.encode("utf-8")
    return _temp_file(path, lambda handle: handle.write(data), durable=True)


def publish(temp: Path, path: Path) -> bool:
    """Give the staged file `temp` the name `path` unless that exists; remove `temp` either way.

    A hard link fails when the name is taken, so two processes (two shards sharing a folder)
    can never overwrite each other's file, or an editor's, even in a race.
    """
    try:
        if path.exists():
            return False
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError:
        # Some file systems have no hard links; the check above is all we can do there.
        if path.exists():
            return False
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return True


def discard(temp: Path) -> None:
    """Remove a staged file that will not be published."""
    temp.unlink(missing_ok=True)


def remove_stale_temps(folder: Path, older_than: float) -> None:
    """Delete temporary files a killed run left behind, if older than `older_than` seconds.

    Younger ones may belong to a run going on right now in the same folder (another shard).
    """
    if not folder.is_dir():
        return
    cutoff = time.time() - older_than
    for temp in folder.rglob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if temp.is_file() and temp.stat().st_mtime < cutoff:
                temp.unlink()
