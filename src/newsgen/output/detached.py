"""Run housekeeping in a detached process, so a build can end before it is done."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def run_detached(function: Callable[..., object], *args: Any, keep_fd: int | None = None) -> None:
    """Run `function(*args)` in a grandchild process that is nobody's child and outlives us.

    It closes every file it inherits but `keep_fd`: a lock whose holder the next build should
    wait for (closing the build lock's copy means the build lock itself is not held).
    """
    child = os.fork()
    if child:
        os.waitpid(child, 0)  # the first child exits at once: no zombie is left behind
        return
    try:
        os.setsid()  # not stopped with the build's terminal or process group
        if os.fork() == 0:
            _detach_files(keep_fd)
            _run(function, args)
    finally:
        os._exit(0)  # neither child may run the rest of the build


def _detach_files(keep_fd: int | None) -> None:
    # Standard streams go to /dev/null: whoever ran the build (a terminal, a CI step, a test
    # capturing its output) must see its end when the build ends, not when the tidying does.
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    os.close(null)
    highest = os.sysconf("SC_OPEN_MAX")
    if keep_fd is None:
        os.closerange(3, highest)
    else:
        os.closerange(3, keep_fd)
        os.closerange(keep_fd + 1, highest)


def _run(function: Callable[..., object], args: tuple[Any, ...]) -> None:
    try:
        function(*args)
    except OSError:
        # The disk refused. Nothing is lost: the work is only ever to save a later build time,
        # and that build finds it undone (no record, or a leftover folder) and copes.
        os._exit(1)
