"""A first build's cards, rendered once ahead on several processes, are the cards a page would
render itself."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import make_site
from newsgen.config import load_config
from newsgen.errors import BuildError
from newsgen.mapped import RELEASE_EVERY
from newsgen.models import Article, Entry
from newsgen.render.cards import make_cards
from newsgen.render.pages import Renderer
from newsgen.site import make_site as place

TOPICS = ("ports", "rail", "schools")


def _articles(count: int) -> list[Article]:
    start = datetime(2025, 3, 1, 6, tzinfo=UTC)
    return [
        Article(
            title=f"Report {n} on {TOPICS[n % 3]} — “quoted” ✓",
            date=start + timedelta(hours=5 * n),
            slug=f"report-{n}",
            summary=f"What desk {n % 4} saw.",
            source=f"Desk {n % 4}",
            tags=(TOPICS[n % 3],),
            seed_path=f"r{n:03d}.md",
        )
        for n in range(count)
    ]


def _renderer(folder: Path, count: int = 60) -> Renderer:
    return Renderer(place(_articles(count), load_config(folder).site), folder)


def _entries(renderer: Renderer) -> list[Entry]:
    return list({id(e): e for _, shown in renderer.lists() for e in shown}.values())


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_cards_made_ahead_are_the_cards_rendered_on_demand(tmp_path: Path, processes: int) -> None:
    folder = make_site(tmp_path)
    renderer = _renderer(folder)
    entries = _entries(renderer)
    state = tmp_path / "state"
    state.mkdir()
    cards = make_cards(renderer._render_card, entries, state, processes)
    try:
        expected = [renderer.card(e) for e in entries]
        # Read again and again: the files' pages are let go of every RELEASE_EVERY cards read.
        for _ in range(3 * RELEASE_EVERY // len(entries) + 1):
            assert [cards.get(entry) for entry in entries] == expected
        assert "“quoted” ✓" in str(cards.get(entries[0]))
    finally:
        cards.close()
    assert list(state.iterdir()) == []  # the files had no name: nothing is left behind


def test_pages_read_the_cards_made_ahead_and_render_the_same(tmp_path: Path) -> None:
    folder = make_site(tmp_path, config="site:\n  per_page: 5\n")
    on_demand = _renderer(folder)
    expected = {job.path: on_demand.render(job).data for job in on_demand.plan()}
    ahead = _renderer(folder)
    ahead.cards_ahead(tmp_path, 2)
    assert {job.path: ahead.render(job).data for job in ahead.plan()} == expected
    assert not ahead._cards  # every card came from the files, none was rendered again
    ahead.let_go()
    assert ahead._card_files is None
    assert {job.path: ahead.render(job).data for job in ahead.plan()} == expected


def test_a_card_whose_template_fails_is_reported_by_the_page_showing_it(tmp_path: Path) -> None:
    folder = make_site(tmp_path)
    (folder / "templates" / "partials").mkdir(parents=True)
    (folder / "templates" / "partials" / "card.html").write_text(
        "{% if article.slug == 'report-7' %}{{ article.nothing.here }}{% endif %}"
        "<p>{{ article.title }}</p>",
        encoding="utf-8",
    )
    renderer = _renderer(folder, count=12)
    renderer.cards_ahead(tmp_path, 2)
    jobs = [job for job in renderer.plan() if "cards" in job.context]
    failing = [j for j in jobs if any(e.article.slug == "report-7" for e in j.context["entries"])]
    assert failing
    with pytest.raises(BuildError) as raised:
        renderer.render(failing[0])
    assert failing[0].path in str(raised.value)
    shown = next(j for j in jobs if j not in failing)
    assert b"<p>Report" in renderer.render(shown).data


def test_a_worker_that_dies_fails_the_build(tmp_path: Path) -> None:
    folder = make_site(tmp_path)
    renderer = _renderer(folder, count=10)
    parent = os.getpid()

    def render(entry: Entry) -> str:
        if os.getpid() != parent:
            raise RuntimeError("a worker's own failure")
        return renderer._render_card(entry)

    with pytest.raises(BuildError, match="a worker rendering cards failed"):
        make_cards(render, _entries(renderer), tmp_path, 2)
