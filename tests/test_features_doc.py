"""docs/features.md: every row names the tests that prove it, and every one of them exists."""

from __future__ import annotations

import ast
import re

from conftest import REPO

FEATURES = REPO / "docs" / "features.md"
TEST_REF = re.compile(r"`(tests/test_\w+\.py)::(test_\w+)`")


def table_rows() -> list[str]:
    lines = FEATURES.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| ---")]
    return rows[1:]  # the header


def defined_tests(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_row_names_tests_that_exist() -> None:
    rows = table_rows()
    assert len(rows) >= 15
    for row in rows:
        refs = TEST_REF.findall(row)
        assert refs, f"docs/features.md: no test named in row: {row[:80]}"
        for path, name in refs:
            assert (REPO / path).is_file(), f"docs/features.md names a missing file {path}"
            assert name in defined_tests(path), (
                f"docs/features.md names a missing test {path}::{name}"
            )
