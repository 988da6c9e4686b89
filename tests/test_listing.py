"""Listing the seeds folder on two processes gives the listing of one, or the listing of one
is made instead."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from newsgen.build import build
from newsgen.readers import listing
from newsgen.readers.listing import ListedSeed, _listed_in_halves, list_seeds

SEED = "---\ntitle: {title}\ndate: 2025-03-0{day}\nsource: Example\n---\n\nSome text of {title}.\n"


def _seeds(root: Path) -> Path:
    """Folders of very different sizes, files beside them, nested folders, and the names a
    listing skips."""
    seeds = root / "seeds"
    for folder, count in (("big.example", 9), ("small.example", 1), ("mid.example", 4)):
        (seeds / folder / "older").mkdir(parents=True)
        for number in range(count):
            (seeds / folder / f"{number}.md").write_text("x" * number, encoding="utf-8")
        (seeds / folder / "older" / "kept.md").write_text("kept", encoding="utf-8")
    (seeds / "pasted.txt").write_text("pasted", encoding="utf-8")
    (seeds / "a.md").write_text("a", encoding="utf-8")
    (seeds / ".hidden.md").write_text("hidden", encoding="utf-8")
    (seeds / "small.example" / "draft.md~").write_text("backup", encoding="utf-8")
    return seeds


def test_a_folder_listed_in_halves_is_listed_as_by_one_process(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    whole = list_seeds(seeds)
    assert _listed_in_halves(seeds) == whole  # listed in halves, not made again by one
    assert list_seeds(seeds, halves=True) == whole
    assert [seed.rel_path for seed in whole][:3] == ["a.md", "big.example/0.md", "big.example/1.md"]
    assert all(seed.size >= 0 and seed.mtime_ns > 0 for seed in whole)


def test_a_link_has_the_folder_listed_by_one_process(tmp_path: Path) -> None:
    """A link to a file read already is skipped, and only one walk of it all can tell."""
    seeds = _seeds(tmp_path)
    (seeds / "small.example" / "again.md").symlink_to(seeds / "big.example" / "3.md")
    assert _listed_in_halves(seeds) is None
    halves = list_seeds(seeds, halves=True)
    assert halves == list_seeds(seeds)
    skipped = [seed for seed in halves if seed.rel_path == "small.example/again.md"]
    assert skipped and skipped[0].refusal is not None and skipped[0].refusal[0] == "info"


def test_when_the_other_process_fails_one_lists_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = _seeds(tmp_path)

    def failing(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(listing, "_send_lists", failing)
    assert _listed_in_halves(seeds) is None
    assert list_seeds(seeds, halves=True) == list_seeds(seeds)


def test_a_build_listing_in_halves_sees_an_edit_and_stops_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module, not the function the package names after it.
    monkeypatch.setattr(importlib.import_module("newsgen.build"), "LIST_IN_HALVES", 1)
    in_halves = []
    real = listing._listed_in_halves

    def counted(seeds: Path) -> list[ListedSeed] | None:
        in_halves.append(real(seeds))
        return in_halves[-1]

    monkeypatch.setattr(listing, "_listed_in_halves", counted)
    seeds = tmp_path / "seeds"
    for folder, day in (("one.example", 1), ("two.example", 2), ("three.example", 3)):
        (seeds / folder).mkdir(parents=True)
        text = SEED.format(title=f"Report from {folder}", day=day)
        (seeds / folder / "report.md").write_text(text, encoding="utf-8")
    assert build(tmp_path, jobs=2, quiet=True).articles == 3
    assert build(tmp_path, jobs=2, quiet=True).pages_written == 0
    edited = seeds / "two.example" / "report.md"
    edited.write_text(SEED.format(title="An edited report", day=2), encoding="utf-8")
    again = build(tmp_path, jobs=2, quiet=True)
    assert again.pages_written > 0
    # The first build had no count of articles to go by; the next two listed in halves.
    assert len(in_halves) == 2 and all(found is not None for found in in_halves)
    page = next((tmp_path / "output").rglob("report-from-two-example/index.html"))  # pinned
    assert "An edited report" in page.read_text(encoding="utf-8")
