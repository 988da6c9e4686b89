"""The live site's files checked against the manifest at once, on another core: a page edited
by hand or gone is still rendered again, and the others are reused without a stat each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_site, settled
from newsgen.build import build
from newsgen.output import intact
from newsgen.output.intact import IntactCheck, altered_files, checking_output
from newsgen.output.lock import site_lock
from newsgen.output.staging import StagedOutput, load_manifest
from newsgen.paths import SPARE_RECORD

PAGES = {"index.html": b"home", "a/index.html": b"a", "b/index.html": b"b", "c.xml": b"c"}


def publish(site: Path, pages: dict[str, bytes], check: bool) -> list[str]:
    """Stage `pages` as a build would: reuse each on its signature, else write it; return
    the pages written."""
    state = site / ".newsgen"
    written = []
    with site_lock(state):
        manifest = load_manifest(state)
        with checking_output(site / "output", manifest, state, jobs=2) as found:
            assert (found is not None) == check
            staged = StagedOutput(site / "output", state, manifest=manifest, intact=found)
            for path, data in pages.items():
                signature = f"made from {data!r}"
                if not staged.reuse(path, (signature,)):
                    staged.write(path, data, signature)
                    written.append(path)
            staged.commit()
    settled(site)
    return written


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intact, "APART_FROM", 1)  # the check even for a site of four files


def test_altered_files_are_those_edited_replaced_or_gone(tmp_path: Path) -> None:
    publish(tmp_path, PAGES, check=False)
    output = tmp_path / "output"
    (output / "a/index.html").write_bytes(b"edited by hand")
    (output / "b/index.html").unlink()
    stat = (output / "c.xml").stat()
    os.utime(output / "c.xml", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    manifest = load_manifest(tmp_path / ".newsgen")
    assert sorted(altered_files(output, manifest)) == ["a/index.html", "b/index.html", "c.xml"]
    manifest["index.html"] = ["digest"]  # damaged: it cannot vouch for the file
    assert "index.html" in altered_files(output, manifest)


def test_a_rebuild_with_the_check_reuses_intact_pages_and_restores_the_rest(
    tmp_path: Path, checked: None
) -> None:
    assert sorted(publish(tmp_path, PAGES, check=False)) == sorted(PAGES)  # nothing recorded
    output = tmp_path / "output"
    kept = (output / "index.html").stat()
    (output / "a/index.html").write_bytes(b"edited by hand")
    (output / "b/index.html").unlink()
    assert sorted(publish(tmp_path, PAGES, check=True)) == ["a/index.html", "b/index.html"]
    assert {p: (output / p).read_bytes() for p in PAGES} == PAGES
    again = (output / "index.html").stat()
    assert (again.st_ino, again.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)


def test_a_page_gone_after_the_check_is_rendered_again(tmp_path: Path) -> None:
    publish(tmp_path, PAGES, check=False)
    state, output = tmp_path / ".newsgen", tmp_path / "output"
    # Without the spare folder, whose copy of the page would do as well: it is linked anew.
    (state / SPARE_RECORD).unlink()
    with site_lock(state):
        manifest = load_manifest(state)
        check = IntactCheck(output, manifest, state)
        staged = StagedOutput(output, state, manifest=manifest, intact=check)
        (output / "a/index.html").unlink()  # after the check found every file intact
        assert staged.reuse("index.html", ("made from b'home'",))
        assert not staged.reuse("a/index.html", ("made from b'a'",))
        staged.write("a/index.html", b"a", "made from b'a'")
        for path in ("b/index.html", "c.xml"):
            assert staged.reuse(path, (f"made from {PAGES[path]!r}",))
        staged.commit()
    assert {p: (output / p).read_bytes() for p in PAGES} == PAGES


@pytest.mark.parametrize(("files", "jobs", "started"), [(4, 2, False), (9, 1, False), (9, 2, True)])
def test_the_check_runs_apart_only_for_a_large_site_with_a_core_to_spare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int, jobs: int, started: bool
) -> None:
    monkeypatch.setattr(intact, "APART_FROM", 5)
    tmp_path.joinpath("output").mkdir()
    manifest = {f"p{n}.html": ["digest", 1, 1, "signature"] for n in range(files)}
    with checking_output(tmp_path / "output", manifest, tmp_path, jobs) as found:
        assert (found is not None) == started
        if found is not None:  # none of them is there
            assert found.altered() == frozenset(manifest)


def test_a_site_built_with_the_check_restores_pages_edited_by_hand(
    tmp_path: Path, checked: None
) -> None:
    site = make_site(tmp_path / "site", config="site:\n  title: Port News\n")
    for day in (1, 2, 3):
        quay(site, day, "Cranes moved.")
    build(site, quiet=True, jobs=2)
    settled(site)
    output = site / "output"
    oldest, search = output / "2025/03/01/quay-1/index.html", output / "search/index.html"
    made = {oldest: oldest.read_bytes(), search: search.read_bytes()}
    untouched = output / "2025/03/01/index.html"
    kept = untouched.stat()
    oldest.write_bytes(b"edited by hand")
    search.unlink()
    quay(site, 3, "Cranes moved, and then stopped.")  # a page its neighbour shows, not the oldest
    build(site, quiet=True, jobs=2)
    assert {path: path.read_bytes() for path in made} == made
    assert b"then stopped" in (output / "2025/03/03/quay-3/index.html").read_bytes()
    assert untouched.stat().st_ino == kept.st_ino  # reused, not written again


def quay(site: Path, day: int, body: str) -> None:
    path = site / "seeds" / f"quay-{day}.md"
    path.write_text(
        f"---\ntitle: Quay {day}\ndate: 2025-03-0{day}T09:00:00Z\n---\n<p>{body}</p>\n",
        encoding="utf-8",
    )
