"""Headline keywords: names make tag pages that gather articles; longest words do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsgen.fetch.feeds import parse_feed
from newsgen.fetch.keywords import title_keywords
from newsgen.fetch.text import html_to_text


@pytest.mark.parametrize(
    ("title", "context", "expected"),
    [
        (
            "Putin vows victory in Ukraine in New Year’s address amid Trump-backed peace talks",
            "Russian President Vladimir Putin's defiant New Year's message contrasts with "
            "President Donald Trump's diplomatic push.",
            ("putin", "ukraine", "new year", "trump"),
        ),
        (
            "Hannity Announces Fox Has Hired Sebastian Gorka As NatSec Strategist",
            "Fox News star host Sean Hannity on Wednesday announced that the network has hired "
            "Sebastian Gorka, formerly an adviser.",
            ("hannity", "sebastian gorka", "natsec"),
        ),
        (
            "Trump State of the Union address promised unity but emphasized discord",
            "Donald Trump has promised a new American moment in a State of the Union address.",
            ("trump", "state of the union"),
        ),
        ("Bank of England raises rates as White House warns", "", ("england", "white house")),
        ("Storm hits the coast", "", ()),
        ("Ethiopia: One dead in grenade attack at rally", "", ("ethiopia",)),  # a topic label
        ("建国35周年纪念，华表，和平鸽", "", ()),  # no case: no way to tell names apart
        ("امریکہ کے ساتھ تعاون ختم کرنے پر غور کیا جائے", "", ()),
        ("President Macron meets NATO leaders in Brussels", "", ("macron", "nato", "brussels")),
    ],
)
def test_keywords_are_the_names_in_a_headline(title: str, context: str, expected: tuple) -> None:
    assert title_keywords(title, context) == expected


def test_at_most_the_limit_and_all_lower_case() -> None:
    title = "Merkel, Macron, Trudeau, Ardern, Modi and Abe meet in Osaka"
    keywords = title_keywords(title, limit=4)
    assert len(keywords) == 4 and all(k == k.lower() for k in keywords)


def longest_five(title: str) -> tuple[str, ...]:
    """The rule the sample seed shows: the five longest words of the title."""
    words = sorted(set(re.findall(r"[^\W\d_]+", title.lower())), key=lambda w: (-len(w), w))
    return tuple(words[:5])


def agrees(tag: str, categories: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(tag)}\b", category) for category in categories)


# News feeds whose editors file each item under several categories: their judgement of what
# an article is about, to check ours against.
EDITED_FEEDS = [
    "rss2-guardian-us.xml",
    "rss2-breitbart.xml",
    "rss2-techcrunch-leading-newline.xml",
    "rss2-washingtonpost-wellness.xml",
    "rss2-macworld-enclosure-images.xml",
    "rss2-medscape-family-medicine.xml",
]


def test_keywords_agree_with_editors_more_often_than_longest_words(shared_feeds: Path) -> None:
    scores = {"names": [0, 0, 0], "longest": [0, 0, 0]}  # tags, tags editors agree with, items hit
    for name in EDITED_FEEDS:
        for item in parse_feed((shared_feeds / name).read_bytes(), f"http://h/{name}").items:
            categories = [c.lower() for c in item.categories]
            if len(categories) < 2:
                continue
            context = f"{item.summary} {html_to_text(item.body_html)[:3000]}"
            for rule, tags in (
                ("names", title_keywords(item.title, context)),
                ("longest", longest_five(item.title)),
            ):
                hits = sum(agrees(tag, categories) for tag in tags)
                scores[rule][0] += len(tags)
                scores[rule][1] += hits
                scores[rule][2] += hits > 0
    precision = {rule: hits / tags for rule, (tags, hits, _) in scores.items()}
    # Measured: 40% against 17%, with a third as many tags, on the same share of items.
    assert precision["names"] >= 2 * precision["longest"]
    assert scores["names"][2] >= 0.85 * scores["longest"][2]
