"""The site's own words in its language, and each article's language on its elements.

A German site is scanned page by page for any English word of the theme's messages; the catalogs
must translate every message of the built-in templates into every language they ship.
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.mofile import read_mo

from conftest import REPO, run_newsgen
from newsgen.build import build
from newsgen.render.i18n import LOCALE_DIR, catalog_languages, site_locale

sys.path.insert(0, str(REPO / "scripts"))
import catalogs

GERMAN_SEEDS = {
    "kiel-faehre.md": ("Neue Fähre für den Hafen von Kiel", "2025-10-02", "Kieler Nachrichten",
                       "[Hafen, Verkehr]",
                       "Die Stadt Kiel hat am Donnerstag eine neue Fähre in Dienst gestellt. Sie "
                       "fährt zwischen dem Bahnhof und dem Ostufer und nimmt bis zu dreihundert "
                       "Fahrgäste mit. Der Hafenmeister sprach von einem guten Tag für die Stadt."),
    "bibliothek.md": ("Stadtbibliothek verlängert ihre Öffnungszeiten", "2025-10-02",
                      "Stadtanzeiger", "[Kultur]",
                      "Ab Montag bleibt die Stadtbibliothek abends zwei Stunden länger geöffnet. "
                      "Die Leiterin hofft auf mehr Besucher nach Feierabend."),
    "apfelernte.md": ("Apfelernte im Alten Land fällt reichlich aus", "2025-11-14",
                      "Kieler Nachrichten", "[Landwirtschaft]",
                      "Die Obstbauern im Alten Land melden eine der besten Ernten seit Jahren. "
                      "Der warme Spätsommer habe den Äpfeln gutgetan, sagte ein Sprecher."),
    "helgoland.md": ("Fährverbindung nach Helgoland wieder aufgenommen", "2025-12-20",
                     "Nordsee-Zeitung", "[Hafen, Verkehr]",
                     "Nach drei Wochen in der Werft fährt die Fähre wieder nach Helgoland. Die "
                     "Reederei entschuldigte sich bei den Fahrgästen für die lange Pause."),
    "weihnachtsmarkt.md": ("Weihnachtsmarkt öffnet am Rathausplatz", "2025-12-21", "Stadtanzeiger",
                           "[Kultur]",
                           "Mit Glühwein und Lichterketten hat der Weihnachtsmarkt am Rathausplatz "
                           "eröffnet. Die Händler rechnen mit vielen Gästen aus dem Umland."),
}  # fmt: skip


def write_site(root: Path, language: str, seeds: dict[str, str]) -> Path:
    site = root / "site"
    (site / "seeds").mkdir(parents=True)
    config = f"site:\n  title: Hafenblatt\n  language: {language}\n  per_page: 2\n"
    (site / "newsgen.yaml").write_text(config, encoding="utf-8")
    for name, text in seeds.items():
        (site / "seeds" / name).write_text(text, encoding="utf-8")
    return site


def german_seeds() -> dict[str, str]:
    return {
        name: f"---\ntitle: {title}\ndate: {day}\nsource: {source}\ntags: {tags}\n---\n{body}\n"
        for name, (title, day, source, tags, body) in GERMAN_SEEDS.items()
    }


class _Words(HTMLParser):
    """The words a reader meets on a page: its text and the attributes read out or shown."""

    SHOWN = ("aria-label", "placeholder", "title", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        found = dict(attrs)
        self.texts += [found[name] or "" for name in self.SHOWN if name in found]
        if tag == "meta" and found.get("name") == "description":
            self.texts.append(found.get("content") or "")
        if "data-messages" in found:  # what finder.js will say: the values, not the keys
            messages = json.loads(found["data-messages"] or "{}")
            for value in messages.values():
                self.texts += value.values() if isinstance(value, dict) else [value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)


def page_words(html: str) -> set[str]:
    parser = _Words()
    parser.feed(html)
    return set(re.findall(r"[^\W\d_]+", " ".join(parser.texts)))


def message_words(texts: list[str]) -> set[str]:
    plain = re.sub(r"%\(\w+\)[sd]|<[^>]*>", " ", " ".join(texts))
    return set(re.findall(r"[^\W\d_]+", plain))


def english_ui_words() -> set[str]:
    """Every word of the theme's English messages, month and weekday names."""
    ids = [m.id for m in catalogs.extract() if m.id]
    texts = [part for i in ids for part in (i if isinstance(i, tuple) else (i,))]
    texts += get_month_names("wide", locale="en").values()
    texts += get_day_names("wide", locale="en").values()
    return message_words(texts)


def test_every_catalog_translates_every_message_and_is_compiled() -> None:
    assert catalogs.refresh(check=True) == []
    assert {"en", "de", "fr", "es", "ar"} <= set(catalog_languages())
    wanted = {m.id for m in catalogs.extract() if m.id}
    for language in catalog_languages():
        if language == "en":
            continue
        with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
            compiled = read_mo(handle)
        translated = {_key(m.id) for m in compiled if m.id and m.string and all(m.string)}
        assert {_key(w) for w in wanted} <= translated, language


def test_a_german_site_shows_no_english_word_of_the_theme(tmp_path: Path) -> None:
    site = write_site(tmp_path, "de", german_seeds())
    assert build(site, quiet=True).exit_code == 0
    # A seed given a slug of its own moves its article: its old address gets a moved page.
    moved = sorted((site / "seeds").iterdir())[0]
    moved.write_text(moved.read_text("utf-8").replace("---\n", "---\nslug: verlegt\n", 1), "utf-8")
    report = build(site, quiet=True)
    assert report.exit_code == 0, [str(d) for d in report.diagnostics]
    pointers = [p for p in (site / "output").rglob("*.html") if "refresh" in p.read_text("utf-8")]
    assert len(pointers) == 1 and "umgezogen" in pointers[0].read_text("utf-8")
    german = [m.string for m in site_catalog("de") if m.id]
    german_texts = [p for s in german for p in ([s] if isinstance(s, str) else s)]
    allowed = message_words(german_texts) | message_words(list(german_seeds().values()))
    allowed |= set(get_month_names("wide", locale="de").values()) | {"Hafenblatt", "newsgen"}
    english = english_ui_words() - allowed
    assert {"Latest", "Topics", "October", "December", "stories", "Search"} <= english
    pages = sorted((site / "output").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        found = page_words(page.read_text(encoding="utf-8")) & english
        assert not found, f"{page.relative_to(site / 'output')}: English words {sorted(found)}"
    front = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "Aktualisiert am" in front and "21. Dezember 2025" in front
    assert '<html lang="de">' in front
    december = (site / "output" / "2025" / "12" / "index.html").read_text(encoding="utf-8")
    assert "<title>Dezember 2025 · Hafenblatt</title>" in december


def site_catalog(language: str) -> list:  # type: ignore[type-arg]
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        return list(read_mo(handle))


ARABIC = "---\ntitle: افتتاح خط عبّارة جديد في الميناء\ndate: 2025-11-03\nsource: الجريدة\n---\n"
ARABIC += "افتتحت البلدية يوم الإثنين خط عبّارة جديدًا يربط الميناء بالجزيرة، وقال المسؤولون "
ARABIC += "إن الرحلات ستنطلق كل ساعة طوال أيام الأسبوع.\n"
URDU = "---\ntitle: بندرگاہ پر نئی کشتی سروس کا آغاز\ndate: 2025-11-04\nlanguage: ur\n---\n"
URDU += "شہر کی انتظامیہ نے پیر کے روز بندرگاہ سے جزیرے تک نئی کشتی سروس شروع کی۔\n"
ENGLISH = "---\ntitle: Ferry service resumes\ndate: 2025-11-05\n---\n"
ENGLISH += "The harbour ferry is back on the water after three weeks of repairs in dry dock.\n"


def test_an_arabic_site_is_right_to_left_with_arabic_words(tmp_path: Path) -> None:
    site = write_site(tmp_path, "ar", {"a.md": ARABIC, "b.md": ENGLISH})
    build(site, quiet=True)
    front = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in front
    assert "آخر الأخبار" in front and "نوفمبر" in front
    # The English article keeps its own language and direction inside the Arabic page.
    assert '<h2 class="card-title" lang="en" dir="ltr">' in front
    assert '<h2 class="card-title"><a' in front  # the Arabic one is the page's own language


def test_articles_in_other_languages_are_marked_with_lang_and_dir(tmp_path: Path) -> None:
    site = write_site(tmp_path, "en", {"a.md": ARABIC, "u.md": URDU, "e.md": ENGLISH})
    build(site, quiet=True)
    out = site / "output"
    urdu = next(out.glob("2025/11/04/*/index.html")).read_text(encoding="utf-8")
    assert '<h1 lang="ur" dir="rtl">' in urdu
    assert '<div class="body" lang="ur" dir="rtl">' in urdu
    arabic = next(out.glob("2025/11/03/*/index.html")).read_text(encoding="utf-8")
    assert '<h1 lang="ar" dir="rtl">' in arabic  # detected from the text
    english = next(out.glob("2025/11/05/*/index.html")).read_text(encoding="utf-8")
    assert "<h1>Ferry service resumes</h1>" in english
    front = (out / "index.html").read_text(encoding="utf-8")
    assert front.count('<h2 class="card-title" lang="ur" dir="rtl">') == 1
    day = (out / "2025/11/03/index.html").read_text(encoding="utf-8")  # a plain list of cards
    assert day.count('<p class="summary" lang="ar" dir="rtl">') == 1
    assert '<html lang="en">' in front


@pytest.mark.parametrize(
    ("language", "dates"), [("xx", "5 November 2025"), ("pt", "5 de novembro de 2025")]
)
def test_a_language_without_catalog_warns_and_falls_back_to_english(
    tmp_path: Path, language: str, dates: str
) -> None:
    site = write_site(tmp_path, language, {"e.md": ENGLISH})
    report = build(site, quiet=True)
    warnings = [
        d for d in report.diagnostics if d.level == "warning" and "base_url" not in d.message
    ]
    assert len(warnings) == 1
    assert warnings[0].path == "newsgen.yaml" and "no message catalog" in warnings[0].message
    front = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "Latest news" in front and dates in front


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "3 November 2025", "November 2025"),
        ("de", "3. November 2025", "November 2025"),
        ("fr", "3 novembre 2025", "novembre 2025"),
        ("es", "3 de noviembre de 2025", "noviembre de 2025"),
        ("ar", "3 نوفمبر 2025", "نوفمبر 2025"),
    ],
)
def test_dates_follow_the_site_language(language: str, day: str, month: str) -> None:
    from datetime import date

    words = site_locale(language)
    assert words.date(date(2025, 11, 3)) == day
    assert words.month_and_year(date(2025, 11, 3)) == month
    assert words.warning == ""


@pytest.mark.parametrize("language", ["en", "de", "ar", "ja"])
def test_a_day_written_once_is_written_the_same_for_any_time_of_it(language: str) -> None:
    """Days are remembered as written: a time late in its zone's day, early in it, or without
    a zone, is the day Babel writes for it, in each format, asked first or asked again."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_date, format_skeleton

    words = site_locale(language)
    for zone in ("Pacific/Kiritimati", "America/New_York", "UTC"):
        for hour in (0, 23, 12, 0):
            when = datetime(2025, 11, 3 + hour % 2, hour, 59, tzinfo=ZoneInfo(zone))
            for moment in (when, when.replace(tzinfo=None)):
                assert words.date(moment) == format_date(moment, "long", locale=words.locale)
                for skeleton, asked in (("MMMMd", words.day_and_month),
                                        ("yMMMM", words.month_and_year)):  # fmt: skip
                    assert asked(moment) == format_skeleton(skeleton, moment, locale=words.locale)


def _key(message_id: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return message_id if isinstance(message_id, str) else tuple(message_id)


@pytest.mark.parametrize(
    ("language", "desk", "slug"),
    [("de", "Redaktion", "redaktion"), ("en", "Editors' desk", "editors-desk")],
)
def test_a_seed_naming_no_source_is_from_the_desk_in_the_site_language(
    tmp_path: Path, language: str, desk: str, slug: str
) -> None:
    seeds = german_seeds()
    seeds["notiz.md"] = "---\ntitle: Hafenfest verschoben\ndate: 2025-12-22\n---\nAm Samstag.\n"
    site = write_site(tmp_path, language, seeds)
    assert run_newsgen("build", "--site", str(site), "--quiet").returncode == 0
    source_page = site / "output" / "sources" / slug / "index.html"
    assert "Hafenfest verschoben" in source_page.read_text(encoding="utf-8")
    names = (site / "output" / "sources" / "index.html").read_text(encoding="utf-8")
    assert desk in unescape(names) and ("Editors" in names) == (language == "en")


@pytest.mark.parametrize("language", ["en", "de", "ar"])
@pytest.mark.parametrize("escaped", [True, False])
def test_messages_read_as_jinja_own_gettext_gives_them(language: str, escaped: bool) -> None:
    """`_()` is translated once a build rather than on every page: what it gives must be what
    Jinja's newstyle gettext gives, values escaped in HTML and not in JSON, `%%` a percent."""
    from jinja2 import Environment

    from newsgen.render.i18n import install

    template = (
        "{{ _('Topics') }}|{{ _('Search %(site)s', site=title) }}|{{ _('Topics') }}|"
        "{{ _('100%% local') }}|{% trans %}Sources{% endtrans %}|"
        "{% trans name=title %}By {{ name }}{% endtrans %}"
    )
    ours, theirs = Environment(autoescape=escaped), Environment(autoescape=escaped)
    locale = site_locale(language)
    install(ours, locale)
    install(theirs, locale)
    theirs.install_gettext_translations(locale.translations, newstyle=True)  # type: ignore[attr-defined]
    theirs.globals["_"] = theirs.globals["gettext"]
    title = "Kiel <b>&</b> Co"
    for _ in range(2):  # the second time from what the first remembered
        assert ours.from_string(template).render(title=title) == (
            theirs.from_string(template).render(title=title)
        )
    assert "&lt;b&gt;" in ours.from_string(template).render(title=title) or not escaped
