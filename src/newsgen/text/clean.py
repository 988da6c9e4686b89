"""Repair mojibake and remove known boilerplate from hand-pasted news text.

Boilerplate is removed only by clear patterns (a widget's fixed wording, a syndication
disclaimer, a "follow us" trailer); anything that might be article text stays.
"""

from __future__ import annotations

import re

import ftfy

# Characters that only appear when UTF-8 was decoded as Windows-1252 or Latin-1. Checking for them
# first keeps ftfy (slow on long text) off the hot path of clean feed items.
_SUSPECT = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\"'\w]|ï»¿|\ufffd")
# What ftfy cannot undo: the C1 bytes of `’` (E2 80 99) were dropped, leaving "unitâs", or the
# bytes of a dash were turned into an ASCII quote, leaving "ONLY â" MANDATORY". Only English
# contraction shapes count: "Cât", "bât", "râd" and "Trâm" are Romanian, French and Vietnamese.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z]n)â(?=t\b)|(?<=[A-Za-z]{2})â(?=s\b)")  # don’t, unit’s
_LOST_CONTRACTION = re.compile(
    r"\b(?P<who>I|we|he|it|you|she|who|they|that)â(?=(?:m|d|ll|ve|re)\b)", re.IGNORECASE
)  # I’m, we’ll, they’re
_LOST_DASH = re.compile(r"(?<=\s)â[\"”](?=\s)")
# The first byte of a UTF-8 no-break space (C2 A0) read as Windows-1252, left standing once the
# second byte became a plain space: "Â " never begins a word ("Âme" does, followed by a letter).
_STRAY_A_CIRCUMFLEX = re.compile(r"Â(?=[ \t\n\u00a0])")

_BOILERPLATE_LINES = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^source link$",
        r"^recommended stories$",
        r"^list of \d+ items?(?:\s*end of list)?$",
        r"^end of list$",
        r"^follow ap[’']?s? coverage\b.*",
        r"^this (?:article|story) (?:was|has been) (?:rewritten|republished|syndicated)\b.*",
        r"^all opinions, quotes\b.*\bdo not necessarily reflect the views of\b.*",
        r"^stay informed with\b.*",
        r"^contact the author:.*",
        r"^(?:sign up|subscribe)\b.{0,60}\bnewsletter\b.*",
        r"^follow us on\b.{0,80}$",
        r"^interactive-[a-z0-9 ,'’-]+-\d{6,}$",  # an embedded graphic's asset name
    )
]
_RULE = re.compile(r"^_{3,}$")
_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 (`Russiaâ€™s` -> `Russia’s`), leaving clean text alone."""
    # Plain substring tests run at C speed; the pattern only confirms what they find.
    if not ("Ã" in text or "Â" in text or "â" in text or "ï»¿" in text or "\ufffd" in text):
        return text
    if not _SUSPECT.search(text):
        return _STRAY_A_CIRCUMFLEX.sub("", text) if "Â" in text else text
    fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False)
    fixed = _STRAY_A_CIRCUMFLEX.sub("", fixed)
    fixed = _LOST_APOSTROPHE.sub("’", fixed)
    fixed = _LOST_CONTRACTION.sub(r"\g<who>’", fixed)
    return _LOST_DASH.sub("—", fixed)


def is_blank(line: str) -> bool:
    """Say whether a line holds nothing but white space (including no-break spaces)."""
    return bool(_BLANK.match(line))


def is_boilerplate(line: str) -> bool:
    """Say whether one line is a known widget, trailer or disclaimer."""
    text = line.strip()
    return any(pattern.match(text) for pattern in _BOILERPLATE_LINES)


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Return the lines without boilerplate, a `___` rule before it, and trailing blank lines."""
    kept: list[str] = []
    for line in lines:
        if is_boilerplate(line):
            # A rule line right before a trailer belongs to the trailer ("___ / Follow AP's ...").
            while kept and (is_blank(kept[-1]) or _RULE.match(kept[-1].strip())):
                if _RULE.match(kept.pop().strip()):
                    break
            continue
        kept.append("" if is_blank(line) else line.rstrip())
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept
