"""Staged output: swapped in whole, unchanged pages kept as they were, nothing outside output/."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from conftest import settled
from newsgen.errors import BuildError
from newsgen.output import staging
from newsgen.output.lock import site_lock
from newsgen.output.staging import StagedOutput, load_manifest
from newsgen.paths import MANIFEST_EDITS, OUTPUT_MANIFEST


def build_once(site: Path, pages: dict[str, bytes]) -> tuple[int, int]:
    with site_lock(site / ".newsgen"):
        staged = StagedOutput(site / "output", site / ".newsgen")
        for path, data in pages.items():
            staged.write(path, data)
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


def test_a_page_staged_twice_never_writes_through_to_the_live_site(tmp_path: Path) -> None:
    """A page first staged as it is (a hard link to the live page), then with new bytes in the
    same build: the new bytes go to a file of their own, on the first build's spare folder as
    well as on a fresh one."""
    build_once(tmp_path, {"index.html": b"home", "a/index.html": b"a"})
    for round_ in range(3):
        live = (tmp_path / "output/a/index.html").read_bytes()
        with site_lock(tmp_path / ".newsgen"):
            staged = StagedOutput(tmp_path / "output", tmp_path / ".newsgen")
            assert staged.write("a/index.html", live) is False  # linked from the live site
            assert staged.write("a/index.html", b"round %d" % round_) is True
            assert (tmp_path / "output/a/index.html").read_bytes() == live
            staged.commit()
        assert (tmp_path / "output/a/index.html").read_bytes() == b"round %d" % round_


def test_without_the_manifest_pages_are_compared_byte_by_byte(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home"})
    (tmp_path / ".newsgen" / OUTPUT_MANIFEST).unlink()
    assert build_once(tmp_path, {"index.html": b"home"}) == (0, 1)


def manifest_matches_output(site: Path) -> bool:
    """Whether the manifest, as a build loads it, records exactly the files of output/, each
    by its digest, size and time."""
    output = site / "output"
    found = {}
    for path in output.rglob("*"):
        if path.is_file():
            stat = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            found[path.relative_to(output).as_posix()] = [digest, stat.st_size, stat.st_mtime_ns]
    return {path: entry[:3] for path, entry in load_manifest(site / ".newsgen").items()} == found


PAGES = {f"p{number}/index.html": b"page %d" % number for number in range(200)}


def test_a_few_changed_files_are_recorded_beside_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / ".newsgen" / OUTPUT_MANIFEST
    edits = tmp_path / ".newsgen" / MANIFEST_EDITS
    build_once(tmp_path, PAGES)
    written = manifest.stat().st_mtime_ns
    pages = dict(PAGES)
    for number in range(1, 4):  # each build's edits on top of the last's
        pages[f"p{number}/index.html"] = b"changed"
        del pages[f"p{100 + number}/index.html"]
        pages[f"new{number}/index.html"] = b"new"
        build_once(tmp_path, pages)
        assert edits.is_file() and manifest.stat().st_mtime_ns == written
        assert manifest_matches_output(tmp_path)
    pages["p101/index.html"] = PAGES["p101/index.html"]  # back
    del pages["new1/index.html"]  # and gone again
    build_once(tmp_path, pages)
    assert manifest_matches_output(tmp_path)
    pages["p4/index.html"] = b"changed"  # and what went stays gone
    build_once(tmp_path, pages)
    assert manifest_matches_output(tmp_path)
    assert manifest.stat().st_mtime_ns == written
    # Most files changed: the manifest is written whole, and the edits of the last go.
    build_once(tmp_path, {path: data + b"!" for path, data in pages.items()})
    assert manifest.stat().st_mtime_ns != written and not edits.exists()
    assert manifest_matches_output(tmp_path)


def test_edits_of_another_manifest_are_not_applied(tmp_path: Path) -> None:
    build_once(tmp_path, PAGES)
    build_once(tmp_path, {**PAGES, "p1/index.html": b"changed"})
    assert manifest_matches_output(tmp_path)
    manifest = tmp_path / ".newsgen" / OUTPUT_MANIFEST
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    assert not manifest_matches_output(tmp_path)  # the page changed is recorded as it was
    # Which costs only a comparison of its bytes: the site is as it should be.
    assert build_once(tmp_path, {**PAGES, "p1/index.html": b"changed"}) == (0, len(PAGES))
    assert manifest_matches_output(tmp_path)


def test_files_made_again_as_they_were_are_compared_not_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_once(tmp_path, PAGES)
    hashed: list[bytes] = []
    original = staging._digest

    def counted(data: bytes) -> str:
        hashed.append(data)
        return original(data)

    monkeypatch.setattr(staging, "_digest", counted)
    assert build_once(tmp_path, {**PAGES, "p7/index.html": b"changed"}) == (1, len(PAGES) - 1)
    assert hashed == [b"changed"]
    assert manifest_matches_output(tmp_path)


def test_a_file_changed_under_its_recorded_size_and_time_is_made_again(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"home"})
    live = tmp_path / "output/index.html"
    before = live.stat()
    live.write_bytes(b"HOME")
    os.utime(live, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert build_once(tmp_path, {"index.html": b"home"}) == (1, 0)
    assert live.read_bytes() == b"home"
    assert manifest_matches_output(tmp_path)


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


def site_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_each_build_reuses_the_site_before_last_and_ends_with_exactly_its_pages(
    tmp_path: Path,
) -> None:
    builds = [
        {"index.html": b"1", "a/index.html": b"a", "gone/index.html": b"g", "feed.xml": b"f"},
        {"index.html": b"2", "a/index.html": b"a", "b/c/index.html": b"c", "feed.xml": b"f"},
        {"index.html": b"3", "a/index.html": b"a2", "feed.xml": b"f"},
        {"index.html": b"3", "a/index.html": b"a2", "gone/index.html": b"g", "feed.xml": b"f"},
        {"index.html": b"5", "feed.xml": b"f"},
    ]
    first_feed = None
    for number, pages in enumerate(builds):
        build_once(tmp_path, pages)
        assert site_files(tmp_path / "output") == pages, f"build {number + 1}"
        feed = (tmp_path / "output/feed.xml").stat()
        first_feed = first_feed or (feed.st_ino, feed.st_mtime_ns)
        assert (feed.st_ino, feed.st_mtime_ns) == first_feed, "an unchanged file was rewritten"
        assert not (tmp_path / "output/b").exists() or "b/c/index.html" in pages


def test_files_added_or_edited_in_output_by_hand_never_come_back(tmp_path: Path) -> None:
    pages = {"index.html": b"home", "a/index.html": b"a"}
    build_once(tmp_path, pages)
    build_once(tmp_path, pages)  # from here on a spare folder is kept
    (tmp_path / "output/extra.html").write_bytes(b"dropped in by hand")
    (tmp_path / "output/a/index.html").write_bytes(b"edited by hand")
    for _ in range(3):
        build_once(tmp_path, pages)
        assert site_files(tmp_path / "output") == pages


def test_a_page_may_turn_into_a_folder_and_back(tmp_path: Path) -> None:
    for pages in ({"x": b"file"}, {"y": b"1"}, {"x/index.html": b"folder"}, {"y": b"2"},
                  {"x": b"file again"}, {"y": b"3"}):  # fmt: skip
        build_once(tmp_path, pages)
        assert site_files(tmp_path / "output") == pages


@pytest.mark.parametrize("damage", ["manifest", "spare", "both"])
def test_a_spare_folder_nobody_vouches_for_is_not_reused(tmp_path: Path, damage: str) -> None:
    pages = {"index.html": b"home", "a/index.html": b"a"}
    build_once(tmp_path, {**pages, "old.html": b"old"})
    build_once(tmp_path, pages)
    settled(tmp_path)
    spare = tmp_path / ".newsgen/.output.spare"
    assert (tmp_path / ".newsgen/spare-record.pickle").is_file()
    if damage in ("manifest", "both"):
        (tmp_path / ".newsgen/spare-record.pickle").write_bytes(b"not a record")
    if damage in ("spare", "both"):  # replaced by another folder: the record names the old one
        spare.rename(spare.with_name("elsewhere"))
        spare.mkdir()
        (spare / "stale.html").write_bytes(b"stale")
    assert build_once(tmp_path, pages)[0] in (0, 2)
    assert site_files(tmp_path / "output") == pages


def test_a_file_deleted_from_the_spare_folder_by_hand_is_no_trouble(tmp_path: Path) -> None:
    build_once(tmp_path, {"index.html": b"1", "old.html": b"old"})
    build_once(tmp_path, {"index.html": b"2"})
    settled(tmp_path)
    (tmp_path / ".newsgen/.output.spare/old.html").unlink()  # held there, and not staged
    assert build_once(tmp_path, {"index.html": b"3"}) == (1, 0)
    assert site_files(tmp_path / "output") == {"index.html": b"3"}
    assert manifest_matches_output(tmp_path)


def test_unchanged_pages_are_not_touched_once_the_spare_folder_is_in_use(tmp_path: Path) -> None:
    pages = {f"p{n}/index.html": f"page {n}".encode() for n in range(50)}
    for number in range(4):
        build_once(tmp_path, {**pages, "index.html": f"home {number}".encode()})
    settled(tmp_path)
    spare = tmp_path / ".newsgen/.output.spare"
    kept = {p: (spare / p).stat().st_ino for p in pages}
    folder = spare.stat().st_ino
    assert build_once(tmp_path, {**pages, "index.html": b"home 9"}) == (1, 50)
    output = tmp_path / "output"
    assert output.stat().st_ino == folder, "the spare folder became the new site"
    assert {p: (output / p).stat().st_ino for p in pages} == kept


def links_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages a build links again from the live site into its staged one, as it does them."""
    linked: list[str] = []
    original = StagedOutput._link_held

    def counted(self: StagedOutput, relative: str, entry: list, held: object) -> None:
        linked.append(relative)
        original(self, relative, entry, held)

    monkeypatch.setattr(StagedOutput, "_link_held", counted)
    return linked


def test_pages_carried_over_are_linked_again_only_where_the_last_build_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare folder holds the site before last: carrying a page whose file the last build
    kept finds it there already, whether it was kept by a first build, carried, or made again
    with the same bytes under another signature."""
    linked = links_counted(monkeypatch)

    def rebuild(written: dict[str, bytes], signature: str = "") -> list[str]:
        linked.clear()
        with site_lock(tmp_path / ".newsgen"):
            staged = StagedOutput(tmp_path / "output", tmp_path / ".newsgen")
            staged.carry([path for path in PAGES if path not in written])
            for path, data in written.items():
                staged.write(path, data, signature)
            staged.commit()
        assert manifest_matches_output(tmp_path)
        return sorted(linked)

    build_once(tmp_path, PAGES)
    assert rebuild({"p1/index.html": b"one"}) == []
    assert rebuild({"p2/index.html": b"two"}) == ["p1/index.html"]
    # All but p1 made again, as they were but for p2, under another signature.
    assert rebuild({path: PAGES[path] for path in PAGES if path != "p1/index.html"}, "v2") == []
    assert rebuild({"p3/index.html": b"three"}) == ["p2/index.html"]
    assert (tmp_path / "output/p1/index.html").read_bytes() == b"one"
    assert (tmp_path / "output/p2/index.html").read_bytes() == PAGES["p2/index.html"]
    assert (tmp_path / "output/p3/index.html").read_bytes() == b"three"


def test_a_spare_record_made_against_another_manifest_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record says what the spare folder holds as it differs from the manifest left by the
    build that readied it: read with another, it would vouch for files it never saw."""
    build_once(tmp_path, PAGES)
    build_once(tmp_path, {**PAGES, "p1/index.html": b"one"})
    edits = tmp_path / ".newsgen" / MANIFEST_EDITS
    settled(tmp_path)
    edits.write_bytes(edits.read_bytes())  # the same edits of the manifest, written since
    linked = links_counted(monkeypatch)
    with site_lock(tmp_path / ".newsgen"):
        staged = StagedOutput(tmp_path / "output", tmp_path / ".newsgen")
        staged.carry(list(PAGES))
        staged.commit()
    assert len(linked) == len(PAGES)  # into an empty folder, not the spare one
    assert (tmp_path / "output/p1/index.html").read_bytes() == b"one"
    assert manifest_matches_output(tmp_path)


@pytest.mark.parametrize("share", [staging.EDITS_SHARE, 1.0])
def test_the_manifest_records_the_site_through_any_run_of_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """Files changed, gone, back and new, a few or many at a time, kept beside the manifest
    or written into it whole: as loaded, it is always the live site, and so is the spare
    folder's record, which each next build takes."""
    monkeypatch.setattr(staging, "EDITS_SHARE", share)
    rng = random.Random(5)
    names = [f"f{number}/index.html" for number in range(120)]
    pages = {name: b"v0" for name in names[:100]}
    for round_ in range(30):
        for name in rng.sample(names, rng.choice((1, 3, 40))):
            if name in pages and rng.random() < 0.4:
                del pages[name]
            else:
                pages[name] = b"v%d" % round_
        build_once(tmp_path, pages)
        assert site_files(tmp_path / "output") == pages, f"build {round_}"
        assert manifest_matches_output(tmp_path), f"build {round_}"
