"""A build killed with SIGKILL at any moment leaves output/ whole, and the next build just works.

A corpus of a few thousand generated articles is built once (the old site), some seeds are
changed, and the new site is built once elsewhere: both trees are recorded by digest. Each trial
then restores the old state, starts the real command line on the new seeds, kills it (the whole
process group, as a dying CI job does) at some moment of the build, and checks that output/ is
byte for byte the old site or the new one. The next build, without any help, must give the new
site. A kill during the very first build must leave no output/ at all, or a whole one.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import run_newsgen, settled, tree_digest

ARTICLES = 2500
FIRST_BUILD_ARTICLES = 300
BUILD = ("build", "--no-search", "--quiet", "--site")
STATE = ".newsgen"

Tree = dict[str, str]


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links: a build replaces files and never writes into one."""
    shutil.copytree(source, target, copy_function=os.link)


WORDS = (  # noqa: SIM905 - a word list reads better as running text
    "council harbour bridge budget election court river school hospital market storm port vote "
    "plan tram police farmers union strike museum festival airport rail energy water housing "
    "mayor minister report talks border ferry library park tax road forest bakery"
).split()


def generate(count: int, seeds: Path, seed: int) -> None:
    """Write `count` front-matter articles from 30 sources over four months, 40 tags in all."""
    rng = random.Random(seed)
    for number in range(count):
        host = f"source{number % 30}.example"
        words = rng.sample(WORDS, 5)
        title = f"{words[0].title()} {words[1]} {words[2]} report {number}"
        day = f"2025-{1 + number % 4:02d}-{1 + number % 28:02d}T{number % 24:02d}:00:00Z"
        tags = ", ".join(rng.sample(WORDS, 3))
        body = "".join(
            f"<p>The {' '.join(rng.sample(WORDS, 8))} story {number}, paragraph {n}.</p>"
            for n in range(4)
        )
        path = seeds / host / f"article-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {title}\ndate: {day}\nlink: https://{host}/{number}\n"
            f"tags: [{tags}]\n---\n{body}\n",
            encoding="utf-8",
        )


def change_seeds(seeds: Path, rng: random.Random) -> None:
    """Edit, delete and add articles, the way a day of news changes a site."""
    files = sorted(seeds.rglob("*.md"))
    for path in rng.sample(files, 25):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</p>", " A late update.</p>", 1), encoding="utf-8")
    for path in rng.sample(files, 10):
        path.unlink()
    for number in range(10):
        (seeds / f"late-{number}.md").write_text(
            f"---\ntitle: Late report {number}\ndate: 2025-12-{number + 10}T08:00:00Z\n"
            f"tags: [late, world]\n---\n<p>Late report number {number} from the desk.</p>\n",
            encoding="utf-8",
        )


def build(site: Path) -> float:
    started = time.perf_counter()
    result = run_newsgen(*BUILD, str(site))
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - started


@dataclass(frozen=True)
class Corpus:
    old: Path  # a site as the old build left it: old seeds, output/ and .newsgen/
    new_seeds: Path
    old_tree: Tree
    new_tree: Tree
    new_build_seconds: float  # an uninterrupted build from the old state to the new site


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("kill")
    old = root / "old"
    generate(ARTICLES, old / "seeds", seed=7)
    build(old)
    settled(old)  # the spare folder is made in the background: copy the state once it is done
    (old / STATE / "build.lock").unlink()  # each trial makes its own, not a link to one file
    new_seeds = root / "new-seeds"
    shutil.copytree(old / "seeds", new_seeds)
    change_seeds(new_seeds, random.Random(7))
    reference = restore(old, new_seeds, root / "reference")
    seconds = build(reference)
    old_tree, new_tree = tree_digest(old / "output"), tree_digest(reference / "output")
    corpus = Corpus(old, new_seeds, old_tree, new_tree, seconds)
    assert corpus.old_tree != corpus.new_tree and "index.html" in corpus.new_tree
    return corpus


def restore(old: Path, new_seeds: Path, site: Path) -> Path:
    """A site in the state the old build left, with the new seeds in place."""
    site.mkdir()
    link_tree(old / "output", site / "output")
    link_tree(old / STATE, site / STATE)
    link_tree(new_seeds, site / "seeds")
    return site


def start_build(site: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsgen", *BUILD, str(site)]
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build and every process it started, as when a CI job dies."""
    # A build that already finished has no group left to kill: the checks apply all the same.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    """Poll until `condition` holds or the build has ended."""
    while not condition() and process.poll() is None:
        time.sleep(0.002)


def identity(path: Path) -> int:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return -1


def assert_whole(output: Path, *trees: Tree, moment: str) -> None:
    assert output.is_dir(), f"output/ is missing after a kill {moment}"
    found = tree_digest(output)
    assert found in trees, f"output/ is neither whole site after a kill {moment}: " + (
        f"{len(set(found) ^ set(trees[0]))} paths differ from the old site"
    )


def assert_next_build_gives(site: Path, tree: Tree, moment: str) -> None:
    result = run_newsgen(*BUILD, str(site))
    assert result.returncode == 0, f"the build after a kill {moment} failed: {result.stderr}"
    assert tree_digest(site / "output") == tree, f"the build after a kill {moment} is not right"
    assert not (site / STATE / ".output.staging").exists()


def moments(seconds: float, count: int) -> list[float]:
    """Kill times spread over the whole build, from start-up to after the swap."""
    rng = random.Random()
    return sorted(rng.uniform(0, seconds * 1.1) for _ in range(count))


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_site(
    corpus: Corpus, tmp_path: Path
) -> None:
    triggers: list[tuple[str, Callable[[Path, subprocess.Popen[bytes]], None]]] = [
        (f"after {delay:.2f} s", lambda _site, _process, delay=delay: time.sleep(delay))
        for delay in moments(corpus.new_build_seconds, 2)
    ]
    triggers += [("at the swap", _at_swap), ("of the main process alone", _when_staging_fills)]
    for number, (moment, trigger) in enumerate(triggers):
        site = restore(corpus.old, corpus.new_seeds, tmp_path / f"trial-{number}")
        process = start_build(site)
        trigger(site, process)
        if moment.endswith("alone"):
            _kill_main_process_only(process)
        else:
            kill_group(process)
        assert_whole(site / "output", corpus.old_tree, corpus.new_tree, moment=moment)
        assert_next_build_gives(site, corpus.new_tree, moment)


def _when_staging_fills(site: Path, process: subprocess.Popen[bytes]) -> None:
    staging = site / STATE / ".output.staging"
    wait_for(lambda: _entries(staging) >= 3, process)


def _entries(folder: Path) -> int:
    try:
        return len(os.listdir(folder))
    except FileNotFoundError:  # not made yet, or already swapped in and cleared
        return 0


def _at_swap(site: Path, process: subprocess.Popen[bytes]) -> None:
    """Kill the moment output/ is exchanged, while the old site is being cleared away."""
    before = identity(site / "output")
    wait_for(lambda: identity(site / "output") != before, process)


def _kill_main_process_only(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build alone: its render workers, left without it, must stop soon."""
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(process.pid), "render workers outlived their build by 30 s"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tree, float]:
    root = tmp_path_factory.mktemp("first")
    generate(FIRST_BUILD_ARTICLES, root / "seeds", seed=11)
    reference = root / "reference"
    link_tree(root / "seeds", reference / "seeds")
    seconds = build(reference)
    return root / "seeds", tree_digest(reference / "output"), seconds


def test_a_kill_during_the_first_build_leaves_no_output_or_a_whole_one(
    small_corpus: tuple[Path, Tree, float], tmp_path: Path
) -> None:
    seeds, tree, seconds = small_corpus
    for number, delay in enumerate(moments(seconds, 2)):
        site = tmp_path / f"first-{number}"
        link_tree(seeds, site / "seeds")
        process = start_build(site)
        time.sleep(delay)
        kill_group(process)
        output = site / "output"
        assert not output.exists() or tree_digest(output) == tree, f"after {delay:.2f} s"
        assert_next_build_gives(site, tree, f"after {delay:.2f} s of the first build")


def test_an_interrupted_swap_never_brings_back_a_stale_page(tmp_path: Path) -> None:
    """Stopped between the swap and its bookkeeping, a build must not make a later one lie.

    Build, edit an article and build again but stop right after the swap (SIGINT or SIGKILL
    there leaves the same files), then undo the edit: the page must show the original text.
    """
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    article = seeds / "harbour.md"
    original = "---\ntitle: Harbour reopens\ndate: 2025-01-01\n---\n<p>Original text.</p>\n"
    article.write_text(original, encoding="utf-8")
    (seeds / "other.md").write_text(
        "---\ntitle: Bridge closes\ndate: 2025-01-02\n---\n<p>Other text.</p>\n", encoding="utf-8"
    )
    build(tmp_path)
    article.write_text(original.replace("Original", "Edited"), encoding="utf-8")
    script = (
        "import sys, newsgen.build as b, newsgen.output.staging as o\n"
        "def stop(*args, **kwargs): raise KeyboardInterrupt\n"
        "o._write_atomic = stop  # the manifest is the first thing written after the swap\n"
        "try: b.build(sys.argv[1], search=False, quiet=True)\n"
        "except KeyboardInterrupt: sys.exit(130)\n"
    )
    stopped = subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=False)
    assert stopped.returncode == 130
    page = tmp_path / "output/2025/01/01/harbour-reopens/index.html"
    assert "Edited text." in page.read_text(encoding="utf-8")
    article.write_text(original, encoding="utf-8")
    build(tmp_path)
    assert "Original text." in page.read_text(encoding="utf-8")
