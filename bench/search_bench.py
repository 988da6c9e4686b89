"""Time and size newsgen's static search index: cold, warm (with its cache), and after changes.

Usage: python bench/search_bench.py N [N ...] [--seed S] [--seeds DIR] [--workers W] [--cold-only]

Without --seeds, N articles are made in memory by generate_corpus.py's generator (the articles
`generate_corpus.py N DIR` would write, 2-8 KB of HTML each); with --seeds, the seed folder DIR
is parsed by newsgen itself and N is ignored. For each size it prints:

- plain text: `search_doc` for every article (tags stripped, entities decoded);
- cold: `build_index` from those SearchDocs, and from a lazy `SearchDocs` view, as a build
  calls it (plain text made on the fly, never all in memory);
- warm, with a `TermCache` kept from the build before (both kinds: with each article's terms,
  and with only the last index): nothing changed, one new article, then 1% of articles edited,
  then an older article removed and put back (every id after it moves: renumbered);
- the index's size: files, total, largest bucket (plain and gzipped), doc shard, meta.

With --workers W, a cold build that fills the cache is also made on W processes, as a site's
first build makes it, and checked to give the same files; --cold-only stops after the cold steps.

Seconds are CPU seconds of this process and of the workers it forked (wall seconds in
brackets: on a shared machine they include waiting). "peak" is the rise of the process's peak
resident size during the step: memory freed by earlier steps is reused, so after the first build
it understates. Where it matters the step is run once more under tracemalloc, whose peak of live
Python allocations ("traced") is exact, if slow to take.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generate_corpus import Corpus, slugify
from newsgen.models import Article
from newsgen.readers.parse import read_seeds
from newsgen.search.cache import TermCache
from newsgen.search.index import SearchDocs, build_index, search_doc
from newsgen.site import newest_first

T = TypeVar("T")


def status_kb(key: str) -> int:
    """A figure from /proc/self/status, in KB (VmRSS: now; VmHWM: peak since reset)."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+)", text, re.MULTILINE).group(1))  # type: ignore[union-attr]


def measured(label: str, step: Callable[[], T]) -> T:
    """Run `step`, print its CPU and wall seconds and how much it raised peak memory."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    before = status_kb("VmRSS")
    cpu, wall = cpu_seconds(), time.perf_counter()
    result = step()
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    rise = (status_kb("VmHWM") - before) / 1024
    print(f"  {label:<44} {cpu:7.2f} s ({wall:6.2f} s wall)  +{rise:6.0f} MB peak", flush=True)
    return result


def cpu_seconds() -> float:
    """CPU time of this process and of the finished workers it forked."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def traced(label: str, step: Callable[[], object]) -> None:
    """Run `step` again under tracemalloc and print the peak of its Python allocations."""
    gc.collect()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  {label:<44} {peak / 2**20:7.0f} MB traced peak", flush=True)


def generated_articles(count: int, seed: int) -> list[Article]:
    """Articles from the benchmark corpus generator, without writing or parsing seed files."""
    corpus = Corpus(seed)
    articles = []
    for index in range(count):
        _path, text = corpus.article(index)
        _, front, body = text.split("---\n", 2)
        meta = {
            key: json.loads(value)
            for key, _, value in (line.partition(": ") for line in front.splitlines())
            if value.startswith('"')
        }
        date = next(line[6:] for line in front.splitlines() if line.startswith("date: "))
        articles.append(
            Article(
                title=meta["title"],
                date=datetime.fromisoformat(date),
                slug=slugify(meta["title"])[:60],
                body_html=body,
                summary=meta["summary"],
                source=urlsplit(meta["source"]).hostname or "",
                seed_path=f"{index}.md",
            )
        )
    return newest_first(articles)


def parsed_articles(seeds: Path) -> list[Article]:
    return newest_first(read_seeds(seeds, timezone=ZoneInfo("UTC")).articles)


def changed(before: list[tuple[str, bytes]], after: list[tuple[str, bytes]]) -> str:
    old, new = dict(before), dict(after)
    paths = {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    terms = sum(p.startswith("search/terms/") for p in paths)
    return f"{len(paths)} of {len(new)} files changed ({terms} term buckets)"


def report_size(files: list[tuple[str, bytes]]) -> None:
    total = sum(len(data) for _, data in files)
    buckets = [(len(data), path, data) for path, data in files if path.startswith("search/terms/")]
    shards = [len(data) for path, data in files if path.startswith("search/docs/")]
    size, path, data = max(buckets)
    meta = dict(files)["search/meta.json"]
    print(f"  index: {len(files)} files, {total / 1e6:.1f} MB; {len(buckets)} term buckets")
    print(
        f"  largest bucket {path}: {size / 1024:.0f} KB ({len(gzip.compress(data)) / 1024:.0f} KB "
        f"gzipped); median bucket {sorted(buckets)[len(buckets) // 2][0] / 1024:.0f} KB"
    )
    norms = dict(files)["search/norms.txt"]
    print(
        f"  doc shards: {len(shards)}, largest {max(shards) / 1024:.0f} KB; "
        f"meta.json {len(meta) / 1024:.0f} KB; norms.txt {len(norms) / 1024:.0f} KB"
    )


def edit_some(articles: list[Article], share: float) -> list[Article]:
    """Change the body of every (1/share)-th article, as corrections to old stories would."""
    step = max(1, round(1 / share))
    return [
        replace(a, body_html=a.body_html + "<p>Correction appended.</p>") if i % step == 1 else a
        for i, a in enumerate(articles)
    ]


def cold_builds(articles: list[Article]) -> list[tuple[str, bytes]]:
    """Make every article's plain text, then index them: each step measured on its own."""
    docs = measured("plain text (search_doc)", lambda: [search_doc(a) for a in articles])
    cold = measured("cold build_index", lambda: build_index(docs))
    traced("cold build_index", lambda: build_index(docs))
    return cold


def index_through(articles: list[Article], cache: TermCache) -> list[tuple[str, bytes]]:
    """The index of `articles` as a build makes it: from a lazy view, through `cache`."""
    return build_index(SearchDocs(articles), cache=cache)


def bench(articles: list[Article], workers: int = 1, cold_only: bool = False) -> None:
    count = len(articles)
    megabytes = sum(len(a.body_html) for a in articles) / 1e6
    print(f"{count} articles, {megabytes:.0f} MB of HTML")
    cold = cold_builds(articles)
    lazy = measured("cold, from SearchDocs(articles)", lambda: build_index(SearchDocs(articles)))
    assert lazy == cold
    del lazy
    for number in sorted({1, workers}):
        cache = TermCache()
        cache.workers = number
        together = measured(
            f"cold, filling the cache, {number} worker(s)",
            partial(index_through, articles, cache),
        )
        assert together == cold, f"{number} workers made other files"
        del together, cache
    if cold_only:
        return
    # From here on as a build runs it: a lazy view of the articles and a cache between builds.
    newest = replace(articles[0], title="Kerch bridge", slug="kerch", body_html="<p>Kerch news</p>")
    edited = edit_some([newest, *articles], 0.01)
    for keep_terms in (True, False):
        kind = "terms and index" if keep_terms else "index only"
        print(f" cache with {kind}:")
        cache = TermCache(keep_terms=keep_terms)
        measured("cold, filling the cache", partial(index_through, articles, cache))
        saved = measured("cache dumps", cache.dumps)
        print(f"  cache: {len(saved) / 1e6:.0f} MB pickled")
        traced(
            "cache loads (its size in memory)",
            partial(TermCache.loads, saved, keep_terms=keep_terms),
        )
        cache = TermCache.loads(saved, keep_terms=keep_terms)
        del saved
        same = measured("warm, nothing changed", partial(index_through, articles, cache))
        assert same == cold
        after = measured(
            "warm, one new article", partial(index_through, [newest, *articles], cache)
        )
        print(f"  {changed(cold, after)}")
        before, after = (
            after,
            measured(
                "warm, then 1% of articles edited",
                partial(index_through, edited, cache),
            ),
        )
        print(f"  {changed(before, after)}")
        # Every id after a removed article, or one added among older ones, moves.
        older = edited[len(edited) // 3]
        without = [article for article in edited if article is not older]
        for label, these in (
            ("warm, an older article removed", without),
            ("warm, it put back among older ones", edited),
        ):
            before, after = after, measured(label, partial(index_through, these, cache))
            print(f"  {changed(before, after)}")
    report_size(cold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="*", metavar="N", help="articles to index")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed (default 1)")
    parser.add_argument("--seeds", type=Path, metavar="DIR", help="index these seeds instead")
    parser.add_argument("--workers", type=int, default=1, help="also a cold build on W processes")
    parser.add_argument("--cold-only", action="store_true", help="stop after the cold builds")
    args = parser.parse_args()
    if not args.sizes and not args.seeds:
        parser.error("give N, the number of articles, or --seeds DIR")
    if args.seeds:
        parsed = measured(f"parsing {args.seeds}", lambda: parsed_articles(args.seeds))
        bench(parsed, args.workers, args.cold_only)
        return 0
    for size in args.sizes:
        made = measured("generating the corpus", partial(generated_articles, size, args.seed))
        bench(made, args.workers, args.cold_only)
        del made
    return 0


if __name__ == "__main__":
    sys.exit(main())
