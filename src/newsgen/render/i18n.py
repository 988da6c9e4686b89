"""The site's own words in `site.language`: gettext catalogs for the built-in templates, Babel
for dates and plural rules.

Catalogs live in `newsgen/locale/<lang>/LC_MESSAGES/messages.po`, compiled beside it to
`messages.mo` (`python scripts/compile_catalogs.py`; tests/test_i18n.py fails when a compiled
catalog is stale or misses a message). A language without a catalog gets English words, with
a warning, but its own dates and month names when Babel knows the language.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_month_names
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from newsgen.models import SiteConfig
from newsgen.text.language import primary_language, text_direction

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
# English as the site has always written it: day before month, "3 November 2025".
_ENGLISH_DATES = "en_GB"
_PLURAL_SAMPLES = range(0, 200)
_DEFAULT_DESCRIPTION = SiteConfig().description  # numbers enough to meet every CLDR plural category


def catalog_languages() -> tuple[str, ...]:
    """The languages the built-in templates are translated into, English included."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {DEFAULT_LANGUAGE}))


@dataclass(frozen=True)
class SiteLocale:
    """How the site speaks: its language tag, Babel locale, catalog and text direction."""

    language: str  # the site's `language` as configured
    locale: Locale  # for dates, month names and plural rules
    translations: NullTranslations
    warning: str = ""  # set when the language has no catalog and English is used instead
    # Days as written, by format and day: a page writes several, mostly the same few days, and
    # Babel works each out afresh from the locale's patterns.
    _days: dict[tuple[str, dt.date], str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    @property
    def date_language(self) -> str:
        """The locale as a BCP 47 tag, for the browser's `Intl` date formats."""
        return str(self.locale).replace("_", "-")

    def editors_desk(self) -> str:
        """The source of a seed that names none, outside any folder: in the site's language."""
        return self.translations.gettext("Editors' desk")

    def description(self, configured: str) -> str:
        """The site's description: the default one in the site's language, else as configured."""
        if configured == _DEFAULT_DESCRIPTION:
            return self.translations.gettext("News, gathered.")
        return configured

    def date(self, value: dt.date) -> str:
        """A day as the site's readers write it: "3 November 2025", "3. November 2025"."""
        return self._day("long", value)

    def time(self, value: dt.datetime) -> str:
        """A time of day as the site's readers write it: "14:05"."""
        return format_time(value, "short", locale=self.locale)

    def day_and_month(self, value: dt.date) -> str:
        return self._day("MMMMd", value)

    def month_and_year(self, value: dt.date) -> str:
        return self._day("yMMMM", value)

    def _day(self, pattern: str, value: dt.date) -> str:
        """A day in a date format ("long") or skeleton: of a time, the day of its own zone."""
        day = value.date() if isinstance(value, dt.datetime) else value
        written = self._days.get((pattern, day))
        if written is None:
            if pattern == "long":
                written = format_date(day, "long", locale=self.locale)
            else:
                written = format_skeleton(pattern, day, locale=self.locale)
            self._days[(pattern, day)] = written
        return written

    def month_name(self, month: int) -> str:
        return str(get_month_names("wide", "stand-alone", self.locale)[month])

    def finder_messages(self) -> str:
        """What finder.js says, as JSON: `%(num)d`, `%(query)s` and `%(error)s` filled in there.

        "results" has a message for each CLDR plural category of the language, from which
        finder.js picks with `Intl.PluralRules`, which follows the same CLDR rules.
        """
        ngettext, gettext = self.translations.ngettext, self.translations.gettext
        results: dict[str, str] = {}
        for number in _PLURAL_SAMPLES:
            category = self.locale.plural_form(number)
            if category not in results:
                results[category] = ngettext(
                    "%(num)d result for “%(query)s”", "%(num)d results for “%(query)s”", number
                )
        messages = {
            "results": results,
            "none": gettext("No results for “%(query)s”"),
            "failed": gettext(
                "Search is not available right now (%(error)s). Browse by topic or source instead."
            ),
        }
        return json.dumps(messages, ensure_ascii=False, sort_keys=True)


@cache
def site_locale(language: str) -> SiteLocale:
    """The locale for a site language; English words, with a warning, when there is no catalog."""
    primary = primary_language(language or DEFAULT_LANGUAGE)
    locale = _babel_locale(language, primary)
    if primary == DEFAULT_LANGUAGE:
        return SiteLocale(language, locale, NullTranslations())
    mo = LOCALE_DIR / primary / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        have = ", ".join(catalog_languages())
        warning = (
            f"site.language {language!r} has no message catalog; the site's own words are in "
            f"English (catalogs: {have}). Add newsgen/locale/{primary}/ to translate them"
        )
        return SiteLocale(language, locale, NullTranslations(), warning)
    with mo.open("rb") as handle:
        return SiteLocale(language, locale, Translations(handle, domain=DOMAIN))


def _babel_locale(language: str, primary: str) -> Locale:
    if language in ("", DEFAULT_LANGUAGE):
        return Locale.parse(_ENGLISH_DATES)
    for candidate in (language.replace("-", "_"), primary):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(_ENGLISH_DATES)


def install(env: Environment, site: SiteLocale) -> None:
    """Give templates `{% trans %}`, `_()`, `ngettext()` and the locale's date helpers."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # a message's line breaks are the template's layout
    env.install_gettext_translations(site.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = env.globals["gettext"] = _once_a_build(site.translations)
    env.globals.update(
        locale=site,
        format_date=site.date,
        format_time=site.time,
        day_and_month=site.day_and_month,
        month_and_year=site.month_and_year,
        month_name=site.month_name,
        finder_messages=site.finder_messages,
    )


def _once_a_build(translations: NullTranslations) -> Callable[..., str]:
    """`_()` and `gettext()` as Jinja's newstyle gettext gives them, but a message without
    variables is translated, escaped and formatted once, not on every page: Jinja's own goes
    through the template context three times a message, and a page says a dozen of them."""
    done: dict[tuple[str, bool], str] = {}

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, /, **variables: object) -> str:
        if variables:
            return _translated(translations, message, eval_ctx.autoescape) % variables
        key = (message, bool(eval_ctx.autoescape))
        found = done.get(key)
        if found is None:
            found = done[key] = _translated(translations, message, eval_ctx.autoescape) % {}
        return found

    return gettext


def _translated(translations: NullTranslations, message: str, escaped: bool) -> str:
    """What Jinja's newstyle gettext formats: the translation, as markup in escaped output, so
    that `%` escapes the values put into it."""
    text = translations.gettext(message)
    return Markup(text) if escaped else text
