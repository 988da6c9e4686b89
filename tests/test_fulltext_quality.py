"""`full_text: true` over 20 real pages served locally: the bodies are the articles people see."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import require_shared

REPO = Path(__file__).resolve().parents[1]
# Measured with bench/fulltext_eval.py: 0.92 and 0.99 over the 20 labelled pages; the floors
# leave room for another trafilatura release, not for a broken pipeline.
MIN_MEAN_PRECISION = 0.85
MIN_MEAN_RECALL = 0.95
MIN_PAGE_RECALL = 0.8


@pytest.mark.slow
def test_extracted_bodies_match_the_labelled_articles() -> None:
    shared = require_shared("corpus", "pages").parents[1]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from fulltext_eval import evaluate, load_labels
    finally:
        sys.path.remove(str(REPO / "bench"))
    labels = load_labels()
    scores = evaluate(shared, labels)
    assert len(scores) == len(labels) == 20
    assert all(s.source == "page" for s in scores), [(s.page, s.note) for s in scores]
    assert sum(s.precision for s in scores) / 20 >= MIN_MEAN_PRECISION
    assert sum(s.recall for s in scores) / 20 >= MIN_MEAN_RECALL
    assert all(s.recall >= MIN_PAGE_RECALL for s in scores), [(s.page, s.recall) for s in scores]


def test_labels_name_blocks_that_exist_in_order() -> None:
    pages = require_shared("corpus", "pages")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from fulltext_eval import load_labels, page_blocks, reference_blocks
    finally:
        sys.path.remove(str(REPO / "bench"))
    for label in load_labels():
        article = reference_blocks(label, page_blocks((pages / label.page).read_bytes()))
        assert article[0].startswith(label.first) and article[-1].startswith(label.last)
        assert 2 <= len(article) <= 80, label.page
