"""Following a moved feed in newsgen.yaml: one value changes, every comment and layout stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.fetch.configedit import replace_feed_url, url_line

OLD = "https://old.example.org/feed.xml"
NEW = "https://www.example.org/feeds/all.xml"


@pytest.mark.parametrize(
    "layout",
    [
        "feeds:\n  - url: {url}   # moved last year?\n    name: Desk\n",
        "feeds:\n  - name: Desk\n    url: '{url}'\n",
        'feeds:\n- url: "{url}"\n  tags: [world]\n',
        "feeds: [{{url: {url}, name: Desk}}]\n",
        "site:\n  title: Desk  # url: none\nfeeds:\n  - url: https://a.example/x\n  - url: {url}\n",
    ],
)
def test_only_the_url_changes(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "newsgen.yaml"
    path.write_text(layout.format(url=OLD), encoding="utf-8")
    assert replace_feed_url(path, OLD, NEW)
    assert path.read_text(encoding="utf-8") == layout.format(url=NEW)
    assert NEW in [feed.url for feed in load_config(tmp_path).feeds]


@pytest.mark.parametrize(
    "layout",
    [
        "feeds:\n  - url: {url}\n  - url: {url}\n",  # twice: which one?
        "feeds:\n  - url: {url}x\n",  # only a longer URL
        "feeds:\n  - url: >-\n      {url}\n",  # a folded block: no single value to change
        "feeds:\n  - url: {url}\n    # url: {url}\n",  # a comment names it too
    ],
)
def test_unsure_edits_are_not_made(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "newsgen.yaml"
    text = layout.format(url=OLD)
    path.write_text(text, encoding="utf-8")
    assert not replace_feed_url(path, OLD, NEW)
    assert path.read_text(encoding="utf-8") == text


def test_url_line_points_at_the_feed(tmp_path: Path) -> None:
    path = tmp_path / "newsgen.yaml"
    path.write_text(f"# sites\nfeeds:\n  - url: {OLD}\n", encoding="utf-8")
    assert url_line(path, OLD) == 3
    assert url_line(path, NEW) == 0
