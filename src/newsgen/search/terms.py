"""Split text into search terms, the same way here as finder.js does in the browser.

The rules, which finder.js repeats for queries:

1. A comma between digit groups is dropped ("1,406" -> "1406"), so numbers match however written.
2. The text is cut at every ASCII character other than a letter, digit or `_`.
3. Each piece is folded: NFKD, lower case, Latin accents (U+0300-U+036F) removed, NFC again,
   and the letters in `FOLD` replaced, so "Zelenskyy" = "ZELENSKYY" and "été" = "ete".
4. The folded piece is split into runs of Unicode letters, marks, digits and `_`. Runs in Han or
   kana, written without spaces, become overlapping two-character terms ("普京说" -> "普京",
   "京说"); every other run is one term.
5. Stop words, terms shorter than `MIN_LENGTH` (but a lone Han or kana character) and terms longer
   than `MAX_LENGTH` are dropped.

`words` states the rules plainly; `count_terms` gives the same counts much faster, because almost
all news text is ASCII and can be cut and counted as bytes without a regular expression.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache

MIN_LENGTH = 2
MAX_LENGTH = 40  # longer "words" are URLs, hashes and pasted junk, not what anyone searches for

# Lucene's English stop words, plus reporting verbs and pronouns that every news story has.
# "us" and "who" stay searchable: they are also the US and the WHO.
STOP_WORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his if in into is it its
    no not of on or said says she such than that the their then there these they this to was
    were which will with would""".split()  # noqa: SIM905 - a word list reads better as text
)

# Letters that NFKD leaves whole but a reader types without their stroke or ligature.
FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
        "ı": "i", "ς": "σ"}  # fmt: skip
_FOLD_TABLE = str.maketrans(FOLD)

_DIGIT_GROUP = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_DIGIT_GROUP_BYTES = re.compile(rb",(?=\d\d\d(?!\d))")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+")
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
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
# What the fast path removes from its counts: stop words and every one-character ASCII token.
_ASCII_DROPPED = frozenset(
    {w.encode() for w in STOP_WORDS} | {bytes([b]) for b in set(_ASCII_TO_WORDS[:128]) - {32}}
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


def _keep(term: str) -> bool:
    return MIN_LENGTH <= len(term) <= MAX_LENGTH and term not in STOP_WORDS


@lru_cache(maxsize=1 << 16)
def piece_terms(piece: str) -> tuple[str, ...]:
    """The terms of one piece of text that holds no ASCII separator."""
    terms: list[str] = []
    for run in _word_pattern().findall(fold(piece)):
        # split() with a group alternates: other scripts at even places, Han and kana at odd.
        for place, part in enumerate(_CJK_RUN.split(run)):
            if place % 2:
                terms += (
                    [part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)]
                )
            elif _keep(part):
                terms.append(part)
    return tuple(terms)


def words(text: str) -> list[str]:
    """The terms of `text` in order, repeats included: the rules in their plainest form."""
    pieces = _ASCII_SEPARATORS.split(join_digit_groups(text))
    return [term for piece in pieces if piece for term in piece_terms(piece)]


def count_terms(text: str) -> Counter[bytes]:
    """Count the terms of `text`, as UTF-8, exactly as `Counter(words(text))` would, but fast."""
    data = text.encode()
    if b"," in data:
        data = _DIGIT_GROUP_BYTES.sub(_join_bytes, data)
    if not data.isascii():
        data = _COMMON_PUNCTUATION.sub(b" ", data)
    counts = Counter(data.translate(_ASCII_TO_WORDS).split())
    for dropped in counts.keys() & _ASCII_DROPPED:
        counts.pop(dropped)  # not `del`: Counter's __delitem__ is written in Python
    if max(map(len, counts), default=0) > MAX_LENGTH or not data.isascii():
        _fix_long_and_unicode(counts)
    return counts


def _join_bytes(match: re.Match[bytes]) -> bytes:
    start = match.start()
    return b"" if match.string[start - 1 : start].isdigit() else b","


def _fix_long_and_unicode(counts: Counter[bytes]) -> None:
    """Drop overlong ASCII tokens; re-cut the rare tokens with other scripts by the full rules."""
    for token in [t for t in counts if len(t) > MAX_LENGTH or not t.isascii()]:
        count = counts.pop(token)
        if token.isascii():
            continue
        for term in piece_terms(token.decode()):
            counts[term.encode()] += count
