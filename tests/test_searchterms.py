"""Search terms: folding, scripts, numbers and stop words, and the fast counter's agreement."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.readers.parse import read_seeds
from newsgen.search.index import search_doc
from newsgen.search.terms import MAX_LENGTH, count_terms, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zelenskyy’s ZELENSKYY zelenskyy", ["zelenskyy"] * 3),
        ("L'été à Orléans", ["ete", "orleans"]),
        (
            "e\u0301te\u0301 (typed with combining accents)",
            ["ete", "typed", "combining", "accents"],
        ),
        ("Straße Łódź Ærøskøbing Þór", ["strasse", "lodz", "aeroskobing", "thor"]),
        ("ﬁnal ＵＳＡ ２０２５", ["final", "usa", "2025"]),
        ("Istanbul İSTANBUL", ["istanbul", "istanbul"]),
        (
            "Day 1,406: 1,406,000 people; 2024,2025 and 3.5",
            ["day", "1406", "1406000", "people", "2024", "2025"],
        ),
        ("Путин заявил: «мир» Ёлка", ["путин", "заявил", "мир", "елка"]),
        # Arabic-script vowel marks and hamzas are folded away, as Latin accents are.
        ("عمران خان کی رہائی", ["عمران", "خان", "کی", "رہايی"]),
        ("مُحَمَّد أحمد", ["محمد", "احمد"]),
        ("हिन्दी समाचार", ["हिन्दी", "समाचार"]),  # vowel signs are marks, not separators
        ("ΟΔΟΣ οδός", ["οδοσ", "οδοσ"]),
        ("普京说", ["普京", "京说"]),
        ("京 iPhone发布", ["京", "iphone", "发布"]),
        ("The war in a US city: WHO says it is not over", ["war", "us", "city", "who", "over"]),
        ("Trump-Zelenskyy talks_2025", ["trump", "zelenskyy", "talks_2025"]),
        ("x" * (MAX_LENGTH + 1) + " " + "y" * MAX_LENGTH, ["y" * MAX_LENGTH]),
        ("", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text, stem=False) == expected


TRICKY = "aZ09_ ,.;:’“”—–…\u00a0«»'\"-/éÉßøİıçΣσςЁёй普京说かが한국어ह\u093f\u0301\u0308\n\t"
FRAGMENTS = ["1,406", ",000", "12,345,678", "2024,2025", "Zelenskyy’s", "été", "THE", "a", "x" * 41,
             "İstanbul", "普京", "ﬁ", "１,２３４", "and", " "]  # fmt: skip
# Texts built from fragments that exercise each rule, glued by random characters.
TEXTS = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(alphabet=TRICKY, max_size=4), max_size=20
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS | st.text(max_size=30), st.sampled_from(["en", "de", "ar", "ja", ""]))
def test_fast_counts_agree_with_the_plain_rules(text: str, language: str) -> None:
    counted = count_terms(text, language)
    assert {term.decode(): n for term, n in counted.items()} == Counter(words(text, language))


def test_fast_counts_agree_on_the_sample_articles(shared_seeds: Path) -> None:
    articles = read_seeds(shared_seeds, timezone=ZoneInfo("UTC")).articles
    assert len(articles) == 24
    for article in articles:
        doc = search_doc(article)
        for text in (doc.title, doc.text, doc.summary):
            assert {t.decode(): n for t, n in count_terms(text).items()} == Counter(words(text))
