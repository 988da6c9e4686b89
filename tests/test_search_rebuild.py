"""After articles go, or come among older ones, a rebuild renumbers the last search index, and
publishes the index a first build of the same seeds makes (search/renumber.py)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import made_up_words, make_site, tree_digest
from newsgen.build import build
from newsgen.search import cache as searchcache


def write_seed(site: Path, name: str, title: str, day: str, body: str) -> None:
    (site / "seeds" / name).write_text(
        f"---\ntitle: {title}\ndate: {day}\nsource: Port Desk\n---\n<p>{body}</p>\n",
        encoding="utf-8",
    )


def port_site(root: Path) -> Path:
    """Forty articles, one a day, each in words of its own."""
    site = make_site(root)
    rng = random.Random(5)
    words = made_up_words(rng, 300)
    for number in range(40):
        title = " ".join(w.title() for w in rng.sample(words, 4))
        body = " ".join(rng.sample(words, 20))
        write_seed(site, f"item-{number:02d}.md", title, f"2025-04-{1 + number % 30:02d}", body)
    return site


def removed(*numbers: int) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        for number in numbers:
            (site / "seeds" / f"item-{number:02d}.md").unlink()

    return change


def backdated(site: Path) -> None:
    write_seed(site, "late.md", "Harbour Crane Inspection", "2025-04-03", "Oreshnik kerch lamp.")


CHANGES = {
    "an older article removed": removed(7),
    "three removed": removed(2, 18, 33),
    "one added among older ones": backdated,
    "one removed, one added among older ones": lambda site: (removed(12)(site), backdated(site)),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_renumbered_index_is_the_one_a_first_build_makes(
    tmp_path: Path, change: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = port_site(tmp_path / "site")
    build(site, quiet=True)
    change(site)
    calls: list[int] = []
    original = searchcache.renumbered

    def counted(*args: Any) -> Any:
        calls.append(len(args[3]))
        return original(*args)

    monkeypatch.setattr(searchcache, "renumbered", counted)
    build(site, quiet=True, jobs=1)  # on one core the index is made in this process
    assert len(calls) == 1  # renumbered, not indexed again
    fresh = make_site(tmp_path / "fresh")
    shutil.rmtree(fresh / "seeds")
    shutil.copytree(site / "seeds", fresh / "seeds")
    build(fresh, quiet=True)
    assert tree_digest(site / "output" / "search") == tree_digest(fresh / "output" / "search")
