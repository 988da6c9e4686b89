"""Parse one generated archive in N slices, as N jobs of a CI matrix would, and build from them.

Usage:
  python bench/parse_slices.py --articles 100000 --slices 4
  python bench/parse_slices.py --articles 10000 --slices 2,4 --jobs 2

One round, on the corpus `run.py` uses, in a site folder of its own that is a git repository with
the seeds committed (cached under bench/work/): each runner of a matrix clones the repository,
and it is the commit dates that give every runner the same first-seen date for each seed.
1. a cold build, output and every cache removed first: what one machine pays today;
2. `newsgen parse` of every seed into an empty cache, and nothing else: the whole parse;
3. for each slice count N, each slice parsed alone into an empty `.newsgen/` (a runner starts
   with nothing), its cache files moved aside, then the N slices' files copied together into an
   empty `.newsgen/parse-cache/` and the site built from them, output removed first: what the
   build job after the matrix pays.
The slices run one after another on this machine, so each slice's figures are those of one
runner with this machine's cores. The build after the slices must parse nothing: the script
fails unless its log says so ("N seeds: 0 parsed"), or if two slices wrote the same cache file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from newsgen.readers.cache import SHARDS
from run import (
    BENCH,
    NEWSGEN_CONFIG,
    WORK,
    BuildFailed,
    RunState,
    Sample,
    cached,
    corpus_dir,
    executable,
    report,
    save,
    timed,
    versions,
)

STATE = ".newsgen"
PARSE_CACHE = "parse-cache"
PARSED = re.compile(r"^  \d+ seeds?: (\d+) parsed", re.MULTILINE)


def git_site(root: Path) -> Path:
    """A site folder of hard links to the corpus, its seeds committed to git at a fixed date."""

    def make(site: Path) -> None:
        shutil.copytree(root / "seeds", site / "seeds", copy_function=os.link)
        (site / "newsgen.yaml").write_text(NEWSGEN_CONFIG, encoding="utf-8")
        (site / ".gitignore").write_text(f"/{STATE}/\n/output*/\n", encoding="utf-8")
        date = "2026-01-01T00:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
            subprocess.run([*git, *command], cwd=site, env=env, check=True)

    return cached(root / "newsgen-git-site", make)


def _clean(site: Path, *, keep_output: bool = False) -> None:
    shutil.rmtree(site / STATE, ignore_errors=True)
    if not keep_output:
        for path in site.glob("output*"):
            shutil.rmtree(path, ignore_errors=True)


def _parsed(log: Path) -> int:
    """How many seeds the build's log says it parsed."""
    found = PARSED.findall(log.read_text(encoding="utf-8", errors="replace"))
    if not found:
        raise BuildFailed(f"no 'N seeds: P parsed' line in {log}")
    return int(found[-1])


def _sliced(site: Path, count: int, jobs: list[str], state: RunState) -> list[Sample]:
    """Parse `count` slices one by one, gather their files, build from them."""
    newsgen = executable("newsgen")
    gathered = WORK / "parse-slices" / f"{state.articles}-{count}"
    shutil.rmtree(gathered, ignore_errors=True)
    gathered.mkdir(parents=True)
    samples = []
    for index in range(1, count + 1):
        _clean(site, keep_output=True)
        shard = f"{index}/{count}"
        command: list[str | Path] = [newsgen, "parse", "--site", site, "--shard", shard, *jobs]
        samples.append(timed("newsgen", f"parse slice {index} of {count}", command, state))
        for path in sorted((site / STATE / PARSE_CACHE).iterdir()):
            target = gathered / path.name
            if target.exists():
                raise BuildFailed(f"slices wrote the same cache file twice: {path.name}")
            shutil.move(path, target)
    _clean(site)
    shutil.copytree(gathered, site / STATE / PARSE_CACHE)
    command = [newsgen, "build", "--site", site, *jobs]
    samples.append(timed("newsgen", f"build after {count} slices", command, state))
    if parsed := _parsed(state.logs / f"newsgen-buildafter{count}slices-r{state.round}.log"):
        raise BuildFailed(f"the build after {count} slices parsed {parsed} seeds again")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument(
        "--slices", default="4", type=lambda text: [int(n) for n in text.split(",")],
        help=f"comma-separated slice counts, each at most {SHARDS} (default 4)",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for every command")
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed per command")
    args = parser.parse_args()
    if not all(1 <= count <= SHARDS for count in args.slices):
        parser.error(f"--slices: each count from 1 to {SHARDS}")
    jobs: list[str] = ["--jobs", str(args.jobs)] if args.jobs else []
    site = git_site(corpus_dir(args.articles, args.seed))
    state = RunState(args.articles, WORK / "logs" / f"{args.articles}-slices", args.timeout)
    newsgen = executable("newsgen")
    samples: list[Sample] = []
    try:
        _clean(site)
        samples.append(timed("newsgen", "cold build", [newsgen, "build", "--site", site, *jobs],
                             state))  # fmt: skip
        _clean(site)
        samples.append(timed("newsgen", "parse, whole", [newsgen, "parse", "--site", site, *jobs],
                             state))  # fmt: skip
        for count in args.slices:
            samples.extend(_sliced(site, count, jobs, state))
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    info = {"articles": str(args.articles), "cores": str(os.cpu_count()), **versions()}
    print(report(samples, info, "parsing in slices"))
    name = f"slices-{args.articles}"
    print(f"\nsaved {save(samples, info, name).relative_to(BENCH)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
