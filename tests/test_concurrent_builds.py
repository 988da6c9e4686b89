"""Two builds of one site at once never corrupt output/; a lock left by a killed build is no lock.

The builds take turns on `.newsgen/build.lock`: the second waits for the first, then finds
nothing to do or builds the same site again. A build killed with SIGKILL while holding the lock
must not keep the next one waiting.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_newsgen, tree_digest

ARTICLES = 300
BUILD = ("build", "--no-search", "--quiet", "--site")


@pytest.fixture(scope="module")
def seeds_and_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Generated seeds, and the digest of the site one build alone makes of them."""
    root = tmp_path_factory.mktemp("concurrent")
    generator = REPO / "bench" / "generate_corpus.py"
    command = [sys.executable, str(generator), str(ARTICLES), str(root / "seeds"), "--seed", "5"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    reference = root / "reference"
    shutil.copytree(root / "seeds", reference / "seeds")
    assert run_newsgen(*BUILD, str(reference)).returncode == 0
    return root / "seeds", tree_digest(reference / "output")


def new_site(seeds: Path, site: Path) -> Path:
    shutil.copytree(seeds, site / "seeds")
    return site


def start_build(site: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen", *BUILD, str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def test_two_builds_at_once_both_finish_with_a_whole_site(
    seeds_and_site: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    seeds, expected = seeds_and_site
    site = new_site(seeds, tmp_path / "site")
    first, second = start_build(site), start_build(site)
    for code, stderr in (finish(first), finish(second)):
        assert code == 0, stderr
    assert tree_digest(site / "output") == expected
    assert not (site / ".newsgen/.output.staging").exists()


def test_builds_started_while_one_runs_wait_for_it(
    seeds_and_site: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """While the first build stages its pages, later ones must not touch the staging folder."""
    seeds, expected = seeds_and_site
    site = new_site(seeds, tmp_path / "site")
    # Newer than the generated corpus: a story leaving from among older ones moves its lists'
    # origins (render/origins.py), and the site is compared with one that never had it.
    (site / "seeds" / "extra.md").write_text(
        "---\ntitle: Extra\ndate: 2026-01-15\n---\n<p>Extra.</p>\n", encoding="utf-8"
    )
    first = start_build(site)
    staging = site / ".newsgen" / ".output.staging"
    while not staging.is_dir() and first.poll() is None:
        time.sleep(0.002)
    waiting = [start_build(site) for _ in range(2)]
    (site / "seeds" / "extra.md").unlink()  # the waiting builds must see this, the first not
    results = [finish(process) for process in (first, *waiting)]
    assert [code for code, _ in results] == [0, 0, 0], [stderr for _, stderr in results]
    assert tree_digest(site / "output") == expected
    assert not staging.exists()


def test_a_lock_left_by_a_killed_build_does_not_block_the_next(
    seeds_and_site: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    seeds, expected = seeds_and_site
    site = new_site(seeds, tmp_path / "site")
    killed = start_build(site)
    lock = site / ".newsgen" / "build.lock"
    while not (lock.is_file() and lock.read_text().strip()) and killed.poll() is None:
        time.sleep(0.002)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=30)
    assert lock.read_text().strip() == str(killed.pid)  # left behind, naming a dead process
    started = time.monotonic()
    result = run_newsgen(*BUILD, str(site))
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 120
    assert tree_digest(site / "output") == expected


def test_a_lock_file_naming_another_process_is_no_lock(
    seeds_and_site: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A lock file copied from another machine, or left by a crash, names a pid: it is ignored."""
    seeds, expected = seeds_and_site
    site = new_site(seeds, tmp_path / "site")
    (site / ".newsgen").mkdir()
    (site / ".newsgen" / "build.lock").write_text(f"{os.getpid()}\n", encoding="utf-8")
    result = run_newsgen(*BUILD, str(site))
    assert result.returncode == 0, result.stderr
    assert tree_digest(site / "output") == expected
