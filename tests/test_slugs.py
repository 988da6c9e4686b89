"""Slugs are bounded, lower-case ASCII URL segments, whatever the input."""

from __future__ import annotations

import pytest

from newsgen.text.slugs import MAX_LENGTH, make_slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin says Russia will 'certainly' win", "putin-says-russia-will-certainly-win"),
        ("Zürich’s trams: a ½-century", "zurichs-trams-a-1-2-century"),
        ("../../etc/passwd", "etc-passwd"),
        ("Day 1,406", "day-1406"),
    ],
)  # fmt: skip
def test_slug_from_text(text: str, expected: str) -> None:
    assert make_slug(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "☃☃", "../..", "..", "/"])
def test_empty_slugs_fall_back(text: str) -> None:
    assert make_slug(text) == "article"
    with_seed = make_slug(text, fallback_seed="seeds/a.txt:3")
    assert with_seed.startswith("article-") and len(with_seed) == len("article-") + 8
    assert with_seed != make_slug(text, fallback_seed="seeds/a.txt:9")


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    title = " ".join(["extraordinarily"] * 12)
    slug = make_slug(title)
    assert len(slug) <= MAX_LENGTH
    assert set(slug.split("-")) == {"extraordinarily"}


@pytest.mark.parametrize("text", ["a/b", "..hidden", "x/../y", "C:\\windows\\..\\system"])
def test_slugs_are_never_paths(text: str) -> None:
    slug = make_slug(text)
    assert "/" not in slug and ".." not in slug and "\\" not in slug
    assert slug == slug.lower() and slug.isascii() and slug
