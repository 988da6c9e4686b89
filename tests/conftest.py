"""Fixtures shared by every test file."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgen.output.sparetree import wait_until_ready

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def require_shared(*parts: str) -> Path:
    """Return a path inside ../shared, skipping the test where it is absent (failing under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is not here: these tests read the shared real-world documents"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run them")
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_seeds() -> Path:
    """The five real documents in ../shared/seeds/ (24 articles)."""
    return require_shared("seeds")


@pytest.fixture
def shared_feeds() -> Path:
    """The real-world feed corpus in ../shared/corpus/feeds/."""
    return require_shared("corpus", "feeds")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing against it",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run_newsgen(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter, as a user would.

    Outside of `env`, GitHub's variables are left out, so that the suite run in a GitHub job
    neither annotates that job nor writes to its summary.
    """
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args],
        cwd=cwd,
        env=inherited | (env or {}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def make_site(root: Path, seeds_from: Path | None = None, config: str = "") -> Path:
    """A site folder in `root` with a copy of `seeds_from` and an optional newsgen.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    seeds = root / "seeds"
    if seeds_from is not None:
        shutil.copytree(seeds_from, seeds)
        for path in seeds.rglob("*"):  # shared files are read-only; tests edit their copies
            path.chmod(0o755 if path.is_dir() else 0o644)
    else:
        seeds.mkdir(exist_ok=True)
    if config:
        (root / "newsgen.yaml").write_text(config, encoding="utf-8")
    return root


def settled(site: Path) -> Path:
    """Wait until the last build's background tidying is done, before deleting its state."""
    wait_until_ready(site / ".newsgen")
    return site


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` by relative path, with a digest of its bytes (links and FIFOs are
    marked "special", never followed), to compare whole sites."""
    digest: dict[str, str] = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                digest[relative] = "special"
                continue
            digest[relative] = hashlib.blake2b(path.read_bytes()).hexdigest()
    return digest


def made_up_words(rng: random.Random, count: int) -> list[str]:
    """Distinct invented words: names no other headline of a test shares by chance."""
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.choices([c + v for c in "bdfgklmnprstvz" for v in "aeiou"], k=3)
        words["".join(syllables)] = None
    return list(words)
