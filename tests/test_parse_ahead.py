"""`newsgen parse`: seeds parsed ahead of the build, whole or in slices on separate machines,
are reused by the build as if it had parsed them itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgen.readers.cache import SHARDS, slice_shards

CONFIG = "site:\n  title: Slices\n  base_url: https://example.org/\n"


def newsgen(site: Path, *args: str, now: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSGEN_NOW": now}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args, "--site", str(site)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def git(site: Path, *args: str) -> None:
    committed = "2026-03-31T12:00:00Z"  # before every NEWSGEN_NOW below
    env = {**os.environ, "GIT_AUTHOR_DATE": committed, "GIT_COMMITTER_DATE": committed}
    subprocess.run(
        ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org", *args],
        cwd=site, check=True, capture_output=True, env=env,
    )  # fmt: skip


def make_site(site: Path, count: int) -> None:
    """A site of `count` seeds, half of them undated, committed to git as CI checks it out."""
    (site / "seeds" / "wire").mkdir(parents=True)
    (site / "newsgen.yaml").write_text(CONFIG)
    for number in range(count):
        dated = f"date: 2026-03-{number % 28 + 1:02d}T08:00:00Z\n" if number % 2 else ""
        (site / "seeds" / "wire" / f"report-{number:03d}.md").write_text(
            f"---\ntitle: Harbour report number {number}\n{dated}---\n"
            f"The harbour board met for the {number}th time and spoke of ferries.\n"
        )
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "seeds")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def listed_cache_files(stdout: str) -> list[str]:
    return [Path(line.strip()).name for line in stdout.splitlines() if line.startswith("  ")]


@pytest.mark.parametrize("count", range(1, SHARDS + 1))
def test_the_slices_of_a_count_own_every_cache_file_once(count: int) -> None:
    owned = [shard for index in range(1, count + 1) for shard in slice_shards(index, count)]
    assert sorted(owned) == list(range(SHARDS))


def test_a_slice_past_the_cache_files_is_refused() -> None:
    with pytest.raises(ValueError, match=f"N <= {SHARDS}"):
        slice_shards(1, SHARDS + 1)


def test_slices_parsed_on_separate_machines_leave_the_build_nothing_to_parse(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    make_site(site, 60)
    combined = tmp_path / "combined"
    shutil.copytree(site, combined)
    seen: set[str] = set()
    for index in (1, 2, 3):
        machine = tmp_path / f"machine-{index}"
        shutil.copytree(site, machine)  # a fresh checkout: no .newsgen/, its own clock
        result = newsgen(machine, "parse", "--shard", f"{index}/3", now=f"2026-04-0{index}T09:00Z")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"slice {index}/3: ")
        written = sorted(path.name for path in (machine / ".newsgen" / "parse-cache").iterdir())
        assert written == listed_cache_files(result.stdout)  # only its own files, all listed
        assert not seen & set(written)
        seen |= set(written)
        # What the build's job does with the matrix's artifacts: copy them together.
        shutil.copytree(
            machine / ".newsgen" / "parse-cache", combined / ".newsgen" / "parse-cache",
            dirs_exist_ok=True,
        )  # fmt: skip
    again = newsgen(combined, "parse", now="2026-04-05T09:00Z")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("60 seeds, 0 parsed, 60 from the cache, 0 errors")

    built = newsgen(combined, "build", now="2026-04-05T09:00Z")
    assert built.returncode == 0, built.stderr
    assert "\n  60 seeds: 0 parsed, 60 from the cache\n" in built.stderr  # what its log says
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    built = newsgen(alone, "build", now="2026-04-05T09:00Z")
    assert built.returncode == 0, built.stderr
    assert "\n  60 seeds: 60 parsed, 0 from the cache\n" in built.stderr
    assert files(combined / "output") == files(alone / "output")


def test_a_whole_parse_then_a_build_parses_only_what_changed_since(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, 12)
    first = newsgen(site, "parse", "--jobs", "1", now="2026-04-01T09:00Z")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("12 seeds, 12 parsed, 0 from the cache")
    seed = site / "seeds" / "wire" / "report-004.md"
    seed.write_text(seed.read_text().replace("number 4", "number four"))
    second = newsgen(site, "parse", now="2026-04-01T10:00Z")
    assert second.stdout.startswith("12 seeds, 1 parsed, 11 from the cache")
    built = newsgen(site, "build", now="2026-04-01T10:00Z")
    assert built.returncode == 0, built.stderr
    assert "\n  12 seeds: 0 parsed, 12 from the cache\n" in built.stderr
    page = next((site / "output").rglob("harbour-report-number-four/index.html"))
    assert "Harbour report number four" in page.read_text()


def test_a_broken_seed_is_named_and_exits_1_while_the_rest_are_parsed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, 6)
    (site / "seeds" / "wire" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    result = newsgen(site, "parse", now="2026-04-01T09:00Z")
    assert result.returncode == 1
    assert "wire/broken.md" in result.stderr
    assert result.stdout.startswith("7 seeds, 7 parsed, 0 from the cache, 1 error")
    again = newsgen(site, "parse", now="2026-04-01T09:00Z")
    assert again.stdout.startswith("7 seeds, 0 parsed, 7 from the cache, 1 error")


def test_a_slice_count_past_the_cache_files_is_a_usage_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, 2)
    result = newsgen(site, "parse", "--shard", f"1/{SHARDS + 1}", now="2026-04-01T09:00Z")
    assert result.returncode == 2
    assert f"at most {SHARDS} slices" in result.stderr
    assert not (site / ".newsgen" / "parse-cache").exists()
