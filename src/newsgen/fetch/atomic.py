"""Write files so that a reader never sees half of one and a writer never replaces another's."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path


def _temp_copy(path: Path, data: bytes) -> Path:
    """Write `data` to a fresh hidden file beside `path`, flushed to disk, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            # A crash after the rename must not leave an empty file that is never written again.
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(temp_name)
        raise
    return Path(temp_name)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new one."""
    temp = _temp_copy(path, text.encode("utf-8"))
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stage(path: Path, text: str) -> Path:
    """Write `text` to a hidden temporary file beside `path`, on disk, ready for `publish`.

    Staging is the slow part (fsync), so it can run in many threads at once; publishing is
    a single link.
    """
    return _temp_copy(path, text.encode("utf-8"))


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


def write_new(path: Path, text: str) -> bool:
    """Create `path` with `text` unless it exists; return False, touching nothing, if it does."""
    if path.exists():
        return False
    return publish(stage(path, text), path)


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
