"""Markdown written without front matter is read as Markdown, its `# Title` as the title."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from conftest import make_site, run_newsgen
from newsgen.readers.markdown import is_markdown
from newsgen.readers.parse import parse_seed_text

SEED = """# Council approves the tram line

The council voted **12 to 3** on Tuesday, 3 March 2025, to build the line
through the old town. The [full plan](https://example.org/plan?utm_source=news) is online.

## What happens next

Work starts in *spring*:

1. the depot
2. the track

> "It is a good day for the city," the mayor said.
"""


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_seed_text(
        text, rel_path="notes.md", timezone=ZoneInfo("UTC"), mtime=datetime(2025, 6, 1, tzinfo=UTC)
    )


def test_a_markdown_seed_renders_as_html_under_its_title() -> None:
    (article,), diagnostics = parse(SEED)
    assert article.title == "Council approves the tram line"
    assert "title" not in article.inferred
    assert article.date.date().isoformat() == "2025-03-03"
    body = article.body_html
    assert "<strong>12 to 3</strong>" in body
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">full plan</a>' in body
    assert "<h2>What happens next</h2>" in body and "<em>spring</em>" in body
    assert "<ol>" in body and "<blockquote>" in body
    for raw in ("**", "# ", "[full plan]", "](", "utm_"):
        assert raw not in body
    assert "Council approves the tram line" not in body  # the title is not repeated
    assert [d.level for d in diagnostics] == ["info"]  # the date was worked out


def test_a_markdown_page_is_built_with_one_headline(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "notes.md").write_text(SEED, encoding="utf-8")
    result = run_newsgen("build", "--site", str(site), "--strict")
    assert result.returncode == 0, result.stderr
    (page,) = (site / "output").glob("2025/03/03/*/index.html")
    root = lxml.html.fromstring(page.read_bytes())
    assert [h.text_content() for h in root.iter("h1")] == ["Council approves the tram line"]
    assert root.find(".//strong").text == "12 to 3"
    assert "**" not in root.text_content()


def test_markdown_without_a_title_line_gets_one_from_its_first_sentence() -> None:
    text = "The council voted **12 to 3** to build the line.\n\nSee [the plan](https://e.org/p).\n"
    (article,), _ = parse(text)
    assert article.title == "The council voted 12 to 3 to build the line"
    assert "title" in article.inferred
    assert "<strong>12 to 3</strong>" in article.body_html


@pytest.mark.parametrize(
    "text",
    [
        "Council approves the tram line\n\nThe council voted on Tuesday.\n",
        "#MeToo march draws thousands\n\nThousands marched on Sunday.\n",
        "Prices rose 3*4 times\n\n1. first point of the report\n",
        "Snow closes roads\n\n- Main Street\n- Park Lane\n",
    ],
)
def test_plain_text_is_not_taken_for_markdown(text: str) -> None:
    assert not is_markdown(text)
