"""Reading feed documents: RSS, Atom, JSON Feed, encodings, relative links, titles, images."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsgen.fetch.dates import parse_date
from newsgen.fetch.feeds import FeedFormatError, parse_feed

BASE = "https://news.example.org/feeds/main.xml"


def rss(items: str, *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (
        f'{declaration}\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Example News</title><link>https://news.example.org/</link>{items}"
        "</channel></rss>"
    ).encode()


def test_rss_item_fields_are_read_and_relative_links_resolved() -> None:
    feed = parse_feed(
        rss(
            "<item><title>Storm hits coast</title><link>/2024/storm</link>"
            "<guid isPermaLink='false'>storm-1</guid>"
            "<pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate>"
            "<description>Short.</description>"
            "<content:encoded><![CDATA[<p>Long <a href='/more'>text</a>.</p>]]></content:encoded>"
            "<category>Weather</category><author>desk@example.org (Jane Doe)</author></item>"
        ),
        BASE,
    )
    (item,) = feed.items
    assert feed.title == "Example News"
    assert item.title == "Storm hits coast"
    assert item.link == "https://news.example.org/2024/storm"
    assert item.guid == "storm-1"
    assert item.date == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)
    assert 'href="https://news.example.org/more"' in item.body_html
    assert item.summary == "Short."
    assert item.categories == ("Weather",)


def test_atom_xml_base_resolves_links_per_entry() -> None:
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/">
  <title type="html">Blog &amp;lt;b&amp;gt;X&amp;lt;/b&amp;gt;</title>
  <entry xml:base="/posts/2024/">
    <title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; brave</title>
    <id>tag:blog.example.com,2024:1</id>
    <link rel="alternate" href="first-post"/>
    <updated>2024-03-04T05:06:07Z</updated>
    <content type="html">&lt;img src="pic.jpg" alt="A pic"&gt;&lt;p&gt;Hi&lt;/p&gt;</content>
  </entry>
</feed>"""
    (item,) = parse_feed(doc, "https://blog.example.com/feed.atom").items
    assert item.title == "Bold & brave"
    assert item.link == "https://blog.example.com/posts/2024/first-post"
    assert item.image == "https://blog.example.com/posts/2024/pic.jpg"
    assert item.image_alt == "A pic"


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<?xml version="1.0" encoding="iso-8859-1"?>', "iso-8859-1"),
        ('<?xml version="1.0" encoding="windows-1251"?>', "windows-1251"),
        ("", "cp1252"),  # undeclared and not UTF-8: feedparser falls back
    ],
)
def test_declared_and_undeclared_encodings_decode(declaration: str, encoding: str) -> None:
    title = "Привет" if encoding == "windows-1251" else "Café über àla"
    doc = rss(
        f"<item><title>{title}</title><link>https://x.example/1</link></item>", declaration=""
    )
    data = (declaration + "\n").encode() + doc.decode().encode(encoding)
    assert parse_feed(data, BASE).items[0].title == title


def test_charset_from_the_http_header_wins() -> None:
    doc = "<rss version='2.0'><channel><title>t</title><item><title>Grüße</title></item>"
    doc += "</channel></rss>"
    feed = parse_feed(doc.encode("iso-8859-1"), BASE, "application/rss+xml; charset=ISO-8859-1")
    assert feed.items[0].title == "Grüße"


def test_largest_media_content_image_is_chosen_over_thumbnail() -> None:
    feed = parse_feed(
        rss(
            "<item><title>t</title><link>https://x.example/1</link>"
            "<media:thumbnail url='https://img.example/thumb.jpg'/>"
            "<media:content url='https://img.example/small.jpg' width='140' medium='image'/>"
            "<media:content url='https://img.example/big.jpg' width='460' medium='image'/>"
            "<enclosure url='https://img.example/audio.mp3' type='audio/mpeg' length='1'/>"
            "</item>"
        ),
        BASE,
    )
    assert feed.items[0].image == "https://img.example/big.jpg"


def test_image_enclosure_is_used_and_audio_is_not() -> None:
    feed = parse_feed(
        rss(
            "<item><title>a</title><link>https://x.example/1</link>"
            "<enclosure url='https://img.example/a.mp3' type='audio/mpeg' length='1'/></item>"
            "<item><title>b</title><link>https://x.example/2</link>"
            "<enclosure url='https://img.example/b.jpg' type='image/jpeg' length='1'/></item>"
        ),
        BASE,
    )
    assert [item.image for item in feed.items] == ["", "https://img.example/b.jpg"]


def test_untitled_item_gets_a_headline_from_its_text_and_empty_items_are_skipped() -> None:
    feed = parse_feed(
        rss(
            "<item><description>I went to the market today. It was busy.</description>"
            "<link>https://x.example/1</link></item><item/><item></item>"
        ),
        BASE,
    )
    assert [item.title for item in feed.items] == ["I went to the market today."]
    assert feed.skipped == 2


def test_feedburner_original_link_replaces_the_redirector() -> None:
    feed = parse_feed(
        b'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        b"<channel><title>t</title><item><title>a</title>"
        b"<link>http://rss.example.com/~r/x/~3/abc/index.html</link>"
        b"<feedburner:origLink>https://www.example.com/2018/a/index.html</feedburner:origLink>"
        b"</item></channel></rss>",
        BASE,
    )
    assert feed.items[0].link == "https://www.example.com/2018/a/index.html"


def json_feed(**overrides: object) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Blog &#8211; Example",
        "home_page_url": "https://blog.example.com/",
        "items": [
            {
                "id": "1",
                "url": "/posts/one",
                "title": "One &amp; only",
                "content_text": "First para.\n\nSecond <para>.",
                "date_published": "Fri, 31 May 2019 12:17:58 -0700",
                "authors": [{"name": "Ann"}, {"name": "Bo"}],
                "tags": ["python"],
                "attachments": [{"url": "/img/a.png", "mime_type": "image/png"}],
            },
            {"id": 2, "external_url": "https://elsewhere.example/x", "content_html": "<p>Hi</p>"},
        ],
    } | overrides
    return json.dumps(doc).encode()


def test_json_feed_items_are_read() -> None:
    feed = parse_feed(json_feed(), "https://blog.example.com/feed.json")
    first, second = feed.items
    assert feed.title == "Blog – Example"
    assert first.title == "One & only"
    assert first.link == "https://blog.example.com/posts/one"
    assert first.body_html == "<p>First para.</p><p>Second &lt;para&gt;.</p>"
    assert first.date == datetime(2019, 5, 31, 19, 17, 58, tzinfo=UTC)
    assert first.authors == ("Ann", "Bo")
    assert first.image == "https://blog.example.com/img/a.png"
    assert first.categories == ("python",)
    assert (second.guid, second.link) == ("2", "https://elsewhere.example/x")


def test_json_feed_version_with_http_scheme_is_accepted() -> None:
    feed = parse_feed(json_feed(version="http://jsonfeed.org/version/1"), BASE)
    assert len(feed.items) == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"rss": {"channel": {"title": "x"}}}', "not a feed: JSON without a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1", "ti', "unparsable"),
        (b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>", "not a feed"),
        (b"just some words", "not a feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>', "unparsable"),
    ],
)
def test_documents_that_are_not_feeds_are_named_as_such(data: bytes, reason: str) -> None:
    with pytest.raises(FeedFormatError, match=f"^{reason}"):
        parse_feed(data, BASE)


def test_an_empty_but_valid_feed_is_no_error() -> None:
    assert parse_feed(rss(""), BASE).items == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-04T05:06:07Z", datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)),
        ("2019-08-27", datetime(2019, 8, 27, tzinfo=UTC)),
        ("Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
        ("2020/1/10 14:33:00", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("Thu, 07 Dec 17 10:00:29 -0800", datetime(2017, 12, 7, 18, 0, 29, tzinfo=UTC)),
        ("not a date", None),
    ],
)
def test_dates_in_the_forms_feeds_use(raw: str, expected: datetime | None) -> None:
    parsed = parse_date(raw)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


def test_slashed_date_that_feedparser_misreads_is_read_correctly() -> None:
    feed = parse_feed(
        rss(
            "<item><title>t</title><link>https://x/1</link>"
            "<pubDate>2020/1/10 14:33:00</pubDate></item>"
        ),
        BASE,
    )
    assert feed.items[0].date == datetime(2020, 1, 10, 14, 33, tzinfo=UTC)


def test_entity_expansion_is_bounded() -> None:
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>t</title><item><title>&e9;</title><link>https://x.example/1</link></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed(doc, BASE)
    assert all(len(item.title) < 100 for item in feed.items)


@pytest.mark.parametrize("version", ["1.1", "1", 1.1, "https://jsonfeed.org/version/1.1/"])
def test_json_feed_bare_versions_are_accepted(version: object) -> None:
    assert len(parse_feed(json_feed(version=version), BASE).items) == 2


@pytest.mark.parametrize("version", ["2.0", "https://example.org/version/1", None])
def test_json_feed_other_versions_are_named(version: object) -> None:
    with pytest.raises(FeedFormatError, match="not a feed: JSON Feed version"):
        parse_feed(json_feed(version=version), BASE)


def test_json_feed_items_without_authors_take_the_feeds() -> None:
    doc = json_feed(authors=[{"name": "Desk"}, {"name": "Wire"}])
    first, second = parse_feed(doc, BASE).items
    assert first.authors == ("Ann", "Bo") and second.authors == ("Desk", "Wire")
    old = json_feed(version="https://jsonfeed.org/version/1", author={"name": "Solo"})
    assert parse_feed(old, BASE).items[1].authors == ("Solo",)


ATOM_AUTHORS = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<author><name>Feed Writer</name></author>
<entry><title>No author</title><id>urn:a</id><link href="https://x.example/a"/></entry>
<entry><title>Two</title><id>urn:b</id><link href="https://x.example/b"/>
<author><name>Ann</name></author><author><name>Bo</name></author></entry></feed>"""
RSS_AUTHORS = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>t</title><managingEditor>ed@x.example (Ed)</managingEditor>
<item><title>Two</title><link>https://x.example/c</link><dc:creator>Ann</dc:creator>
<dc:creator>Bo</dc:creator></item>
<item><title>None</title><link>https://x.example/d</link></item></channel></rss>"""


def test_atom_entries_take_the_feeds_author_and_keep_every_author() -> None:
    first, second = parse_feed(ATOM_AUTHORS, BASE).items
    assert first.authors == ("Feed Writer",) and second.authors == ("Ann", "Bo")
    two, none = parse_feed(RSS_AUTHORS, BASE).items
    assert two.authors == ("Ann", "Bo") and none.authors == ()  # managingEditor is no author


SVG_ONLY = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Rainfall chart</title>'
    '<circle r="4"/><text x="1">12 mm &amp; rising</text></svg>'
)
MATH_ONLY = (
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>E</mi><mo>=</mo><mi>m</mi>'
    "<msup><mi>c</mi><mn>2</mn></msup></math>"
)


@pytest.mark.parametrize(
    ("body", "text"), [(SVG_ONLY, "Rainfall chart 12 mm & rising"), (MATH_ONLY, "E=mc2")]
)
def test_items_whose_only_text_is_svg_or_mathml_are_kept(body: str, text: str) -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:x:1</id>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'
        "</content></entry></feed>"
    ).encode()
    rss_doc = rss(f"<item><guid isPermaLink='false'>g1</guid><description><![CDATA[{body}]]>"
                  "</description></item>")  # fmt: skip
    for doc in (atom, rss_doc):
        feed = parse_feed(doc, BASE)
        assert feed.skipped == 0
        [item] = feed.items
        assert (item.title, item.summary) == (text, text)
