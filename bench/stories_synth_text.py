"""Build, at run time, a full-text set shaped like the held-out one: events in pairs, no dates.

The held-out full-text set holds about a thousand articles reporting 86 events, two events of
the same kind per topic (two earthquakes, two takeovers), and no dates: what tells two events
of one topic apart is their own names and numbers, not time. The shared corpus has few reports
of one event, so this makes them from its real text, without storing any of it:

- a topic is one feed of the corpus; its two events are two of its articles (a feed gives a
  second pair of events only when there are too few feeds);
- each event is retold by six to seventeen reports: the event article's headline and lead, each
  sentence kept or dropped, its rare words (names, places) and numbers kept, and about a third
  of its other words swapped for words the corpus often uses, as a rewrite would;
- each report then goes on with background: paragraphs of the feed's other articles (not its
  events', unless it has no others), which the two events of a topic share;
- every report has a publisher of its own choosing and no date.

The same articles and seed give the same set.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from newsgen.models import Article

EVENTS = 86
LEAD_CHARS = 1500
MIN_LEAD = 1200  # an article shorter than this has too little of its own to retell
RARE = 3  # a word in at most this many corpus articles is a name: rewrites keep it
SWAP = 0.5  # share of the other words a rewrite swaps for common ones
DROP = 0.3  # share of the lead's sentences a rewrite leaves out
COMMON = 20  # a word in at least this many articles may stand in for another
PUBLISHERS = 60
READ = datetime(2026, 1, 1, tzinfo=UTC)  # the one time every undated report is read at
_TAG = re.compile(r"<[^>]*>")
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def article_set(
    articles: Sequence[Article], seed: int = 1, events: int = EVENTS
) -> tuple[list[Article], list[str]]:
    """Return generated undated reports and each one's event, from the corpus `articles`."""
    rng = random.Random(seed)
    texts = [_text(article.body_html) for article in articles]
    frequency: Counter[str] = Counter()
    for article, text in zip(articles, texts, strict=True):
        frequency.update({word.lower() for word in _TOKEN.findall(article.title + " " + text)})
    common = sorted(word for word, count in frequency.items() if count >= COMMON and word.isalpha())
    weights = [frequency[word] for word in common]
    by_source: dict[str, list[int]] = defaultdict(list)
    titles: set[str] = set()
    for index, (article, text) in enumerate(zip(articles, texts, strict=True)):
        if len(text) >= MIN_LEAD and article.title not in titles:
            titles.add(article.title)
            by_source[article.source].append(index)
    # Each feed's long articles in pairs: a feed gives one pair before any gives a second, so
    # topics repeat only when the corpus has too few (two pairs of one feed: four events alike).
    pairs: list[list[tuple[str, int, int]]] = []
    for source in sorted(by_source):
        indexes = by_source[source][:]
        rng.shuffle(indexes)
        for rank, at in enumerate(range(0, len(indexes) - 2, 2)):
            while len(pairs) <= rank:
                pairs.append([])
            pairs[rank].append((source, indexes[at], indexes[at + 1]))
    chosen = [pair for tier in pairs for pair in rng.sample(tier, len(tier))][: events // 2]
    if len(chosen) * 2 < events:
        raise ValueError(f"the corpus has long articles for {len(chosen) * 2} events, not {events}")
    reports: list[Article] = []
    labels: list[str] = []
    events_of = {index for _, *both in chosen for index in both}
    for topic, *both in chosen:
        # Background is the topic's, never another event's text: other articles of the feed.
        background = [i for i in by_source[topic] if i not in events_of]
        if len(background) < 2:
            background = [i for i in by_source[topic] if i not in both]
        for event in both:
            for _ in range(rng.randint(6, 17)):
                number = len(reports)
                title = _retell(rng, articles[event].title, frequency, common, weights)
                lead = [
                    _retell(rng, sentence, frequency, common, weights)
                    for sentence in _SENTENCE.split(texts[event][:LEAD_CHARS])
                    if rng.random() >= DROP
                ]
                more = [
                    _paragraph(rng, texts[i])
                    for i in rng.sample(background, min(2, len(background)))
                ]
                body = "".join(f"<p>{html.escape(p)}</p>" for p in [" ".join(lead), *more])
                reports.append(
                    Article(
                        title=title,
                        date=READ,
                        slug=f"r{number}",
                        body_html=body,
                        summary="",
                        source=f"Publisher {rng.randrange(PUBLISHERS)}",
                        seed_path=f"synthetic-text/{number:05d}",
                        seed_line=1,
                        explicit_date=False,
                    )
                )
                labels.append(f"{topic}#{event}")
    return reports, labels


def _text(body_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", body_html[: LEAD_CHARS * 6])).split())


def _retell(
    rng: random.Random,
    text: str,
    frequency: Counter[str],
    common: list[str],
    weights: list[int],
) -> str:
    """Keep names and numbers, swap some other words for common ones."""
    words = []
    for token in _TOKEN.findall(text):
        name = token.isdigit() or frequency[token.lower()] <= RARE
        if token[0].isalnum() and not name and rng.random() < SWAP:
            token = rng.choices(common, weights)[0]
        words.append(token)
    return " ".join(words)


def _paragraph(rng: random.Random, text: str) -> str:
    """A stretch of background from another article of the topic."""
    start = rng.randrange(max(1, len(text) - 400))
    return text[start : start + 400]
