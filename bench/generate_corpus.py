"""Write a deterministic corpus of N news articles as newsgen front-matter seed files.

Usage: python bench/generate_corpus.py N OUTDIR [--seed S]

OUTDIR becomes a seeds folder laid out like a real fetch: OUTDIR/<host>/<date>-<slug>-<hash>.md.
The same N and seed always give byte-identical files. The shape is meant to look like a few
months of real aggregation scaled up: ~200 sources of very unequal size, ~2,000 tags with a long
tail, dates over two years carrying each source's own UTC offset, and 2–8 KB HTML bodies.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

SOURCE_COUNT = 200
TAG_COUNT = 2_000
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 2 * 365 * 24 * 3600
# Offsets a news feed really carries; mixing them is what trips up naive date grouping.
OFFSETS = [0, 0, 0, -5, -4, +1, +2, +3, +5.5, +8, +9, -7, -8, -3]
SENTENCE_POOL = 40_000

# The most frequent words of English news copy, most frequent first. A Zipf draw over this list
# followed by made-up words gives a vocabulary with a realistic head and a long tail, which is what
# a search index and a body sanitiser see in real feeds.
COMMON = """
the of to and a in that for is on said with was he it as at by from his be have has are but
an not they who were their had this been more after would will its which about one we also
year two people new first last than other over up government there out when into could president
minister officials police state years told some i people’s three million what them percent week
country city can all during while no war since before against where many most time him just
security says news report including she her our military party election court public new day
talks former national because those under law forces attack killed health between only world
month any group leaders economic both four prices market billion company workers five deal
support being did us led called team high next least made local power second so even should
until international foreign army policy rights media officials’ ministry council agency chief
back china russia ukraine europe american british israel gaza iran india africa brazil germany
france japan syria turkey mexico canada australia pakistan korea nigeria egypt poland spain italy
energy climate oil gas water food prices inflation bank rates interest budget tax trade tariffs
vote voters campaign parliament senate congress lawmakers opposition protest protesters strike
court judge trial case investigation charges prison sentence appeal ruling evidence witnesses
hospital doctors patients disease virus vaccine outbreak study scientists research data results
storm flooding fire wildfire earthquake drought heat rain snow hurricane emergency rescue
village town region province border capital coast island district streets residents families
children women men students teachers schools university workers union jobs wages salaries
football match season club coach players league final cup goals win victory defeat championship
technology internet software phone users online platform social network artificial intelligence
startup investors shares stocks markets growth recession exports imports supply chain factory
peace ceasefire troops missile drone strike defence sanctions talks summit treaty alliance nato
statement spokesperson interview conference meeting agreement plan proposal decision measures
announced reported confirmed denied warned urged expected according added described noted
however although despite amid following ahead across around through without within toward
major key top senior small large big long short early late recent previous current future
""".split()  # noqa: SIM905 - a word list reads and diffs better as running text

SYLLABLES = (  # noqa: SIM905
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru "
    "sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo an en in on ar er or ul ost ing ers "
    "tion ment al ic ous ive ism ist ate ard ell ham ton ville berg stad"
).split()

SECTIONS = ["world", "politics", "business", "technology", "science", "health", "sport", "europe"]
HOST_PATTERNS = [
    "feeds.{name}.com",
    "www.{name}.com",
    "rss.{name}.co.uk",
    "{name}.org",
    "news.{name}.net",
    "www.{name}.de",
    "{name}.com.au",
]


@dataclass(frozen=True, slots=True)
class Source:
    host: str
    feed_url: str
    offset_hours: float


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Return cumulative Zipf weights, the form random.choices wants for speed."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Common words first, then invented ones for the long tail, all distinct."""
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = make_word(rng)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_sources(rng: random.Random) -> list[Source]:
    sources: list[Source] = []
    hosts: set[str] = set()
    while len(sources) < SOURCE_COUNT:
        host = rng.choice(HOST_PATTERNS).format(name=make_word(rng) + rng.choice(["", "news"]))
        if host in hosts:
            continue
        hosts.add(host)
        path = rng.choice(["/rss", "/feed", "/world/rss.xml", "/atom.xml", "/feeds/latest"])
        sources.append(Source(host, f"https://{host}{path}", rng.choice(OFFSETS)))
    return sources


def make_tags(rng: random.Random, vocabulary: list[str]) -> list[str]:
    """Mostly single lower-case words, some two-word topics; unique once slugified."""
    tags: list[str] = []
    seen: set[str] = set()
    head = vocabulary[: len(COMMON)]
    while len(tags) < TAG_COUNT:
        if rng.random() < 0.2:
            tag = f"{rng.choice(head)} {rng.choice(vocabulary[:5000])}"
        else:
            tag = rng.choice(vocabulary[:8000])
        if len(tag) > 3 and tag.replace(" ", "-") not in seen:
            seen.add(tag.replace(" ", "-"))
            tags.append(tag)
    return tags


def make_sentences(rng: random.Random, vocabulary: list[str]) -> list[str]:
    weights = zipf_weights(len(vocabulary), 1.05)
    sentences = []
    for _ in range(SENTENCE_POOL):
        words = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(8, 28))
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), f'"{rng.choice(vocabulary[:3000])}"')
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?"))
    return sentences


class Corpus:
    """Everything drawn once per corpus, then used to write each article."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = make_vocabulary(self.rng, 30_000)
        self.sources = make_sources(self.rng)
        self.source_weights = zipf_weights(len(self.sources), 1.0)
        self.tags = make_tags(self.rng, self.vocabulary)
        self.tag_weights = zipf_weights(len(self.tags), 1.0)
        self.sentences = make_sentences(self.rng, self.vocabulary)
        self.title_weights = zipf_weights(3000, 0.8)

    def title(self) -> str:
        rng = self.rng
        head = self.vocabulary[:3000]
        words = rng.choices(head, cum_weights=self.title_weights, k=rng.randint(6, 14))
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] = rng.choice(["Zelenskyy’s", "Putin’s", "Trump’s"])
        if rng.random() < 0.15:
            words.insert(rng.randrange(1, len(words)), "—")
        title = " ".join(words)
        if rng.random() < 0.3:
            title = f"{title.split(' ', 2)[0]}: {title.split(' ', 1)[1]}"
        return title[0].upper() + title[1:]

    def article_tags(self) -> list[str]:
        wanted = self.rng.randint(2, 6)
        chosen: dict[str, None] = {}
        while len(chosen) < wanted:
            chosen[self.rng.choices(self.tags, cum_weights=self.tag_weights)[0]] = None
        return list(chosen)

    def paragraph(self, host: str) -> str:
        rng = self.rng
        text = " ".join(rng.choices(self.sentences, k=rng.randint(2, 6)))
        if rng.random() < 0.25:
            words = text.split(" ")
            at = rng.randrange(len(words) - 3)
            anchor = " ".join(words[at : at + 3])
            href = f"https://{host}/{rng.choice(SECTIONS)}/{rng.randrange(10**7)}"
            words[at : at + 3] = [f'<a href="{href}" target="_blank" rel="noopener">{anchor}</a>']
            text = " ".join(words)
        return f"<p>{text}</p>"

    def body(self, host: str, image: str) -> str:
        rng = self.rng
        target = int(rng.triangular(2048, 8192, 3500))
        alt = rng.choice(self.sentences)[:60].replace('"', "")
        parts = [f'<p><img src="{image}" alt="{alt}"></p>'] if image else []
        size = sum(map(len, parts))
        headings = rng.randint(0, 3)
        while size < target:
            roll = rng.random()
            if headings and roll < 0.08:
                headings -= 1
                part = f"<h2>{rng.choice(self.sentences)[:70].rstrip('.?')}</h2>"
            elif roll < 0.12:
                items = rng.choices(self.sentences, k=rng.randint(2, 5))
                part = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            else:
                part = self.paragraph(host)
            parts.append(part)
            size += len(part)
        return "".join(parts)

    def article(self, index: int) -> tuple[str, str]:
        """Return (relative path, file text) of article number `index`."""
        rng = self.rng
        source = rng.choices(self.sources, cum_weights=self.source_weights)[0]
        utc = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        date = utc.astimezone(timezone(timedelta(hours=source.offset_hours)))
        title = self.title()
        slug = slugify(title)
        digest = hashlib.sha1(f"{source.host}/{index}/{slug}".encode()).hexdigest()[:12]
        link = f"https://{source.host.removeprefix('feeds.')}/{rng.choice(SECTIONS)}/{slug}-{digest[:6]}"
        image = f"https://cdn.{source.host}/images/{digest}.jpg" if rng.random() < 0.4 else ""
        body = self.body(source.host, image)
        description = self.rng.choice(self.sentences).replace("'", "&apos;")
        meta = [
            f"title: {quote(title)}",
            f"date: {date.isoformat()}",
            f"description: {quote(description)}",
            f"summary: {quote(description)}",
            f"image: {quote(image)}",
            f"link: {quote(link)}",
            f"source: {quote(source.feed_url)}",
            "categories:",
            f"- {quote(source.host)}",
            "tags:",
            *(f"- {quote(tag)}" for tag in self.article_tags()),
            "draft: false",
        ]
        path = f"{source.host}/{date:%Y-%m-%d}-{slug[:60].rstrip('-')}-{digest[:8]}.md"
        return path, "---\n" + "\n".join(meta) + "\n---\n" + body + "\n"


def quote(value: str) -> str:
    """A JSON string is also a valid double-quoted YAML scalar, whatever the punctuation."""
    return json.dumps(value, ensure_ascii=False)


def slugify(text: str) -> str:
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text.lower())
    return "-".join(cleaned.split())


def generate(count: int, outdir: Path, seed: int) -> int:
    """Write `count` seed files under `outdir`; return the bytes written."""
    corpus = Corpus(seed)
    made_dirs: set[str] = set()
    written = 0
    for index in range(count):
        relative, text = corpus.article(index)
        folder = relative.split("/", 1)[0]
        if folder not in made_dirs:
            (outdir / folder).mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        data = text.encode()
        (outdir / relative).write_bytes(data)
        written += len(data)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, metavar="N", help="number of articles")
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="seeds folder to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("N must be at least 1")
    if args.outdir.exists() and any(args.outdir.iterdir()):
        parser.error(f"{args.outdir} is not empty; give a new folder so no old file is mixed in")
    written = generate(args.count, args.outdir, args.seed)
    print(f"{args.count} articles, {written / 1e6:.1f} MB in {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
