"""Plugins: an example package is really installed, and each of its hooks runs in a build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_site

EXAMPLE = Path(__file__).parent / "plugins" / "newsgen-example-plugin"

SEED = """---
title: "{title}"
date: 2025-11-0{day}
tags: [{tag}]
---
<p>{title}, reported.</p>
"""

CONFIG = "site:\n  title: Plugin Desk\nplugins: [example]\n"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the example plugin with pip into a folder of its own, as a user's pip would."""
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(target), str(EXAMPLE)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert (target / "newsgen_example_plugin").is_dir()
    return target


def _build(site: Path, plugin_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugin_path), env.get("PYTHONPATH")]))
    env["NEWSGEN_EXAMPLE_PLUGIN_MARKER"] = str(site / "assembled.txt")
    return subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--quiet", *args],
        cwd=site, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _site(root: Path, config: str = CONFIG) -> Path:
    site = make_site(root, config=config)
    for day, (title, tag) in enumerate(
        [("harbour wall repaired", "town"), ("secret draft", "plugin-drop")], start=1
    ):
        text = SEED.format(title=title, day=day, tag=tag)
        (site / "seeds" / f"{day}.md").write_text(text, encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}'
        "{% block title %}{{ plugin_note }} | {{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    return site


def test_every_hook_of_an_installed_plugin_runs(tmp_path: Path, plugin_path: Path) -> None:
    site = _site(tmp_path / "site")
    result = _build(site, plugin_path)
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(site / "output").as_posix(): p for p in (site / "output").rglob("*")}
    article = site / "output" / "2025" / "11" / "01" / "harbour-wall-repaired" / "index.html"
    html = article.read_text(encoding="utf-8")
    assert "HARBOUR wall repaired" in html  # article_read changed the title
    assert "example plugin saw article.html" in html  # page_context reached the template
    assert not any("secret-draft" in path for path in pages)  # article_read dropped it
    assert (site / "assembled.txt").read_text() == "1"  # site_assembled saw one article
    report = json.loads((site / "plugin-report.json").read_text())  # build_finished ran
    assert report["articles"] == 1 and report["pages_written"] > 0


def test_a_plugin_that_is_not_installed_is_a_config_error(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", config="plugins: [no-such-plugin]\n")
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--quiet"],
        cwd=site, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "'no-such-plugin' is not installed" in result.stderr
    assert not (site / "output").exists()


def test_plugins_must_be_a_list_of_names(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", config="plugins: example\n")
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "build"],
        cwd=site, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "plugins: expected a list" in result.stderr
