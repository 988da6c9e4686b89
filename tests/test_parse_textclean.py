"""Mojibake repair and boilerplate removal: clear patterns only, never real content."""

from __future__ import annotations

import pytest

from newsgen.text.clean import repair_mojibake, strip_boilerplate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russiaâ€™s war", "Russia’s war"),
        ("â€œQuotedâ€\x9d text", "“Quoted” text"),
        ("The unitâs launch", "The unit’s launch"),
        ("donât and weâll", "don’t and we’ll"),
        ('EDITORIAL USE ONLY â" MANDATORY CREDIT', "EDITORIAL USE ONLY — MANDATORY CREDIT"),
        ("A château in Reims", "A château in Reims"),
        ("Plain ASCII text", "Plain ASCII text"),
        ("Kyiv’s reply — “fine”", "Kyiv’s reply — “fine”"),
    ],
)
def test_repair_mojibake(text: str, expected: str) -> None:
    assert repair_mojibake(text) == expected


def test_widgets_and_trailers_go() -> None:
    lines = [
        "Lede paragraph.",
        "",
        "Recommended Stories",
        "",
        "list of 4 itemsend of list",
        "",
        "Second paragraph.",
        "",
        "Contact the author: someone@example.org",
        "",
        "The author covers defence.",
        "___",
        "Follow AP’s coverage of the war at https://apnews.com/hub/x",
        "Source link",
        "",
        "",
    ]
    assert strip_boilerplate(lines) == [
        "Lede paragraph.",
        "",
        "Second paragraph.",
        "",
        "The author covers defence.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Readers can follow us on the new bridge tour, which starts at noon on Saturday.",
        "The source link between the two reports was never established.",
        "Analysts said the list of 4 items discussed at the summit was short.",
        "___",
    ],
)
def test_real_content_stays(line: str) -> None:
    assert strip_boilerplate(["Lede.", line]) == ["Lede.", line]
