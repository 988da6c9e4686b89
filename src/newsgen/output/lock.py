"""One build at a time per site: an advisory lock that the kernel drops when its holder dies."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsgen.errors import BuildError
from newsgen.paths import BUILD_LOCK


@contextmanager
def site_lock(state_dir: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold `.newsgen/build.lock` for the duration; a lock left by a killed build is free again.

    flock() locks belong to the open file, so a build killed with SIGKILL releases its lock the
    moment the kernel closes its files: there is no stale lock to detect or clean up by hand.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / BUILD_LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            if not wait:
                raise BuildError(
                    f"another newsgen build (pid {holder}) is running in this site ({path}); "
                    "wait for it to finish"
                ) from exc
            print(f"newsgen: waiting for another build (pid {holder}) to finish", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)
