"""A forked worker that reports once: its report, its failure, and its end."""

from __future__ import annotations

import time
from pathlib import Path
from typing import BinaryIO

import pytest

from conftest import make_site
from newsgen.build import build
from newsgen.errors import BuildError
from newsgen.search import job
from newsgen.workers import ReportingChild, send_and_exit


def _reports(first: int, second: str, report: BinaryIO) -> None:
    send_and_exit(report, (first, second))


def _fails(report: BinaryIO) -> None:
    raise RuntimeError("the worker's own failure")


def _waits(report: BinaryIO) -> None:
    time.sleep(60)


def _says_nothing(report: BinaryIO) -> None:
    return


def test_the_report_comes_back_once_the_worker_has_ended(tmp_path: Path) -> None:
    child = ReportingChild("a test worker", _reports, 7, "x" * 1_000_000, folder=tmp_path)
    assert child.take() == (7, "x" * 1_000_000)
    assert not child.process.is_alive() and child.process.exitcode == 0
    child.stop()


def test_the_report_leaves_no_file_behind(tmp_path: Path) -> None:
    child = ReportingChild("a test worker", _reports, 7, "seven", folder=tmp_path)
    child.take()
    child.stop()
    assert list(tmp_path.iterdir()) == []


def test_a_worker_that_dies_before_reporting_is_an_error_that_names_it(tmp_path: Path) -> None:
    child = ReportingChild("a test worker", _fails, folder=tmp_path)
    with pytest.raises(BuildError, match=r"a test worker failed \(exit code 1\)"):
        child.take()
    child.stop()


def test_a_worker_that_ends_without_a_report_is_an_error_that_names_it(tmp_path: Path) -> None:
    child = ReportingChild("a test worker", _says_nothing, folder=tmp_path)
    with pytest.raises(BuildError, match="a test worker ended without reporting"):
        child.take()
    child.stop()


def test_a_worker_whose_report_is_not_wanted_is_stopped(tmp_path: Path) -> None:
    child = ReportingChild("a test worker", _waits, folder=tmp_path)
    started = time.monotonic()
    child.stop()
    assert not child.process.is_alive() and time.monotonic() - started < 30


def _seed(number: int) -> str:
    return (
        f"---\ntitle: Harbour report {number}\ndate: 2025-02-{number + 1:02d}T08:00:00Z\n---\n"
        f"<p>What the harbour saw on day {number}.</p>\n"
    )


def test_a_failing_search_index_fails_the_build_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    for number in range(3):
        (site / "seeds" / f"h{number}.md").write_text(_seed(number), encoding="utf-8")
    build(site, jobs=2, quiet=True)
    before = (site / "output" / "index.html").read_bytes()
    (site / "seeds" / "h3.md").write_text(_seed(3), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the index could not be made")

    monkeypatch.setattr(job, "write_search_index", broken)  # in the child forked to index
    with pytest.raises(BuildError, match="indexing for search failed"):
        build(site, jobs=2, quiet=True)
    assert (site / "output" / "index.html").read_bytes() == before
