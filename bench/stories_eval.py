"""Score story grouping against the hand-labelled pairs in tests/data/story_pairs.tsv.

Usage: python bench/stories_eval.py [--shared ../shared] [--errors]

Every article of ../shared/seeds/ (through the real parse stage) and every item of the feeds in
../shared/corpus/feeds/ (about 2,200, most of them distractors) is grouped in one run, as a site
holding all of them would be; then each labelled pair counts as a true or false positive or
negative, by whether its two articles landed in the same story. Prints precision, recall, F1
and, with --errors, the pairs it got wrong.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen.fetch.feeds import FeedFormatError, parse_feed
from newsgen.models import Article, Story
from newsgen.readers.parse import read_seeds
from newsgen.stories.group import group_stories
from newsgen.text.sanitize import sanitize_html

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO / "tests" / "data" / "story_pairs.tsv"
SHARED = REPO.parent / "shared"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two articles, named by file and title prefix, and whether they are one story."""

    file_a: str
    title_a: str
    file_b: str
    title_b: str
    same: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    """How the grouping did on the labelled pairs."""

    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    errors: tuple[tuple[LabelledPair, bool], ...]  # each wrong pair with what grouping said

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / (self.true_positive + self.false_negative)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_pairs(path: Path = PAIRS) -> list[LabelledPair]:
    """Read the labelled pairs, skipping the `#` header comment."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        LabelledPair(
            row["file_a"], row["title_a"], row["file_b"], row["title_b"],
            row["label"] == "same", row["reason"],
        )
        for row in rows
    ]  # fmt: skip


def shared_articles(shared: Path = SHARED) -> list[Article]:
    """Read the shared seeds with the parse stage and every item of the shared feed corpus."""
    parsed = read_seeds(shared / "seeds", timezone=ZoneInfo("UTC"))
    articles = [replace(a, seed_path=f"seeds/{a.seed_path}") for a in parsed.articles]
    for path in sorted((shared / "corpus" / "feeds").iterdir()):
        if path.suffix in (".xml", ".json"):
            articles.extend(_feed_articles(path, f"corpus/feeds/{path.name}"))
    return articles


def _feed_articles(path: Path, name: str) -> list[Article]:
    """Turn one feed file's items into articles, as fetch and parse would."""
    try:
        feed = parse_feed(path.read_bytes(), f"https://feeds.example.org/{path.name}")
    except FeedFormatError:
        return []  # the corpus holds deliberately broken feeds; they have nothing to group
    # An item without a date gets the time it was read, which is only a guess.
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return [
        Article(
            title=item.title,
            date=item.date or fetched,
            slug=f"item-{line}",
            body_html=sanitize_html(item.body_html),
            summary=item.summary,
            source=feed.title or path.stem,
            link=item.link,
            seed_path=name,
            seed_line=line,
            explicit_date=item.date is not None,
        )
        for line, item in enumerate(feed.items, start=1)
    ]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


def find_article(articles: Sequence[Article], file: str, title: str) -> Article:
    """Return the one article of `file` whose title starts with `title` (any, if empty)."""
    prefix = _normal(title)
    found = [a for a in articles if a.seed_path == file and _normal(a.title).startswith(prefix)]
    if len(found) != 1:
        raise LookupError(f"{file}: {len(found)} articles titled {title!r}, expected one")
    return found[0]


def score(
    stories: Sequence[Story], articles: Sequence[Article], pairs: Sequence[LabelledPair]
) -> Score:
    """Count each labelled pair as a true/false positive/negative of the grouping."""
    story_of = {id(article): number for number, s in enumerate(stories) for article in s.articles}
    counts = {(True, True): 0, (False, True): 0, (True, False): 0, (False, False): 0}
    errors = []
    for pair in pairs:
        a = find_article(articles, pair.file_a, pair.title_a)
        b = find_article(articles, pair.file_b, pair.title_b)
        grouped = story_of[id(a)] == story_of[id(b)]
        counts[(grouped, pair.same)] += 1
        if grouped != pair.same:
            errors.append((pair, grouped))
    return Score(
        counts[(True, True)], counts[(True, False)], counts[(False, True)], counts[(False, False)],
        tuple(errors),
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared documents folder")
    parser.add_argument("--errors", action="store_true", help="list the pairs it got wrong")
    options = parser.parse_args(argv)
    articles = shared_articles(options.shared)
    pairs = load_pairs()
    started = time.perf_counter()
    stories = group_stories(articles)
    seconds = time.perf_counter() - started
    result = score(stories, articles, pairs)
    positives = result.true_positive + result.false_negative
    print(f"articles {len(articles)}, stories {len(stories)}, grouped in {seconds:.3f} s")
    print(f"labelled pairs {len(pairs)}: {positives} same story, {len(pairs) - positives} not")
    tp, fp = result.true_positive, result.false_positive
    print(f"TP {tp}  FP {fp}  FN {result.false_negative}  TN {result.true_negative}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    if options.errors:
        for pair, grouped in result.errors:
            kind = "FP" if grouped else "FN"
            print(f"  {kind} {pair.title_a or pair.file_a} || {pair.title_b or pair.file_b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
