"""A reference search over built index files: what finder.js does, step for step, in Python.

Tests use it to check that the index answers queries, and that finder.js ranks as it should.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property

from newsgen.search import terms as rules
from newsgen.search.index import bucket_file
from newsgen.search.terms import query_words

QUOTES = '"“”„«»'
QUOTED = re.compile(f"[{QUOTES}]([^{QUOTES}]+)[{QUOTES}]")
PREFIX_FILES = 8  # as finder.js: a prefix needing more buckets than this is matched whole
EXPANSIONS = 50  # as finder.js: a prefix stands for at most this many terms, the most frequent


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    url: str
    title: str
    date: str
    source: str
    summary: str


@dataclass(frozen=True)
class Index:
    """Index files as `build_index` returns them, by path."""

    files: dict[str, bytes]

    @cached_property
    def meta(self) -> dict:
        return json.loads(self.files["search/meta.json"])

    @cached_property
    def digit(self) -> dict[str, int]:
        return {char: value for value, char in enumerate(self.meta["digits"])}

    def keys(self, folder: str = "terms") -> list[str]:
        """The bucket keys of `terms/` or of `latest/`."""
        return list(self.meta["buckets" if folder == "terms" else "latest"])

    def bucket_of(self, term: str, folder: str = "terms") -> str | None:
        """The longest bucket key that starts `term`."""
        keys = set(self.keys(folder))
        return next((term[:n] for n in range(len(term), 0, -1) if term[:n] in keys), None)

    def bucket(self, key: str, folder: str = "terms") -> dict[str, str]:
        return json.loads(self.files[bucket_file(key, folder)])

    def postings(self, code: str) -> list[tuple[int, int]]:
        """Decode a term's postings into (document id, weighted count)."""
        found, doc_id, number = [], 0, 0
        for char in code:
            value = self.digit[char]
            number = number * 32 + (value & 31)
            if value >= 32:
                doc_id += number // 16
                found.append((doc_id, number % 16 + 1))
                number = 0
        return found

    def length(self, doc_id: int) -> float:
        norms = self.files["search/norms.txt"].decode()
        return float(self.meta["normBase"] ** self.digit[norms[doc_id]])

    def matches(self, word: str, prefix: bool) -> dict[str, list[tuple[int, int]]]:
        """The postings of `word`, or of the terms it starts when it is an open prefix: those in
        `terms/`, then those in `latest/`."""
        keys = {folder: [self.bucket_of(word, folder)] for folder in ("terms", "latest")}
        for folder, found_keys in keys.items():
            if prefix:
                longer = [k for k in self.keys(folder) if len(k) > len(word) and k.startswith(word)]
                if len(longer) > PREFIX_FILES:
                    prefix = False
                else:
                    found_keys += longer
        found: dict[str, list[tuple[int, int]]] = {}
        for folder, found_keys in keys.items():
            for key in dict.fromkeys(filter(None, found_keys)):
                for term, code in self.bucket(key, folder).items():
                    if term == word or (prefix and term.startswith(word)):
                        found[term] = found.get(term, []) + self.postings(code)
        return found

    def scores(self, stems: tuple[str, ...], prefix: bool) -> dict[int, float]:
        """BM25 of one query word in each document that holds it (the best of its expansions).

        The word is any of its stems, in the index's languages.
        """
        meta, matches = self.meta, {}
        for stem in stems:
            matches.update(self.matches(stem, prefix))
        k1, b = meta["k1"], meta["b"]
        best: dict[int, float] = {}
        for term in sorted(matches, key=lambda t: (-len(matches[t]), t))[:EXPANSIONS]:
            df = len(matches[term])
            idf = math.log(1 + (meta["docs"] - df + 0.5) / (df + 0.5))
            for doc_id, tf in matches[term]:
                norm = 1 - b + b * self.length(doc_id) / meta["avgdl"]
                best[doc_id] = max(best.get(doc_id, 0.0), idf * tf * (k1 + 1) / (tf + k1 * norm))
        return best

    def search(self, query: str, texts: dict[str, str] | None = None) -> list[Hit]:
        """Documents holding every word of `query` (the last as a prefix if open), best first.

        With `texts` (each document's headline and body, by url), a "quoted phrase" must also be
        in the text word for word, as finder.js checks it against the article's page.
        """
        hits = self._ranked(query)
        phrases = [p for p in (phrase_words(m) for m in QUOTED.findall(query)) if len(p) > 1]
        if texts is None or not phrases:
            return hits
        return [
            hit
            for hit in hits
            if all(
                f" {' '.join(p)} " in f" {' '.join(phrase_words(texts[hit.url]))} " for p in phrases
            )
        ]

    def _ranked(self, query: str) -> list[Hit]:
        terms = query_words(query, self.meta["languages"])
        open_end = not query[-1:].isspace() and query.rstrip()[-1:] not in QUOTES
        per_word = [self.scores(w, open_end and i == len(terms) - 1) for i, w in enumerate(terms)]
        if not per_word:
            return []
        totals = {
            doc_id: sum(scores[doc_id] for scores in per_word)
            for doc_id in per_word[0]
            if all(doc_id in scores for scores in per_word)
        }
        ranked = sorted(totals, key=lambda doc_id: (-totals[doc_id], -doc_id))
        return [self.hit(doc_id, totals[doc_id]) for doc_id in ranked]

    def hit(self, doc_id: int, score: float) -> Hit:
        size = self.meta["shardSize"]
        row = json.loads(self.files[f"search/docs/{doc_id // size}.json"])[doc_id % size]
        return Hit(doc_id, score, *row)


def phrase_words(text: str) -> list[str]:
    """Every word of a text, folded, and each Han or kana character: what a phrase is made of."""
    found: list[str] = []
    for piece in rules._ASCII_SEPARATORS.split(rules.join_digit_groups(text)):
        for run in rules._word_pattern().findall(rules.fold(piece)):
            for place, part in enumerate(rules._CJK_RUN.split(run)):
                found += list(part) if place % 2 else [part] if part else []
    return found
