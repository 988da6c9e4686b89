"""The code stays ruff-clean, ruff-formatted and type-checked (pyproject.toml has the settings)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

CHECKS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "scripts"],
    "ruff format": [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "src",
        "tests",
        "bench",
        "scripts",
    ],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("name", CHECKS)
def test_code_passes(name: str) -> None:
    result = subprocess.run(
        CHECKS[name], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{name} found problems:\n{result.stdout}{result.stderr}"
