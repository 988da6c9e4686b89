"""Check that a built site has the pages newsgen's URL scheme calls for, counted by kind.

Usage: python bench/check_site.py SEEDS OUTPUT [--per-page 20] [--newest-first]

The benchmark is only fair if every generator makes the same pages, so this counts what each one
wrote (article pages, list pages with their pagination, feeds) against what the corpus implies.
Hugo's /page/1/ redirects, and newsgen's pointers from a merged topic's old address, are counted
apart, as aliases.

Lists are cut into pages two ways. newsgen counts pages from the oldest, each full, and a list's
first page takes the stories that do not fill one (`max(1, n // per_page)` pages); Hugo and
Pelican count from the newest (`ceil(n / per_page)` pages, the last one short). Each tool is
checked against its own way, and the difference is printed beside the counts.

Topics differ too. newsgen takes the spellings of one topic as one, and makes a feed's category
a topic only from two stories on; its expected counts follow those rules.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from corpus import read_entries
from newsgen.text.topics import FETCHED_TAG_MIN_STORIES, topic_key

ARTICLE = re.compile(r"\d{4}/\d{2}/\d{2}/(?!page/)[^/]+/index\.html")
ARCHIVE = re.compile(r"\d{4}(?:/\d{2}){0,2}/(?:page/\d+/)?index\.html")
HOME = re.compile(r"(?:page/\d+/)?index\.html")
GROUP = re.compile(r"(tags|sources)/[^/]+/(?:page/\d+/)?index\.html")
# Where a pointer may stand instead of a page: Hugo's page/1/, and newsgen's old address of a
# topic whose spellings were merged.
POINTER = re.compile(r"(?:.+/)?page/1/index\.html|tags/[^/]+/index\.html")

KINDS = [
    "articles",
    "home pages",
    "archive pages",
    "tags pages",
    "sources pages",
    "tag feeds",
    "site feed",
    "tag list",
    "source list",
    "sitemap",
    "robots",
    "404",
]


def pages(count: int, per_page: int, newest_first: bool = False) -> int:
    """How many pages a list of `count` stories takes (see the module's docstring)."""
    return max(1, math.ceil(count / per_page) if newest_first else count // per_page)


def expected_counts(seeds: Path, per_page: int, newest_first: bool = False) -> dict[str, int]:
    """What the corpus implies, for newsgen's scheme of one story per article; with
    `newest_first`, for lists paginated from the newest as Hugo and Pelican do."""
    tags: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    periods: Counter[str] = Counter()
    articles = 0
    for entry in read_entries(seeds):
        articles += 1
        # Tags are case-insensitive in all three generators, so count them the same way; newsgen
        # also takes spellings of one topic as one ("Election", "elections").
        tags.update({tag.lower() if newest_first else topic_key(tag) for tag in entry.tags})
        sources[entry.source] += 1
        day = f"{entry.utc:%Y/%m/%d}"
        periods.update([day[:4], day[:7], day])
    if not newest_first:
        # The corpus is fetched items, and newsgen makes a feed's category a topic only from
        # FETCHED_TAG_MIN_STORIES stories on: a one-off category is no page.
        tags = Counter({tag: n for tag, n in tags.items() if n >= FETCHED_TAG_MIN_STORIES})
    return {
        "articles": articles,
        "home pages": pages(articles, per_page, newest_first),
        "archive pages": sum(pages(n, per_page, newest_first) for n in periods.values()),
        "tags pages": sum(pages(n, per_page, newest_first) for n in tags.values()),
        "sources pages": sum(pages(n, per_page, newest_first) for n in sources.values()),
        "tag feeds": len(tags),
        "site feed": 1,
        "tag list": 1,
        "source list": 1,
        "sitemap": 1,
        "robots": 1,
        "404": 1,
    }


def classify(relative: str, redirect: bool = False) -> str | None:
    """Name the kind of one output file, by newsgen's URL scheme; `redirect` if it only sends
    the browser elsewhere (newsgen's page/1/ is a page, Hugo's a pointer to the list)."""
    if redirect and POINTER.fullmatch(relative):
        return "aliases"
    if ARTICLE.fullmatch(relative):
        return "articles"
    if ARCHIVE.fullmatch(relative):
        return "archive pages"
    if HOME.fullmatch(relative):
        return "home pages"
    if match := GROUP.fullmatch(relative):
        return f"{match.group(1)} pages"
    if re.fullmatch(r"tags/[^/]+/feed\.xml", relative):
        return "tag feeds"
    return {
        "feed.xml": "site feed",
        "tags/index.html": "tag list",
        "sources/index.html": "source list",
        "sitemap.xml": "sitemap",
        "robots.txt": "robots",
        "404.html": "404",
    }.get(relative)


def actual_counts(output: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in output.rglob("*"):
        if path.is_file():
            relative = path.relative_to(output).as_posix()
            redirect = bool(POINTER.fullmatch(relative)) and _is_redirect(path)
            counts[classify(relative, redirect) or "other"] += 1
    return counts


def _is_redirect(path: Path) -> bool:
    head = path.read_bytes()[:8192].lower()
    return b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head


def compare(expected: dict[str, int], actual: Counter[str]) -> list[str]:
    """Return one line per kind whose count differs; empty when the site is complete."""
    return [
        f"{kind}: expected {expected[kind]}, found {actual.get(kind, 0)}"
        for kind in KINDS
        if actual.get(kind, 0) != expected[kind]
    ]


def table(columns: dict[str, dict[str, int] | Counter[str]], kinds: Iterable[str]) -> str:
    names = list(columns)
    lines = [f"{'':16}" + "".join(f"{name:>12}" for name in names)]
    for kind in kinds:
        lines.append(f"{kind:16}" + "".join(f"{columns[name].get(kind, 0):>12}" for name in names))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument(
        "--newest-first", action="store_true", help="lists paginated from the newest (Hugo)"
    )
    args = parser.parse_args()
    expected = expected_counts(args.seeds, args.per_page, args.newest_first)
    actual = actual_counts(args.output)
    print(table({"expected": expected, "found": actual}, [*KINDS, "aliases", "other"]))
    problems = compare(expected, actual)
    print(json.dumps(problems, indent=1) if problems else "all expected pages are there")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
