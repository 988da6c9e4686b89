"""How many processes to use when the user does not say (`--jobs`): apart from workers.py,
which loads multiprocessing, so that a build that finds nothing new need not."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """Worker processes to use when not told: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
