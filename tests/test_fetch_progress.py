"""What a fetch run shows: plain lines in logs, nothing with --quiet, and a summary."""

from __future__ import annotations

import io

from newsgen.errors import FetchError
from newsgen.fetch.progress import PlainLines, Silent, make_reporter
from newsgen.fetch.report import FeedOutcome, FetchReport, Status

OUTCOMES = (
    FeedOutcome("https://a.example/rss", Status.UPDATED, new_items=3, items=10),
    FeedOutcome("https://b.example/rss", Status.NOT_MODIFIED),
    FeedOutcome("https://c.example/rss", Status.UNCHANGED, items=5),
    FeedOutcome(
        "https://d.example/rss",
        Status.FAILED,
        error=FetchError("https://d.example/rss", "HTTP 500"),
    ),
)


def test_plain_lines_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    reporter = make_reporter(len(OUTCOMES), quiet=False, stream=stream)
    assert isinstance(reporter, PlainLines)
    for outcome in OUTCOMES:
        reporter.feed_done(outcome)
    reporter.close()
    assert stream.getvalue().splitlines() == [
        "fetch: [1/4] https://a.example/rss: 3 new of 10",
        "fetch: [2/4] https://b.example/rss: not modified",
        "fetch: [3/4] https://c.example/rss: nothing new in 5",
        "fetch: [4/4] https://d.example/rss: failed: HTTP 500",
    ]


def test_quiet_shows_nothing() -> None:
    assert isinstance(make_reporter(4, quiet=True, stream=io.StringIO()), Silent)


def test_summary_and_exit_codes() -> None:
    report = FetchReport(OUTCOMES, elapsed=1.25)
    assert report.summary() == (
        "fetch: 3 new items from 4 feeds, 2 unchanged (1 not modified), 1 failed in 1.2 s"
    )
    assert (report.new_items, report.unchanged_feeds, report.feeds_total) == (3, 2, 4)
    assert report.exit_code == 0
    assert FetchReport(OUTCOMES[3:]).exit_code == 1  # every feed failed
    assert FetchReport(()).exit_code == 0  # nothing to fetch is no failure
    assert "no feeds to fetch" in FetchReport(()).summary()
