"""An article's language: a BCP 47 tag as given, or detected from its text, and its direction.

Detection uses py3langid (langid.py's model, 97 languages, numpy only): it is small (a 4.5 MB
package), offline and maintained; it loads its model once per process, then reads a text
character by character in Python, so what it costs follows how much of the text it is given.
langdetect is pure Python and several times slower and not deterministic without a seed; lingua
is more accurate on short texts but its models take hundreds of megabytes.
"""

from __future__ import annotations

import re
import threading
from typing import Any

# Scripts written right to left: Arabic, Hebrew, Persian, Urdu, Yiddish, Pashto, Sindhi,
# Uyghur, Dhivehi, Sorani Kurdish, Kashmiri and Syriac.
RTL_LANGUAGES = frozenset(
    {"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "ks", "syr"}
)
# The start of a text says its language as well as the whole of it: on the shared corpus's
# feed items and pages, this many characters give the same answers as twice as many, and
# detection costs as many times less on a long body.
DETECT_CHARS = 1500
MIN_LETTERS = 24  # below this a guess is noise ("Live: Update")
MIN_CONFIDENCE = 0.8

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_HTML_TAG = re.compile(r"<[^>]*>")
_LETTER = re.compile(r"[^\W\d_]")
_local = threading.local()


def normalise_language(value: str) -> str:
    """A language tag in its usual case ("en-US", "zh-Hant-TW"), or "" when it is not one."""
    value = value.strip()
    if not _TAG.match(value):
        return ""
    primary, *rest = value.replace("_", "-").split("-")
    subtags = [primary.lower()]
    for part in rest:
        if len(part) == 2:
            subtags.append(part.upper())  # a region
        elif len(part) == 4 and part.isalpha():
            subtags.append(part.title())  # a script
        else:
            subtags.append(part.lower())
    return "-".join(subtags)


def primary_language(tag: str) -> str:
    """The language of a tag without its region or script: "pt-BR" -> "pt"."""
    return tag.split("-", 1)[0].lower()


def text_direction(tag: str) -> str:
    """ "rtl" for languages written right to left, else "ltr"."""
    return "rtl" if primary_language(tag) in RTL_LANGUAGES else "ltr"


def detect_language(title: str, body_html: str) -> str:
    """The language of an article's text, or "" when the text is too short to say."""
    text = f"{title}\n{_HTML_TAG.sub(' ', body_html[: DETECT_CHARS * 2])}"[:DETECT_CHARS]
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return ""
    language, confidence = _identifier().classify(text)
    return str(language) if confidence >= MIN_CONFIDENCE else ""


def load_model() -> None:
    """Load the model in this thread now: before forking workers, so they share one copy
    instead of each decompressing its own."""
    _identifier()


def _identifier() -> Any:
    """The model, loaded on first use in each thread: most builds read languages from cache."""
    identifier = getattr(_local, "identifier", None)
    if identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        _local.identifier = identifier
    return identifier
