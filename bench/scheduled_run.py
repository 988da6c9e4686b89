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

from generate_corpus import Corpus  # noqa: E402
from measure import run  # noqa: E402

WORK = Path(__file__).resolve().parent / "work" / "scheduled"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]


def write_articles(seeds: Path, corpus: Corpus, indexes: range) -> None:
    for index in indexes:
        relative, text = corpus.article(index)
        path = seeds / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--python", default=sys.executable, help="interpreter to time")
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
    shutil.copytree(previous / ".newsgen", cache)
    print(f"previous run (cold, {args.articles} articles): {first.wall:.1f} s wall")
    for number in range(args.runs):
        start = args.articles + number * args.new
        write_articles(origin / "seeds", corpus, range(start, start + args.new))
        git(origin, "add", ".")
        git(origin, "commit", "--quiet", "-m", f"Fetch {args.new} new seeds")
        clone = work / f"run-{number}"
        git(work, "clone", "--quiet", str(origin), str(clone))
        shutil.copytree(cache, clone / ".newsgen")
        measured = run(build, work / "logs" / f"run-{number}.log", cwd=clone)
        assert measured.returncode == 0, measured.log.read_text()
        shutil.rmtree(cache)
        shutil.copytree(clone / ".newsgen", cache)  # actions/cache save, for the next run
        print(
            f"run {number + 1}: fresh clone + restored .newsgen/, {args.new} new items: "
            f"{measured.wall:.1f} s wall, {measured.cpu:.1f} s CPU, load {measured.load:.1f}"
        )
        shutil.rmtree(clone, ignore_errors=True)  # a background spare may still be going
    return 0


if __name__ == "__main__":
    sys.exit(main())
