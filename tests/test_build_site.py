"""Whole builds: every page in SPEC.md, links that resolve at the root and under a sub-path,
byte-identical rebuilds, and a cache that changes only the speed."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, make_site, run_newsgen, settled, tree_digest
from linkcheck import broken_references
from newsgen.build import build


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample seeds, built once for this module."""
    site = make_site(
        tmp_path_factory.mktemp("sample"),
        REPO / "seeds",
        config='site:\n  title: "Sample Desk"\n  base_url: "https://example.org/"\n  per_page: 2\n',
    )
    build(site, quiet=True)
    return site


def test_every_page_kind_exists(sample_site: Path) -> None:
    output = sample_site / "output"
    for page in (
        "index.html", "page/1/index.html", "tags/index.html", "sources/index.html",
        "feed.xml", "sitemap.xml", "robots.txt", "404.html", "search/index.html",
        "assets/site.css", "favicon.svg", "assets/finder.js", "search/meta.json",
    ):  # fmt: skip
        assert (output / page).is_file(), page
    articles = [p for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html")]
    assert len(articles) >= 5
    year = articles[0].parents[3].name
    assert (output / year / "index.html").is_file()
    assert list((output / "tags").glob("*/feed.xml"))


def test_links_resolve_at_the_domain_root(sample_site: Path) -> None:
    assert broken_references(sample_site / "output", "https://example.org/") == []


def test_links_resolve_under_a_sub_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", REPO / "seeds", config="site:\n  per_page: 2\n")
    build(site, base_url="https://user.example.io/repo/", quiet=True)
    output = site / "output"
    assert broken_references(output, "https://user.example.io/repo/") == []
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="/repo/assets/site.css"' in home
    assert 'href="/assets/' not in home


def test_feeds_and_sitemap_are_well_formed_and_absolute(sample_site: Path) -> None:
    output = sample_site / "output"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(output / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert 1 <= len(entries) <= 50
    for entry in entries:
        href = entry.find(f"{atom}link").get("href")  # type: ignore[union-attr]
        assert href.startswith("https://example.org/")
        assert (output / href.removeprefix("https://example.org/") / "index.html").is_file()
    sitemap = ET.parse(output / "sitemap.xml").getroot()
    locations = [
        loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locations and all(loc.startswith("https://example.org/") for loc in locations)
    for loc in locations:
        assert (output / loc.removeprefix("https://example.org/") / "index.html").is_file(), loc


def test_two_builds_are_byte_identical_and_the_cache_changes_only_speed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", REPO / "seeds")
    build(site, quiet=True)
    first = tree_digest(site / "output")
    report = build(site, quiet=True)
    assert tree_digest(site / "output") == first
    assert report.pages_written == 0
    shutil.rmtree(settled(site) / ".newsgen")
    build(site, quiet=True)
    assert tree_digest(site / "output") == first
    other = make_site(tmp_path / "other", REPO / "seeds")
    build(other, quiet=True)
    assert tree_digest(other / "output") == first


def test_the_same_site_named_another_way_is_not_built_again(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", REPO / "seeds")
    assert run_newsgen("build", "--site", str(site), "--quiet").returncode == 0
    for named in (
        ["--site", "."],
        ["--seeds", "seeds", "--output", "output"],  # what the defaults name, relative
        ["--site", str(site / ".." / "site")],
    ):
        again = run_newsgen("build", *named, cwd=site)
        assert again.returncode == 0, again.stderr
        assert ", 0 pages written," in again.stdout
        # It stopped once it saw nothing had changed: no stage began.
        assert "parsing seeds" not in again.stderr, named


def test_one_changed_seed_rewrites_only_the_affected_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", REPO / "seeds")
    build(site, search=False, quiet=True)
    before = tree_digest(site / "output")
    seed = next(
        p
        for p in sorted((site / "seeds").rglob("*"))
        if p.is_file() and p.read_text().startswith("---")
    )
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("</p>", " More.</p>", 1), encoding="utf-8"
    )
    report = build(site, search=False, quiet=True)
    after = tree_digest(site / "output")
    changed = {path for path in after if before.get(path) != after[path]}
    assert report.pages_written == len(changed)
    assert 0 < len(changed) < len(after) / 2


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "draft.md").write_text(
        "---\ntitle: Secret plan\ndate: 2025-02-01\ndraft: true\n---\nNot yet.\n", encoding="utf-8"
    )
    (site / "seeds" / "public.md").write_text(
        "---\ntitle: Public plan\ndate: 2025-02-01\n---\nNow.\n", encoding="utf-8"
    )
    build(site, search=False, quiet=True)
    assert not (site / "output/2025/02/01/secret-plan").exists()
    build(site, search=False, drafts=True, quiet=True)
    assert (site / "output/2025/02/01/secret-plan/index.html").is_file()


def test_a_site_template_overrides_one_block_of_the_builtin(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "a.md").write_text(
        "---\ntitle: Harbour reopens\ndate: 2025-03-04\n---\n<p>Open.</p>\n", encoding="utf-8"
    )
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n'
        "{% block title %}{{ article.title }} - Night Desk{% endblock %}\n",
        encoding="utf-8",
    )
    (site / "static").mkdir()
    (site / "static" / "extra.txt").write_text("hello", encoding="utf-8")
    build(site, search=False, quiet=True)
    page = (site / "output/2025/03/04/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert "<title>Harbour reopens - Night Desk</title>" in page
    assert "<h1>Harbour reopens</h1>" in page  # the rest of the built-in template is kept
    assert (site / "output/extra.txt").read_text(encoding="utf-8") == "hello"
    index = (site / "output/index.html").read_text(encoding="utf-8")
    assert "Night Desk" not in index


def test_nothing_is_written_outside_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "a.md").write_text(
        "---\ntitle: Escape\nslug: ../../../../escaped\ndate: 2025-03-04\n---\nx\n",
        encoding="utf-8",
    )
    build(site, search=False, quiet=True)
    names = sorted(p.name for p in site.iterdir())
    assert names == [".newsgen", "output", "seeds"]
    assert not list(tmp_path.glob("escaped*"))
    assert broken_references(site / "output", "/") == []
