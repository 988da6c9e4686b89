"""A rebuild of a site that kept its shape plans only the pages showing an edited article, and
publishes byte for byte the site that planning every page publishes (render/touched.py)."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import made_up_words, make_site, settled, tree_digest
from newsgen import pipeline
from newsgen.build import build
from newsgen.guard import ShrinkError
from newsgen.render.pages import Renderer

CONFIG = "site:\n  title: Harbour Wire\n  per_page: 4\n"
SOURCES = ("Port Desk", "Quay Times", "River Post", "Dock Daily", "Tide Courier")


def write_seed(path: Path, title: str, day: str, tags: str, source: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\ndate: {day}\ntags: [{tags}]\nsource: {source}\n"
        f"link: https://{source.split()[0].lower()}.example/{path.stem}\n---\n{body}\n",
        encoding="utf-8",
    )


def harbour_site(root: Path) -> Path:
    """Ninety articles over three months, a few of them reported by three sources at once."""
    site = make_site(root, config=CONFIG)
    rng = random.Random(11)
    words = made_up_words(rng, 400)
    topics = words[:12]
    for number in range(90):
        source = SOURCES[number % len(SOURCES)]
        title = " ".join(w.title() for w in rng.sample(words[12:], 5))
        day = f"2025-{1 + number % 3:02d}-{1 + number % 27:02d}T{number % 24:02d}:15:00Z"
        body = "".join(f"<p>{' '.join(rng.sample(words[12:], 12))}.</p>" for _ in range(3))
        tags = ", ".join(rng.sample(topics, 2))
        write_seed(site / "seeds" / f"item-{number:03d}.md", title, day, tags, source, body)
    for story in range(3):  # one event, three reports: they group into one story
        title = " ".join(w.title() for w in words[200 + 6 * story : 206 + 6 * story])
        body = f"<p>{' '.join(words[300 + 20 * story : 320 + 20 * story])}.</p>"
        for report, source in enumerate(SOURCES[:3]):
            day = f"2025-02-{10 + story:02d}T{8 + report:02d}:00:00Z"
            path = site / "seeds" / f"story-{story}-{report}.md"
            write_seed(path, title, day, topics[story], source, body)
    return site


def edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / "seeds" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def retitle(name: str) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / "seeds" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[1] = lines[1].rstrip("\n") + " (updated)\n"
        path.write_text("".join(lines), encoding="utf-8")

    return change


def reword(name: str) -> Callable[[Path], None]:
    return lambda site: edit(site, name, "<p>", "<p>Corrected: ")


def touch(name: str) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / "seeds" / name
        path.write_bytes(path.read_bytes())

    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        for one in changes:
            one(site)

    return change


def newest_seed(site: Path) -> str:
    """The seed of the site's newest article, as its front page and site feed show it."""
    dated = {p.name: p.read_text(encoding="utf-8").split("date: ")[1][:20] for p in seeds(site)}
    return max(dated, key=lambda name: dated[name])


def seeds(site: Path) -> list[Path]:
    return sorted((site / "seeds").glob("*.md"))


@contextmanager
def planning_all_forbidden() -> Iterator[None]:
    """Fail if the build plans every page (the full plan starts with `Renderer.parts`)."""
    with pytest.MonkeyPatch.context() as patch:

        def refused(self: Renderer) -> None:
            raise AssertionError("every page was planned")

        patch.setattr(Renderer, "parts", refused)
        yield


@contextmanager
def touched_forbidden() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "touched_only", lambda *args: None)
        yield


def twin_sites(tmp_path: Path, change: Callable[[Path], None]) -> tuple[Path, Path]:
    """Two copies of one built site, then changed alike: one to rebuild as the build does, one
    to rebuild planning every page."""
    site = harbour_site(tmp_path / "touched")
    build(site, quiet=True)
    twin = tmp_path / "full"
    shutil.copytree(settled(site), twin, symlinks=True)
    for folder in (site, twin):
        change(folder)
    return site, twin


def arrive(*days: str, tags: str = "harbour") -> Callable[[Path], None]:
    """New articles on `days`, each newer than all before, as a fetch adds them."""

    def change(site: Path) -> None:
        for number, day in enumerate(days):
            title = f"Late Arrival Number {number} Of The Night Ferry"
            body = f"<p>The night ferry came in late, report {number} of {len(days)}.</p>"
            source = SOURCES[number % len(SOURCES)]
            write_seed(site / "seeds" / f"late-{number}.md", title, day, tags, source, body)

    return change


# Edits that move no article: its words change, and nothing else (see also test_kept_places.py).
WORDS_CHANGED = {
    "a title of a story told once": retitle("item-040.md"),
    "the body of one report of three": reword("story-1-2.md"),
    "the title of one report of three": retitle("story-0-0.md"),
    "the newest article": lambda site: reword(newest_seed(site))(site),
    "two articles in two seeds": both(reword("item-003.md"), retitle("item-077.md")),
    "a seed saved again unchanged": touch("item-012.md"),
}
SHAPE_KEPT = {
    **WORDS_CHANGED,
    "an article added, the newest": arrive("2025-03-28T22:00:00Z"),
    "articles added in a new month and year": arrive(
        "2025-04-02T06:00:00Z", "2025-04-02T07:00:00Z", "2026-01-01T00:30:00Z"
    ),
    "articles added under a new topic": arrive("2025-03-29T05:00:00Z", tags="lighthouses"),
    "an article added and another edited": both(
        arrive("2025-03-30T12:00:00Z"), retitle("item-010.md")
    ),
}


@pytest.mark.parametrize("change", SHAPE_KEPT.values(), ids=SHAPE_KEPT.keys())
def test_an_edit_that_keeps_the_shape_plans_only_its_pages_and_publishes_the_same_site(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site, twin = twin_sites(tmp_path, change)
    with planning_all_forbidden():
        touched = build(site, quiet=True)
    with touched_forbidden():
        full = build(twin, quiet=True)
    assert tree_digest(site / "output") == tree_digest(twin / "output")
    assert (touched.pages_written, touched.articles) == (full.pages_written, full.articles)


def another_report(site: Path) -> None:
    """A second report of the newest story, from another source, an hour later."""
    newest = newest_seed(site)
    text = (site / "seeds" / newest).read_text(encoding="utf-8")
    stamp = re.search(r"date: (\S+)", text)
    assert stamp is not None
    later = datetime.fromisoformat(stamp[1]) + timedelta(hours=1)
    text = text.replace(stamp[0], f"date: {later.isoformat()}")
    text = text.replace("link: https://", "link: https://again.")
    text = re.sub(r"source: .*", "source: Harbour Again", text)
    (site / "seeds" / f"again-{newest}").write_text(text, encoding="utf-8")


SHAPE_CHANGED = {
    "a topic added": lambda site: edit(site, "item-020.md", "tags: [", "tags: [lighthouses, "),
    "a date moved": lambda site: edit(site, "item-021.md", ":15:00Z", ":45:00Z"),
    "a report leaving its story": lambda site: write_seed(
        site / "seeds/story-2-1.md",
        "Ferry Timetable Changes For Winter",
        "2025-02-12T09:00:00Z",
        "ferries",
        "Quay Times",
        "<p>The winter timetable starts on Monday with fewer sailings.</p>",
    ),
    "an article deleted": lambda site: (site / "seeds/item-050.md").unlink(),
    "an article added older than the newest": arrive("2025-02-03T04:00:00Z"),
    "an article added to the newest story": another_report,
}


@pytest.mark.parametrize("change", SHAPE_CHANGED.values(), ids=SHAPE_CHANGED.keys())
def test_an_edit_that_changes_the_shape_plans_every_page(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site, twin = twin_sites(tmp_path, change)
    with pytest.raises(AssertionError, match="every page was planned"), planning_all_forbidden():
        build(site, quiet=True)
    build(site, quiet=True)
    with touched_forbidden():
        build(twin, quiet=True)
    assert tree_digest(site / "output") == tree_digest(twin / "output")


def test_a_page_deleted_by_hand_is_made_again(tmp_path: Path) -> None:
    site, twin = twin_sites(tmp_path, retitle("item-040.md"))
    (site / "output/sources/port-desk/index.html").unlink()
    build(site, quiet=True)
    with touched_forbidden():
        build(twin, quiet=True)
    assert tree_digest(site / "output") == tree_digest(twin / "output")


def test_an_edit_held_back_by_a_failed_build_is_published_by_the_next(tmp_path: Path) -> None:
    site = harbour_site(tmp_path / "site")
    build(site, quiet=True)
    edit(site, "item-030.md", "<p>", "<p>Held back: ")
    kept = {path: path.read_bytes() for path in seeds(site)[:70]}
    for path in kept:
        path.unlink()
    with pytest.raises(ShrinkError):
        build(site, quiet=True)  # parses the edit, publishes nothing
    for path, data in kept.items():
        path.write_bytes(data)
    with planning_all_forbidden():
        build(site, quiet=True)
    shown = [p for p in (site / "output").rglob("*.html") if "Held back" in p.read_text("utf-8")]
    assert len(shown) > 3, "the edit is on its page, its lists and its neighbours' pages"
