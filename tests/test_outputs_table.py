"""The outputs table: every page kind and feed is a row, and a new output is one more row."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from conftest import make_site
from newsgen.config import load_config
from newsgen.readers.parse import read_seeds
from newsgen.render.outputs import ATOM, OUTPUTS, Output
from newsgen.render.pages import Renderer
from newsgen.site import Site
from newsgen.site import make_site as place

SEED = (
    "---\ntitle: {title}\ndate: 2025-03-0{day}\ntags: [ports]\nsource: Port Desk\n---\n"
    "<p>{title}.</p>\n"
)


@pytest.fixture
def site(tmp_path: Path) -> tuple[Site, Path]:
    folder = make_site(tmp_path, config="site:\n  per_page: 1\n")
    for day, title in ((1, "Quay one"), (2, "Quay two")):
        (folder / "seeds" / f"q{day}.md").write_text(SEED.format(title=title, day=day))
    parsed = read_seeds(folder / "seeds", timezone=ZoneInfo("UTC"))
    return place(parsed.articles, load_config(folder).site), folder


def test_every_row_is_planned_in_table_order(site: tuple[Site, Path]) -> None:
    built, folder = site
    paths = [job.path for job in Renderer(built, folder).plan()]
    assert paths[:2] == ["index.html", "page/1/index.html"]
    for expected in (
        "2025/03/02/quay-two/index.html",
        "2025/03/index.html",
        "tags/index.html",
        "tags/ports/page/1/index.html",
        "sources/port-desk/index.html",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "tags/ports/feed.json",
        "sources/port-desk/rss.xml",
        "search/index.html",
        "404.html",
        "robots.txt",
        "sources.opml",
    ):
        assert expected in paths
    assert paths[-1] == "sitemap.xml"
    assert len(paths) == len(set(paths))


def test_a_new_output_is_one_row(site: tuple[Site, Path]) -> None:
    built, folder = site
    extra = Output(
        "topic Atom copy", "tags/{slug}/atom.xml", "feed.xml", "feed", "tags", ATOM, "Atom 2"
    )
    renderer = Renderer(built, folder, outputs=(*OUTPUTS, extra))
    jobs = {job.path: job for job in renderer.plan()}
    rendered = renderer.render(jobs["tags/ports/atom.xml"])
    parsed = feedparser.parse(rendered.data)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Quay two", "Quay one"]
    topic = renderer.render(jobs["tags/ports/index.html"]).data.decode()
    assert 'href="/tags/ports/atom.xml">' in topic  # announced by the page it follows


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lists": "everything"}, "lists must be one of"), ({"of": "authors"}, "of must be")],
)
def test_a_row_that_cannot_be_planned_is_refused(kwargs: dict[str, str], message: str) -> None:
    row = {"name": "x", "path": "x.xml", "template": "feed.xml", "lists": "feed"} | kwargs
    with pytest.raises(ValueError, match=message):
        Output(**row)
