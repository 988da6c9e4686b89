"""Staged output: swapped in whole, unchanged pages kept as they were, nothing outside output/."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.errors import BuildError
from newsgen.output import MANIFEST_NAME, StagedOutput


def build_once(site: Path, pages: dict[str, bytes]) -> tuple[int, int]:
    staged = StagedOutput(site / "output", site / ".newsgen")
    staged.write_all(pages.items())
    report = staged.commit()
    return report.written, report.unchanged


def test_first_build_writes_everything(tmp_path: Path) -> None:
    assert build_once(tmp_path, {"index.html": b"home", "a/index.html": b"a"}) == (2, 0)
    assert (tmp_path / "output/a/index.html").read_bytes() == b"a"
    assert not (tmp_path / ".newsgen/.output.staging").exists()


def test_unchanged_pages_keep_their_inode_and_removed_pages_go(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home", "a/index.html": b"a", "gone.html": b"x"})
    before = (tmp_path / "output/a/index.html").stat()
    assert build_once(tmp_path, {"index.html": b"home v2", "a/index.html": b"a"}) == (1, 1)
    after = (tmp_path / "output/a/index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (tmp_path / "output/index.html").read_bytes() == b"home v2"
    assert not (tmp_path / "output/gone.html").exists()


def test_without_the_manifest_pages_are_compared_byte_by_byte(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home"})
    (tmp_path / ".newsgen" / MANIFEST_NAME).unlink()
    assert build_once(tmp_path, {"index.html": b"home"}) == (0, 1)


def test_a_hand_edited_page_is_rewritten(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home"})
    (tmp_path / "output/index.html").write_bytes(b"edit")
    assert build_once(tmp_path, {"index.html": b"home"}) == (1, 0)
    assert (tmp_path / "output/index.html").read_bytes() == b"home"


def test_discarded_build_leaves_the_previous_site(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home"})
    staged = StagedOutput(tmp_path / "output", tmp_path / ".newsgen")
    staged.write("index.html", b"half-built")
    staged.discard()
    assert (tmp_path / "output/index.html").read_bytes() == b"home"


def test_a_leftover_staging_folder_is_cleared(tmp_path: Path) -> None:
    leftover = tmp_path / ".newsgen/.output.staging"
    leftover.mkdir(parents=True)
    (leftover / "stale.html").write_bytes(b"from a killed build")
    build_once(tmp_path, {"index.html": b"home"})
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["index.html"]


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b.html", ""])
def test_paths_outside_output_are_refused(tmp_path: Path, bad: str) -> None:
    staged = StagedOutput(tmp_path / "output", tmp_path / ".newsgen")
    with pytest.raises(BuildError):
        staged.write(bad, b"x")
    staged.discard()
    assert not (tmp_path / "escape.html").exists()
