"""A rebuild after an edit renders exactly the pages that show what changed."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import make_site
from newsgen.build import build

CONFIG = "site:\n  title: Port News\n  per_page: 1\n"


def seed(site: Path, day: int, title: str) -> None:
    path = site / "seeds" / f"harbour-{day}.md"
    text = (
        f"---\ntitle: {title}\ndate: 2025-03-{day:02d}T09:00:00Z\ntags: [ports]\n"
        f"source: Port Desk\n---\n<p>Cranes moved on day {day}, report {title}.</p>\n"
    )
    fresh = path.with_suffix(".tmp")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)  # a new file, as editors' tools write: mtime and size change


def port_site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", config=CONFIG)
    for day, title in ((1, "Quay one"), (5, "Quay two"), (9, "Quay three")):
        seed(site, day, title)
    return site


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_editing_an_older_story_redoes_only_the_topic_page_that_shows_it(tmp_path: Path) -> None:
    site = port_site(tmp_path)
    build(site, quiet=True, search=False)
    before = stamps(site / "output")
    seed(site, 1, "Quay one reopened")  # the oldest story: page 1 of the topic
    report = build(site, quiet=True, search=False)
    after = stamps(site / "output")
    changed = {path for path in after if after[path] != before.get(path)}
    assert "tags/ports/page/1/index.html" in changed
    assert "tags/ports/index.html" not in changed
    assert "tags/ports/page/2/index.html" not in changed
    assert report.pages_written == len(changed)
    assert report.pages_made == report.pages_written, "a page was made again for nothing"


def test_a_template_that_lists_a_whole_topic_is_redone_when_any_story_changes(
    tmp_path: Path,
) -> None:
    site = port_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/tag.html").write_text(
        '{% extends "default/tag.html" %}{% block main %}{{ super() }}<aside>'
        "{% for entry in group.entries %}<p>{{ entry.article.title }}</p>{% endfor %}"
        "</aside>{% endblock %}",
        encoding="utf-8",
    )
    build(site, quiet=True, search=False)
    first_page = site / "output/tags/ports/index.html"
    assert "<p>Quay one</p>" in first_page.read_text(encoding="utf-8")
    seed(site, 1, "Quay one reopened")
    build(site, quiet=True, search=False)
    assert "<p>Quay one reopened</p>" in first_page.read_text(encoding="utf-8")
    seed(site, 1, "Quay one closed again")
    build(site, quiet=True, search=False)
    assert "<p>Quay one closed again</p>" in first_page.read_text(encoding="utf-8")
