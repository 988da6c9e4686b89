"""Run one command and measure it: wall time, CPU time and peak memory of its process tree.

Two memory figures, because they answer different questions:
- `peak_mb`: the kernel's ru_maxrss from wait4(), i.e. the largest single process in the tree
  (the child and every descendant it waited for). Exact, but blind to workers running side by side.
- `tree_mb`: the largest sum of RSS over every process in the child's session, sampled from /proc
  every SAMPLE_SECONDS. Catches parallel workers; may miss a spike shorter than the interval and
  counts pages shared between forked workers once per worker, so it is an upper bound.
- `pss_mb`: the largest sum of PSS (proportional set size: a page shared by n processes counts
  1/n in each) over the session, sampled every PSS_EVERY samples. This is the memory the build
  really needed: a forked worker's RSS includes every page it shares with its parent, so for a
  tool that forks workers `peak_mb` and `tree_mb` both overstate it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
PSS_EVERY = 3  # reading smaps_rollup walks the page tables: not on every sample
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class Measurement:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole tree
    peak_mb: float  # largest single process
    tree_mb: float  # largest sampled sum over the tree
    pss_mb: float  # largest sampled sum of proportional set sizes over the tree
    returncode: int
    log: Path
    load: float  # 1-minute load average just before the start: >1 means others were busy too


def session_rss(session: int) -> tuple[int, list[str]]:
    """The resident bytes of every live process in session `session`, summed; and their pids."""
    total = 0
    members = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # the process ended between listdir() and open(); nothing to count
        # Fields after the ")" closing the command name: state ppid pgrp session ... rss is 24th.
        fields = stat.rpartition(b")")[2].split()
        if int(fields[3]) == session:
            total += int(fields[21]) * PAGE_BYTES
            members.append(name)
    return total, members


def total_pss(pids: list[str]) -> int:
    """Sum the proportional set sizes, in bytes, of the given processes that are still alive."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue  # it ended meanwhile
    return total


class TreeSampler(threading.Thread):
    """Poll the session's total RSS until stopped; keep the largest value seen."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak = 0
        self.pss_peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        samples = 0
        while not self.done.wait(SAMPLE_SECONDS):
            rss, members = session_rss(self.session)
            self.peak = max(self.peak, rss)
            samples += 1
            if samples % PSS_EVERY == 0:
                self.pss_peak = max(self.pss_peak, total_pss(members))


def run(
    command: Sequence[str | Path],
    log: Path,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run `command` in its own session, output to `log`, and return what it cost."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    with open(log, "wb") as out:
        started = time.perf_counter()
        # A new session makes the whole tree findable in /proc and killable as one group.
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        timer = None
        if timeout:
            timer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
            timer.start()
        # wait4 (not Popen.wait) because only it returns the child's resource usage.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if timer:
            timer.cancel()
        sampler.done.set()
        sampler.join()
        # Anything the command left behind in its group; usually there is nothing to kill.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return Measurement(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        tree_mb=sampler.peak / 2**20,
        pss_mb=sampler.pss_peak / 2**20,
        returncode=process.returncode,
        log=log,
        load=load,
    )
