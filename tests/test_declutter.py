"""Body cleaning: pixels, beacons, share widgets, trailers, tracking parameters, empty leftovers."""

from __future__ import annotations

import pytest

from newsgen.text.declutter import (
    declutter_html,
    is_card_image,
    may_need_declutter,
    strip_tracking,
)
from newsgen.text.sanitize import sanitize_html

FEEDFLARE = (
    '<p>The council voted.</p><div class="feedflare">'
    '<a href="http://feeds.feedburner.com/~ff/Techcrunch?a=kTe:ARy:2mJ">'
    '<img src="http://feeds.feedburner.com/~ff/Techcrunch?d=2mJ" border="0"></a> '
    '<a href="http://feeds.feedburner.com/~ff/Techcrunch?a=kTe:ARy:7Q7">'
    '<img src="http://feeds.feedburner.com/~ff/Techcrunch?d=7Q7" border="0"></a></div>'
    '<img src="http://feeds.feedburner.com/~r/Techcrunch/~4/kTeeGj4FnwU" height="1" width="1"/>'
)


def test_feedflare_and_feedburner_pixel_go() -> None:
    assert sanitize_html(FEEDFLARE) == "<p>The council voted.</p>"


@pytest.mark.parametrize(
    "pixel",
    [
        '<img src="https://example.org/p.gif" width="1" height="1">',
        '<img src="https://example.org/p.gif" width="0" height="0">',
        '<img src="https://example.org/p.gif" height="1px">',
        '<img src="https://pixel.wp.com/g.gif?blog=1">',
        '<img src="https://stats.wordpress.com/b.gif">',
        '<img src="http://da.feedsportal.com/r/1/rc.img">',
        '<a href="http://feedads.g.doubleclick.net/~at/x/0/da"><img src="http://feedads.g.doubleclick.net/~at/x/0/di"></a>',
        '<img src="https://www.google-analytics.com/collect?v=1">',
    ],
)
def test_tracking_pixels_and_beacons_go(pixel: str) -> None:
    assert sanitize_html(f"<p>Text.{pixel}</p>") == "<p>Text.</p>"


def test_share_rows_go_with_their_separators() -> None:
    body = (
        "<p>Rates rose.</p>"
        '<p>Share: <a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> | '
        '<a href="https://twitter.com/intent/tweet?url=x">Twitter</a> | '
        '<a href="https://api.whatsapp.com/send?text=x">WhatsApp</a> | '
        '<a href="mailto:?subject=x">Email</a></p>'
        '<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="https://x.org/">X</a></li></ul></div>'
        '<ul class="share-buttons"><li><a href="https://x.com/intent/post?u=1">Post</a></li></ul>'
    )
    cleaned = sanitize_html(body)
    assert cleaned.startswith("<p>Rates rose.</p>")
    assert "facebook" not in cleaned and "intent" not in cleaned and "Share" not in cleaned
    assert "Twitter" not in cleaned and "WhatsApp" not in cleaned and "sharedaddy" not in cleaned


@pytest.mark.parametrize(
    "trailer",
    [
        '<p>The post <a href="https://a.org/x">Rates rise</a> appeared first on '
        '<a href="https://a.org">A News</a>.</p>',
        '<p>This article originally appeared on <a href="https://b.org">B</a>.</p>',
        "<p>Originally published at The Conversation.</p>",
        '<a href="https://g.org/story">Continue reading...</a>',
        '<p><a href="https://g.org/story">Read more »</a></p>',
        '<p>Read the full story at <a href="https://g.org/story">G</a></p>',
    ],
)
def test_trailers_at_the_end_go(trailer: str) -> None:
    assert sanitize_html(f"<p>Rates rose.</p>{trailer}") == "<p>Rates rose.</p>"


def test_read_more_inside_the_last_paragraph_goes_alone() -> None:
    body = (
        '<p>Rates rose &#8230; <a class="read_more" href="https://d.com/x">Read More Here</a></p>'
    )
    assert sanitize_html(body) == "<p>Rates rose …</p>"


def test_article_words_that_look_like_clutter_stay() -> None:
    body = (
        "<p>Read more books, the minister said, and share the market share data.</p>"
        "<p>The post office appeared first on the list of closures.</p>"
        "<p>She kept reading.</p>"
        "<p>The story was published in the Times last week and caused an outcry.</p>"
    )
    assert declutter_html(body) == body
    assert sanitize_html(body) == body


def test_a_continue_reading_line_inside_the_text_stays() -> None:
    body = "<p>Continue reading the notes below.</p><p>The notes say the plan works.</p>"
    assert sanitize_html(body) == body


def test_tracking_parameters_leave_links_and_images() -> None:
    body = (
        '<p><a href="https://example.org/a?id=3&amp;utm_source=rss&amp;utm_medium=feed">a</a> '
        '<a href="https://example.org/b?fbclid=IwAR0&amp;gclid=x">b</a> '
        '<a href="https://example.org/c?mc_cid=1&amp;mc_eid=2&amp;_hsenc=3#xtor=RSS-1">c</a> '
        '<img src="https://cdn.example.org/p.jpg?utm_campaign=x&amp;w=800" width="800"></p>'
    )
    cleaned = sanitize_html(body)
    assert 'href="https://example.org/a?id=3"' in cleaned
    assert 'href="https://example.org/b"' in cleaned
    assert 'href="https://example.org/c"' in cleaned
    assert 'src="https://cdn.example.org/p.jpg?w=800"' in cleaned
    for name in ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_hsenc", "xtor"):
        assert name not in cleaned


def test_strip_tracking_keeps_everything_else_as_written() -> None:
    assert strip_tracking("https://e.org/p?b=2&a=1#top") == "https://e.org/p?b=2&a=1#top"
    assert strip_tracking("https://e.org/p?utm_source=x") == "https://e.org/p"
    assert strip_tracking("https://e.org/p?q=a%20b&UTM_Medium=y") == "https://e.org/p?q=a%20b"


def test_images_lazy_load_without_a_referrer_and_keep_their_size() -> None:
    cleaned = sanitize_html(
        '<p><img src="https://e.org/a.jpg" width="640" height="360" loading="eager" alt="A"></p>'
    )
    assert 'loading="lazy"' in cleaned and 'loading="eager"' not in cleaned
    assert 'referrerpolicy="no-referrer"' in cleaned
    assert 'width="640"' in cleaned and 'height="360"' in cleaned


def test_empty_elements_left_behind_go_and_words_stay_apart() -> None:
    body = (
        '<p>One<span> </span>two</p><p><a href="https://twitter.com/share?u=x">'
        '<img src="https://e.org/t.png"></a></p><div><p>&nbsp;</p></div>'
        "<table><tr><td></td><td>cell</td></tr></table>"
    )
    cleaned = sanitize_html(body)
    assert cleaned.startswith("<p>One two</p><table>")
    assert "<td></td>" in cleaned  # a table keeps its shape


def test_clean_bodies_are_not_parsed_or_reshaped() -> None:
    body = '<p>Plain <a href="https://e.org/a?id=1">text</a> with <em>markup</em>.</p>'
    assert not may_need_declutter(body)
    assert declutter_html(body) is body


def test_card_images_are_never_pixels_icons_or_buttons() -> None:
    assert is_card_image("https://e.org/photo.jpg", "")
    assert not is_card_image("http://feeds.feedburner.com/~r/X/~4/abc", "")
    assert not is_card_image("https://pixel.wp.com/g.gif", "")
    assert not is_card_image("https://www.facebook.com/sharer/sharer.php?u=1", "")
    body = (
        '<img src="https://e.org/icon.png" width="32" height="32"><img src="https://e.org/p.jpg">'
    )
    assert not is_card_image("https://e.org/icon.png", body)
    assert is_card_image("https://e.org/p.jpg", body)
    assert not is_card_image("", body)
