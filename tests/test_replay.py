"""90 days of a scheduled job, replayed: fresh clone, cache restored, fetch, commit, build, deploy.

Each run is what .github/workflows/publish.yml does, on a simulated clock (NEWSGEN_NOW, and git
commit dates to match): a fresh `git clone` of the site repository, `.newsgen/` restored from
the "CI cache", `newsgen fetch` from feeds served on 127.0.0.1, the new seeds committed and
pushed, `newsgen build`, the cache saved, and the site "deployed" by copying `output/` into a
folder that keeps everything ever deployed (only when it changed, as the workflow does).

The feeds change as real ones do: new items every day, a feed that moves (301), one that is
gone (410), one that dies (500 every day), an item dated days ahead; an editor commits an
undated hand-written note, later edits a title, later changes a slug. Across all runs: no URL
ever published disappears or stops leading to its article, nothing is published twice, the
future item waits for its day, the feed problems are reported on the days they happen, and
the time a run takes stays flat.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from newsgen.cli.main import main

pytest_plugins = ["feedserver"]

RUNS = 90
START = datetime(2026, 3, 1, 6, 17, tzinfo=UTC)  # each run at 06:17 UTC, one a day
BASE = "https://news.example.org/"
MOVE_DAY, GONE_DAY, DEATH_DAY = 30, 45, 60
FUTURE_POSTED, FUTURE_DATE = 20, START + timedelta(days=25, hours=6)  # in a feed
EMBARGO_DAY, EMBARGO_DATE = 15, START + timedelta(days=18, hours=6)  # a hand-written seed
NOTE_DAY, TITLE_EDIT_DAY, SLUG_EDIT_DAY = 10, 50, 70
ARTICLE = re.compile(r"<loc>" + re.escape(BASE) + r"(\d{4}/\d\d/\d\d/[^<]+/)</loc>")
CANONICAL = re.compile(r'rel="canonical" href="' + re.escape(BASE) + r'([^"]+)"')


def rss(title: str, items: list[tuple[str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{name}</title><link>https://{title}.example.com/{slug(name)}</link>"
        f"<guid>{title}:{slug(name)}</guid><pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{name}: the report in full, from the {title} desk.</description></item>"
        for name, when in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://{title}.example.com/</link>{entries}</channel></rss>"
    )


def codeword(name: str, number: int) -> str:
    """A made-up word per feed and day: titles that share no news, so they form no story."""
    digest = hashlib.sha256(f"{name}:{number}".encode()).digest()
    return "".join(chr(ord("a") + byte % 26) for byte in digest[:9])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Feeds:
    """Five feeds whose items and answers change with the day."""

    server: Any  # feedserver.FeedServer: imported from here, pytest could not rewrite asserts
    items: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)

    def day(self, number: int, now: datetime) -> None:
        server = self.server
        for name in ("steady", "moving", "going", "dying"):
            posted = self.items.setdefault(name, [])
            posted.insert(
                0, (f"{name.title()} report {codeword(name, number)}", now - timedelta(hours=2))
            )
            del posted[10:]  # a feed shows its latest items only
        self.items.setdefault("calendar", [])
        if number == FUTURE_POSTED:
            self.items["calendar"].insert(0, ("Calendar: the bridge opens", FUTURE_DATE))
        for name, posted in self.items.items():
            path = f"{name}.xml" if name != "moving" or number < MOVE_DAY else "moved/moving.xml"
            server.add(path, rss(name, posted))
        if number == MOVE_DAY:
            server.behave("moving.xml", status=301, redirect=server.url("moved/moving.xml"))
        if number == GONE_DAY:
            server.behave("going.xml", status=410)
        if number == DEATH_DAY:
            server.behave("dying.xml", status=500)


def git(cwd: Path, *args: str, when: datetime | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    done = subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def newsgen(*args: str) -> tuple[int, str]:
    """Run a newsgen command in this process (as the CLI does, without starting Python again)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashed.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def title_of(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text())
    assert found, page
    return found[1]


def save_cache(state: Path, cache: Path) -> None:
    """As the workflow saves `.newsgen/`: without its hidden folders (`!.newsgen/.*`)."""
    shutil.rmtree(cache)
    top = str(state)
    shutil.copytree(
        state, cache, ignore=lambda at, names: [n for n in names if at == top and n[0] == "."]
    )


def editor_commit(origin: Path, tmp: Path, when: datetime, name: str, text: str) -> None:
    """An editor clones the site, writes a seed by hand and pushes."""
    desk = tmp / f"desk-{when:%m%d}"
    git(tmp, "clone", "--quiet", str(origin), str(desk))
    (desk / "seeds" / name).write_text(text)
    git(desk, "add", "seeds")
    git(desk, "commit", "--quiet", "-m", "By hand", when=when)
    git(desk, "push", "--quiet")
    shutil.rmtree(desk)


NOTE = "Harbour works begin\n\nThe harbour closes to boats for the works.\n"
EMBARGOED = f"---\ntitle: Budget embargo lifts\ndate: {EMBARGO_DATE.isoformat()}\n---\nFigures.\n"
PIECE = "---\ntitle: {title}\n{slug}date: 2026-03-02\n---\nThe council met on Monday.\n"
BY_HAND = {  # day -> a seed an editor commits that morning
    NOTE_DAY: ("harbour.txt", NOTE),  # undated plain text: dated by the commit that adds it
    EMBARGO_DAY: ("embargo.md", EMBARGOED),
    TITLE_EDIT_DAY: ("council.md", PIECE.format(title="Council meets at last", slug="")),
    SLUG_EDIT_DAY: ("council.md", PIECE.format(title="Council meets at last", slug="slug: x\n")),
}


@pytest.mark.slow
def test_ninety_scheduled_runs(
    tmp_path: Path, feed_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = Feeds(feed_server)
    origin = tmp_path / "origin.git"
    start = tmp_path / "start"
    (start / "seeds").mkdir(parents=True)
    (start / "seeds" / "council.md").write_text(PIECE.format(title="Council meets", slug=""))
    names = ("steady", "moving", "going", "dying", "calendar")
    listed = "".join(f"  - url: {feed_server.url(name + '.xml')}\n" for name in names)
    (start / "newsgen.yaml").write_text(f"site:\n  title: Replay\nfeeds:\n{listed}")
    (start / ".gitignore").write_text("output/\n.newsgen/\n")
    git(start, "init", "--quiet", "--initial-branch=main")
    git(start, "add", ".")
    git(start, "commit", "--quiet", "-m", "Start", when=START - timedelta(days=1))
    git(tmp_path, "clone", "--quiet", "--bare", str(start), str(origin))
    cache, deployed = tmp_path / "ci-cache", tmp_path / "deployed"
    cache.mkdir()
    deployed.mkdir()

    published: dict[str, int] = {}  # article URL -> the first run that published it
    last_deployed, deploys = "", 0
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    articles: list[int] = []
    reports: dict[int, str] = {}
    asked_going_after_gone = 0
    for number in range(1, RUNS + 1):
        now = START + timedelta(days=number)
        monkeypatch.setenv("NEWSGEN_NOW", now.isoformat())
        feeds.day(number, now)
        if number in BY_HAND:
            editor_commit(origin, tmp_path, now - timedelta(hours=3), *BY_HAND[number])

        work = tmp_path / f"run-{number}"
        git(tmp_path, "clone", "--quiet", str(origin), str(work))  # fetch-depth: 0
        shutil.copytree(cache, work / ".newsgen")  # restore
        gc.collect()  # each run starts as a new process would: no garbage of the last one
        started, cpu = time.perf_counter(), time.process_time()
        fetched, reports[number] = newsgen("fetch", "--site", str(work), "--quiet")
        # As the workflow commits: seeds, a moved feed's new URL, and feed health with them.
        git(work, "add", "seeds", "newsgen.yaml")
        if git(work, "diff", "--cached", "--name-only"):
            if (work / "feeds-status.json").exists():
                git(work, "add", "feeds-status.json")
            git(work, "commit", "--quiet", "-m", "Fetch new seeds", when=now)
            git(work, "push", "--quiet")
        built, build_err = newsgen(
            "build", "--site", str(work), "--quiet", "--base-url", BASE, "--jobs", "1"
        )
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu)  # newsgen's own work, not git's
        assert fetched == 0, reports[number]
        if number == GONE_DAY:
            asked_going_after_gone = feed_server.count("going.xml")
        assert built == 0, build_err
        save_cache(work / ".newsgen", cache)
        output = work / "output"
        site_digest = digest(output)
        if site_digest != last_deployed:  # deploy only a changed site
            shutil.copytree(output, deployed, dirs_exist_ok=True)
            last_deployed, deploys = site_digest, deploys + 1

        # No URL ever published disappears: each is still an article, or redirects to one.
        now_live = set(ARTICLE.findall((output / "sitemap.xml").read_text()))
        for url, first in published.items():
            page = output / url / "index.html"
            assert page.is_file(), f"run {number}: {url} (published on run {first}) is gone"
            if url not in now_live:
                target = CANONICAL.search(page.read_text())
                assert target and target[1] in now_live, f"run {number}: {url} leads nowhere"
        for url in now_live:
            published.setdefault(url, number)
        articles.append(len(now_live))
        # Nothing is published twice: each article's title once among the live pages.
        titles = [title_of(output / url / "index.html") for url in now_live]
        assert len(titles) == len(set(titles)), f"run {number}: an article is published twice"
        # A seed dated ahead waits for its time; the first run after it publishes it.
        embargoed = [url for url in now_live if "budget-embargo-lifts" in url]
        assert bool(embargoed) == (now >= EMBARGO_DATE), f"run {number}: {embargoed}"
        # A feed's item dated ahead is dated by fetch as fetched (fetch/dates.py: clamp_future).
        future = [url for url in now_live if "the-bridge-opens" in url]
        fetched_on = START + timedelta(days=FUTURE_POSTED)
        expected = [f"{fetched_on:%Y/%m/%d}/calendar-the-bridge-opens/"]
        assert future == ([] if number < FUTURE_POSTED else expected), number
        shutil.rmtree(work, ignore_errors=True)

    # Feed problems are reported on the days they happen: the move once, on its day (and
    # newsgen.yaml, committed, names the new URL from then on); the 410 on its day, "gone"
    # from that day on every run, without the feed being asked again; the dying feed's HTTP 500
    # on every run, and a warning once it has failed for two days.
    moving, moved = feed_server.url("moving.xml"), feed_server.url("moved/moving.xml")
    going, dying = feed_server.url("going.xml"), feed_server.url("dying.xml")
    for number, stderr in reports.items():
        notice = f"fetch: notice: {moving}: moved permanently to {moved}"
        assert (notice in stderr) == (number == MOVE_DAY), number
        assert (moving in stderr) == (number == MOVE_DAY), number
        assert (f"fetch: {going}: HTTP 410" in stderr) == (number == GONE_DAY), number
        gone = f"fetch: warning: {going}: gone (HTTP 410 Gone since"
        assert (gone in stderr) == (number >= GONE_DAY), number
        assert (f"fetch: {dying}: HTTP 500" in stderr) == (number >= DEATH_DAY), number
        failing = f"fetch: warning: {dying}: failing for"
        assert (failing in stderr) == (number >= DEATH_DAY + 2), number
    assert asked_going_after_gone == feed_server.count("going.xml")
    moved_items = [url for url in published if "moving-report-" in url]
    assert len(moved_items) == RUNS  # every day's item, before and after the move, once

    # The undated note keeps its commit's date; an edited title keeps its URL; a changed slug
    # leaves a redirect.
    note_day = START + timedelta(days=NOTE_DAY)
    notes = {url for url in published if "harbour-works-begin" in url}
    assert notes == {f"{note_day:%Y/%m/%d}/harbour-works-begin/"}
    assert {"2026/03/02/council-meets/", "2026/03/02/x/"} <= published.keys()
    redirect = (deployed / "2026/03/02/council-meets/index.html").read_text()
    assert f'<link rel="canonical" href="{BASE}2026/03/02/x/">' in redirect
    assert deploys <= RUNS

    # Run time stays flat. A fresh checkout has no output/, so each run renders every page and
    # its cost follows the site's size; what must not grow is the cost per article: no cache or
    # record that grows with the runs, nothing redone that was done before. CPU time of
    # newsgen's work is compared: on a shared machine, wall time is mostly other processes.
    print("per-run wall seconds (fetch, commit, build):", " ".join(f"{s:.2f}" for s in seconds))
    print("per-run CPU seconds (fetch, build):", " ".join(f"{s:.2f}" for s in cpu_seconds))
    print("articles after each run:", " ".join(map(str, articles)))
    per_article = [cpu / count for cpu, count in zip(cpu_seconds, articles, strict=True)]
    early, late = statistics.median(per_article[5:25]), statistics.median(per_article[-20:])
    assert late < early * 1.5, (early, late)
