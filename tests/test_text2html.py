"""Plain-text bodies become paragraphs, sub-headings, lists, block quotes and links."""

from __future__ import annotations

import pytest

from newsgen.text.to_html import is_caption, text_to_html


def test_one_paragraph_per_line_with_sub_headings() -> None:
    text = (
        "The council met on Tuesday to decide the budget for next year.\n"
        "Schools and roads\n"
        "Most of the money goes to schools, the treasurer said in a statement."
    )
    assert text_to_html(text) == (
        "<p>The council met on Tuesday to decide the budget for next year.</p>\n"
        "<h2>Schools and roads</h2>\n"
        "<p>Most of the money goes to schools, the treasurer said in a statement.</p>"
    )


def test_bullets_become_one_list_across_blank_lines() -> None:
    text = "Fighting\n\n  • First event.\n\n  • Second event.\n  - Third event.\n\nAfter the list."
    html = text_to_html(text)
    assert html == (
        "<h2>Fighting</h2>\n"
        "<ul><li>First event.</li><li>Second event.</li><li>Third event.</li></ul>\n"
        "<p>After the list.</p>"
    )


def test_a_line_above_bullets_in_the_same_block_is_their_heading() -> None:
    html = text_to_html(
        "Intro paragraph of the story, long enough.\n\nVarieties\n * Bramley\n * Russet"
    )
    assert "<h2>Varieties</h2>\n<ul><li>Bramley</li><li>Russet</li></ul>" in html


def test_a_caption_glued_to_another_line_stays_a_paragraph() -> None:
    text = (
        "First paragraph of the article, long enough to be a paragraph.\n\n"
        "Artillerymen of the 44th Brigade in the Dnipropetrovsk region\n"
        "Artillerymen of the 44th Brigade fire a howitzer [Reuters]\n\n"
        "Last paragraph."
    )
    html = text_to_html(text)
    assert "<h2>" not in html
    assert "<p>Artillerymen of the 44th Brigade in the Dnipropetrovsk region</p>" in html


@pytest.mark.parametrize(
    "line",
    [
        "Sharply different demands of Moscow and Kiev",
        "Airstrikes continue",
        "What has Russia claimed?",
        "‘No such attack happened’",
    ],
)
def test_headline_like_lines_are_sub_headings(line: str) -> None:
    html = text_to_html(
        f"A first paragraph that is plainly prose.\n{line}\nMore prose follows here."
    )
    assert f"<h2>{line}</h2>" in html.replace("&#x27;", "'")


@pytest.mark.parametrize(
    "line",
    [
        "Russia’s Defense Ministry said air defenses shot down 94 Ukrainian drones overnight.",
        "Here is where things stand on Wednesday, December 31:",
        "(Al Jazeera)",
        "“Why now?”",
        "See https://example.org/more for details",
    ],
)
def test_prose_lines_are_paragraphs(line: str) -> None:
    html = text_to_html(f"A first paragraph that is plainly prose.\n{line}\nMore prose follows.")
    assert "<h2>" not in html


def test_social_post_becomes_one_block_quote() -> None:
    text = (
        "The ministry released a video today.\n\n"
        "Official video of the deployment.\n\n"
        "Mostly support vehicles shown though. pic.twitter.com/abc123XYZ\n\n"
        "— Jane Analyst (@janeanalyst) December 30, 2025\n\n"
        "The video did not show launchers."
    )
    html = text_to_html(text)
    assert html == (
        "<p>The ministry released a video today.</p>\n"
        "<blockquote><p>Official video of the deployment.</p>"
        '<p>Mostly support vehicles shown though. <a href="https://pic.twitter.com/abc123XYZ">'
        "pic.twitter.com/abc123XYZ</a></p>"
        "<p>— <cite>Jane Analyst (@janeanalyst)</cite> December 30, 2025</p></blockquote>\n"
        "<p>The video did not show launchers.</p>"
    )


def test_a_long_paragraph_before_a_post_is_not_part_of_it() -> None:
    before = "It is notable that the vehicles shown are support vehicles. " * 5
    text = f"{before}\n\nA thought about the base https://t.co/Rpo\n\n— P. Podvig (@russianforces)"
    html = text_to_html(text)
    assert html.startswith("<p>It is notable")
    assert html.count("<blockquote>") == 1
    assert "<cite>P. Podvig (@russianforces)</cite></p></blockquote>" in html


def test_post_and_credit_in_one_block() -> None:
    html = text_to_html("Look at this https://t.co/xyz\n— A Person (@aperson) June 13, 2024")
    assert html.startswith("<blockquote><p>Look at this")
    assert "<cite>A Person (@aperson)</cite> June 13, 2024" in html


def test_bare_urls_become_links_without_trailing_punctuation() -> None:
    html = text_to_html("Follow the hub at https://apnews.com/hub/russia-ukraine.")
    assert html == (
        '<p>Follow the hub at <a href="https://apnews.com/hub/russia-ukraine">'
        "https://apnews.com/hub/russia-ukraine</a>.</p>"
    )


def test_text_is_escaped() -> None:
    html = text_to_html("A <script>alert(1)</script> & more, in a sentence of prose.")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    text = (
        "The council met on Tuesday evening to discuss the budget for the coming\n"
        "year, and agreed to spend more on the harbour and on the town's schools.\n\n"
        "The mayor said the decision had been difficult but that it was the right\n"
        "one for a growing town with many young families moving into new homes."
    )
    html = text_to_html(text)
    assert html.count("<p>") == 2
    assert "coming year, and agreed" in html


def test_dateline_opens_the_first_paragraph_that_is_not_a_caption() -> None:
    text = (
        "In this pool photograph, the president attends a meeting (AP Photo/A. Person)\n\n"
        "The president said on Wednesday the goals would be achieved."
    )
    html = text_to_html(text, dateline="MOSCOW")
    assert "<p>MOSCOW — The president said" in html
    assert html.startswith("<p>In this pool photograph")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("In this pool photograph distributed by Sputnik, Putin attends a meeting.", True),
        ("Firefighters work at the site, December 27, 2025. REUTERS/Valentyn Ogirenko", True),
        ("Zelenskyy meets Carney in Halifax [Ukrainian Presidential Office/Handout via AFP]", True),
        ("Putin said on Wednesday that the goals would be achieved.", False),
    ],
)
def test_is_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected
