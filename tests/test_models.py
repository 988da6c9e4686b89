"""The pipeline's values: shortcuts taken for speed must equal the plain dataclass operations."""

from __future__ import annotations

import pickle
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone

from newsgen.models import Article, Enclosure


def full_article() -> Article:
    """An article with every field set to something other than its default."""
    return Article(
        title="Harbour reopens", date=datetime(2025, 1, 2, 3, 4, tzinfo=UTC), slug="harbour",
        body_html="<p>Body’s “quotes” 🚢</p>", summary="Body", source="Port News", source_url="https://f/x",
        link="https://p/a", image="https://p/i.jpg", image_alt="A crane", author="Ann",
        tags=("ports",), keywords=("harbour",), categories=("Local",), language="ur",
        draft=True,
        enclosure=Enclosure("https://p/a.mp3", "audio/mpeg", 12), seed_path="a/b.md", seed_line=7,
        inferred=("title",), explicit_date=False, weekday_hints=(2,), params={"mood": "sunny"},
    )  # fmt: skip


def test_the_test_article_sets_every_field() -> None:
    article = full_article()
    defaults = Article(title="", date=article.date, slug="", body_html="", summary="", source="")
    for field in fields(Article):
        if field.init and field.name != "date":
            assert getattr(article, field.name) != getattr(defaults, field.name), field.name


def test_with_date_is_replace() -> None:
    article = full_article()
    later = datetime(2025, 1, 2, 9, tzinfo=timezone(timedelta(hours=6)))
    assert article.with_date(later) == replace(article, date=later)
    assert repr(article.with_date(later)) == repr(replace(article, date=later))


def test_with_language_is_replace() -> None:
    article = full_article()
    assert article.with_language("ar") == replace(article, language="ar")
    assert article.with_language("ar").body_html == article.body_html


def test_pickling_keeps_every_field_and_the_key() -> None:
    article = full_article()
    copy = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == article and repr(copy) == repr(article)
    assert copy.key == article.key == "a/b.md:7"


def test_the_body_is_kept_as_utf8_and_read_back_as_it_was_given() -> None:
    article = full_article()
    assert article.body_html == "<p>Body’s “quotes” 🚢</p>"
    assert article.body_utf8 == article.body_html.encode()
    odd = replace(article, body_html="<p>\udcff lone surrogate</p>")  # from undecodable bytes
    assert odd.body_html == "<p>\udcff lone surrogate</p>"
    assert replace(article, slug="other").body_html == article.body_html
    assert article != replace(article, body_html="<p>Other</p>")


def test_shared_names_are_one_copy_and_leave_string_subclasses_as_they_are() -> None:
    class Name(str):
        pass

    def made(*parts: str) -> str:  # a new string each call, as each seed's reading makes
        return "".join(parts)

    first = replace(
        full_article(), source=made("Port ", "News"), tags=(made("por", "ts"), Name("x"))
    )
    second = replace(full_article(), source=made("Port ", "News"), tags=(made("por", "ts"),))
    assert first.source is not second.source and first.tags[0] is not second.tags[0]
    one, two = first.with_shared_names(), second.with_shared_names()
    assert one == first and two == second
    assert one.source is two.source and one.tags[0] is two.tags[0]
    assert one.tags[1] is first.tags[1]  # a subclass cannot be interned: kept as it was
