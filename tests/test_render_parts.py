"""Pages are planned in parts that processes take in turn: the same pages, whoever plans them."""

from __future__ import annotations

import filecmp
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import make_site, run_newsgen
from newsgen.build import build
from newsgen.config import load_config
from newsgen.models import Article
from newsgen.render.pages import PART_ITEMS, Renderer
from newsgen.render.pool import MIN_NEW_PAGES_PER_WORKER, MIN_PAGES_PER_WORKER
from newsgen.site import make_site as place

ARTICLES = 1500
TOPICS = ("ports", "rail", "schools", "water", "courts", "budget", "health")


def _title(number: int) -> str:
    return f"Report {number} on {TOPICS[number % len(TOPICS)]} from desk {number % 9}"


def _seed(number: int) -> str:
    day = datetime(2025, 1, 1, 6, tzinfo=UTC) + timedelta(hours=7 * number)
    return (
        f"---\ntitle: {_title(number)}\ndate: {day.isoformat()}\n"
        f"tags: [{TOPICS[number % len(TOPICS)]}]\nsource: Desk {number % 9}\n---\n"
        f"<p>Item {number} says what desk {number % 9} saw on day {number // 3}.</p>\n"
    )


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of many small pages: enough of them for the build to fork workers."""
    folder = make_site(tmp_path_factory.mktemp("parts"), config="site:\n  per_page: 2\n")
    for number in range(ARTICLES):
        (folder / "seeds" / f"r{number:04d}.md").write_text(_seed(number), encoding="utf-8")
    return folder


def _articles(count: int) -> list[Article]:
    start = datetime(2025, 1, 1, 6, tzinfo=UTC)
    return [
        Article(
            title=_title(n),
            date=start + timedelta(hours=7 * n),
            slug=f"report-{n}",
            summary="",
            source=f"Desk {n % 9}",
            tags=(TOPICS[n % len(TOPICS)],),
            seed_path=f"r{n:04d}.md",
        )
        for n in range(count)
    ]


def test_the_parts_plan_every_page_in_the_order_of_the_plan(tmp_path: Path) -> None:
    folder = make_site(tmp_path, config="site:\n  per_page: 5\n")
    count = 2 * PART_ITEMS["articles"] + 17
    renderer = Renderer(place(_articles(count), load_config(folder).site), folder)
    parts = renderer.parts()
    assert sum(part.output == 1 for part in parts) == 3  # the article pages, in three parts
    planned = [job.path for job in renderer.plan()]
    by_parts = []
    for part in parts:
        jobs = [job.path for job in renderer.plan_part(part)]
        assert len(jobs) == part.pages
        by_parts += jobs
    assert by_parts == planned
    assert len(planned) == len(set(planned))


def test_workers_build_the_same_site_as_one_process(big_site: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    result = run_newsgen("build", "--site", str(big_site), "--output", str(one), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    two = tmp_path / "two"
    result = run_newsgen("build", "--site", str(big_site), "--output", str(two), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    pages = [p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()]
    assert len(pages) >= 2 * MIN_NEW_PAGES_PER_WORKER  # so the second build forked a worker
    same, mismatch, errors = filecmp.cmpfiles(one, two, pages, shallow=False)
    assert len(same) == len(pages) and not mismatch and not errors
    assert sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file()) == sorted(
        pages
    )


def test_after_one_edit_workers_rewrite_only_its_pages(big_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    first = run_newsgen("build", "--site", str(big_site), "--output", str(output), "--jobs", "2")
    assert first.returncode == 0, first.stderr
    seed = big_site / "seeds" / "r0700.md"
    seed.write_text(_seed(700).replace(_title(700), "A corrected headline"), encoding="utf-8")
    try:
        again = build(big_site, output_dir=output, jobs=2, quiet=True)
    finally:
        seed.write_text(_seed(700), encoding="utf-8")
    # Its page, its neighbours', and the list pages and feeds that show it.
    assert 0 < again.pages_written < 40
    assert again.pages_reused >= 2 * MIN_PAGES_PER_WORKER  # planned in two processes
    assert "A corrected headline" in (output / "index.html").read_text() or any(
        "A corrected headline" in page.read_text() for page in output.glob("page/*/index.html")
    )


def test_a_renderer_that_let_go_of_its_caches_makes_the_same_pages(tmp_path: Path) -> None:
    folder = make_site(tmp_path, config="site:\n  per_page: 5\n")
    renderer = Renderer(place(_articles(40), load_config(folder).site), folder)
    first = {job.path: (job.signature, renderer.render(job).data) for job in renderer.plan()}
    assert renderer._cards and renderer.signs._entries  # made while rendering, kept for reuse
    renderer.let_go()
    assert not renderer._cards and not renderer.signs._entries
    again = {job.path: (job.signature, renderer.render(job).data) for job in renderer.plan()}
    assert again == first
