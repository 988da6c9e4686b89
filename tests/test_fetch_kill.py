"""A fetch killed with SIGKILL leaves no partial seed and valid state; the next run completes.

Feeds with many items are served from 127.0.0.1. A first fetch into a separate site gives the
seeds a complete run writes. Each trial then starts the real `newsgen fetch`, kills it at some
moment (while it stages files, while it publishes them, or after a random delay), and checks:
every seed visible to the build is whole (byte for byte the complete run's file), any leftover
temporary file is hidden so the build ignores it, and the fetch state is valid JSON. The next
run, without help, must leave exactly the complete run's seeds: nothing missing, no duplicates.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from conftest import run_newsgen
from newsgen.readers.listing import is_ignored_name
from newsgen.readers.parse import read_seeds

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FEEDS = 4
ITEMS = 150


def feed_document(number: int, items: int) -> str:
    entries = "".join(
        f"<item><title>Council vote {number}-{index} on the harbour plan</title>"
        f"<link>https://n{number}.example/news/{index}/vote</link>"
        f"<pubDate>Mon, {1 + index % 28:02d} Dec 2025 10:00:00 GMT</pubDate>"
        f"<category>Politics</category>"
        f"<description>&lt;p&gt;The council of town {number} voted on item {index}."
        f" The plan passed.&lt;/p&gt;</description></item>"
        for index in range(items)
    )
    return f"<rss version='2.0'><channel><title>Desk {number}</title>{entries}</channel></rss>"


def serve_feeds(server: FeedServer) -> list[str]:
    urls = [server.add(f"feed-{n}.xml", feed_document(n, ITEMS)) for n in range(FEEDS)]
    server.behave("feed-2.xml", latency=0.3)  # the later feeds arrive while others are written
    return urls


def fetch_command(site: Path, urls: list[str]) -> list[str]:
    feeds = [part for url in urls for part in ("--feed", url)]
    return ["fetch", "--site", str(site), "--quiet", *feeds]


def visible_seeds(seeds: Path) -> dict[str, bytes]:
    """The seed files the build reads: hidden names are temporary files and never read."""
    found: dict[str, bytes] = {}
    for path in seeds.rglob("*") if seeds.is_dir() else ():
        relative = path.relative_to(seeds)
        if path.is_file() and not any(is_ignored_name(part) for part in relative.parts):
            found[relative.as_posix()] = path.read_bytes()
    return found


def leftovers(seeds: Path) -> list[Path]:
    if not seeds.is_dir():
        return []
    return [path for path in seeds.rglob("*") if path.is_file()
            and any(is_ignored_name(part) for part in path.relative_to(seeds).parts)]  # fmt: skip


def assert_state_valid(site: Path) -> None:
    state = site / ".newsgen" / "fetch-state.json"
    if state.exists():
        document = json.loads(state.read_text(encoding="utf-8"))
        assert document["version"] == 1 and isinstance(document["known"], dict)


def start_fetch(site: Path, urls: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsgen", *fetch_command(site, urls)]
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    while not condition() and process.poll() is None:
        time.sleep(0.001)


def staging_started(seeds: Path) -> Callable[[], bool]:
    return lambda: bool(leftovers(seeds))


def publishing_started(seeds: Path) -> Callable[[], bool]:
    return lambda: seeds.is_dir() and any(p.suffix == ".md" for p in seeds.rglob("*.md")
                                          if not p.name.startswith("."))  # fmt: skip


def state_saved(site: Path) -> Callable[[], bool]:
    return (site / ".newsgen" / "fetch-state.json").exists


def staging_then_sleep(delay: float, site: Path, process: subprocess.Popen[bytes]) -> None:
    wait_for(staging_started(site / "seeds"), process)
    time.sleep(delay)


def test_a_killed_fetch_leaves_whole_seeds_and_the_next_run_completes(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    urls = serve_feeds(feed_server)
    reference = tmp_path / "reference"
    assert run_newsgen(*fetch_command(reference, urls)).returncode == 0
    complete = visible_seeds(reference / "seeds")
    assert len(complete) == FEEDS * ITEMS and leftovers(reference / "seeds") == []
    rng = random.Random()
    triggers: list[tuple[str, Callable[[Path, subprocess.Popen[bytes]], None]]] = [
        ("while staging", lambda site, p: wait_for(staging_started(site / "seeds"), p)),
        ("while publishing", lambda site, p: wait_for(publishing_started(site / "seeds"), p)),
        ("as the state is saved", lambda site, p: wait_for(state_saved(site), p)),
    ]
    for delay in sorted(rng.uniform(0, 0.25) for _ in range(2)):  # the writing takes ~0.3 s
        triggers.append((f"{delay:.2f} s into staging", partial(staging_then_sleep, delay)))
    for number, (moment, trigger) in enumerate(triggers):
        site = tmp_path / f"trial-{number}"
        process = start_fetch(site, urls)
        trigger(site, process)
        with contextlib.suppress(ProcessLookupError):  # it may have finished: checks still hold
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        seeds = site / "seeds"
        written = visible_seeds(seeds)
        broken = [path for path, data in written.items() if complete.get(path) != data]
        assert broken == [], f"partial or unexpected seeds after a kill {moment}"
        parsed = read_seeds(seeds, timezone=ZoneInfo("UTC")) if seeds.is_dir() else None
        if parsed is not None:
            assert len(parsed.articles) == len(written) and parsed.diagnostics == ()
        assert all(path.name.startswith(".") for path in leftovers(seeds))
        assert_state_valid(site)
        again = run_newsgen(*fetch_command(site, urls))
        assert again.returncode == 0, f"the fetch after a kill {moment} failed: {again.stderr}"
        assert visible_seeds(seeds) == complete, f"the fetch after a kill {moment} is incomplete"
        assert_state_valid(site)
    third = run_newsgen(*fetch_command(site, urls))  # a complete site gets nothing twice
    assert third.returncode == 0 and visible_seeds(seeds) == complete
