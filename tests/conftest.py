"""Fixtures shared by every test file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def require_shared(*parts: str) -> Path:
    """Return a path inside ../shared, skipping the test where it is absent (failing under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is not here: these tests read the shared real-world documents"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run them")
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_seeds() -> Path:
    """The five real documents in ../shared/seeds/ (24 articles)."""
    return require_shared("seeds")


@pytest.fixture
def shared_feeds() -> Path:
    """The real-world feed corpus in ../shared/corpus/feeds/."""
    return require_shared("corpus", "feeds")
