"""Time story grouping on generated articles: 10,000 and 100,000 by default.

Usage: python bench/stories_scale.py [N ...] [--seed S] [--no-memory] [--headlines] [--workers 1,2]

The articles look like a stream of news to the grouper: a Zipf-distributed vocabulary of
made-up words, a few hundred running topics whose names recur for months, and events, each
with its own rare names and numbers, reported by one to a dozen sources at about 275 articles a
day. A quarter of the reports of an event are verbatim copies of another (syndication), the rest
rewrites of the first report's lead that keep its names and numbers and half of its other
words; 3% of the articles are undated. Prints the seconds, microseconds per article, peak memory
of the grouping (tracemalloc, a second run), and how well the planted events were recovered.
The same N and seed give the same articles. --headlines drops every body first: each
headline names two of its topic's names and three of its event's facts. --workers times the
grouping once per worker count given (the reading of the articles is what is shared out), checks
that each gives the same stories, and counts the CPU time of the forked workers too.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations

from newsgen.models import Article, Story
from newsgen.stories.group import group_stories

PER_DAY = 275
START = datetime(2024, 1, 1, tzinfo=UTC)
LEXICON = 40_000
TOPICS = 400
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "is"]
FUNCTION_WORDS = ["the", "of", "to", "and", "a", "in", "that", "for", "is", "on", "said", "with"]


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: list[Article]
    event_of: dict[int, int]  # id(article) -> planted event


def _lexicon(rng: random.Random) -> list[str]:
    """Make up distinct pronounceable words, the most frequent first."""
    words: dict[str, None] = {}
    while len(words) < LEXICON:
        words["".join(rng.choices(SYLLABLES, k=rng.choice((2, 2, 3, 3, 4))))] = None
    return list(words)


def generate(count: int, seed: int = 1) -> Corpus:
    """Generate `count` articles reporting planted events; deterministic for a seed."""
    rng = random.Random(seed)
    lexicon = _lexicon(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(lexicon))]
    zipf: list[float] = []  # cumulative, so drawing does not re-add 40,000 weights each time
    total = 0.0
    for weight in weights:
        total += weight
        zipf.append(total)
    rare_names, rare_facts = lexicon[2000:], lexicon[8000:]
    topics = [rng.sample(rare_names, 30) for _ in range(TOPICS)]
    span_days = max(1, count // PER_DAY)
    articles: list[Article] = []
    event_of: dict[int, int] = {}
    event = 0
    while len(articles) < count:
        topic = topics[min(int(rng.paretovariate(1.2)) - 1, TOPICS - 1)]
        facts = rng.sample(rare_facts, 9) + [str(rng.randint(2, 9999)) for _ in range(3)]
        when = START + timedelta(days=rng.uniform(0, span_days))
        reports = min(count - len(articles), 1 + int(rng.expovariate(0.6)))
        wire = _paragraphs(rng, lexicon, zipf, topic, facts, 3)  # the first report's lead
        bodies: list[str] = []
        for _ in range(reports):
            if bodies and rng.random() < 0.25:
                body = rng.choice(bodies)  # syndication: the same text again
            else:
                names = set(topic) | set(facts)
                lead = [_rewrite(rng, lexicon, zipf, paragraph, names) for paragraph in wire]
                rest = _paragraphs(rng, lexicon, zipf, topic, [], rng.randint(5, 13))
                body = "".join(f"<p>{' '.join(words).capitalize()}.</p>" for words in lead + rest)
                bodies.append(body)
            article = _article(rng, len(articles), body, topic, facts, when)
            event_of[id(article)] = event
            articles.append(article)
        event += 1
    return Corpus(articles, event_of)


def _paragraphs(
    rng: random.Random,
    lexicon: list[str],
    zipf: list[float],
    topic: list[str],
    facts: list[str],
    count: int,
) -> list[list[str]]:
    """Write paragraphs of common words, the topic's names and (in a lead) the event's facts.

    `zipf` holds cumulative weights, so drawing does not re-add 40,000 weights each time.
    """
    paragraphs = []
    for _ in range(count):
        words = rng.choices(lexicon, cum_weights=zipf, k=rng.randint(30, 70))
        words += rng.choices(FUNCTION_WORDS, k=len(words) // 2)
        words += rng.sample(topic, 3) + (rng.sample(facts, 6) if facts else [])
        rng.shuffle(words)
        paragraphs.append(words)
    return paragraphs


def _rewrite(
    rng: random.Random, lexicon: list[str], zipf: list[float], words: list[str], keep: set[str]
) -> list[str]:
    """Retell a paragraph: keep its names and numbers, and half of its other words."""
    swapped = rng.choices(lexicon, cum_weights=zipf, k=len(words))
    return [
        word if word in keep or rng.random() < 0.5 else other
        for word, other in zip(words, swapped, strict=True)
    ]


def _article(
    rng: random.Random, index: int, body: str, topic: list[str], facts: list[str], when: datetime
) -> Article:
    dated = rng.random() >= 0.03
    title = " ".join(rng.sample(topic, 2) + rng.sample(facts, 3)).capitalize()
    return Article(
        title=title,
        date=(when + timedelta(hours=rng.uniform(0, 30))) if dated else START,
        slug=f"a{index}",
        body_html=body,
        summary="",
        source=f"source-{rng.randrange(200)}",
        seed_path=f"gen/{index:07d}.md",
        explicit_date=dated,
    )


def planted_scores(stories: Sequence[Story], corpus: Corpus) -> tuple[float, float]:
    """Pairwise precision and recall of the stories against the planted events."""
    story_of = {id(a): n for n, story in enumerate(stories) for a in story.articles}
    members: dict[int, list[int]] = {}
    for article in corpus.articles:
        members.setdefault(corpus.event_of[id(article)], []).append(id(article))
    planted = sum(len(ids) * (len(ids) - 1) // 2 for ids in members.values())
    found = sum(len(s.articles) * (len(s.articles) - 1) // 2 for s in stories)
    hits = sum(
        story_of[a] == story_of[b] for ids in members.values() for a, b in combinations(ids, 2)
    )
    return hits / found if found else 1.0, hits / planted if planted else 1.0


def _headlines_only(corpus: Corpus) -> Corpus:
    """Drop every body, keeping which event each article reports."""
    articles = [replace(article, body_html="") for article in corpus.articles]
    events = [corpus.event_of[id(article)] for article in corpus.articles]
    return Corpus(articles, {id(a): e for a, e in zip(articles, events, strict=True)})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--headlines", action="store_true", help="drop bodies: titles only")
    parser.add_argument(
        "--workers", default="1", help="comma-separated worker counts to time, e.g. 1,2 (default 1)"
    )
    options = parser.parse_args(argv)
    worker_counts = [int(count) for count in options.workers.split(",")]
    for size in options.sizes:
        corpus = generate(size, options.seed)
        if options.headlines:
            corpus = _headlines_only(corpus)
        first: tuple[Story, ...] | None = None
        for workers in worker_counts:
            stories, line = _timed(corpus, size, workers)
            if first is not None and _shape(stories) != _shape(first):
                print(f"{workers} workers grouped differently from {worker_counts[0]}")
                return 1
            first = first or stories
            if not options.no_memory:
                tracemalloc.start()
                group_stories(corpus.articles, workers=workers)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                line += f", peak {peak / 2**20:.0f} MiB (this process)"
            print(line, flush=True)
    return 0


def _timed(corpus: Corpus, size: int, workers: int) -> tuple[tuple[Story, ...], str]:
    """Group the corpus once; the stories and a line of figures."""
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    stories = group_stories(corpus.articles, workers=workers)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    precision, recall = planted_scores(stories, corpus)
    line = (
        f"{size:>7} articles, {workers} worker(s): {seconds:6.2f} s ({cpu:.2f} s CPU), "
        f"{seconds / size * 1e6:6.1f} µs/article, "
        f"{len(stories)} stories, planted events precision {precision:.3f} recall {recall:.3f}"
    )
    return stories, line


def _cpu_seconds() -> float:
    """CPU time of this process and of the finished workers it forked."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _shape(stories: Sequence[Story]) -> list[list[int]]:
    return [[id(article) for article in story.articles] for story in stories]


if __name__ == "__main__":
    sys.exit(main())
