"""newsgen.yaml: defaults, validation, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.errors import ConfigError


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "newsgen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_folder_without_config_gets_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.site.per_page == 20
    assert config.site.timezone == "UTC"
    assert config.feeds == ()


def test_full_config_loads(tmp_path: Path) -> None:
    site = write_config(
        tmp_path,
        """
site:
  title: "World Desk"
  base_url: "https://example.org/news"
  timezone: Europe/Berlin
  per_page: 5
feeds:
  - url: https://feeds.example.com/world.rss
    name: Example World
    tags: [world]
""",
    )
    config = load_config(site)
    assert config.site.base_url == "https://example.org/news/"
    assert config.site.per_page == 5
    assert config.feeds[0].name == "Example World"
    assert config.feeds[0].tags == ("world",)


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    site = write_config(
        tmp_path,
        """
site:
  title: 5
  per_page: many
  timezone: Mars/Olympus
  colour: red
feeds:
  - url: ftp://example.com/feed
  - name: no url here
extra: 1
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    message = str(caught.value)
    assert "newsgen.yaml" in message
    for expected in (
        "site.title: expected a string",
        "site.per_page: expected a whole number",
        "site.timezone: expected an IANA time zone",
        "site.colour: unknown key",
        "feeds[0].url: expected an http:// or https:// URL",
        "feeds[1].url: missing",
        "extra: unknown key",
    ):
        assert expected in message
    assert len(caught.value.problems) == 7


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    site = write_config(tmp_path, "site:\n  title: [unclosed\n")
    with pytest.raises(ConfigError, match="line"):
        load_config(site)
