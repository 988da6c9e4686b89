"""`newsgen init`: a new site that builds at once, with a workflow that passes actionlint."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_newsgen
from newsgen.config import load_config
from newsgen.fetch import import_opml
from test_workflows import actionlint


def test_init_then_build_gives_a_working_site(tmp_path: Path) -> None:
    site = tmp_path / "new site"
    made = run_newsgen("init", str(site))
    assert made.returncode == 0, made.stderr
    for name in (
        "newsgen.yaml",
        ".gitignore",
        "requirements.txt",
        ".github/workflows/publish.yml",
        "seeds/welcome.md",
    ):
        assert (site / name).is_file(), name
        assert f"created {site / name}" in made.stdout
    config = load_config(site)  # the commented config is valid as written
    assert config.site.show == "summary" and config.feeds == ()
    assert "# Feeds to fetch" in (site / "newsgen.yaml").read_text(encoding="utf-8")
    assert "output/" in (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    built = run_newsgen("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("1 article, ")
    front = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "Welcome to your news site" in front
    assert list((site / "output").glob("*/*/*/welcome-to-your-news-site/index.html"))
    checked = run_newsgen("check", "--site", str(site))
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_new_config_takes_imported_feeds_and_keeps_its_comments(tmp_path: Path) -> None:
    assert run_newsgen("init", str(tmp_path)).returncode == 0
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="World">'
        '<outline text="Wire" xmlUrl="https://wire.example.com/rss"/></outline></body></opml>',
        encoding="utf-8",
    )
    assert import_opml(tmp_path, opml) == 1
    config = load_config(tmp_path)
    assert [(f.url, f.tags) for f in config.feeds] == [("https://wire.example.com/rss", ("World",))]
    assert "# Feeds to fetch" in (tmp_path / "newsgen.yaml").read_text(encoding="utf-8")


def test_the_new_sites_workflow_passes_actionlint(tmp_path: Path) -> None:
    assert run_newsgen("init", str(tmp_path)).returncode == 0
    workflow = tmp_path / ".github" / "workflows" / "publish.yml"
    result = subprocess.run(
        [actionlint(), "-no-color", str(workflow)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_never_overwrites_and_then_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    result = run_newsgen("init", str(tmp_path))
    assert result.returncode == 2
    assert f"already there: {tmp_path / '.gitignore'}; nothing was written" in result.stderr
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore"]
