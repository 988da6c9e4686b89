"""The five real documents in ../shared/seeds/ yield 24 clean, well titled, dated articles."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsgen.models import Article
from newsgen.readers.parse import parse_seed_text, read_seeds

UTC_ZONE = ZoneInfo("UTC")

# (file prefix, title, date or None where the text alone cannot settle it)
EXPECTED = [
    ("000", "Putin vows victory in Ukraine in New Year’s address amid Trump-backed peace talks",
     date(2025, 12, 31)),
    ("001", "Putin says Russia will 'certainly' achieve its goals in Ukraine", date(2025, 12, 17)),
    ("002", "Putin warns Moscow would try to extend its gains in Ukraine", None),
    ("003", "Russia-Ukraine war: List of key events, day 1,406", date(2025, 12, 31)),
    ("003", "Russia Claims Oreshnik Intermediate-Range Ballistic Missile Now “On Combat Duty” In "
     "Belarus", date(2025, 12, 30)),
    ("003", "Have Russian claims of Ukraine attack on Putin home ended hopes for peace?",
     date(2025, 12, 30)),
    ("003", "Bitter recriminations between Russia, Ukraine as war eclipses peace push",
     date(2025, 12, 30)),
    ("003", "Zelensky works yet again to break Putin’s hold on Trump", date(2025, 12, 29)),
    ("003", "Video: Trump and Zelenskyy hail ‘progress’ on Russia-Ukraine peace plan",
     date(2025, 12, 29)),
    ("003", "The legendary sleeper train connecting 3 countries in 7 days crosses 8 time zones",
     date(2025, 12, 29)),
    ("003", "Russia-Ukraine war: List of key events, day 1,404", date(2025, 12, 29)),
    ("003", "US President Trump says Russia-Ukraine truce talks in ‘final stages’",
     date(2025, 12, 28)),
    ("003", "Two killed as Russia hammers Ukraine before Trump-Zelenskyy meeting",
     date(2025, 12, 28)),
    ("003", "Russia-Ukraine war: List of key events, day 1,403", date(2025, 12, 28)),
    ("003", "Russia using Belarus territory to bypass Ukraine’s defences, says Zelenskyy",
     date(2025, 12, 27)),
    ("003", "Zelenskyy to meet Trump in Florida amid diplomatic push to end war",
     date(2025, 12, 26)),
    ("003", "Russia-Ukraine war: List of key events, day 1,401", date(2025, 12, 26)),
    ("003", "Majority of Russians expect Ukraine war to end in 2026, state survey finds",
     date(2025, 12, 25)),
    ("003", "Russia-Ukraine war: List of key events, day 1,400", date(2025, 12, 25)),
    ("003", "Russian forces seize embattled Siversk town as Ukrainian troops withdraw",
     date(2025, 12, 24)),
    ("003", "Russia-Ukraine war: List of key events, day 1,399", date(2025, 12, 24)),
    ("003", "Syria ministers discuss military cooperation with Putin in Russia: Report",
     date(2025, 12, 23)),
    ("003", "Why Maduro’s Alliance with Russia Matters for European Security", date(2025, 12, 23)),
    ("004", "Putin warns Moscow will seek to expand its territorial gains in Ukraine", None),
]  # fmt: skip

# The lists of key events state their day ("Here is where things stand on Wednesday, December 31").
ANCHORED = {"day 1,406", "day 1,404", "day 1,403", "day 1,401", "day 1,400", "day 1,399"}
FORBIDDEN = (
    "Source link", "Recommended Stories", "end of list", "Follow AP", "rewritten by",
    "Stay informed with", "â€", "unitâs", "â\"", "Contact the author", "NewsFeed",
)  # fmt: skip


@pytest.fixture(scope="module")
def articles() -> tuple[Article, ...]:
    from conftest import require_shared

    result = read_seeds(require_shared("seeds"), timezone=UTC_ZONE)
    assert not [d for d in result.diagnostics if d.level != "info"]
    return result.articles


def test_yields_24_articles(articles: tuple[Article, ...]) -> None:
    assert len(articles) == 24
    assert [a.seed_path[:3] for a in articles] == [prefix for prefix, _, _ in EXPECTED]


@pytest.mark.parametrize("index", range(len(EXPECTED)))
def test_title_and_date(articles: tuple[Article, ...], index: int) -> None:
    _, title, day = EXPECTED[index]
    article = articles[index]
    assert article.title == title
    assert " | " not in article.title
    if day is not None:
        assert article.date.date() == day
        assert article.date.tzinfo is not None


def test_stated_dates_are_explicit(articles: tuple[Article, ...]) -> None:
    assert articles[0].explicit_date and articles[0].inferred == ()
    assert articles[1].explicit_date and articles[1].inferred == ()
    anchored = [a for a in articles if any(a.title.endswith(day) for day in ANCHORED)]
    assert len(anchored) == 6
    assert all(a.explicit_date for a in anchored)


@pytest.mark.parametrize("index", [2, 23])
def test_plain_text_speech_reports_are_marked_as_guessed(
    articles: tuple[Article, ...], index: int
) -> None:
    article = articles[index]
    assert not article.explicit_date
    assert set(article.inferred) == {"title", "date"}
    assert article.weekday_hints[0] == 2  # "on Wednesday": 17 December 2025 was one


def test_dump_articles_keep_their_line_and_are_newest_first(
    articles: tuple[Article, ...],
) -> None:
    dump = [a for a in articles if a.seed_path.startswith("003")]
    lines = [a.seed_line for a in dump]
    assert lines == sorted(lines) and len(set(lines)) == 20
    assert lines[1] == 51
    assert [a.date for a in dump] == sorted((a.date for a in dump), reverse=True)


def test_no_boilerplate_or_mojibake_survives(articles: tuple[Article, ...]) -> None:
    for article in articles:
        for text in (article.body_html, article.summary, article.title):
            for phrase in FORBIDDEN:
                assert phrase not in text, (article.title, phrase)


def test_mojibake_is_repaired(articles: tuple[Article, ...]) -> None:
    oreshnik = articles[4].body_html
    assert "The unit’s launch" in oreshnik
    assert "EDITORIAL USE ONLY — MANDATORY CREDIT" in oreshnik


def test_structure_becomes_html(articles: tuple[Article, ...]) -> None:
    events = articles[3].body_html
    assert "<h2>Fighting</h2>" in events
    assert events.count("<li>") == 28
    assert "•" not in events
    oreshnik = articles[4].body_html
    assert oreshnik.count("<blockquote>") == 5
    assert "<cite>Dmitry Stefanovich (@KomissarWhipla)</cite> December 30, 2025" in oreshnik
    assert '<a href="https://t.co/RpoXcgdDVy"' in oreshnik
    assert "<h2>Sharply different demands of Moscow and Kiev</h2>" in articles[2].body_html
    assert "<h2>Military buildup and nuclear signaling</h2>" in articles[23].body_html
    assert "<h2>What has Russia claimed?</h2>" in articles[5].body_html


def test_labels_are_neither_title_nor_body(articles: tuple[Article, ...]) -> None:
    video = articles[8]
    assert video.body_html.startswith("<p>US President Donald Trump and Ukrainian leader")
    assert not articles[3].body_html.startswith("<p>Russia</p>")


def test_dateline_opens_the_lede(articles: tuple[Article, ...]) -> None:
    report = articles[1]
    assert "<p>MOSCOW</p>" not in report.body_html
    assert "<p>MOSCOW — Russian President Vladimir Putin said on Wednesday" in report.body_html
    assert report.summary.startswith("MOSCOW — Russian President")


def test_front_matter_fields(articles: tuple[Article, ...]) -> None:
    fox = articles[0]
    assert fox.summary.startswith("Russian President Vladimir Putin's defiant New Year's message")
    assert fox.source == "feeds.foxnews.com"
    assert fox.source_url == "https://feeds.foxnews.com/foxnews/world"
    assert (
        fox.slug
        == "putin-vows-victory-in-ukraine-in-new-year-s-address-amid-trump-backed-peace-talks"
    )
    assert fox.tags == ("victory", "ukraine", "address", "backed", "putin")
    assert 'target="_blank"' not in fox.body_html


def test_bodies_are_sanitised_and_summaries_short(articles: tuple[Article, ...]) -> None:
    for article in articles:
        assert not re.search(r"<script|javascript:|on\w+=", article.body_html)
        assert 0 < len(article.summary) <= 280
        assert "<" not in article.summary


def test_dump_dates_do_not_depend_on_the_file_time(shared_seeds: Path) -> None:
    path = next(shared_seeds.glob("003_*"))
    text = path.read_text(encoding="utf-8")
    for saved in (datetime(2026, 1, 2, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)):
        found, _ = parse_seed_text(text, rel_path=path.name, timezone=UTC_ZONE, mtime=saved)
        assert [a.date.date() for a in found] == [day for p, _, day in EXPECTED if p == "003"]
