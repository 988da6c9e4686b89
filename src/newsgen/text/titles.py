"""Recognise headlines, strip site-section suffixes, and make a short title from a lede sentence."""

from __future__ import annotations

import re

MAX_TITLE_WORDS = 12
CLAUSE_SLACK = 4  # words a complete clause may run over MAX_TITLE_WORDS

# " | Russia-Ukraine war News": the site's section, pasted along with the headline.
_SECTION_SUFFIX = re.compile(r"\s+\|\s+[^|]{1,60}$")
_FINAL_STOP = re.compile(r"[.,;:]$")
_URL = re.compile(r"https?://|www\.|pic\.twitter\.com/", re.IGNORECASE)
_OPENING = "‘“\"'"

# "Russian President Vladimir Putin" -> "Putin": headlines name people by surname.
_ROLE = (
    r"(?:President|Prime Minister|Chancellor|Foreign Minister|Defen[cs]e Minister|Minister"
    r"|Secretary of State|Secretary|Governor|Mayor|Senator|Pope|King|Queen|leader|spokesman"
    r"|spokeswoman|spokesperson|chief|envoy)"
)
_TITLED_SUBJECT = re.compile(
    rf"^(?:(?:[A-Z][\w.’'-]*|U\.S\.)\s+){{0,2}}(?:(?:Deputy|Vice|Prime|Former|former)\s+)?{_ROLE}"
    r"\s+(?:[A-Z][\w.’'-]*\s+){0,2}(?P<surname>[A-Z][\w’'-]+)\b"
)
_SPEECH_VERBS = {
    "said": "says", "warned": "warns", "told": "tells", "announced": "announces",
    "claimed": "claims", "vowed": "vows", "urged": "urges", "insisted": "insists",
    "stressed": "stresses", "accused": "accuses", "denied": "denies", "threatened": "threatens",
    "pledged": "pledges", "declared": "declares", "promised": "promises", "called": "calls",
    "signalled": "signals", "signaled": "signals", "suggested": "suggests", "argued": "argues",
}  # fmt: skip
_SPEECH = re.compile(
    r"^(?P<subject>\S+(?:\s+\S+){0,3}?)\s+(?:(?:has|have|had)\s+)?"
    rf"(?P<verb>{'|'.join(_SPEECH_VERBS)})(?:\s+that)?\s+",
)
_TIME_PHRASE = re.compile(
    r",?\s+\b(?:(?:late|early)\s+)?(?:on|last|this)\s+"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|morning|evening)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b|,?\s+\b(?:today|yesterday|overnight)\b",
)
_CLAUSE_BREAK = re.compile(
    r",\s|;\s|\s[—–]\s|\s(?=(?:if|but|as|amid|after|while|because|which|who|when|despite"
    r"|although|though|whereas|until|unless|before|since)\s)"
)
_DANGLING = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "that", "with",
    "by", "from", "as", "its", "his", "her", "their", "our", "your", "would", "will", "is", "are",
    "was", "were", "be", "has", "have", "had", "into", "over", "under", "about", "than", "this",
    "these", "those",
})  # fmt: skip
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bU\.S)(?<!\bMr)(?<!\bDr)(?<!\bSt)[.!?](?=\s|$)")


def strip_section_suffix(title: str) -> str:
    """Drop trailing ` | Section Name` parts that a site appends to its headlines.

    A part goes only when it is short and a real headline (four words or more) stays before it,
    so "Rock | Paper | Scissors is back" is left whole.
    """
    title = title.strip()
    while match := _SECTION_SUFFIX.search(title):
        kept = title[: match.start()]
        if len(match.group().split()) > 6 or len(kept.replace("|", " ").split()) < 4:
            break
        title = kept.strip()
    return title


def is_headline(line: str, *, max_words: int = 20, max_chars: int = 160) -> bool:
    """Say whether a line reads as a headline: short, capitalised, no final full stop, no URL."""
    text = line.strip()
    words = text.split()
    if not words or len(words) > max_words or len(text) > max_chars:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in _OPENING):
        return False
    return not _FINAL_STOP.search(text) and not _URL.search(text)


def is_subheading(line: str) -> bool:
    """Say whether a line inside a body is a sub-heading ("Fighting", "Airstrikes continue")."""
    text = line.strip()
    if not is_headline(text, max_words=12, max_chars=90):
        return False
    if text.startswith(("(", "“", '"')) or re.search(r"[.!?]\s+[A-Z]", text):
        return False  # a credit line, a quotation or two sentences: still a paragraph
    if text.endswith("?"):
        return len(text.split()) >= 3
    return not text.endswith("!")


def first_sentence(text: str) -> str:
    """Return the first sentence of a paragraph (abbreviations such as U.S. do not end it)."""
    text = " ".join(text.split())
    match = _SENTENCE_END.search(text)
    return text[: match.start()] if match else text


def headline_from_sentence(text: str, *, max_words: int = MAX_TITLE_WORDS) -> str:
    """Make a short headline from a lede sentence, as an editor would.

    "Russian President Vladimir Putin warned on Wednesday that Moscow would try to extend its
    gains in Ukraine if Kiev ..." becomes "Putin warns Moscow would try to extend its gains in
    Ukraine": time phrases go, a titled subject becomes a surname, a reported-speech verb turns
    into the headline present, and the sentence is cut at a clause boundary.
    """
    sentence = first_sentence(text).strip(" \"“”'‘’")
    sentence = _TIME_PHRASE.sub("", sentence)
    sentence = _TITLED_SUBJECT.sub(lambda m: m["surname"], sentence, count=1)
    sentence = _SPEECH.sub(
        lambda m: f"{m['subject']} {_SPEECH_VERBS[m['verb']]} ", sentence, count=1
    )
    headline = _cut_at_clause(sentence, max_words)
    return headline[:1].upper() + headline[1:]


def _cut_at_clause(sentence: str, max_words: int) -> str:
    """Keep a clause-bounded prefix: the longest within `max_words`, else a slightly longer one.

    A whole clause a few words over the limit reads better than a phrase cut in the middle.
    """
    words = sentence.split()
    if len(words) <= max_words:
        return _trim_dangling(words)
    within, over = "", ""
    for match in _CLAUSE_BREAK.finditer(sentence):
        prefix = sentence[: match.start()]
        count = len(prefix.split())
        if 4 <= count <= max_words:
            within = prefix
        elif count > max_words:
            over = prefix if count <= max_words + CLAUSE_SLACK else ""
            break
    if not within and len(words) <= max_words + CLAUSE_SLACK:
        return _trim_dangling(words)
    best = within or over
    return _trim_dangling(best.split() if best else words[:max_words])


def _trim_dangling(words: list[str]) -> str:
    """Drop trailing words a headline cannot end on ("of", "the", "would") and stray commas."""
    while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING:
        words = words[:-1]
    return " ".join(words).rstrip(",;:—– ")
