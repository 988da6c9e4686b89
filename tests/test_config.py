"""newsgen.yaml: defaults, validation, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_newsgen
from newsgen.config import load_config
from newsgen.errors import ConfigError
from newsgen.models import FeedConfig, RetentionConfig


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


def test_feed_settings_and_retention_load(tmp_path: Path) -> None:
    site = write_config(
        tmp_path,
        """
feeds:
  - url: https://feeds.example.com/world.rss
    name: World
    tags: [world]
    full_text: true
    include: [ukraine, "climate   change", 2026]
    exclude: [sponsored]
    max_items: 50
    interval: 90m
    enabled: false
    language: en
  - url: https://feeds.example.com/plain.rss
retention:
  days: 365
""",
    )
    config = load_config(site)
    world, plain = config.feeds
    assert world == FeedConfig(
        url="https://feeds.example.com/world.rss",
        name="World",
        tags=("world",),
        include=("ukraine", "climate change", "2026"),
        exclude=("sponsored",),
        max_items=50,
        interval=5400.0,
        enabled=False,
        language="en",
        full_text=True,
    )
    assert plain == FeedConfig(url="https://feeds.example.com/plain.rss")
    assert config.retention == RetentionConfig(days=365)


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("include: ukraine", "feeds[0].include: expected a list of words or phrases"),
        ("exclude: [ok, '']", "feeds[0].exclude: expected a list of words or phrases"),
        ("max_items: 0", "feeds[0].max_items: expected a whole number of items from 1 to 100000"),
        ("max_items: ten", "feeds[0].max_items: expected a whole number of items"),
        ("interval: 1 hour", "feeds[0].interval: expected a time such as 30m, 1h, 6h or 1d"),
        ("interval: 3600", "feeds[0].interval: expected a time such as 30m"),
        ("interval: 0m", "feeds[0].interval: expected a time such as 30m"),
        ("enabled: no thanks", "feeds[0].enabled: expected true or false"),
        ("full_text: 1", "feeds[0].full_text: expected true or false"),
        ("language: [en]", "feeds[0].language: expected a string"),
    ],
)
def test_bad_feed_settings_name_key_and_expected_type(
    tmp_path: Path, setting: str, problem: str
) -> None:
    site = write_config(tmp_path, f"feeds:\n  - url: https://example.com/rss\n    {setting}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("retention:\n  days: -1\n", "retention.days: expected a whole number of days"),
        ("retention:\n  days: true\n", "retention.days: expected a whole number of days"),
        ("retention:\n  weeks: 2\n", "retention.weeks: unknown key; expected one of: days"),
        ("retention: 30\n", "retention: expected a mapping of keys (days)"),
    ],
)
def test_bad_retention_is_a_config_error(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, text))
    assert caught.value.problems == [problem] or caught.value.problems[0].startswith(problem)


def test_a_bad_feed_setting_stops_fetch_with_exit_2(tmp_path: Path) -> None:
    write_config(tmp_path, "feeds:\n  - url: https://example.com/rss\n    interval: soon\n")
    result = run_newsgen("fetch", "--site", str(tmp_path))
    assert result.returncode == 2
    assert "feeds[0].interval: expected a time such as 30m, 1h, 6h or 1d" in result.stderr
    assert not (tmp_path / ".newsgen").exists()
