"""A site's own fields: front-matter keys and `params:` reach templates; permalinks are set."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from conftest import make_site
from newsgen.build import build
from newsgen.config import load_config
from newsgen.errors import ConfigError

ARTICLE_OVERRIDE = """\
{% extends "default/article.html" %}
{% block headline %}{{ super() }}
<p class="mood">Mood: {{ article.params.mood }}; rating {{ article.params.rating }};
 crew {{ article.params.crew|join('+') }}; desk {{ site.params.desk }}</p>
{% endblock %}
"""


def seed(site: Path, name: str, title: str, date: str, extra: str = "") -> None:
    text = f"---\ntitle: {title}\ndate: {date}\n{extra}---\n<p>{title} text.</p>\n"
    (site / "seeds" / name).write_text(text, encoding="utf-8")


def test_unknown_front_matter_and_params_reach_templates(tmp_path: Path) -> None:
    config = "site:\n  title: Port\nparams:\n  desk: Harbour desk\n  colours: [blue]\n"
    site = make_site(tmp_path, config=config)
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(ARTICLE_OVERRIDE, encoding="utf-8")
    seed(site, "a.md", "Cranes", "2025-03-01", "mood: sunny\nrating: 4\ncrew: [ana, bo]\n")
    report = build(site, search=False, quiet=True)
    # A site without base_url is told its feeds carry relative links; nothing else.
    notes = [d for d in report.diagnostics if d.level != "info" and "base_url" not in d.message]
    assert not notes, report.diagnostics
    html = (site / "output/2025/03/01/cranes/index.html").read_text(encoding="utf-8")
    assert "Mood: sunny; rating 4;\n crew ana+bo; desk Harbour desk" in html
    assert load_config(site).site.params == {"desk": "Harbour desk", "colours": ["blue"]}


def test_a_changed_param_rebuilds_the_pages_that_show_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, config="params:\n  desk: One\n")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(ARTICLE_OVERRIDE, encoding="utf-8")
    seed(site, "a.md", "Cranes", "2025-03-01", "mood: sunny\n")
    build(site, search=False, quiet=True)
    (site / "newsgen.yaml").write_text("params:\n  desk: Two\n", encoding="utf-8")
    build(site, search=False, quiet=True)
    html = (site / "output/2025/03/01/cranes/index.html").read_text(encoding="utf-8")
    assert "desk Two" in html


def test_a_typo_of_a_known_key_is_still_pointed_out(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    seed(site, "a.md", "Cranes", "2025-03-01", "tittle: Other\n")
    report = build(site, search=False, quiet=True)
    [warning] = [
        d for d in report.diagnostics if d.level == "warning" and "base_url" not in d.message
    ]
    assert "did you mean `title`?" in warning.message and warning.line == 4


PERMALINK = 'permalinks:\n  article: "/{year}/{slug}/"\n'


def test_a_configured_permalink_places_articles_and_every_link_to_them(tmp_path: Path) -> None:
    site = make_site(tmp_path, config="site:\n  base_url: https://example.org/\n" + PERMALINK)
    seed(site, "a.md", "Cranes", "2025-03-01")
    seed(site, "b.md", "Cranes", "2025-04-02")  # same slug, same year: must not collide
    seed(site, "c.md", "Quay", "2025-04-03")
    build(site, quiet=True)
    out = site / "output"
    assert (out / "2025/cranes/index.html").is_file()
    assert (out / "2025/cranes-2/index.html").is_file()
    assert (out / "2025/quay/index.html").is_file()
    assert not list(out.glob("2025/0*/0*/*/index.html"))  # no page at the default place
    links = {e.link for e in feedparser.parse((out / "feed.xml").read_bytes()).entries}
    assert links == {
        "https://example.org/2025/cranes/",
        "https://example.org/2025/cranes-2/",
        "https://example.org/2025/quay/",
    }
    assert "https://example.org/2025/quay/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="/2025/quay/"' in (out / "index.html").read_text(encoding="utf-8")
    docs = json.loads((out / "search/docs/0.json").read_text(encoding="utf-8"))
    assert "2025/quay/" in json.dumps(docs)


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/{year}/{slug}", "ends in /"),
        ("/{year}/{month}/", "contains {slug}"),
        ("/../{slug}/", "without `..`"),
        ("/{year}/{hour}/{slug}/", "not {hour}"),
        ("/{year/{slug}/", "a pattern such as"),
        (5, "a pattern such as"),
    ],
)
def test_a_bad_permalink_is_a_clear_error(tmp_path: Path, pattern: object, problem: str) -> None:
    (tmp_path / "newsgen.yaml").write_text(
        f"permalinks:\n  article: {json.dumps(pattern)}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert "permalinks.article: expected" in str(caught.value)
    assert problem in str(caught.value)


def test_params_must_be_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("params: [a, b]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="params: expected a mapping"):
        load_config(tmp_path)


def test_a_permalink_never_puts_an_article_where_another_page_is(tmp_path: Path) -> None:
    site = make_site(tmp_path, config='permalinks:\n  article: "/{slug}/"\n')
    seed(site, "a.md", "Tags", "2025-03-01", "tags: [ports]\n")
    seed(site, "b.md", "2025", "2025-03-02")
    seed(site, "c.md", "Quay", "2025-03-03")
    build(site, search=False, quiet=True)
    out = site / "output"
    topics = (out / "tags/index.html").read_text(encoding="utf-8")
    assert '<h1 class="page-title">Topics</h1>' in topics  # still the index of topics
    assert (out / "tags-2/index.html").is_file() and (out / "2025-2/index.html").is_file()
    assert (out / "quay/index.html").is_file()
    year = (out / "2025/index.html").read_text(encoding="utf-8")
    assert 'class="archive-children"' in year  # still the year's archive
