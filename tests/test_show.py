"""`show: summary | full`: what a site shows of fetched articles, and a footer that says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_site
from newsgen.build import build
from newsgen.config import load_config
from newsgen.errors import ConfigError

WIRE = "https://wire.example.com/rss"
BLOG = "https://blog.example.net/feed"
SUMMARY_FOOTER = "Headlines and summaries link to the original reporting."
FULL_FOOTER = "Full articles are republished from their sources"


def site_with(tmp_path: Path, config: str) -> Path:
    site = make_site(tmp_path, config=config)
    for name, title, source, day in (
        ("own.md", "Our own report", "Harbour desk", 1),
        ("wire.md", "Wire report", WIRE, 2),
        ("blog.md", "Blog report", BLOG, 3),
    ):
        text = (
            f"---\ntitle: {title}\ndate: 2025-03-0{day}\nsource: {source}\n"
            f"link: https://origin.example/{name}\nsummary: The short {title}.\n---\n"
            f"<p>The whole long body of the {title}.</p>\n"
        )
        (site / "seeds" / name).write_text(text, encoding="utf-8")
    report = build(site, search=False, quiet=True)
    assert report.exit_code == 0
    return site / "output"


def page(output: Path, day: int) -> str:
    [path] = output.glob(f"2025/03/0{day}/*/index.html")
    return path.read_text(encoding="utf-8")


def test_by_default_fetched_articles_show_their_summary_and_a_link(tmp_path: Path) -> None:
    output = site_with(tmp_path, "")
    own, wire = page(output, 1), page(output, 2)
    assert "The whole long body of the Our own report." in own  # the site's own: in full
    assert "The whole long body" not in wire
    assert "The short Wire report." in wire
    assert '<p class="read-source read-original"><a href="https://origin.example/wire.md"' in wire
    for html in (own, wire):
        assert SUMMARY_FOOTER in html and FULL_FOOTER not in html


def test_show_full_republishes_and_the_footer_says_so(tmp_path: Path) -> None:
    output = site_with(tmp_path, "site:\n  show: full\n")
    assert "The whole long body of the Wire report." in page(output, 2)
    assert FULL_FOOTER in page(output, 1) and SUMMARY_FOOTER not in page(output, 1)
    assert FULL_FOOTER in (output / "index.html").read_text(encoding="utf-8")


def test_one_feed_can_differ_from_the_site(tmp_path: Path) -> None:
    config = f"feeds:\n  - url: {WIRE}\n    show: full\n  - url: {BLOG}\n"
    output = site_with(tmp_path, config)
    assert "The whole long body of the Wire report." in page(output, 2)
    assert "The whole long body" not in page(output, 3)
    assert FULL_FOOTER in page(output, 3)  # the site republishes one feed: the footer says so


def test_switching_show_rebuilds_the_article_pages(tmp_path: Path) -> None:
    site_with(tmp_path, "")
    (tmp_path / "newsgen.yaml").write_text("site:\n  show: full\n", encoding="utf-8")
    build(tmp_path, search=False, quiet=True)
    assert "The whole long body of the Wire report." in page(tmp_path / "output", 2)


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ("site:\n  show: everything\n", "site.show"),
        (f"feeds:\n- url: {WIRE}\n  show: 1\n", "feeds[0].show"),
    ],
)
def test_show_takes_summary_or_full(tmp_path: Path, config: str, where: str) -> None:
    (tmp_path / "newsgen.yaml").write_text(config, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{where}: expected summary or full")):
        load_config(tmp_path)
