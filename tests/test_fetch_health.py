"""Feed health over runs on a simulated clock: moves, 410s, failing and silent feeds, warnings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import run_newsgen
from newsgen.config import load_config
from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.health import load_health
from newsgen.fetch.http import HttpPolicy
from newsgen.fetch.report import Status

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FAST = HttpPolicy(connect_timeout=1.0, read_timeout=1.0, deadline=3.0, max_retry_wait=1.0)
START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def rss(*titles: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>https://news.example.org/{title.replace(' ', '-')}"
        "</link></item>"
        for title in titles
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


def write_config(site: Path, text: str) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "newsgen.yaml").write_text(text, encoding="utf-8")


def run(site: Path, when: datetime, **options: object) -> FetchReport:
    return fetch(site, load_config(site), quiet=True, policy=FAST, now=when, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_updates_the_config_keeping_comments(
    feed_server: FeedServer, tmp_path: Path, status: int
) -> None:
    new = feed_server.add("new.xml", rss("Harbour reopens"))
    old = feed_server.behave("old.xml", status=status, redirect=new)
    config = (
        "# my news site\n"
        "feeds:\n"
        f"  - url: {old}   # the desk's feed\n"
        "    name: Desk\n"
        "    tags: [local]\n"
    )
    write_config(tmp_path, config)
    report = run(tmp_path, START)
    assert report.outcomes[0].moved_to == new and report.new_items == 1
    text = (tmp_path / "newsgen.yaml").read_text(encoding="utf-8")
    assert text == config.replace(old, new)
    assert [(a.title, a.level) for a in report.alerts] == [("Feed moved", "notice")]
    health = load_health(tmp_path, tmp_path / ".newsgen")
    assert old not in health and health[new].moved_from == old
    # The next run asks the new address only.
    requests = feed_server.count("old.xml")
    again = run(tmp_path, START + timedelta(hours=1))
    assert feed_server.count("old.xml") == requests and feed_server.count("new.xml") == 2
    assert again.outcomes[0].status is Status.NOT_MODIFIED and again.alerts == ()


def test_temporary_redirect_leaves_the_config_alone(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    new = feed_server.add("new.xml", rss("Harbour reopens"))
    old = feed_server.behave("old.xml", status=302, redirect=new)
    write_config(tmp_path, f"feeds:\n  - url: {old}\n")
    report = run(tmp_path, START)
    assert report.outcomes[0].moved_to == "" and report.new_items == 1
    assert old in (tmp_path / "newsgen.yaml").read_text(encoding="utf-8")


def test_a_move_the_config_cannot_follow_is_explained_and_followed(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    new = feed_server.add("new.xml", rss("Harbour reopens"))
    old = feed_server.behave("old.xml", status=301, redirect=new)
    # The URL is written twice (an anchor would do the same): no single place to change.
    config = f"feeds:\n  - url: {old}\n# mirror: url: {old}\n"
    write_config(tmp_path, config)
    report = run(tmp_path, START)
    assert (tmp_path / "newsgen.yaml").read_text(encoding="utf-8") == config
    (alert,) = report.alerts
    assert alert.title == "Feed moved" and alert.level == "warning"
    assert (
        alert.message
        == f"moved permanently to {new}; change its url on line 2 of newsgen.yaml to {new}"
    )
    # Later runs ask the new address directly, and keep saying what to change.
    asked_old = feed_server.count("old.xml")
    later = run(tmp_path, START + timedelta(hours=1))
    assert feed_server.count("old.xml") == asked_old
    assert [a.title for a in later.alerts] == ["Feed moved"]


def test_gone_feed_is_not_asked_again_and_reported_each_run(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    gone = feed_server.behave("gone.xml", status=410)
    good = feed_server.add("good.xml", rss("Bridge closes"))
    write_config(tmp_path, f"feeds:\n  - url: {gone}\n  - url: {good}\n")
    first = run(tmp_path, START)
    assert first.outcomes[0].error is not None
    assert first.outcomes[0].error.reason == "HTTP 410 Gone"
    assert [a.title for a in first.alerts] == ["Feed gone"]
    for day in range(1, 4):
        report = run(tmp_path, START + timedelta(days=day))
        assert report.outcomes[0].status is Status.GONE
        assert [a.title for a in report.alerts] == ["Feed gone"]
        assert "HTTP 410 Gone since 2026-03-01" in report.alerts[0].message
    assert feed_server.count("gone.xml") == 1
    # Named on the command line, it is asked once more, and forgiven when it is back.
    feed_server.add("gone.xml", rss("Back again"))
    feed_server.behaviours.clear()
    back = run(tmp_path, START + timedelta(days=5), feed_urls=[gone])
    assert back.outcomes[0].status is Status.UPDATED
    assert run(tmp_path, START + timedelta(days=6)).outcomes[0].status is Status.NOT_MODIFIED


def test_feed_failing_for_days_is_warned_about(feed_server: FeedServer, tmp_path: Path) -> None:
    broken = feed_server.behave("broken.xml", status=500)
    write_config(tmp_path, f"feeds:\n  - url: {broken}\n")
    alerts_by_day = []
    for day in range(4):
        report = run(tmp_path, START + timedelta(days=day))
        alerts_by_day.append([a.message for a in report.alerts])
    assert alerts_by_day[:2] == [[], []]
    assert alerts_by_day[2] == [
        "failing for 2 days (3 fetches in a row); last error: HTTP 500 Internal Server Error"
    ]
    record = load_health(tmp_path, tmp_path / ".newsgen")[broken]
    assert (record.failures, record.failing_since, record.last_success) == (
        4,
        START.isoformat(),
        "",
    )


def test_a_success_ends_a_run_of_failures(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("flaky.xml", rss("One"))
    feed_server.behave("flaky.xml", status=503, times=2)
    write_config(tmp_path, f"feeds:\n  - url: {url}\n")
    run(tmp_path, START)
    run(tmp_path, START + timedelta(days=1))
    report = run(tmp_path, START + timedelta(days=3))
    assert report.outcomes[0].status is Status.UPDATED and report.alerts == ()
    record = load_health(tmp_path, tmp_path / ".newsgen")[url]
    assert record.failures == 0 and record.failing_since == ""
    assert record.last_failure == (START + timedelta(days=1)).isoformat()
    assert record.last_error == "HTTP 503 Service Unavailable"


def test_silent_feed_is_warned_about_after_two_weeks(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("quiet.xml", rss("Only story"))
    write_config(tmp_path, f"feeds:\n  - url: {url}\n")
    run(tmp_path, START)
    assert run(tmp_path, START + timedelta(days=13)).alerts == ()
    report = run(tmp_path, START + timedelta(days=15))
    assert [a.message for a in report.alerts] == [
        "no new item for 15 days (the last came 2026-03-01)"
    ]
    feed_server.add("quiet.xml", rss("Only story", "At last"))
    assert run(tmp_path, START + timedelta(days=16)).alerts == ()


def test_items_per_week_and_both_copies_of_the_record(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("daily.xml", rss("Day 0"))
    write_config(tmp_path, f"feeds:\n  - url: {url}\n")
    titles = ["Day 0"]
    for day in range(14):
        titles.append(f"Day {day + 1}")
        feed_server.add("daily.xml", rss(*titles))
        run(tmp_path, START + timedelta(days=day))
    committed = json.loads((tmp_path / "feeds-status.json").read_text(encoding="utf-8"))
    cached = json.loads((tmp_path / ".newsgen" / "feeds-status.json").read_text(encoding="utf-8"))
    assert committed == cached
    record = load_health(tmp_path, tmp_path / ".newsgen")[url]
    # 15 new items (2 on the first day) over the 13 days since the first fetch.
    assert record.items_per_week(START + timedelta(days=13)) == round(15 * 7 / 13, 1)
    # The cache lost (a fresh CI runner), the committed copy still knows the feed.
    (tmp_path / ".newsgen" / "feeds-status.json").unlink()
    assert load_health(tmp_path, tmp_path / ".newsgen")[url] == record


def test_strict_fails_when_any_feed_failed(feed_server: FeedServer, tmp_path: Path) -> None:
    good = feed_server.add("good.xml", rss("Harbour reopens"))
    bad = feed_server.behave("bad.xml", status=500)
    write_config(tmp_path, f"feeds:\n  - url: {good}\n  - url: {bad}\n")
    site = str(tmp_path)
    assert run_newsgen("fetch", "--site", site, "--quiet").returncode == 0
    strict = run_newsgen("fetch", "--site", site, "--quiet", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.strip() == f"fetch: {bad}: HTTP 500 Internal Server Error"
    feed_server.behaviours.clear()
    feed_server.add("bad.xml", rss("Fixed"))
    assert run_newsgen("fetch", "--site", site, "--quiet", "--strict").returncode == 0


def test_github_actions_get_annotations_and_a_job_summary(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    broken = feed_server.behave("broken.xml", status=500)
    write_config(tmp_path, f"feeds:\n  - url: {broken}\n    name: Broken, badly\n")
    summary = tmp_path / "summary.md"
    github = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    for day in range(3):
        now = (START + timedelta(days=day)).isoformat()
        result = run_newsgen("fetch", "--site", str(tmp_path), "--now", now, env=github)
    assert result.returncode == 1
    error = "HTTP 500 Internal Server Error"
    message = f"{broken}: failing for 2 days (3 fetches in a row); last error: {error}"
    assert f"::warning title=Feed failing::{message}" in result.stdout.splitlines()
    assert f"fetch: warning: {message}" in result.stderr.splitlines()
    text = summary.read_text(encoding="utf-8")
    assert text.count("### newsgen fetch") == 3
    assert f"| {broken} | **Feed failing**: failing for 2 days" in text
    plain = run_newsgen(
        "fetch", "--site", str(tmp_path), "--now", (START + timedelta(days=4)).isoformat()
    )
    assert "::warning" not in plain.stdout and "fetch: warning:" in plain.stderr


def test_feeds_status_table_and_json(feed_server: FeedServer, tmp_path: Path) -> None:
    good = feed_server.add("good.xml", rss("Harbour reopens", "Bridge closes"))
    bad = feed_server.behave("bad.xml", status=404)
    gone = feed_server.behave("gone.xml", status=410)
    off = feed_server.add("off.xml", rss("Never asked"))
    write_config(
        tmp_path,
        f"feeds:\n  - url: {good}\n    name: Good\n  - url: {bad}\n  - url: {gone}\n"
        f"  - url: {off}\n    enabled: false\n",
    )
    now = START.isoformat()
    run_newsgen("fetch", "--site", str(tmp_path), "--now", now)
    result = run_newsgen("feeds", "status", "--site", str(tmp_path), "--json", "--now", now)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    feeds = {feed["url"]: feed for feed in document["feeds"]}
    assert [feed["url"] for feed in document["feeds"]] == [good, bad, gone, off]
    wanted = {"state": "ok", "name": "Good", "last_success": now, "failures": 0}
    assert {key: feeds[good][key] for key in wanted} == wanted
    assert feeds[good]["last_new_item"] == now and feeds[good]["last_error"] is None
    assert feeds[good]["items_per_week"] == 14.0  # two items in the first day, as a week
    assert (feeds[bad]["state"], feeds[bad]["last_error"], feeds[bad]["failures"]) == (
        "failing",
        "HTTP 404 Not Found",
        1,
    )
    assert (feeds[gone]["state"], feeds[gone]["gone_since"]) == ("gone", now)
    assert (feeds[off]["state"], feeds[off]["enabled"], feeds[off]["last_success"]) == (
        "disabled",
        False,
        None,
    )
    assert feed_server.count("off.xml") == 0
    table = run_newsgen("feeds", "status", "--site", str(tmp_path), "--now", now).stdout
    lines = table.splitlines()
    assert lines[0].split() == ["FEED", "STATE", "LAST", "OK", "LAST", "FAILURE", "FAILS",
                                "ITEMS/WEEK", "LAST", "NEW", "NOTE"]  # fmt: skip
    assert lines[1].split()[:4] == ["Good", "ok", "2026-03-01", "06:00"]
    assert lines[2].startswith(bad) and "HTTP 404 Not Found" in lines[2]
    assert "failing" in lines[2] and "gone" in lines[3] and "disabled" in lines[4]


@pytest.mark.parametrize(
    ("hops", "moved"),
    [
        ((301, 308), "c.xml"),  # permanent all the way: the last permanent target
        ((301, 302), "b.xml"),  # a temporary hop after a permanent one: where it moved for good
        ((302, 301), ""),  # temporary first: the feed itself has not moved
        ((307,), ""),
    ],
)
def test_only_permanent_redirects_from_the_start_move_a_feed(
    feed_server: FeedServer, tmp_path: Path, hops: tuple[int, ...], moved: str
) -> None:
    names = ["a.xml", "b.xml", "c.xml"][: len(hops) + 1]
    feed_server.add(names[-1], rss("Harbour reopens"))
    for status, name, target in zip(hops, names, names[1:], strict=False):
        feed_server.behave(name, status=status, redirect=feed_server.url(target))
    write_config(tmp_path, f"feeds:\n  - url: {feed_server.url('a.xml')}\n")
    report = run(tmp_path, START)
    assert report.outcomes[0].moved_to == (feed_server.url(moved) if moved else "")
