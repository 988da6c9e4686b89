"""Split text into search terms, the same way here as finder.js does in the browser.

The rules, which finder.js repeats for queries:

1. A comma between digit groups is dropped ("1,406" -> "1406"), so numbers match however written.
2. The text is cut at every ASCII character other than a letter, digit or `_`.
3. Each piece is folded: NFKD, lower case, Latin accents (U+0300-U+036F) removed, NFC again,
   and the letters in `FOLD` replaced, so "Zelenskyy" = "ZELENSKYY" and "été" = "ete".
4. The folded piece is split into runs of Unicode letters, marks, digits and `_`. Runs in Han or
   kana, written without spaces, become overlapping two-character terms ("普京说" -> "普京",
   "京说"); every other run is one term.
5. Stop words of the document's language, terms shorter than `MIN_LENGTH` (but a lone Han or
   kana character) and terms longer than `MAX_LENGTH` are dropped.
6. Each term is stemmed by the Snowball stemmer of the document's language, if Snowball has one
   ("ferries" -> "ferri", like "ferry"). A query, whose language is not known, is stemmed in
   each language of the index, and matches any of the stems (see languages.py).

`words` states the rules plainly; `count_terms` gives the same counts much faster, because almost
all news text is ASCII and can be cut and counted as bytes without a regular expression,
and stems each distinct token once, in a table kept for the whole build.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache

from newsgen.search.languages import RAW_STOP_WORDS, stemmer

MIN_LENGTH = 2
MAX_LENGTH = 40  # longer "words" are URLs, hashes and pasted junk, not what anyone searches for

DEFAULT_LANGUAGE = "en"

# Letters that NFKD leaves whole but a reader types without their stroke or ligature.
FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
        "ı": "i", "ς": "σ"}  # fmt: skip
_FOLD_TABLE = str.maketrans(FOLD)

_DIGIT_GROUP = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_DIGIT_GROUP_BYTES = re.compile(rb",(?=\d\d\d(?!\d))")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+")
# Latin accents, and Arabic vowel marks and the hamza that NFKD splits off its alef ("أ" -> "ا").
_LATIN_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]+")
# Han (with extensions and compatibility forms), hiragana and katakana.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"([{_CJK}]+)")

# Curly quotes, dashes, ellipsis, no-break space and guillemets, as UTF-8: news copy is full of
# them. Turned into spaces before cutting, a text with no other non-ASCII stays on the fast path;
# rule 4 would separate words there anyway.
_COMMON_PUNCTUATION = re.compile(rb"\xe2\x80[\x93\x94\x98\x99\x9c\x9d\xa6]|\xc2[\xa0\xab\xbb]")
_ASCII_TO_WORDS = bytes(
    (ord(chr(i).lower()) if chr(i).isalnum() or chr(i) == "_" else 32) if i < 128 else i
    for i in range(256)
)


@cache
def _word_pattern() -> re.Pattern[str]:
    """Runs of Unicode letters, marks, digits and `_` (`\\w` leaves out the marks)."""
    ranges: list[tuple[int, int]] = []
    # Every mark lies in these two spans: scanning only them keeps the first call quick.
    for code in itertools.chain(range(0x300, 0x1F000), range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    marks = "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return re.compile(f"[\\w{marks}]+")


def join_digit_groups(text: str) -> str:
    """Drop the commas of digit groups: "1,406" -> "1406"."""
    return _DIGIT_GROUP.sub("", text)


def fold(piece: str) -> str:
    """Fold case, compatibility forms and Latin accents."""
    text = unicodedata.normalize("NFKD", piece).lower()
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", text)).translate(_FOLD_TABLE)


@cache
def stop_words(language: str) -> frozenset[str]:
    """A language's stop words, folded as terms are; none for a language without a list."""
    return frozenset(fold(word) for word in RAW_STOP_WORDS.get(language, "").split())


@cache
def _ascii_dropped(language: str) -> frozenset[bytes]:
    """What the fast path removes from its counts: stop words and every one-character token."""
    singles = {bytes([b]) for b in set(_ASCII_TO_WORDS[:128]) - {32}}
    return frozenset({w.encode() for w in stop_words(language)} | singles)


def _keep(term: str, stop: frozenset[str]) -> bool:
    return MIN_LENGTH <= len(term) <= MAX_LENGTH and term not in stop


@lru_cache(maxsize=1 << 16)
def piece_terms(piece: str, language: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The terms of one piece of text that holds no ASCII separator, not yet stemmed."""
    stop = stop_words(language)
    terms: list[str] = []
    for run in _word_pattern().findall(fold(piece)):
        # split() with a group alternates: other scripts at even places, Han and kana at odd.
        for place, part in enumerate(_CJK_RUN.split(run)):
            if place % 2:
                terms += (
                    [part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)]
                )
            elif _keep(part, stop):
                terms.append(part)
    return tuple(terms)


def words(text: str, language: str = DEFAULT_LANGUAGE, *, stem: bool = True) -> list[str]:
    """The terms of `text` in order, repeats included: the rules in their plainest form.

    With `stem` false, rule 6 is left out: the words as folded, not their stems.
    """
    pieces = _ASCII_SEPARATORS.split(join_digit_groups(text))
    stemmed = (stemmer(language) if stem else None) or str
    return [stemmed(term) for piece in pieces if piece for term in piece_terms(piece, language)]


def query_words(text: str, languages: list[str]) -> list[tuple[str, ...]]:
    """A query's words, each as its stems in the index's languages (rules 1-6), in order.

    A word is dropped when it is a stop word in every language; otherwise it matches any of its
    stems in the languages where it is not one.
    """
    found: list[tuple[str, ...]] = []
    for term in words(text, language="", stem=False):  # rules 1-5 but for stop words
        stems = [
            (stemmer(language) or str)(term)
            for language in languages
            if term not in stop_words(language)
        ]
        if stems:
            found.append(tuple(dict.fromkeys(stems)))
    return found


def count_terms(text: str, language: str = DEFAULT_LANGUAGE) -> dict[bytes, int]:
    """Count the terms of `text`, as UTF-8, exactly as `Counter(words(text))` would, but fast.

    Each token is looked up in a table of every token seen in the language, which gives its
    stem, or says to drop it (a stop word, one character, too long) or to cut it again by the
    full rules (a token with other scripts in it): one C-level pass over the tokens counts
    them by stem, so "ferry" and "ferries" add up as "ferri" without a loop in Python.
    """
    data = text.encode()
    if b"," in data:
        data = _DIGIT_GROUP_BYTES.sub(_join_bytes, data)
    if not data.isascii():
        data = _COMMON_PUNCTUATION.sub(b" ", data)
    tokens = data.translate(_ASCII_TO_WORDS).split()
    table = _token_table(language)
    try:
        counts = Counter(map(table.__getitem__, tokens))
    except KeyError:  # tokens not seen before in this language: learn each once, for good
        _learn(table, set(tokens).difference(table), language)
        counts = Counter(map(table.__getitem__, tokens))
    counts.pop(_DROP, None)
    if counts.pop(_RECUT, None):
        for token, count in Counter(t for t in tokens if table[t] is _RECUT).items():
            for term in piece_terms(token.decode(), language):
                counts[_stem_term(term, language)] += count
    return counts


_DROP = b""  # no token is empty: the mark of one that gives no term
_RECUT = b"\0"  # nor holds a NUL: the mark of one that the full rules must cut


@cache
def _token_table(language: str) -> dict[bytes, bytes]:
    return {}


def _learn(table: dict[bytes, bytes], tokens: set[bytes], language: str) -> None:
    stem = stemmer(language) or str
    dropped = _ascii_dropped(language)
    for token in tokens:
        if not token.isascii():
            table[token] = _RECUT
        elif token in dropped or len(token) > MAX_LENGTH:
            table[token] = _DROP
        else:
            table[token] = stem(token.decode()).encode()


@lru_cache(maxsize=1 << 16)
def _stem_term(term: str, language: str) -> bytes:
    return (stemmer(language) or str)(term).encode()


def _join_bytes(match: re.Match[bytes]) -> bytes:
    start = match.start()
    return b"" if match.string[start - 1 : start].isdigit() else b","
