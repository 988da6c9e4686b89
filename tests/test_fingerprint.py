"""The build fingerprint: any change to a seed's path, size, time or refusal changes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.fingerprint import input_fingerprint
from newsgen.readers.listing import ListedSeed

OPTIONS: dict[str, object] = {"drafts": False}


def _seed(rel_path: str, size: int = 10, mtime_ns: int = 1, refusal=None) -> ListedSeed:
    return ListedSeed(f"/site/seeds/{rel_path}", rel_path, refusal, size, mtime_ns)


LISTED = [_seed("a/one.md"), _seed("a/two.md", 20, 2), _seed("b.txt", 30, 3)]


def _fingerprint(tmp_path: Path, listed: list[ListedSeed]) -> str:
    return input_fingerprint(tmp_path, listed, OPTIONS)


def test_the_same_listing_gives_the_same_fingerprint(tmp_path: Path) -> None:
    assert _fingerprint(tmp_path, LISTED) == _fingerprint(tmp_path, list(LISTED))


@pytest.mark.parametrize(
    "changed",
    [
        [_seed("a/one.md", 11), *LISTED[1:]],  # a size
        [_seed("a/one.md", 10, 5), *LISTED[1:]],  # a time
        [_seed("a/won.md"), *LISTED[1:]],  # a name
        LISTED[:2],  # a seed gone
        [*LISTED, _seed("c.md")],  # a seed added
        [LISTED[1], LISTED[0], LISTED[2]],  # the same seeds in another order
        [_seed("a/one.md", refusal=("warning", "a broken link")), *LISTED[1:]],
        # Sizes and times that trade places between two seeds.
        [_seed("a/one.md", 20, 2), _seed("a/two.md", 10, 1), LISTED[2]],
    ],
)
def test_any_change_to_the_seeds_changes_the_fingerprint(
    tmp_path: Path, changed: list[ListedSeed]
) -> None:
    assert _fingerprint(tmp_path, changed) != _fingerprint(tmp_path, LISTED)


def test_paths_that_join_alike_are_told_apart(tmp_path: Path) -> None:
    joined = [_seed("a", 1, 1), _seed("b", 1, 1)]
    assert _fingerprint(tmp_path, joined) != _fingerprint(tmp_path, [_seed("a\nb", 1, 1)])
