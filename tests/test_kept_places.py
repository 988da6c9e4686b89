"""A rebuild whose changed articles keep their places takes the site the last build placed
(places.py), and publishes byte for byte the site that placing it again publishes."""

from __future__ import annotations

import pickle
import shutil
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import settled, tree_digest
from newsgen import pipeline
from newsgen.build import build
from newsgen.paths import LIST_ORIGINS, PERMALINKS, PLACE_RECORD, STORY_EDITS, STORY_RECORD
from newsgen.render.origins import ListOrigins
from newsgen.stories.regroup import _load as load_story_record
from test_touched import (
    SHAPE_CHANGED,
    WORDS_CHANGED,
    arrive,
    edit,
    harbour_site,
    retitle,
    reword,
)

RECORD = Path(".newsgen") / PLACE_RECORD


@contextmanager
def placings() -> Iterator[list[int]]:
    """How many times the build placed the site anew (`site.make_site`)."""
    made: list[int] = []
    original = pipeline.make_site
    with pytest.MonkeyPatch.context() as patch:

        def counted(*args: object, **options: object) -> object:
            made.append(1)
            return original(*args, **options)  # type: ignore[arg-type]

        patch.setattr(pipeline, "make_site", counted)
        yield made


def twins(tmp_path: Path, site: Path | None = None) -> tuple[Path, Path]:
    """A built site and a copy of it: the copy rebuilds without the place record."""
    site = site or harbour_site(tmp_path / "kept")
    build(site, quiet=True)
    assert (site / RECORD).is_file()
    twin = tmp_path / "placed"
    shutil.copytree(settled(site), twin, symlinks=True)
    return site, twin


def rebuilt_alike(site: Path, twin: Path, change: Callable[[Path], None]) -> int:
    """Change both alike and rebuild them, the twin placing its site anew; how many times the
    site's own build placed it. Both publish the same site, and the same build reports."""
    for folder in (site, twin):
        change(folder)
    with placings() as made:
        report = build(site, quiet=True)
    (settled(twin) / RECORD).unlink(missing_ok=True)
    again = build(twin, quiet=True)
    assert tree_digest(site / "output") == tree_digest(twin / "output")
    assert (report.pages_written, report.articles, report.diagnostics) == (
        again.pages_written,
        again.articles,
        again.diagnostics,
    )
    return len(made)


def restamp(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda site: edit(site, name, old, new)


PLACES_KEPT = {
    **WORDS_CHANGED,
    # Read into the site's time zone, as every date is: the same place.
    "the same time in another zone": restamp("item-030.md", "T06:15:00Z", "T08:15:00+02:00"),
}


@pytest.mark.parametrize("change", PLACES_KEPT.values(), ids=PLACES_KEPT.keys())
def test_an_edit_that_keeps_every_place_takes_the_last_builds_site(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site, twin = twins(tmp_path)
    assert rebuilt_alike(site, twin, change) == 0
    # The record it left serves the next edit as well.
    assert rebuilt_alike(site, twin, reword("item-061.md")) == 0


def test_an_edit_that_keeps_every_story_regroups_only_around_it(tmp_path: Path) -> None:
    site, twin = twins(tmp_path)
    written_before = (site / ".newsgen" / STORY_RECORD).stat().st_mtime_ns
    grouped_whole: list[Path] = []
    original = pipeline.regroup_stories

    def counted(articles: object, *, cache_dir: Path, workers: int) -> object:
        grouped_whole.append(cache_dir)
        return original(articles, cache_dir=cache_dir, workers=workers)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "regroup_stories", counted)
        for name in ("item-061.md", "item-012.md"):
            assert rebuilt_alike(site, twin, retitle(name)) == 0
    assert grouped_whole == [twin / ".newsgen"] * 2  # only the twin, without the record
    # The story record, not written again, has the edits beside it: read with them, it holds
    # what the twin's regroup recorded, and the next build sees them grouped.
    assert (site / ".newsgen" / STORY_RECORD).stat().st_mtime_ns == written_before
    assert (site / ".newsgen" / STORY_EDITS).is_file()
    assert load_story_record(site / ".newsgen" / STORY_RECORD) == load_story_record(
        twin / ".newsgen" / STORY_RECORD
    )


def test_a_story_record_written_again_since_is_taken_up_by_the_edit_after(
    tmp_path: Path,
) -> None:
    site, twin = twins(tmp_path)
    edits = site / ".newsgen" / STORY_EDITS

    def story_record_written_again(folder: Path) -> None:
        path = folder / ".newsgen" / STORY_RECORD
        path.write_bytes(path.read_bytes())  # as a regroup finding the same stories writes it
        reword("item-040.md")(folder)  # its words only: placing changes nothing to record

    assert rebuilt_alike(site, twin, story_record_written_again) == 0
    assert not edits.exists()  # not the record the stories were told with: left to a regroup
    assert rebuilt_alike(site, twin, retitle("item-041.md")) == 0
    assert edits.is_file()


@contextmanager
def settlings() -> Iterator[list[int]]:
    """How many times a build settled the lists' origins (`ListOrigins.settle`)."""
    settled_lists: list[int] = []
    original = ListOrigins.settle

    def counted(self: ListOrigins, *args: object, **options: object) -> object:
        settled_lists.append(1)
        return original(self, *args, **options)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ListOrigins, "settle", counted)
        yield settled_lists


def test_an_edit_takes_the_lists_origins_the_record_was_settled_from(tmp_path: Path) -> None:
    site, twin = twins(tmp_path)
    origins = site / ".newsgen" / LIST_ORIGINS
    recorded = origins.read_bytes()
    with settlings() as settled_lists:
        assert rebuilt_alike(site, twin, retitle("item-040.md")) == 0
    assert len(settled_lists) == 1  # the twin's only
    assert origins.read_bytes() == recorded

    def origins_lost(folder: Path) -> None:
        (folder / ".newsgen" / LIST_ORIGINS).unlink()
        reword("item-041.md")(folder)

    # Not the record the lists were settled from: settled again, and written again.
    with settlings() as settled_lists:
        assert rebuilt_alike(site, twin, origins_lost) == 0
    assert len(settled_lists) == 2
    assert origins.read_bytes() == recorded
    # The place record names the one written again: the next edit takes it.
    with settlings() as settled_lists:
        assert rebuilt_alike(site, twin, reword("item-042.md")) == 0
    assert len(settled_lists) == 1


def test_an_edit_says_what_dating_the_stories_said(tmp_path: Path) -> None:
    """An undated copy of a story's report, pasted long after, is dated by the story, and the
    build says so; the edit that takes the place record says it again."""
    site = harbour_site(tmp_path / "kept")
    report = (site / "seeds" / "story-0-0.md").read_text(encoding="utf-8")
    undated = "".join(line for line in report.splitlines(True) if not line.startswith("date:"))
    (site / "seeds" / "pasted.md").write_text(undated, encoding="utf-8")
    site, twin = twins(tmp_path, site)
    for folder in (site, twin):
        reword("item-040.md")(folder)
    with placings() as made:
        kept = build(site, quiet=True)
    (settled(twin) / RECORD).unlink()
    placed = build(twin, quiet=True)
    assert made == [] and kept.diagnostics == placed.diagnostics
    notes = [d for d in kept.diagnostics if "taken from the same story" in d.message]
    assert [note.path for note in notes] == ["pasted.md"]


def test_a_title_edited_back_and_forth_keeps_its_url_through_every_rebuild(
    tmp_path: Path,
) -> None:
    site, twin = twins(tmp_path)
    urls = set()
    for _ in range(3):
        for title in ("(updated)", ""):

            def retitled(folder: Path, title: str = title) -> None:
                path = folder / "seeds/item-044.md"
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                base = lines[1].removesuffix("\n").removesuffix(" (updated)")
                lines[1] = f"{base} {title}".rstrip() + "\n"
                path.write_text("".join(lines), encoding="utf-8")

            assert rebuilt_alike(site, twin, retitled) == 0
            urls.add(frozenset(p.parent.name for p in (site / "output").glob("2025/*/*/*/")))
    assert len(urls) == 1


def reporter(name: str, source: str) -> Callable[[Path], None]:
    return restamp(name, "source: Port Desk", f"source: {source}")


# Edits that move an article, among the same articles as before.
MOVED = {
    **{
        name: SHAPE_CHANGED[name]
        for name in ("a topic added", "a date moved", "a report leaving its story")
    },
    "a source renamed": reporter("item-005.md", "Harbour Gazette"),
    "a slug stated": restamp("item-022.md", "date:", "slug: ferry-news\ndate:"),
    "a language stated": restamp("item-023.md", "date:", "language: de\ndate:"),
}
CAME_OR_WENT = {
    **{name: change for name, change in SHAPE_CHANGED.items() if name not in MOVED},
    "an article added, the newest": arrive("2025-03-28T22:00:00Z"),
}


@pytest.mark.parametrize("change", MOVED.values(), ids=MOVED.keys())
def test_an_edit_that_moves_an_article_places_the_site_again(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site, twin = twins(tmp_path)
    assert rebuilt_alike(site, twin, change) == 1
    # Recorded again, its articles the last build's: the next edit takes it.
    assert rebuilt_alike(site, twin, reword("item-061.md")) == 0


@pytest.mark.parametrize("change", CAME_OR_WENT.values(), ids=CAME_OR_WENT.keys())
def test_articles_that_come_or_go_place_the_site_again_and_leave_no_record(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site, twin = twins(tmp_path)
    assert rebuilt_alike(site, twin, change) == 1
    # Not recorded: a site whose articles came or went, as a fetch brings them, is likely to
    # see more come. The next build with the same articles records it, for the one after.
    assert not (site / RECORD).exists()
    assert rebuilt_alike(site, twin, reword("item-061.md")) == 1
    assert rebuilt_alike(site, twin, reword("item-062.md")) == 0


def test_a_site_is_placed_again_when_its_url_record_is_not_the_one_it_was_placed_by(
    tmp_path: Path,
) -> None:
    site, twin = twins(tmp_path)

    def forget_urls(folder: Path) -> None:
        (folder / ".newsgen" / PERMALINKS).unlink()
        retitle("item-040.md")(folder)

    assert rebuilt_alike(site, twin, forget_urls) == 1


def test_another_configuration_places_the_site_again(tmp_path: Path) -> None:
    site, twin = twins(tmp_path)

    def more_per_page(folder: Path) -> None:
        config = folder / "newsgen.yaml"
        config.write_text(config.read_text().replace("per_page: 4", "per_page: 5"))
        reword("item-040.md")(folder)

    assert rebuilt_alike(site, twin, more_per_page) == 1


def test_a_record_of_stories_past_its_articles_places_the_site_again(tmp_path: Path) -> None:
    site, twin = twins(tmp_path)

    def misnumber(folder: Path) -> None:
        path = folder / RECORD
        found = pickle.loads(path.read_bytes())
        told = found["site"].told_places
        found["site"] = replace(found["site"], told_places=array("q", [len(told)] * len(told)))
        path.write_bytes(pickle.dumps(found))
        reword("item-040.md")(folder)

    assert rebuilt_alike(site, twin, misnumber) == 1
    assert rebuilt_alike(site, twin, reword("item-041.md")) == 0


def test_a_damaged_record_places_the_site_again(tmp_path: Path) -> None:
    site, twin = twins(tmp_path)

    def damage(folder: Path) -> None:
        (folder / RECORD).write_bytes(b"not a record")
        reword("item-040.md")(folder)

    assert rebuilt_alike(site, twin, damage) == 1
    assert rebuilt_alike(site, twin, reword("item-041.md")) == 0
