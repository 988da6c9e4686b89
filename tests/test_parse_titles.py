"""Headlines are recognised, section suffixes dropped, and a lede becomes a short title."""

from __future__ import annotations

import pytest

from newsgen.text.titles import headline_from_sentence, is_headline, strip_section_suffix


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Two killed as Russia hits Kyiv | Ukraine war News", "Two killed as Russia hits Kyiv"),
        ("Video: Leaders hail progress | Russia-Ukraine war", "Video: Leaders hail progress"),
        ("Syria ministers meet Putin: Report | Putin News", "Syria ministers meet Putin: Report"),
        ("Rock | Paper | Scissors is back", "Rock | Paper | Scissors is back"),
        ("No suffix here", "No suffix here"),
    ],
)  # fmt: skip
def test_strip_section_suffix(title: str, expected: str) -> None:
    assert strip_section_suffix(title) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Russia Claims Oreshnik Missile Now “On Combat Duty” In Belarus", True),
        ("Have Russian claims ended hopes for peace?", True),
        ("Russian President Vladimir Putin warned on Wednesday that Moscow would act.", False),
        ("lower-case start of something", False),
        ("See https://example.org", False),
        (" ".join(["word"] * 25), False),
    ],
)
def test_is_headline(line: str, expected: bool) -> None:
    assert is_headline(line) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Russian President Vladimir Putin warned on Wednesday that Moscow would try to extend "
            "its gains in Ukraine if Kiev and its Western allies reject the Kremlin’s demands.",
            "Putin warns Moscow would try to extend its gains in Ukraine",
        ),
        (
            "Russian President Vladimir Putin has warned that Moscow will seek to expand its "
            "territorial gains in Ukraine if peace talks fail to meet the Kremlin’s demands.",
            "Putin warns Moscow will seek to expand its territorial gains in Ukraine",
        ),
        (
            "Kremlin spokesman Dmitry Peskov said on Tuesday that the alleged attack was meant "
            "to derail talks.",
            "Peskov says the alleged attack was meant to derail talks",
        ),
        (
            "A majority of Russians expect the war in Ukraine to end in 2026, a state-owned "
            "research centre said.",
            "A majority of Russians expect the war in Ukraine to end in 2026",
        ),
        ("Heavy rain closed the harbour road on Tuesday.", "Heavy rain closed the harbour road"),
        (
            "the council voted to close the old swimming pool and the library and the museum and "
            "the theatre and the cinema",
            "The council voted to close the old swimming pool and the library",
        ),
    ],
)
def test_headline_from_sentence(sentence: str, expected: str) -> None:
    assert headline_from_sentence(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. Senate passed the bill late on Monday after a long debate over the budget.",
        "Officials in the region said that the new bridge over the river, which cost millions, "
        "would open in the spring of next year after delays of the",
    ],
)
def test_headlines_are_short_and_end_on_a_real_word(sentence: str) -> None:
    headline = headline_from_sentence(sentence)
    assert 4 <= len(headline.split()) <= 16
    assert headline.split()[-1].lower() not in {"the", "of", "that", "and", "to", "would"}
    assert not headline.endswith((",", ".", ";"))
