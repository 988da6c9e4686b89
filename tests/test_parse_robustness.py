"""Whatever a seed holds, parsing returns articles or diagnostics, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.readers.parse import decode_seed_bytes, parse_seed_text

PIECES = st.sampled_from(
    [
        "---\n", "title: x\n", "date: 2025-13-45\n", "tags: [a, b]\n", "date 2025-01-02 T\n",
        "Source link\n", "  • item\n", "\n", "MOSCOW\n", "<p>para</p>\n", "— A (@a) May 1, 2024\n",
        "pic.twitter.com/x\n", "Here is where things stand on Monday, December 29:\n",
        "Russiaâ€™s\n", "x | y\n", "___\n", "Recommended Stories\n", "slug: ../..\n",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=30).map("".join)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_any_text_parses_to_valid_articles(text: str) -> None:
    mtime = datetime(2026, 1, 1, tzinfo=UTC)
    articles, notes = parse_seed_text(
        text, rel_path="a/b.txt", timezone=ZoneInfo("UTC"), mtime=mtime
    )
    for article in articles:
        assert article.date.tzinfo is not None
        assert article.slug and "/" not in article.slug and ".." not in article.slug
        assert "<script" not in article.body_html
        assert len(article.summary) <= 280
        assert article.title
    for note in notes:
        assert note.level in ("error", "warning", "info") and note.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    text, notes = decode_seed_bytes(data, "x.txt")
    assert isinstance(text, str)
    assert all(note.line >= 1 for note in notes)
