"""Pick tags from a headline: the names in it (people, places, bodies), not its longest words.

A tag page is useful when it gathers several articles about one thing. Names do that ("putin",
"white house", "state of the union"); verbs and adjectives ("vows", "backed", "address") make
pages of one article each. Case tells names apart: in a sentence-case headline a capital after
the first word marks a name; in a Title Case Headline the article text is asked instead, where
a capital in mid-sentence still means one. Neighbouring name words stay together only as far as
the text uses them together ("Trump State of the Union" -> "trump", "state of the union").
A headline in a script without case yields no keywords: with no way to tell a name from a
particle, no tag is better than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_](?:[\w'’.&-]*[^\W_])?")
_SENTENCE_END = frozenset('.!?:;"“”‘(|')
_DASHES = (" -", " –", " —")

# Words that never begin or end a name, though a headline capitalises them.
_EDGE_TEXT = """
    a about above after again against all also am amid among an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our out over
    own same she should so some such than that the their them then there these they this those
    through to too under until up upon very was we were what when where which while who whom
    why will with within without would you your yours via vs versus
    says said say tells told report reports update updates live video watch photos photo
    breaking exclusive opinion analysis review podcast episode explainer interview
    mr mrs ms dr sir dame president prime minister senator sen rep governor gov chancellor
    king queen prince princess pope ceo chief secretary mayor judge general
"""
EDGE_WORDS = frozenset(_EDGE_TEXT.split())

# Words that are no tag on their own but may be part of a name ("New Year", "Black Friday").
_FILLER_TEXT = """
    new news year years day days week weeks today tonight first last latest top best big more
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
"""
FILLER_WORDS = frozenset(_FILLER_TEXT.split())

# Lower-case words that join the parts of one name ("Bank of England", "Ludwig van Beethoven").
_CONNECTOR_TEXT = "of the de del della da do dos du la le von van der den al el bin"
CONNECTORS = frozenset(_CONNECTOR_TEXT.split())

MAX_KEYWORDS = 4
_MAX_LENGTH = 30  # longer "words" are unsegmented scripts or URLs
_MAX_NAME_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    starts_clause: bool  # first word, or first after punctuation


def title_keywords(title: str, context: str = "", limit: int = MAX_KEYWORDS) -> tuple[str, ...]:
    """Return up to `limit` lower-case keywords naming what a headline is about."""
    words = _words(title)
    if not any(_is_cased(word.text) for word in words):
        return ()
    title_case = _is_title_case(words)
    capitals = _mid_sentence_capitals(context) | _label(title)
    lowered_context = " ".join(context.lower().split())
    found: list[str] = []
    for run in _name_runs(words, title_case=title_case, capitals=capitals):
        found.extend(_segment(run, lowered_context))
    found = [tag for tag in found if tag not in FILLER_WORDS and tag not in EDGE_WORDS]
    if len(found) < 2 and not title_case:
        covered = {word for tag in found for word in tag.split()}
        found += [w for w in _topical_words(words, lowered_context) if w not in covered]
    return tuple(dict.fromkeys(found))[:limit]


def _words(title: str) -> list[_Word]:
    """Split a headline into words, noting which ones start a clause."""
    words: list[_Word] = []
    end = 0
    for match in _WORD.finditer(title):
        # A comma joins a list of names ("Merkel, Macron and Abe"); other marks start a clause.
        gap = title[end : match.start()]
        starts = not words or bool(gap.replace(",", "").strip())
        end = match.end()
        for index, part in enumerate(_split_compound(_strip_possessive(match.group()))):
            if part and len(part) <= _MAX_LENGTH:
                words.append(_Word(part, starts or index > 0))
    return words


def _label(title: str) -> frozenset[str]:
    """Return the words of a leading topic label ("Ethiopia: ...", "Brexit: ..."), if any."""
    head, colon, _ = title.partition(":")
    words = [_strip_possessive(m.group()) for m in _WORD.finditer(head)]
    if colon and 0 < len(words) <= _MAX_NAME_WORDS and all(map(_is_capitalised, words)):
        return frozenset(words)
    return frozenset()


def _split_compound(word: str) -> list[str]:
    """Split "Trump-backed" into its parts, but keep "Jean-Luc" and "Coca-Cola" whole."""
    parts = word.split("-")
    if len(parts) > 1 and len({_is_capitalised(part) for part in parts if part}) > 1:
        return parts
    return [word]


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’][sS]$", "", word).strip(".'’-&")


def _is_cased(word: str) -> bool:
    return word[:1].upper() != word[:1].lower()


def _is_capitalised(word: str) -> bool:
    return _is_cased(word) and word[:1].isupper()


def _is_title_case(words: list[_Word]) -> bool:
    """Say whether most content words are capitalised, so that capitals say nothing."""
    content = [
        w.text
        for w in words
        if w.text.lower() not in EDGE_WORDS and _is_cased(w.text) and not _has_inner_capital(w.text)
    ]
    if len(content) < 3:
        return False
    # One lower-case verb among names ("Merkel, Macron and Abe meet in Osaka") is sentence case.
    return sum(_is_capitalised(word) for word in content) / len(content) >= 0.9


def _mid_sentence_capitals(text: str) -> frozenset[str]:
    """Collect the capitalised words of running text that do not begin a sentence."""
    found: set[str] = set()
    for match in _WORD.finditer(text):
        if not _is_capitalised(match.group()) or _starts_sentence(text, match.start()):
            continue
        found.update(w for w in _split_compound(_strip_possessive(match.group())) if w)
    return frozenset(found)


def _starts_sentence(text: str, start: int) -> bool:
    """Say whether the word at `start` follows the start of text or a sentence break."""
    before = text[max(0, start - 8) : start].rstrip()
    if not before:
        return not text[:start].strip()
    return before[-1] in _SENTENCE_END or before.endswith(_DASHES)


def _is_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _has_inner_capital(word: str) -> bool:
    return any(char.isupper() for char in word[1:]) and any(char.islower() for char in word)


def _is_name(word: _Word, *, title_case: bool, capitals: frozenset[str]) -> bool:
    text = word.text
    if not _is_capitalised(text):
        return False
    if _is_acronym(text) or _has_inner_capital(text) or text in capitals:
        return True
    # In a sentence-case headline a capital that does not start a clause marks a name.
    return not title_case and not word.starts_clause


def _name_runs(
    words: list[_Word], *, title_case: bool, capitals: frozenset[str]
) -> list[list[str]]:
    """Group neighbouring name words, with connectors between them, into candidate names."""
    runs: list[list[str]] = []
    current: list[str] = []
    for index, word in enumerate(words):
        is_name = _is_name(word, title_case=title_case, capitals=capitals)
        joins = bool(current) and _connects(words, index)
        if (is_name or joins) and not (word.starts_clause and current):
            current.append(word.text)
            continue
        if current:
            runs.append(current)
        current = [word.text] if is_name else []
    if current:
        runs.append(current)
    return [_trim(run) for run in runs if _trim(run)]


def _connects(words: list[_Word], index: int) -> bool:
    """Say whether `words[index]` is a connector that leads, maybe via more, to a capital."""
    if words[index].text.lower() not in CONNECTORS:
        return False
    for word in words[index:]:
        if word.starts_clause:
            return False
        if word.text.lower() not in CONNECTORS:
            return _is_capitalised(word.text)
    return False


def _trim(run: list[str]) -> list[str]:
    start, end = 0, len(run)
    while start < end and run[start].lower() in EDGE_WORDS | CONNECTORS:
        start += 1
    while end > start and run[end - 1].lower() in EDGE_WORDS | CONNECTORS:
        end -= 1
    return run[start:end]


def _segment(run: list[str], context: str) -> list[str]:
    """Split a run into the longest pieces the article text also uses; short runs stay whole."""
    lowered = [word.lower() for word in run]
    if len(run) == 1 or not context:
        return [" ".join(lowered)] if len(_capitalised(run)) <= _MAX_NAME_WORDS else lowered
    pieces: list[str] = []
    start = 0
    while start < len(run):
        end = len(run)
        while end > start + 1 and (
            " ".join(lowered[start:end]) not in context
            or len(_capitalised(run[start:end])) > _MAX_NAME_WORDS
        ):
            end -= 1
        piece = _trim(run[start:end])
        if piece:
            pieces.append(" ".join(piece).lower())
        start = end
    return pieces


def _capitalised(run: list[str]) -> list[str]:
    return [word for word in run if _is_capitalised(word)]


def _topical_words(words: list[_Word], context: str) -> list[str]:
    """Return long common words of the headline that the article repeats: its subject."""
    counts: dict[str, int] = {}
    for word in words:
        lowered = word.text.lower()
        if len(lowered) >= 6 and lowered not in EDGE_WORDS | FILLER_WORDS:
            counts[lowered] = len(re.findall(rf"\b{re.escape(lowered)}\b", context))
    # Three mentions: the headline's own words come back once or twice in any summary.
    repeated = [word for word, count in counts.items() if count >= 3]
    return sorted(repeated, key=lambda word: -counts[word])[:2]
