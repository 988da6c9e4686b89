"""Delete a retired site in the background, so removing thousands of old files never delays a build.

After the swap the previous site sits in a folder nobody reads. Deleting 20,000 files and folders
costs seconds on a slow disk, so it is handed to a detached process and the build ends at once.
Should that process be killed, the next build finds the leftover folder and hands it on again.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from newsgen.output.detached import run_detached

RETIRED = ".retired-"


def retire(folder: Path) -> None:
    """Move `folder` aside under a unique name and delete it in a detached process."""
    retired = folder.with_name(f"{RETIRED}{folder.name}-{os.getpid()}-{time.monotonic_ns()}")
    os.rename(folder, retired)
    _delete_in_background([retired])


def clear_retired(parent: Path) -> None:
    """Hand folders retired by builds whose deleting process died on to a new one."""
    leftovers = [path for path in parent.glob(f"{RETIRED}*") if path.is_dir()]
    if leftovers:
        _delete_in_background(leftovers)


def _delete_in_background(folders: list[Path]) -> None:
    # It keeps no lock: deleting never delays a build.
    run_detached(main, [str(folder) for folder in folders])


def main(folders: list[str]) -> int:
    """Delete the given retired folders; whatever cannot be deleted is retried by a later build."""
    failed = 0
    for folder in folders:
        path = Path(folder)
        if path.name.startswith(RETIRED) and path.is_dir():
            try:
                shutil.rmtree(path)
            except OSError:  # another deleter got there first, or the disk refused: retried later
                failed += 1
    return 1 if failed else 0
