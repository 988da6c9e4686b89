"""Feeds in legacy encodings that declare none are read right, served from 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsgen.fetch import fetch
from newsgen.fetch.charset import undeclared_encoding
from newsgen.fetch.feeds import parse_feed
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

JAPANESE = "政府は新しい経済対策を発表しました。財務大臣は予算が予定通り執行されると述べました。"
TEXTS = {
    "koi8-r": "Правительство объявило о новых мерах поддержки экономики. Министр финансов "
    "заявил, что бюджет будет исполнен в срок.",
    "shift_jis": JAPANESE,
    "euc-jp": JAPANESE,
    "euc-kr": "정부는 새로운 경제 대책을 발표했습니다. "
    "재무 장관은 예산이 집행될 것이라고 말했습니다.",
    "gb2312": "政府宣布了新的经济支持措施。财政部长表示预算将按计划得到执行。",
    "tis-620": "รัฐบาลประกาศมาตรการสนับสนุนเศรษฐกิจใหม่ รัฐมนตรีว่าการกระทรวงการคลังกล่าวว่างบประมาณจะถูกใช้",
    "iso-8859-8": "הממשלה הודיעה על צעדים חדשים לתמיכה בכלכלה. שר האוצר אמר כי התקציב יבוצע. "
    "מזג האוויר: גשם צפוי בצפון הארץ מחר, והטמפרטורות ירדו מעט. "
    "העירייה פתחה את הנמל מחדש לאחר עבודות שיפוץ שנמשכו שנה.",
}


def rss(text: str) -> str:
    title = text.split("。")[0].split(".")[0][:40]
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        f"<item><title>{title}</title><link>https://news.example/1</link>"
        f"<description>{text}</description></item></channel></rss>"
    )


@pytest.mark.parametrize("encoding", TEXTS)
def test_undeclared_legacy_encodings_are_detected(encoding: str) -> None:
    text = TEXTS[encoding]
    [item] = parse_feed(rss(text).encode(encoding), "https://news.example/feed").items
    assert item.summary == text
    assert undeclared_encoding(rss(text).encode(encoding), "text/xml") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Café über àla",
        "Größere Schäden in München",
        "Les élèves ont réussi. Le ministre a félicité.",
    ],
)
def test_western_text_without_a_declaration_stays_windows_1252(text: str) -> None:
    [item] = parse_feed(rss(text).encode("cp1252"), "https://news.example/feed").items
    assert item.summary == text


def test_declared_and_utf8_feeds_are_not_second_guessed() -> None:
    text = TEXTS["koi8-r"]
    declared = rss(text).replace('version="1.0"', 'version="1.0" encoding="koi8-r"')
    assert undeclared_encoding(declared.encode("koi8-r"), "") is None
    assert undeclared_encoding(rss(text).encode("koi8-r"), "text/xml; charset=koi8-r") is None
    assert undeclared_encoding(rss(text).encode("utf-8"), "application/xml") is None
    [item] = parse_feed(declared.encode("koi8-r"), "https://news.example/feed").items
    assert item.summary == text


def test_a_served_shift_jis_feed_gives_a_readable_seed(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    text = TEXTS["shift_jis"]
    url = feed_server.add("jp.xml", rss(text).encode("shift_jis"), content_type="text/xml")
    assert fetch(tmp_path, Config(feeds=(FeedConfig(url=url),)), quiet=True).new_items == 1
    [seed] = (tmp_path / "seeds").rglob("*.md")
    meta = split_front_matter(seed.read_text(encoding="utf-8")).meta
    assert meta["title"] == "政府は新しい経済対策を発表しました" and meta["summary"] == text
