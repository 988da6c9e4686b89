"""The plain TF-IDF single-pass clustering that story grouping is measured against.

Each article is a TF-IDF vector of its title and whole body (lower-cased words, stop words out,
sublinear term frequency, smoothed IDF over the articles being grouped, unit length). Articles
are read oldest first; each joins the existing cluster whose centroid is most similar, if that
cosine reaches the threshold, or starts a cluster of its own. "Tuned" means the threshold is the
best of a grid on the very set being scored: a stronger baseline than any fixed one.

A centroid's cosine with an article is the sum of the article's cosines with its members over
the centroid's length, and that length squared is the sum of all member cosines; so one article
by article similarity matrix (dense, fine up to ~15,000 articles) serves every threshold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from newsgen.models import Article
from newsgen.stories.terms import STOPWORDS

THRESHOLDS = (0.02, *(round(0.05 * step, 2) for step in range(1, 20)))  # 0.02, 0.05 .. 0.95
MAX_ARTICLES = 15_000  # the similarity matrix is dense: 900 MB of float32 at this size
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")


def similarity_matrix(articles: Sequence[Article]) -> np.ndarray:
    """Cosine similarity of every two articles' TF-IDF vectors (title + whole body)."""
    if len(articles) > MAX_ARTICLES:
        raise ValueError(f"{len(articles)} articles: the baseline holds at most {MAX_ARTICLES}")
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, article in enumerate(articles):
        text = article.title + " " + html.unescape(_TAG.sub(" ", article.body_html))
        for word in _WORD.findall(text.lower()):
            if len(word) > 1 and word not in STOPWORDS:
                rows.append(row)
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
    keys, counts = np.unique(
        np.array(rows, dtype=np.int64) * max(1, len(vocabulary)) + np.array(columns, np.int64),
        return_counts=True,
    )
    row_of, term_of = keys // max(1, len(vocabulary)), keys % max(1, len(vocabulary))
    frequency = np.bincount(term_of, minlength=len(vocabulary))
    idf = np.log((1 + len(articles)) / (1 + frequency)) + 1
    weights = (1 + np.log(counts)) * idf[term_of]
    norms = np.sqrt(np.bincount(row_of, weights**2, len(articles)))
    weights /= np.where(norms > 0, norms, 1)[row_of]
    # Terms of one article add to its length but to no similarity: only shared ones are laid out.
    shared = frequency[term_of] >= 2
    columns_kept, dense_term = np.unique(term_of[shared], return_inverse=True)
    matrix = np.zeros((len(articles), len(columns_kept)), dtype=np.float32)
    matrix[row_of[shared], dense_term] = weights[shared]
    return matrix @ matrix.T


def single_pass(order: Sequence[int], similarity: np.ndarray, threshold: float) -> list[int]:
    """Cluster articles in `order`, each joining the most similar centroid at `threshold`."""
    ordered = similarity[np.ix_(order, order)]
    cluster = np.zeros(len(order), dtype=np.int64)
    length2 = np.zeros(len(order), dtype=np.float64)
    clusters = 0
    for position in range(len(order)):
        best = -1
        if clusters:
            dots = np.bincount(cluster[:position], ordered[position, :position], clusters)
            cosines = dots / np.sqrt(length2[:clusters])
            best = int(np.argmax(cosines))
            if cosines[best] < threshold:
                best = -1
        if best < 0:
            best, clusters = clusters, clusters + 1
            length2[best] = 1.0
        else:
            length2[best] += 1.0 + 2 * float(dots[best])
        cluster[position] = best
    labels = [0] * len(order)
    for position, index in enumerate(order):
        labels[index] = int(cluster[position])
    return labels


def arrival_order(articles: Sequence[Article]) -> list[int]:
    """Oldest first; articles of one time keep the order given."""
    return sorted(range(len(articles)), key=lambda index: articles[index].date)
