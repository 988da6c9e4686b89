"""Estimate how long the scheduled publish job takes, from a measured local run.

    python bench/publish_job_estimate.py --feeds 50 --feeds 5000

For each feed count it generates that many RSS feeds and serves them from loopback addresses
(127.0.x.y, a few feeds per address, as real feeds share hosts) with a realistic, seeded latency
per response: log-normal around 150 ms, a few feeds failing with HTTP 500 and a few hanging past
newsgen's read timeout. Servers honour If-None-Match, so unchanged feeds answer 304 as real ones
do. Then, in a fresh site folder, it times what the job runs:

    first fetch   `newsgen fetch` with no .newsgen/ (the first run, or after the cache is lost)
    hourly fetch  `newsgen fetch` again after a share of the feeds gained new items
    build         `newsgen build` from a fresh checkout: no output/ and no build state
    archive       tar + gzip of output/, which upload-pages-artifact does

and adds the runner's fixed costs (starting two VMs, checkout, Python and pip cache, cache
restore and save, push, deploy), which cannot be measured here: they are estimates from typical
GitHub-hosted runner logs, listed in FIXED_COSTS and printed with the result. `--measure-install`
times `pip install` of newsgen into a new virtual environment with a warm pip cache, which is
what the job's install step does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]

# Seconds, for GitHub-hosted ubuntu-latest runners, from typical run logs. Not measurable here.
FIXED_COSTS = {
    "update job: queue and runner start": 12.0,
    "checkout (shallow)": 3.0,
    "setup-python, pip cache restore": 6.0,
    "pip install newsgen from the cache": 6.0,  # replaced by --measure-install
    "restore .newsgen/ cache": 2.0,
    "commit and push the seeds": 3.0,
    "save .newsgen/ cache": 2.0,
    "configure-pages": 1.0,
    "upload-pages-artifact: upload": 5.0,  # plus the measured tar + gzip
    "deploy job: queue and runner start": 12.0,
    "deploy-pages": 15.0,
}

WORDS = [
    *("government", "minister", "said", "talks", "city", "council", "report", "officials"),
    *("week", "security", "economic", "election", "court", "police", "market", "energy"),
    *("prices", "inflation", "company", "workers", "strike", "agreement", "border", "health"),
    *("hospital", "school", "climate", "flood", "storm", "rescue", "investigation", "trade"),
]


@dataclass
class Feed:
    """One generated feed: its items, newest first, and a version that its ETag carries."""

    index: int
    host: str
    items: list[tuple[int, datetime]]
    latency: float
    mode: str = "ok"  # "ok", "error" (HTTP 500) or "hang" (never answers in time)
    version: int = 1

    def add_items(self, count: int, when: datetime, window: int) -> None:
        first = self.items[0][0] + 1 if self.items else 0
        new = [(first + k, when - timedelta(minutes=k)) for k in range(count)]
        self.items = (list(reversed(new)) + self.items)[:window]
        self.version += 1

    def rss(self) -> bytes:
        rng = random.Random(self.index)
        entries = []
        for number, date in self.items:
            words = [rng.choice(WORDS) for _ in range(rng.randint(120, 260))]
            body = " ".join(words).capitalize() + "."
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize()
            link = f"https://news{self.index}.example/{date:%Y/%m/%d}/story-{number}"
            entries.append(
                f"<item><title>{escape(title)}</title><link>{link}</link>"
                f'<guid isPermaLink="true">{link}</guid>'
                f"<pubDate>{format_datetime(date)}</pubDate>"
                f"<description>{escape('<p>' + body + '</p>')}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Feed {self.index}</title><link>https://news{self.index}.example/</link>"
            f"<description>Generated feed {self.index}</description>{''.join(entries)}"
            "</channel></rss>"
        ).encode()


@dataclass
class FeedSet:
    feeds: list[Feed]
    port: int = 0
    hosts: list[str] = field(default_factory=list)

    def url(self, feed: Feed) -> str:
        return f"http://{feed.host}:{self.port}/feed/{feed.index}.xml"


def make_feeds(count: int, *, items: int, per_host: int, fail: float, hang: float) -> FeedSet:
    rng = random.Random(20260501 + count)
    now = datetime.now(UTC).replace(microsecond=0)
    feeds = []
    for index in range(count):
        host_number = index // per_host + 1
        host = f"127.0.{host_number // 250}.{host_number % 250 + 1}"
        # Median 150 ms, a long tail: p95 about 0.55 s, p99 about 1 s.
        latency = min(8.0, rng.lognormvariate(math.log(0.15), 0.8))
        roll = rng.random()
        mode = "error" if roll < fail else "hang" if roll < fail + hang else "ok"
        feed = Feed(index, host, [], latency, mode)
        feed.add_items(items, now - timedelta(hours=rng.uniform(0, 48)), items)
        feeds.append(feed)
    return FeedSet(feeds, hosts=sorted({feed.host for feed in feeds}))


class FeedServer:
    """Serve a FeedSet over HTTP/1.1 on every host address it uses, in a background thread."""

    def __init__(self, feed_set: FeedSet) -> None:
        self.feed_set = feed_set
        self.by_index = {feed.index: feed for feed in feed_set.feeds}
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.servers: list[asyncio.Server] = []
        self.connections: set[asyncio.Task] = set()

    def __enter__(self) -> FeedServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()

    async def _start(self) -> None:
        first = await asyncio.start_server(self._serve, self.feed_set.hosts[0], 0)
        self.feed_set.port = first.sockets[0].getsockname()[1]
        self.servers = [first]
        for host in self.feed_set.hosts[1:]:
            self.servers.append(await asyncio.start_server(self._serve, host, self.feed_set.port))

    async def _stop(self) -> None:
        for server in self.servers:
            server.close()
        for task in self.connections:
            task.cancel()
        await asyncio.gather(*self.connections, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.connections.add(task)
        try:
            while True:  # keep-alive: one request after another on the connection
                request = await reader.readuntil(b"\r\n\r\n")
                await self._answer(request.decode("latin-1"), writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client hung up
        except asyncio.CancelledError:
            pass  # shutdown, with a "hanging" answer still pending: end quietly
        finally:
            self.connections.discard(task)
            writer.close()

    async def _answer(self, request: str, writer: asyncio.StreamWriter) -> None:
        lines = request.split("\r\n")
        path = lines[0].split(" ")[1]
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        feed = self.by_index.get(int(path.rsplit("/", 1)[-1].split(".")[0]))
        if feed is None:
            return self._send(writer, "404 Not Found", b"", {})
        await asyncio.sleep(feed.latency)
        if feed.mode == "hang":
            await asyncio.sleep(3600)
        if feed.mode == "error":
            return self._send(writer, "500 Internal Server Error", b"", {})
        etag = f'"{feed.index}-{feed.version}"'
        if headers.get("if-none-match") == etag.lower():
            return self._send(writer, "304 Not Modified", b"", {"ETag": etag})
        body = feed.rss()
        return self._send(
            writer, "200 OK", body, {"ETag": etag, "Content-Type": "application/rss+xml"}
        )

    @staticmethod
    def _send(writer: asyncio.StreamWriter, status: str, body: bytes, headers: dict) -> None:
        head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def write_site(site: Path, feed_set: FeedSet) -> None:
    site.mkdir(parents=True)
    (site / "seeds").mkdir()
    lines = [
        "site:",
        '  title: "Bench Desk"',
        '  base_url: "https://user.github.io/repo/"',
        "feeds:",
    ]
    lines += [f"  - url: {feed_set.url(feed)}" for feed in feed_set.feeds]
    (site / "newsgen.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], cwd: Path, result: dict, name: str) -> tuple[int, str]:
    """Run a command; note its wall time and its CPU time (its worker processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    result[f"{name}_s"] = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result[f"{name}_cpu_s"] = cpu
    return done.returncode, (done.stdout + done.stderr)[-2000:]


def newsgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsgen", *args]


def fresh_checkout(seeds: Path) -> None:
    """Give every seed a new modification time, as `git checkout` on a new runner does."""
    now = time.time()
    for path in seeds.rglob("*"):
        if path.is_file():
            os.utime(path, (now, now))


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


def measure(count: int, args: argparse.Namespace, work: Path) -> dict:
    feed_set = make_feeds(
        count, items=args.items, per_host=args.per_host, fail=args.fail, hang=args.hang
    )
    site = work / f"site-{count}"
    shutil.rmtree(site, ignore_errors=True)
    result: dict = {"feeds": count, "hosts": len(feed_set.hosts), "fetch_jobs": args.fetch_jobs}
    result["load"] = os.getloadavg()[0]
    with FeedServer(feed_set):
        write_site(site, feed_set)
        fetch = newsgen("fetch", "--quiet", "--jobs", str(args.fetch_jobs))
        code, log = timed(fetch, site, result, "first_fetch")
        result["first_fetch_exit"] = code
        result["seeds_after_first_fetch"] = count_files(site / "seeds")
        if code not in (0, 1):
            raise SystemExit(f"newsgen fetch exited {code}:\n{log}")
        fresh_checkout(site / "seeds")
        rng = random.Random(count)
        changed = [f for f in feed_set.feeds if rng.random() < args.changed]
        for feed in changed:
            feed.add_items(rng.randint(1, 3), datetime.now(UTC), args.items)
        code, log = timed(fetch, site, result, "hourly_fetch")
        result["hourly_fetch_exit"] = code
        result["feeds_changed"] = len(changed)
    seeds = count_files(site / "seeds")
    result["seeds_after_hourly_fetch"] = seeds
    result["new_seeds_hourly"] = seeds - result["seeds_after_first_fetch"]
    if args.no_build:
        return result
    # As in the job: no output/, and .newsgen/ as the fetch left it (the job caches it then).
    assert not (site / "output").exists()
    build = newsgen("build", "--base-url", "https://user.github.io/repo/")
    code, log = timed(build, site, result, "build")
    if code != 0:
        raise SystemExit(f"newsgen build exited {code}:\n{log}")
    output = site / "output"
    result["output_files"] = count_files(output)
    result["output_mb"] = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6
    started = time.perf_counter()
    with tarfile.open(work / f"site-{count}.tar.gz", "w:gz") as archive:
        archive.add(output, arcname=".")
    result["archive_s"] = time.perf_counter() - started
    if not args.keep:
        shutil.rmtree(site)
    return result


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over repeated runs (the machine may be busy with other work)."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure_install(work: Path) -> float:
    """Time `pip install` of newsgen's wheel into a new venv, its dependencies in pip's cache."""
    wheels = work / "wheels"
    build_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels)]
    subprocess.run([*build_wheel, str(REPO)], check=True)
    wheel = next(wheels.glob("newsgen-*.whl"))
    venv = work / "venv"
    for _ in ("warm the cache", "measure"):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        started = time.perf_counter()
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)]
        subprocess.run(pip, check=True)
        elapsed = time.perf_counter() - started
    return elapsed


def job_time(result: dict, fixed: dict[str, float], fetch_key: str) -> float:
    return sum(fixed.values()) + result[fetch_key] + result["build_s"] + result["archive_s"]


def timing(r: dict, name: str, outcome: str) -> str:
    label = name.replace("_", " ")
    wall, cpu = r[f"{name}_s"], r[f"{name}_cpu_s"]
    return f"  {label:<13} {wall:7.1f} s wall {cpu:7.1f} s CPU  -> {outcome}"


def report(results: list[dict], fixed: dict[str, float]) -> str:
    lines = ["Fixed costs per run (estimates unless marked measured):"]
    lines += [f"  {name:<48} {seconds:6.1f} s" for name, seconds in fixed.items()]
    lines.append(f"  {'total':<48} {sum(fixed.values()):6.1f} s")
    for r in results:
        changes = f"{r['new_seeds_hourly']} new seeds from {r['feeds_changed']} changed feeds"
        lines += [
            "",
            f"{r['feeds']} feeds on {r['hosts']} hosts, fetch --jobs {r['fetch_jobs']}"
            f" (load average before: {r['load']:.1f})",
            timing(r, "first_fetch", f"{r['seeds_after_first_fetch']} seeds"),
            timing(r, "hourly_fetch", changes),
        ]
        if "build_s" in r:
            lines += [
                timing(r, "build", f"{r['output_files']} files, {r['output_mb']:.0f} MB"),
                f"  tar + gzip    {r['archive_s']:7.1f} s wall",
                f"  job, hourly run: {job_time(r, fixed, 'hourly_fetch_s') / 60:5.1f} min;"
                f" first run: {job_time(r, fixed, 'first_fetch_s') / 60:5.1f} min",
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, action="append", help="feed count (repeatable)")
    parser.add_argument("--items", type=int, default=20, help="items per feed (default 20)")
    parser.add_argument("--per-host", type=int, default=4, help="feeds per host (default 4)")
    parser.add_argument("--fail", type=float, default=0.03, help="share answering 500")
    parser.add_argument("--hang", type=float, default=0.005, help="share never answering")
    parser.add_argument("--changed", type=float, default=0.3, help="share changed after 1 h")
    parser.add_argument("--fetch-jobs", type=int, default=8, help="newsgen fetch --jobs")
    parser.add_argument("--no-build", action="store_true", help="time the fetches only")
    parser.add_argument("--measure-install", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per count; medians shown")
    parser.add_argument("--keep", action="store_true", help="keep the site folders")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    fixed = dict(FIXED_COSTS)
    with tempfile.TemporaryDirectory(prefix="newsgen-publish-") as tmp:
        work = Path(os.environ.get("NEWSGEN_BENCH_DIR", tmp))
        work.mkdir(parents=True, exist_ok=True)
        if args.measure_install:
            install = measure_install(work)
            del fixed["pip install newsgen from the cache"]
            fixed["pip install newsgen from the cache (measured)"] = install
        results = [
            median_of([measure(count, args, work) for _ in range(args.repeat)])
            for count in args.feeds or [50]
        ]
    print(report(results, fixed))
    if args.json:
        args.json.write_text(json.dumps({"fixed": fixed, "results": results}, indent=2))


if __name__ == "__main__":
    main()
