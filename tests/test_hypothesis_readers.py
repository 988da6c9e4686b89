"""Property-based tests of the seed readers: whatever the input, a clear result and no crash.

- any text and any bytes parse to valid articles or diagnostics, never an exception;
- a build over a seeds folder of generated files always finishes with a whole site;
- front matter written by fetch reads back with the same title, summary and tags, for any
  strings, within the documented cleaning (one line, entities decoded, mojibake repaired,
  tags lower-cased).
"""

from __future__ import annotations

import html
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import settled
from newsgen.build import build
from newsgen.fetch.items import FeedItem, item_keys
from newsgen.fetch.seedwriter import FeedContext, build_seed
from newsgen.fetch.text import one_line
from newsgen.frontmatter import FrontMatterError, split_front_matter
from newsgen.models import FeedConfig
from newsgen.readers.parse import decode_seed_bytes, parse_seed_text
from newsgen.text.clean import repair_mojibake
from newsgen.text.tags import normalise_tag

# When an example fails, hypothesis' report imports mypy_extensions, whose deprecation warning
# (an error under `filterwarnings = error`) would hide the failing example.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

UTC_ZONE = ZoneInfo("UTC")
MTIME = datetime(2026, 1, 1, tzinfo=UTC)

# Fragments that steer generated text into every reader and every guard against hostile input.
PIECES = st.sampled_from(
    [
        "---\n", "---\r\n", "\ufeff", "title: x\n", "title: [a, b\n", "date: 2025-02-30\n",
        "date: 9999-12-31T23:59:59-12:00\n", "tags: 5\n", "tags: [a, '#b', '../c']\n",
        "slug: ../../x\n", "slug: \"a\\0b\"\n", "draft: maybe\n", "a: &a [x, x]\nb: [*a, *a]\n",
        "? [k]\n: v\n", "!!python/object:os.system\n", "- item\n", "    - item\n", "> quote\n",
        "[" * 70, "(" * 70, "![a](" * 10, "<div>" * 40, "</div>", "<p>para</p>\n",
        "<script>alert(1)</script>", "date 2025-01-02 Headline\n", "Source link\n", "MOSCOW\n",
        "  • bullet\n", "Here is where things stand on Monday, December 29:\n",
        "— A (@a) May 1, 2024\n", "pic.twitter.com/x\n", "Russiaâ€™s\n", "Cât costă\n",
        "x | Section News\n", "Recommended Stories\n", "\r", "\t", "\x00", "\u2028", "\n\n",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=25).map("".join)


def parse(text: str, path: str = "a/2025-01-05-b.md") -> tuple[list, list]:  # type: ignore[type-arg]
    return parse_seed_text(text, rel_path=path, timezone=UTC_ZONE, mtime=MTIME)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("---\ntags: " + "[" * 40_000 + "\n---\n")
@example("---\ntitle: x\n---\n" + "".join("    " * n + "- a\n" for n in range(400)))
def test_any_text_gives_valid_articles_or_diagnostics(text: str) -> None:
    articles, notes = parse(text)
    for article in articles:
        assert article.title and article.date.tzinfo is not None
        assert article.slug and "/" not in article.slug and ".." not in article.slug
        assert article.slug == article.slug.lower() and article.slug.isascii()
        assert "<script" not in article.body_html
        assert 1000 < article.date.year < 9999
    for note in notes:
        assert note.level in ("error", "warning", "info") and note.line >= 1 and note.message
        assert note.path == "a/2025-01-05-b.md"
    assert articles or notes  # nothing is dropped without a word


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_front_matter_is_read_or_refused_with_a_line(text: str) -> None:
    try:
        parsed = split_front_matter("---\n" + text)
    except FrontMatterError as exc:
        assert exc.line >= 1 and str(exc)
    else:
        assert isinstance(parsed.meta, dict)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-16", "surrogatepass"))))
# A character XML forbids beside a tracker's link, which the declutter pass unwraps.
@example("\x01www.FACEBOOK.COM/TR".encode("utf-16"))
@example("\ufffewww.FACEBOOK.COM/TR".encode("utf-8"))
def test_any_bytes_decode_and_parse_or_are_refused(data: bytes) -> None:
    text, notes = decode_seed_bytes(data, "x.txt")
    assert all(note.line >= 1 and note.level in ("error", "warning") for note in notes)
    if any(note.level == "error" for note in notes):
        return
    articles, more = parse(text, "x.txt")
    assert articles or more


# A seeds folder: a few generated files, one known-good article, in nested folders.
FILE_NAMES = st.sampled_from(
    ["a.md", "b.txt", "2025-03-04-c.txt", "sub/d.md", "sub/deeper/e.txt", "f", ".hidden.md",
     "g.md~", "h.md.swp", "#i#", "über.md", "spaces in name.md"]
)  # fmt: skip
FILE_BODIES = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200))
GOOD = "---\ntitle: Known good\ndate: 2025-06-01\n---\n<p>Always here.</p>\n"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.dictionaries(FILE_NAMES, FILE_BODIES, max_size=5))
def test_a_build_over_any_seeds_finishes_with_a_whole_site(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        seeds = site / "seeds"
        for name, data in {**files, "zz-good.md": GOOD.encode()}.items():
            (seeds / name).parent.mkdir(parents=True, exist_ok=True)
            (seeds / name).write_bytes(data)
        report = build(site, search=False, quiet=True, jobs=1)
        output = site / "output"
        assert report.articles >= 1 and (output / "index.html").is_file()
        assert "Always here." in (output / "2025/06/01/known-good/index.html").read_text()
        assert not (site / ".newsgen/.output.staging").exists()
        settled(site)  # the spare folder is made in the background: walk the site once it is
        written = [path for path in site.rglob("*") if path.is_file()]
        assert all(path.is_relative_to(output) or ".newsgen" in path.parts or
                   path.is_relative_to(seeds) for path in written)  # fmt: skip


# Round trip: fetch's seed writer, then the parser.
FEED = FeedConfig(url="https://feeds.example.com/world.rss", tags=("world",))
CONTEXT = FeedContext(FEED, "Example World", datetime(2026, 1, 2, tzinfo=UTC))
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
TITLES = ANY_TEXT.filter(lambda text: bool(one_line(text)))
# Summaries are plain text, read back through the tag stripper: no `<` or `&` in them, and
# short enough to need no shortening.
SUMMARIES = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="<&"), max_size=240
).filter(lambda text: bool(one_line(text)))
TAGS = st.lists(ANY_TEXT, max_size=6)
ROUND_TRIP_EXAMPLES = [
    ("---", "title: injected\ndraft: true", ["- x", "#Hash", "yes"]),
    ("null", "2024-01-01", ["no", "1e3", "~"]),
    ("Cât costă pâinea", "Le bât blesse; Trâm said.", ["Iași", "ÉTÉ"]),
    ("&amp; &apos;", "Line\u2028separator\rreturn\x85next", ["&lt;b&gt;", " spaced  out "]),
    ("'single' \"double\" `tick`", "%YAML 1.1\n--- \n...", ["{flow: map}", "[flow, list]"]),
]


def read_back(title: str, summary: str, tags: list[str]) -> tuple[str, str, tuple[str, ...]]:
    item = FeedItem(
        title=title, link="https://news.example/a/1", summary=summary, categories=tuple(tags)
    )
    seed = build_seed(item, item_keys(item, FEED.url), CONTEXT)
    [article], notes = parse(seed.text, "news.example/a-1.md")
    assert [note for note in notes if note.level != "info"] == []
    return article.title, article.summary, article.tags


def cleaned(text: str) -> str:
    """The documented cleaning of a front matter text value: one line, entities, mojibake."""
    return " ".join(repair_mojibake(html.unescape(one_line(text))).split())


def check_round_trip(title: str, summary: str, tags: list[str]) -> None:
    read_title, read_summary, read_tags = read_back(title, summary, tags)
    assert read_title == cleaned(title)
    assert read_summary == " ".join(repair_mojibake(one_line(summary)).split())
    for tag in (*FEED.tags, *tags[:5]):
        written = one_line(tag).lower().strip("#").strip()
        expected = normalise_tag(cleaned(written))
        if written and len(written) <= 40 and expected:
            assert expected in read_tags


@settings(max_examples=200, deadline=None)
@given(TITLES, SUMMARIES, TAGS)
def test_front_matter_round_trips_through_the_fetch_writer(
    title: str, summary: str, tags: list[str]
) -> None:
    check_round_trip(title, summary, tags)


def test_front_matter_round_trips_for_hostile_strings() -> None:
    for title, summary, tags in ROUND_TRIP_EXAMPLES:
        check_round_trip(title, summary, tags)
