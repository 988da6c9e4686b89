"""Turn articles into the counted terms that story grouping compares: title plus the lead.

Only the first `LEAD_CHARS` characters of a body are read. News is written lead first, so the
event, its place and its people are in the opening paragraphs, while the rest is background that
rewrites of other events share just as much; reading less is also what keeps grouping fast.
A term is a lower-cased word cut to its first `STEM_CHARS` letters: a crude stemmer that also
merges the transliterations news is full of ("Zelensky"/"Zelenskyy", "Zaporizhia"/"Zaporizhzhia").
Before the cut, accents are folded ("Zürich", "Zurich") and a plural's ending dropped ("talks",
"talk"; "ferries", "ferry"): a short word is all of its term, and a headline has few words to
share, so each spelling of one name that is missed costs a headline its story.

Counting is three steps, so that `storycache` can keep the first between builds: `tally` reads
articles into terms of a `Vocabulary`, `first_seen` numbers the terms in order of first use (the
ids grouping breaks ties by), and `term_counts` lays them out for grouping.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsgen.mapped import RELEASE_EVERY, release
from newsgen.models import Article

LEAD_CHARS = 1500  # on tests/data/story_pairs.tsv, 1,000 and 2,000 both scored worse
STEM_CHARS = 6
COPY_MIN_CHARS = 300  # a body shorter than this is too generic to call two items one copy
COPY_KEY_SIZE = 16  # bytes of the digest that finds verbatim copies
TALLY_CHUNK = 2048  # articles whose words are held as Python ints at once
ROUNDUP_ITEMS = 10  # list items that make an article a roundup of many events

_TAG = re.compile(r"<[^>]*>")
# Words are runs of letters and digits: "Russia’s" gives "russia" and "s" (dropped as too short),
# "1,404" gives "1" (dropped) and "404".
_WORD = re.compile(r"[^\W_]+")
# Chinese and Japanese are written without spaces: a run of their characters is read as
# overlapping two-character terms, the usual stand-in for words there.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}")

STOPWORDS = frozenset(
    {
        "about", "above", "according", "across", "added", "after", "again", "against", "ago", "all",
        "almost", "along", "also", "although", "among", "and", "another", "any", "are", "around",
        "because", "been", "before", "being", "below", "between", "both", "but", "can", "could",
        "did", "does", "doing", "down", "during", "each", "even", "every", "few", "for", "from",
        "further", "had", "has", "have", "having", "her", "here", "hers", "herself", "him",
        "himself", "his", "how", "however", "into", "its", "itself", "just", "last", "like", "made",
        "make", "many", "may", "more", "most", "much", "must", "near", "new", "news", "not", "now",
        "off", "once", "one", "only", "other", "our", "ours", "out", "over", "own", "per", "said",
        "same", "say", "says", "several", "she", "should", "since", "some", "still", "such", "than",
        "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
        "this", "those", "though", "three", "through", "told", "too", "two", "under", "until",
        "very", "was", "way", "week", "were", "what", "when", "where", "whether", "which", "while",
        "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "year",
        "years", "yet", "you", "your", "yours"
    }
)  # fmt: skip

# A final "s" after these is no plural ending: "gas", "virus", "crisis", "class", "chaos".
_NOT_PLURAL = ("as", "us", "is", "ss", "os")

# What reading an article depends on besides the article: a cache made under other rules is void.
TALLY_RULES = repr((LEAD_CHARS, STEM_CHARS, COPY_MIN_CHARS, ROUNDUP_ITEMS, _TAG.pattern,
                    _WORD.pattern, _CJK.pattern, sorted(STOPWORDS)))  # fmt: skip


@dataclass(frozen=True, slots=True)
class TermCounts:
    """Each article's distinct terms and their counts, flattened and sorted by article and term."""

    rows: np.ndarray  # int32: the article (its index) each entry belongs to
    terms: np.ndarray  # int32 term ids, numbered in first-seen order
    counts: np.ndarray  # int32: how often the term occurs in the article
    in_title: np.ndarray  # bool: the term occurs in the article's title
    copy_keys: list[bytes | None]  # a digest of the body's lead, None when it is too short
    titles: list[str]  # every word of each title, stopwords included, joined by spaces
    roundups: np.ndarray  # bool: the article lists `ROUNDUP_ITEMS` items or more
    article_count: int
    term_count: int  # how many distinct terms there are


@dataclass(frozen=True, slots=True)
class Tallies:
    """What reading each article gives, before terms are numbered across all of them.

    Entries are flattened article by article, in ascending term id within an article. Term ids
    are a `Vocabulary`'s, which may number terms no article here uses; `first_seen` turns them
    into the ids of `TermCounts`. The story cache keeps these between builds.
    """

    sizes: np.ndarray  # (articles,) how many distinct terms each article has
    terms: np.ndarray  # term ids
    counts: np.ndarray  # how often the term occurs in the article
    firsts: np.ndarray  # where the term first occurs: its word's position in title + lead
    copy_keys: list[bytes | None]
    titles: list[str]  # the title's words joined by single spaces
    roundups: np.ndarray  # (articles,) bool


def joined_tallies(parts: Sequence[Tallies]) -> Tallies:
    """Several runs of articles' tallies, one after the other."""
    if len(parts) == 1:
        return parts[0]  # not copied: a first build's tallies are one run of them all
    return Tallies(
        np.concatenate([part.sizes for part in parts]),
        np.concatenate([part.terms for part in parts]),
        np.concatenate([part.counts for part in parts]),
        np.concatenate([part.firsts for part in parts]),
        [key for part in parts for key in part.copy_keys],
        [title for part in parts for title in part.titles],
        np.concatenate([part.roundups for part in parts]),
    )


class Vocabulary(dict[str, int]):
    """Map a word to its term id (-1 for a stopword), numbering new terms after `stems`."""

    def __init__(self, stems: Sequence[str] = ()) -> None:
        super().__init__()
        self.stems = list(stems)  # each term id's stem
        self._ids: dict[str, int] | None = None  # stem -> id, made when first needed

    def __missing__(self, word: str) -> int:
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit() and word[0] < "\u3040"):
            term_id = -1
        else:
            term_id = self.stem_id(stem_of(word))
        self[word] = term_id
        return term_id

    def stem_id(self, stem: str) -> int:
        """The term id of a stem, numbering it after the others if it is new."""
        if self._ids is None:
            self._ids = {known: term_id for term_id, known in enumerate(self.stems)}
        term_id = self._ids.setdefault(stem, len(self.stems))
        if term_id == len(self.stems):
            self.stems.append(stem)
        return term_id


def stem_of(word: str) -> str:
    """Return the term of a lower-case word: accents folded, a plural's ending dropped, cut."""
    if not word.isascii():
        folded = unicodedata.normalize("NFKD", word)
        word = "".join(char for char in folded if not unicodedata.combining(char)) or word
    if len(word) > 3 and word[-1] == "s" and not word.endswith(_NOT_PLURAL):
        word = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return word[:STEM_CHARS]


def lead_text(body_html: str, limit: int = LEAD_CHARS) -> str:
    """Return the first `limit` characters of an HTML body as plain text."""
    size = limit * 3
    while True:
        chunk = body_html[:size]
        cut = chunk.rfind("<")
        if size < len(body_html) and cut > chunk.rfind(">"):
            chunk = chunk[:cut]  # never read the inside of a tag cut in half as words
        text = html.unescape(_TAG.sub(" ", chunk))
        if len(text) >= limit or size >= len(body_html):
            return text[:limit]
        size *= 4  # markup-heavy bodies (figures, srcsets) need a longer slice for the same text


def words(text: str) -> list[str]:
    """Split text into lower-case words, and runs of Chinese or Japanese into character pairs."""
    if not text.isascii() and _CJK.search(text):
        text = _CJK.sub(_bigrams, text)
    return _WORD.findall(text.lower())


def _bigrams(run: re.Match[str]) -> str:
    chars = run.group()
    return " " + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + " "


def count_terms(
    articles: Sequence[Article],
    read: Callable[[Sequence[Article], Vocabulary], Tallies] | None = None,
) -> TermCounts:
    """Count the terms of each article's title and lead, in the order given; `read` is `tally`
    or one that does what it does (`parallel.tally_apart` on several processes)."""
    vocabulary = Vocabulary()
    numbered, order = first_seen((read or tally)(articles, vocabulary), len(vocabulary.stems))
    return term_counts(numbered, len(order))


def tally(articles: Sequence[Article], vocabulary: Vocabulary) -> Tallies:
    """Read each article's title and lead into terms of `vocabulary`, which learns new ones."""
    word_id = vocabulary.__getitem__
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    copy_keys: list[bytes | None] = []
    titles: list[str] = []
    roundups: list[bool] = []
    for first in range(0, len(articles), TALLY_CHUNK):
        # Every word's term id goes into one list, counted by one numpy sort per chunk: a Counter
        # per article would cost more than reading the words did.
        ids: list[int] = []
        sizes: list[int] = []
        for number, article in enumerate(articles[first : first + TALLY_CHUNK], start=1):
            if number % RELEASE_EVERY == 0:
                release()  # the mapped pages of the bodies read so far (see mapped.py)
            title_words = words(article.title)
            titles.append(" ".join(title_words))
            lead = lead_text(article.body_html, LEAD_CHARS)
            before = len(ids)
            ids.extend(map(word_id, title_words + words(lead)))
            sizes.append(len(ids) - before)
            copy_keys.append(_digest(lead) if len(lead) >= COPY_MIN_CHARS else None)
            roundups.append(article.body_html.count("<li") >= ROUNDUP_ITEMS)
        parts.append(_tally(ids, sizes, len(vocabulary.stems)))
    if not parts:
        parts.append(_tally([], [], 0))
    # One field at a time, letting go of each chunk's part once joined: at 100,000 articles
    # these are 15 million entries a field, and two copies of all four is most of counting's peak.
    fields = [list(field) for field in zip(*parts, strict=True)]
    del parts
    joined = []
    for field in fields:
        joined.append(np.concatenate(field))
        field.clear()
    distinct, terms, counts, firsts = joined
    return Tallies(distinct, terms, counts, firsts, copy_keys, titles, np.array(roundups, bool))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=COPY_KEY_SIZE).digest()


def _tally(
    ids: list[int], sizes: list[int], term_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Turn each article's word ids into its distinct terms, counts and first positions.

    Stopwords are dropped. Returns how many distinct terms each article has, then the terms
    (ascending within an article), their counts and the position of their first word.
    """
    term_bits = max(1, term_count.bit_length())
    position_bits = max(1, max(sizes, default=0).bit_length())
    word_ids = np.array(ids, dtype=np.int64)
    lengths = np.array(sizes, dtype=np.int64)
    rows = np.repeat(np.arange(len(sizes), dtype=np.int64), lengths)
    positions = np.arange(len(word_ids), dtype=np.int64) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    content = word_ids >= 0
    # (article, term, position) in one integer: after one sort, each run of equal (article,
    # term) is one distinct term, its length the count and its head the first position.
    keys = np.sort(
        (((rows[content] << term_bits) | word_ids[content]) << position_bits) | positions[content]
    )
    entries = keys >> position_bits
    heads = np.flatnonzero(np.r_[True, entries[1:] != entries[:-1]][: len(keys)])
    distinct = entries[heads]
    return (
        np.bincount(distinct >> term_bits, minlength=len(sizes)),
        (distinct & ((1 << term_bits) - 1)).astype(np.int32),
        np.diff(np.r_[heads, len(keys)]).astype(np.int32),
        (keys[heads] & ((1 << position_bits) - 1)).astype(np.int32),
    )


def first_seen(tallies: Tallies, vocabulary_size: int) -> tuple[Tallies, np.ndarray]:
    """Renumber terms by first appearance, as if one fresh vocabulary had read the articles.

    Returns the renumbered tallies and, for each new id, the vocabulary id it had. Term ids decide
    how ties are broken downstream, so grouping cannot depend on the vocabulary a cache kept.
    """
    sizes = tallies.sizes
    position_bits = max(1, int(tallies.firsts.max(initial=0)).bit_length())
    never = np.iinfo(np.int64).max
    first = np.full(vocabulary_size, never, dtype=np.int64)
    bounds = np.r_[0, np.cumsum(sizes, dtype=np.int64)]
    # A chunk of articles at a time: (article, position) keys of all entries at once would be
    # the largest array of counting.
    for begin in range(0, len(sizes), TALLY_CHUNK):
        end = min(len(sizes), begin + TALLY_CHUNK)
        keys = np.repeat(np.arange(begin, end, dtype=np.int64), sizes[begin:end])
        keys <<= position_bits
        span = slice(bounds[begin], bounds[end])
        keys |= tallies.firsts[span]
        np.minimum.at(first, tallies.terms[span], keys)
    used = np.flatnonzero(first != never)
    order = used[np.argsort(first[used])]  # (article, position) keys are all different
    if np.array_equal(order, np.arange(len(order))):
        return tallies, order  # numbered as they are: the usual case, with the last build's cache
    terms, counts, firsts = tallies.terms, tallies.counts, tallies.firsts
    renumber = np.zeros(vocabulary_size, dtype=np.int32)
    renumber[order] = np.arange(len(order), dtype=np.int32)
    terms = renumber[terms]
    # An article's terms stay in ascending order unless renumbering moved one past another.
    descents = np.flatnonzero(terms[1:] <= terms[:-1]) + 1
    article_starts = np.zeros(len(terms) + 1, dtype=bool)
    article_starts[bounds[1:]] = True
    moved = np.searchsorted(bounds, descents[~article_starts[descents]], "right") - 1
    if len(moved):
        rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        redo = np.zeros(len(sizes), dtype=bool)
        redo[moved] = True
        at = np.flatnonzero(redo[rows])
        resort = at[np.argsort((rows[at] << 32) | terms[at])]
        terms, counts, firsts = terms.copy(), counts.copy(), firsts.copy()
        terms[at], counts[at], firsts[at] = terms[resort], counts[resort], firsts[resort]
    numbered = Tallies(
        sizes, terms, counts, firsts, tallies.copy_keys, tallies.titles, tallies.roundups
    )
    return numbered, order


def term_counts(numbered: Tallies, term_count: int) -> TermCounts:
    """Lay out tallies numbered by `first_seen` as the counts grouping reads."""
    article_count = len(numbered.sizes)
    # 32-bit, because at 100,000 articles these are 15 million entries each.
    rows = np.repeat(np.arange(article_count, dtype=np.int32), numbered.sizes)
    # Title words come first in what `tally` read, so a term is in the title when it first
    # occurs within the title's word count.
    title_words = np.array([len(title.split()) for title in numbered.titles], dtype=np.int32)
    return TermCounts(
        rows,
        numbered.terms.astype(np.int32, copy=False),
        numbered.counts.astype(np.int32, copy=False),
        numbered.firsts < title_words[rows],
        numbered.copy_keys,
        numbered.titles,
        numbered.roundups,
        article_count,
        term_count,
    )
