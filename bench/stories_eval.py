"""Score story grouping against the hand-labelled stories and pairs of the shared corpus.

Usage: python bench/stories_eval.py [--shared ../shared] [--errors] [--headlines] [--focus [N]]
                                   [--undated] [--synthetic] [--synthetic-text] [--no-baseline]

Every article of ../shared/seeds/ (through the real parse stage) and every item of the feeds in
../shared/corpus/feeds/ (about 2,400) is grouped in one run, as a site holding all of them would
be. Two scores follow:

- bench/data/story_labels.tsv labels every one of those articles with its story: B-cubed
  precision, recall and F1 (per article: the share of its found story that is its true story,
  and the reverse, averaged) and pairwise precision and recall over all pairs of articles;
- tests/data/story_pairs.tsv labels chosen pairs, many of them hard: each counts as a true or
  false positive or negative, by whether its two articles landed in the same story.

Most of the corpus's articles are a story of their own, which any grouping that joins little
gets right, so B-cubed over all of them is near 1 and tells little apart. It is also given over
the articles of labelled stories of two or more only; and --focus groups nothing but those
articles whose headlines differ (a story of one headline repeated, the same feed in two formats,
is left out: any grouping finds it) plus N distractors per story article (3 unless given), drawn
with a fixed seed (--seed) from the other articles published within `FOCUS_DAYS` of one of them:
what a grouping has to tell apart on a busy news day.

With --headlines every body is dropped first, as in a headline-only feed; with --undated every
date is dropped (each article dated by when it was read, `explicit_date` false), as in a set of
texts without dates. --errors lists the wrongly grouped labelled pairs and the found stories that
mix labelled stories.

--synthetic scores instead a headline set built at run time from the corpus's real text in the
shape of an aggregator's (bench/stories_synth.py: some 6,400 headlines in 87 big stories over
four weeks, many publishers, stories sharing a subject); --synthetic-text scores a full-text
set built the same way in the held-out full-text set's shape (bench/stories_synth_text.py: 86
events in pairs of one topic, some 1,000 undated reports). --seed changes either.

Every set is also grouped by the plain TF-IDF single-pass baseline (bench/stories_baseline.py),
its threshold tuned on that very set, and scored the same way beside ours.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import time
from collections import Counter, defaultdict
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

# bench/ is no package: its siblings are found by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import stories_baseline
import stories_synth
import stories_synth_text

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO / "tests" / "data" / "story_pairs.tsv"
LABELS = REPO / "bench" / "data" / "story_labels.tsv"
SHARED = REPO.parent / "shared"
FOCUS_DAYS = 2  # a distractor came out this close to a story article
FOCUS_RATIO = 3  # distractors per story article
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two articles, named by file, item and title check, and whether they are one story."""

    file_a: str
    item_a: int
    check_a: str
    file_b: str
    item_b: int
    check_b: str
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
            row["file_a"], int(row["item_a"]), row["check_a"],
            row["file_b"], int(row["item_b"]), row["check_b"],
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


def find_article(articles: Sequence[Article], file: str, item: int, check: str) -> Article:
    """Return item `item` of `file`, if its title is still the one the label was made on."""
    found = [a for a in articles if a.seed_path == file and a.seed_line == item]
    if len(found) != 1 or title_check(found[0].title) != check:
        raise LookupError(f"{file} item {item}: not the article labelled; the labels need review")
    return found[0]


def score(
    stories: Sequence[Story], articles: Sequence[Article], pairs: Sequence[LabelledPair]
) -> Score:
    """Count each labelled pair as a true/false positive/negative of the grouping."""
    story_of = {id(article): number for number, s in enumerate(stories) for article in s.articles}
    counts = {(True, True): 0, (False, True): 0, (True, False): 0, (False, False): 0}
    errors = []
    for pair in pairs:
        a = find_article(articles, pair.file_a, pair.item_a, pair.check_a)
        b = find_article(articles, pair.file_b, pair.item_b, pair.check_b)
        grouped = story_of[id(a)] == story_of[id(b)]
        counts[(grouped, pair.same)] += 1
        if grouped != pair.same:
            errors.append((pair, grouped))
    return Score(
        counts[(True, True)], counts[(True, False)], counts[(False, True)], counts[(False, False)],
        tuple(errors),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Clustering:
    """B-cubed and pairwise scores of found stories against labelled ones."""

    bcubed_precision: float
    bcubed_recall: float
    pair_precision: float
    pair_recall: float
    mixed: tuple[tuple[Article, ...], ...]  # found stories holding more than one labelled story

    @property
    def bcubed_f1(self) -> float:
        total = self.bcubed_precision + self.bcubed_recall
        return 2 * self.bcubed_precision * self.bcubed_recall / total if total else 0.0


class Labels(dict[tuple[str, int], str]):
    """(file, item) -> story, for articles that share a story; `checks` holds title digests."""

    checks: dict[tuple[str, int], str]


def title_check(title: str) -> str:
    """The `check` column: a digest of a title, so no corpus text is kept in the labels."""
    return hashlib.blake2b(_normal(title).encode("utf-8"), digest_size=4).hexdigest()


def load_labels(path: Path = LABELS) -> Labels:
    """Read the labelled stories: (file, item) -> story, for articles that share a story."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    labels = Labels({(row["file"], int(row["item"])): row["story"] for row in rows})
    labels.checks = {(row["file"], int(row["item"])): row["check"] for row in rows}
    return labels


def true_stories(articles: Sequence[Article], labels: Labels) -> list[str]:
    """Each article's labelled story; an unlisted article is a story of its own."""
    known = {(a.seed_path, a.seed_line): a for a in articles}
    missing = sorted(set(labels) - set(known))
    if missing:
        raise LookupError(f"labelled articles not found in the corpus: {missing[:5]}")
    checks = getattr(labels, "checks", {})
    moved = sorted(key for key, check in checks.items() if title_check(known[key].title) != check)
    if moved:
        raise LookupError(
            f"labelled rows no longer name the article they were made on: {moved[:5]}"
        )
    return [
        labels.get((a.seed_path, a.seed_line), f"{a.seed_path}#{a.seed_line}") for a in articles
    ]


def cluster_scores(
    stories: Sequence[Story], articles: Sequence[Article], truth: Sequence[str]
) -> Clustering:
    """Score found stories against the true story of each article."""
    found_of = {id(article): number for number, s in enumerate(stories) for article in s.articles}
    found = [found_of[id(article)] for article in articles]
    both = Counter(zip(found, truth, strict=True))
    found_size, true_size = Counter(found), Counter(truth)
    # Per article: of its found story, the share in its true story, and the reverse.
    precision = sum(n * n / found_size[f] for (f, _), n in both.items()) / len(articles)
    recall = sum(n * n / true_size[t] for (_, t), n in both.items()) / len(articles)
    same_both = sum(n * (n - 1) for n in both.values())
    same_found = sum(n * (n - 1) for n in found_size.values())
    same_true = sum(n * (n - 1) for n in true_size.values())
    labels_in: dict[int, set[str]] = defaultdict(set)
    for f, t in both:
        labels_in[f].add(t)
    mixed = tuple(stories[f].articles for f, ts in sorted(labels_in.items()) if len(ts) > 1)
    return Clustering(
        precision, recall,
        same_both / same_found if same_found else 1.0,
        same_both / same_true if same_true else 1.0,
        mixed,
    )  # fmt: skip


def multi_article_scores(
    stories: Sequence[Story], articles: Sequence[Article], truth: Sequence[str]
) -> Clustering:
    """B-cubed as `cluster_scores`, averaged over the articles of labelled stories of two or more.

    An article's precision still counts every article of its found story, story or not.
    """
    found_of = {id(article): number for number, s in enumerate(stories) for article in s.articles}
    found = [found_of[id(article)] for article in articles]
    found_size, true_size = Counter(found), Counter(truth)
    both = Counter(zip(found, truth, strict=True))
    kept = [(f, t, n) for (f, t), n in both.items() if true_size[t] > 1]
    count = sum(n for _, _, n in kept)
    same_both = sum(n * (n - 1) for _, _, n in kept)
    joined = sum(n * (found_size[f] - 1) for f, _, n in kept)
    same_true = sum(n * (n - 1) for t, n in true_size.items() if n > 1)
    return Clustering(
        sum(n * n / found_size[f] for f, _, n in kept) / count,
        sum(n * n / true_size[t] for _, t, n in kept) / count,
        same_both / joined if joined else 1.0,  # of the pairs a story article was put in
        same_both / same_true if same_true else 1.0,
        (),
    )


def focus_set(
    articles: Sequence[Article],
    truth: Sequence[str],
    ratio: int = FOCUS_RATIO,
    seed: int = 1,
) -> list[int]:
    """Pick the articles of labelled stories whose headlines differ, and distractors for them.

    Returns indexes into `articles`, ascending: every article of a story of two or more whose
    headlines are not all the same, and `ratio` per such article (or as many as there are) of
    the articles of no labelled story published within `FOCUS_DAYS` of one of them.
    """
    members: dict[str, list[int]] = defaultdict(list)
    for index, story in enumerate(truth):
        members[story].append(index)
    chosen = sorted(
        index
        for indexes in members.values()
        if len(indexes) > 1 and len({_normal(articles[i].title) for i in indexes}) > 1
        for index in indexes
    )
    near = FOCUS_DAYS * 86400
    stamps = sorted(articles[index].date.timestamp() for index in chosen)
    others = [
        index
        for index, article in enumerate(articles)
        if len(members[truth[index]]) == 1
        and any(abs(article.date.timestamp() - stamp) <= near for stamp in stamps)
    ]
    wanted = min(len(others), ratio * len(chosen))
    return sorted(chosen + random.Random(seed).sample(others, wanted))


def headlines_only(articles: Sequence[Article]) -> list[Article]:
    """Drop every body, as a feed of headlines would give them."""
    return [replace(a, body_html="", summary="") for a in articles]


def undated(articles: Sequence[Article]) -> list[Article]:
    """Drop every date: each article dated by one reading time, a guess grouping ignores."""
    read = datetime(2026, 1, 1, tzinfo=UTC)
    return [replace(a, date=read, explicit_date=False) for a in articles]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared documents folder")
    parser.add_argument("--errors", action="store_true", help="list the pairs it got wrong")
    parser.add_argument("--headlines", action="store_true", help="drop bodies: titles only")
    parser.add_argument("--undated", action="store_true", help="drop dates: texts without them")
    parser.add_argument(
        "--synthetic", action="store_true", help="score the generated big-story headline set"
    )
    parser.add_argument(
        "--synthetic-text", action="store_true", help="score the generated undated full-text set"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the TF-IDF single-pass baseline"
    )
    parser.add_argument(
        "--focus",
        type=int,
        nargs="?",
        const=FOCUS_RATIO,
        metavar="N",
        help=f"group only the stories' articles and N distractors each ({FOCUS_RATIO} if no N)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed drawing --focus distractors")
    options = parser.parse_args(argv)
    articles = shared_articles(options.shared)
    baseline = not options.no_baseline
    if options.synthetic_text:
        made, labels = stories_synth_text.article_set(articles, options.seed)
        return _synthetic(made, labels, options.seed, options.errors, baseline)
    if options.synthetic:
        made, labels = stories_synth.headline_set(articles, options.seed)
        if options.undated:
            made = undated(made)
        return _synthetic(made, labels, options.seed, options.errors, baseline)
    if options.headlines:
        articles = headlines_only(articles)
    if options.undated:
        articles = undated(articles)
    truth = true_stories(articles, load_labels())
    if options.focus is not None:
        return _focus(articles, truth, options.focus, options.seed, options.errors, baseline)
    pairs = load_pairs()
    started = time.perf_counter()
    stories = group_stories(articles)
    seconds = time.perf_counter() - started
    print(f"articles {len(articles)}, stories {len(stories)}, grouped in {seconds:.3f} s")
    clusters = cluster_scores(stories, articles, truth)
    print(f"labelled stories {len(set(truth))} ({LABELS.name})")
    print(_line("newsgen", clusters))
    multi = multi_article_scores(stories, articles, truth)
    stories_of_two = sum(n > 1 for n in Counter(truth).values())
    print(
        f"over the {sum(n for n in Counter(truth).values() if n > 1)} articles of the "
        f"{stories_of_two} stories of two or more: B-cubed precision {multi.bcubed_precision:.3f}"
        f"  recall {multi.bcubed_recall:.3f}  F1 {multi.bcubed_f1:.3f}"
    )
    if baseline:
        _baseline(articles, truth)
    result = score(stories, articles, pairs)
    positives = result.true_positive + result.false_negative
    print(f"labelled pairs {len(pairs)}: {positives} same story, {len(pairs) - positives} not")
    tp, fp = result.true_positive, result.false_positive
    print(f"TP {tp}  FP {fp}  FN {result.false_negative}  TN {result.true_negative}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    if options.errors:
        for pair, grouped in result.errors:
            kind = "FP" if grouped else "FN"
            a = find_article(articles, pair.file_a, pair.item_a, pair.check_a)
            b = find_article(articles, pair.file_b, pair.item_b, pair.check_b)
            print(f"  {kind} {a.title[:60]} || {b.title[:60]}  ({pair.reason})")
        for story in clusters.mixed:
            print("  mixed: " + " || ".join(a.title[:50] for a in story[:6]))
    return 0


def _line(name: str, clusters: Clustering) -> str:
    return (
        f"{name:<9} B-cubed precision {clusters.bcubed_precision:.3f}"
        f"  recall {clusters.bcubed_recall:.3f}  F1 {clusters.bcubed_f1:.3f}"
        f"   pairwise precision {clusters.pair_precision:.3f}  recall {clusters.pair_recall:.3f}"
    )


def _baseline(articles: Sequence[Article], truth: Sequence[str]) -> None:
    """Print the baseline's scores at its best threshold on this set, and its F1 on stories."""
    started = time.perf_counter()
    similarity = stories_baseline.similarity_matrix(articles)
    order = stories_baseline.arrival_order(articles)
    best: tuple[float, float, list[Story]] | None = None
    for threshold in stories_baseline.THRESHOLDS:
        labels = stories_baseline.single_pass(order, similarity, threshold)
        members: dict[int, list[Article]] = defaultdict(list)
        for article, label in zip(articles, labels, strict=True):
            members[label].append(article)
        stories = [Story(articles=tuple(group)) for group in members.values()]
        f1 = cluster_scores(stories, articles, truth).bcubed_f1
        if best is None or f1 > best[0]:
            best = (f1, threshold, stories)
    assert best is not None
    seconds = time.perf_counter() - started
    clusters = cluster_scores(best[2], articles, truth)
    multi = multi_article_scores(best[2], articles, truth)
    print(_line("baseline", clusters))
    print(
        f"          (TF-IDF single pass, threshold {best[1]:.2f} the best of "
        f"{len(stories_baseline.THRESHOLDS)} on this set, {seconds:.1f} s; over the story "
        f"articles B-cubed F1 {multi.bcubed_f1:.3f})"
    )


def _synthetic(
    articles: Sequence[Article], labels: Sequence[str], seed: int, errors: bool, baseline: bool
) -> int:
    """Group and score the generated big-story headline set."""
    started = time.perf_counter()
    stories = group_stories(articles)
    seconds = time.perf_counter() - started
    sources = len({a.source for a in articles})
    kind = "reports" if any(a.body_html for a in articles) else "headlines"
    print(
        f"synthetic: {len(articles)} {kind} of {len(set(labels))} stories from {sources}"
        f" publishers (seed {seed}), {len(stories)} stories found in {seconds:.2f} s"
    )
    clusters = cluster_scores(stories, articles, labels)
    print(_line("newsgen", clusters))
    if baseline:
        _baseline(articles, labels)
    if errors:
        for story in clusters.mixed:
            print("  mixed: " + " || ".join(a.title[:50] for a in story[:6]))
    return 0


def _focus(
    articles: Sequence[Article],
    truth: Sequence[str],
    ratio: int,
    seed: int,
    errors: bool,
    baseline: bool = True,
) -> int:
    """Group and score only the labelled stories' articles and their distractors."""
    picked = focus_set(articles, truth, ratio, seed)
    subset = [articles[index] for index in picked]
    labels = [truth[index] for index in picked]
    stories = group_stories(subset)
    counts = Counter(labels)
    in_stories = sum(n for n in counts.values() if n > 1)
    print(
        f"focus: {in_stories} articles of {sum(n > 1 for n in counts.values())} labelled stories"
        f" and {len(subset) - in_stories} distractors (seed {seed}), {len(stories)} stories found"
    )
    clusters = cluster_scores(stories, subset, labels)
    print(_line("newsgen", clusters))
    multi = multi_article_scores(stories, subset, labels)
    print(
        f"over the story articles: B-cubed precision {multi.bcubed_precision:.3f}"
        f"  recall {multi.bcubed_recall:.3f}  F1 {multi.bcubed_f1:.3f}"
    )
    if baseline:
        _baseline(subset, labels)
    if errors:
        for story in clusters.mixed:
            print("  mixed: " + " || ".join(a.title[:50] for a in story[:6]))
        found_of = {id(a): n for n, story in enumerate(stories) for a in story.articles}
        missed: dict[str, list[Article]] = defaultdict(list)
        for article, label in zip(subset, labels, strict=True):
            if counts[label] > 1:
                missed[label].append(article)
        for label, members in sorted(missed.items()):
            if len({found_of[id(a)] for a in members}) > 1:
                print(f"  split {label}: " + " || ".join(a.title[:50] for a in members[:6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
