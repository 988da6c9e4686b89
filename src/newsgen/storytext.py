"""Turn articles into the counted terms that story grouping compares: title plus the lead.

Only the first `LEAD_CHARS` characters of a body are read. News is written lead first, so the
event, its place and its people are in the opening paragraphs, while the rest is background that
rewrites of other events share just as much; reading less is also what keeps grouping fast.
A term is a lower-cased word cut to its first `STEM_CHARS` letters: a crude stemmer that also
merges the transliterations news is full of ("Zelensky"/"Zelenskyy", "Zaporizhia"/"Zaporizhzhia").
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsgen.models import Article

LEAD_CHARS = 1500  # on tests/data/story_pairs.tsv, 1,000 and 2,000 both scored worse
STEM_CHARS = 6
COPY_MIN_CHARS = 300  # a body shorter than this is too generic to call two items one copy
TALLY_CHUNK = 2048  # articles whose words are held as Python ints at once

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


@dataclass(frozen=True, slots=True)
class TermCounts:
    """Each article's distinct terms and their counts, flattened and sorted by article and term."""

    rows: np.ndarray  # int32: the article (its index) each entry belongs to
    terms: np.ndarray  # int32 term ids, numbered in first-seen order
    counts: np.ndarray  # int32: how often the term occurs in the article
    copy_keys: list[bytes | None]  # a digest of the body's lead, None when it is too short
    titles: list[tuple[str, ...]]  # every word of each title, stopwords included
    article_count: int
    term_count: int  # how many distinct terms there are


class _Vocabulary(dict[str, int]):
    """Map a word to its term id (-1 for a stopword), numbering terms as they are first seen."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, int] = {}

    def __missing__(self, word: str) -> int:
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit() and word[0] < "\u3040"):
            term_id = -1
        else:
            term_id = self.ids.setdefault(word[:STEM_CHARS], len(self.ids))
        self[word] = term_id
        return term_id


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


def count_terms(articles: Sequence[Article]) -> TermCounts:
    """Count the terms of each article's title and lead, in the order given."""
    vocabulary = _Vocabulary()
    word_id = vocabulary.__getitem__
    tallies: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    copy_keys: list[bytes | None] = []
    titles: list[tuple[str, ...]] = []
    for first in range(0, len(articles), TALLY_CHUNK):
        # Every word's term id goes into one list, counted by one numpy sort per chunk: a Counter
        # per article would cost more than reading the words did.
        ids: list[int] = []
        sizes: list[int] = []
        for article in articles[first : first + TALLY_CHUNK]:
            title_words = words(article.title)
            titles.append(tuple(title_words))
            lead = lead_text(article.body_html, LEAD_CHARS)
            before = len(ids)
            ids.extend(map(word_id, title_words + words(lead)))
            sizes.append(len(ids) - before)
            copy_keys.append(_digest(lead) if len(lead) >= COPY_MIN_CHARS else None)
        rows, terms, counts = _tally(ids, sizes, len(vocabulary.ids))
        # 32-bit, because at 100,000 articles these are 15 million entries each.
        tallies.append(
            ((rows + first).astype(np.int32), terms.astype(np.int32), counts.astype(np.int32))
        )
    rows, terms, counts = (np.concatenate(parts) for parts in zip(*tallies, strict=True))
    return TermCounts(rows, terms, counts, copy_keys, titles, len(articles), len(vocabulary.ids))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _tally(
    ids: list[int], sizes: list[int], term_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn each article's word ids into (article, term, count) entries, stopwords dropped."""
    term_bits = max(1, term_count.bit_length())
    word_ids = np.array(ids, dtype=np.int64)
    rows = np.repeat(np.arange(len(sizes), dtype=np.int64), np.array(sizes, dtype=np.int64))
    content = word_ids >= 0
    keys = np.sort((rows[content] << term_bits) | word_ids[content])
    firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]][: len(keys)])
    counts = np.diff(np.r_[firsts, len(keys)])
    distinct = keys[firsts]
    return distinct >> term_bits, distinct & ((1 << term_bits) - 1), counts
