"""Time one scheduled CI run: a fresh clone of a site repository, `.newsgen/` restored, new items.

Usage: python bench/scheduled_run.py [--articles 10000] [--new 20] [--runs 1]

It does what the scheduled workflow does, on this machine:

1. a site repository (in git, as CI sees it) with N generated articles, built once so that its
   `.newsgen/` holds the caches a previous run left; that folder is kept aside as the CI cache;
2. N new items are committed to the repository (as the fetch step commits them);
3. a fresh `git clone` of the repository, the kept `.newsgen/` copied in (actions/cache restore),
   and `newsgen build --base-url ...` timed: wall and CPU seconds of the whole process tree.

`--python` picks the interpreter (and so the newsgen) to time, to compare two versions.
Everything is written under bench/work/scheduled/.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import Corpus
from measure import run

WORK = Path(__file__).resolve().parent / "work" / "scheduled"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]


def write_articles(seeds: Path, corpus: Corpus, indexes: range) -> None:
    for index in indexes:
        relative, text = corpus.article(index)
        path = seeds / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def save_cache(state: Path, cache: Path) -> None:
    """Keep `.newsgen/` as the workflow's cache step does: without its hidden folders."""
    shutil.rmtree(cache, ignore_errors=True)
    top = str(state)
    shutil.copytree(
        state, cache, ignore=lambda at, names: [n for n in names if at == top and n[0] == "."]
    )


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--python", default=sys.executable, help="interpreter to time")
    parser.add_argument(
        "--keep-output", action="store_true", help="cache output/ too, as the workflow does"
    )
    args = parser.parse_args()
    work = WORK / f"{args.articles}"
    shutil.rmtree(work, ignore_errors=True)
    origin, cache = work / "origin", work / "ci-cache"
    corpus = Corpus(1)
    (origin / "seeds").mkdir(parents=True)
    write_articles(origin / "seeds", corpus, range(args.articles))
    (origin / ".gitignore").write_text("output/\n.newsgen/\n")
    git(origin, "init", "--quiet", "--initial-branch=main")
    git(origin, "add", ".")
    git(origin, "commit", "--quiet", "-m", "Start")
    build = [args.python, "-m", "newsgen", "build", "--quiet", "--base-url", "https://e.org/n/"]
    # The previous run: its own clone, built; what it leaves in .newsgen/ is the CI cache.
    previous = work / "previous"
    git(work, "clone", "--quiet", str(origin), str(previous))
    first = run(build, work / "logs" / "previous.log", cwd=previous)
    assert first.returncode == 0, first.log.read_text()
    save_cache(previous / ".newsgen", cache)
    kept = work / "ci-cache-output"
    if args.keep_output:
        shutil.copytree(previous / "output", kept, symlinks=True)
    print(f"previous run (cold, {args.articles} articles): {first.wall:.1f} s wall")
    for number in range(args.runs):
        start = args.articles + number * args.new
        write_articles(origin / "seeds", corpus, range(start, start + args.new))
        git(origin, "add", ".")
        git(origin, "commit", "--quiet", "-m", f"Fetch {args.new} new seeds")
        clone = work / f"run-{number}"
        git(work, "clone", "--quiet", str(origin), str(clone))
        shutil.copytree(cache, clone / ".newsgen")
        if args.keep_output:
            shutil.copytree(kept, clone / "output", symlinks=True)
        measured = run(build, work / "logs" / f"run-{number}.log", cwd=clone)
        assert measured.returncode == 0, measured.log.read_text()
        save_cache(clone / ".newsgen", cache)  # actions/cache save, for the next run
        if args.keep_output:
            shutil.rmtree(kept)
            shutil.copytree(clone / "output", kept, symlinks=True)
        print(
            f"run {number + 1}: fresh clone + restored .newsgen/, {args.new} new items: "
            f"{measured.wall:.1f} s wall, {measured.cpu:.1f} s CPU, load {measured.load:.1f}"
        )
        size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
        print(f"  .newsgen/ as cached: {size / 1e6:.0f} MB")
        shutil.rmtree(clone, ignore_errors=True)  # a background spare may still be going
    return 0


if __name__ == "__main__":
    sys.exit(main())
