"""The command line, run for real: exit codes, messages, help."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, make_site, run_newsgen
from newsgen.cli.main import make_parser
from newsgen.version import __version__

GOOD_SEED = "---\ntitle: Harbour reopens\ndate: 2025-03-04\n---\n<p>The harbour reopened.</p>\n"


def test_version() -> None:
    result = run_newsgen("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsgen {__version__}"


def test_no_command_is_a_usage_error() -> None:
    assert run_newsgen().returncode == 2


def test_unknown_flag_is_a_usage_error(tmp_path: Path) -> None:
    result = run_newsgen("build", "--site", str(tmp_path), "--frobnicate")
    assert result.returncode == 2
    assert "--frobnicate" in result.stderr


def test_bad_jobs_value_is_a_usage_error(tmp_path: Path) -> None:
    result = run_newsgen("build", "--site", str(tmp_path), "--jobs", "0")
    assert result.returncode == 2


def test_config_error_exits_2_before_touching_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", config="site:\n  per_page: lots\n  colour: red\n")
    (site / "seeds" / "a.md").write_text(GOOD_SEED, encoding="utf-8")
    (site / "output").mkdir()
    (site / "output" / "index.html").write_text("previous site", encoding="utf-8")
    result = run_newsgen("build", "--site", str(site))
    assert result.returncode == 2
    assert "newsgen.yaml" in result.stderr
    assert "site.per_page" in result.stderr and "site.colour" in result.stderr
    assert (site / "output" / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (site / ".newsgen").exists()


def test_build_reports_a_broken_seed_and_builds_the_rest(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "good.md").write_text(GOOD_SEED, encoding="utf-8")
    (site / "seeds" / "broken.md").write_text(
        "---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8"
    )
    result = run_newsgen("build", "--site", str(site), "--no-search")
    assert result.returncode == 0, result.stderr
    assert re.search(r"broken\.md:\d+: (error|warning): ", result.stderr)
    assert (site / "output/2025/03/04/harbour-reopens/index.html").is_file()
    assert "1 article, " in result.stdout


def test_strict_fails_on_warnings_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "good.md").write_text(GOOD_SEED, encoding="utf-8")
    assert run_newsgen("build", "--site", str(site), "--no-search").returncode == 0
    before = (site / "output" / "index.html").read_bytes()
    (site / "seeds" / "broken.md").write_text(
        "---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8"
    )
    (site / "seeds" / "new.md").write_text(GOOD_SEED.replace("Harbour", "Bridge"), encoding="utf-8")
    result = run_newsgen("build", "--site", str(site), "--strict", "--no-search")
    assert result.returncode == 1
    assert "broken.md" in result.stderr
    assert (site / "output" / "index.html").read_bytes() == before


def test_check_reports_errors_and_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "good.md").write_text(GOOD_SEED, encoding="utf-8")
    (site / "seeds" / "broken.md").write_text(
        "---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8"
    )
    result = run_newsgen("check", "--site", str(site))
    assert result.returncode == 1
    assert re.search(r"broken\.md:\d+: error: ", result.stderr)
    assert sorted(p.name for p in site.iterdir()) == ["seeds"]


def test_check_passes_clean_seeds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "seeds" / "good.md").write_text(GOOD_SEED, encoding="utf-8")
    result = run_newsgen("check", "--site", str(site))
    assert result.returncode == 0, result.stderr


def test_new_creates_a_seed_that_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    result = run_newsgen("new", "Council approves the tram line", "--site", str(site))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_file() and path.parent == site / "seeds"
    assert path.name.endswith("-council-approves-the-tram-line.md")
    again = Path(
        run_newsgen("new", "Council approves the tram line", "--site", str(site)).stdout.strip()
    )
    assert again != path and again.is_file()
    assert run_newsgen("check", "--site", str(site)).returncode == 0


def test_a_new_seed_is_a_draft_and_its_placeholder_never_publishes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    path = Path(
        run_newsgen("new", "Council approves the tram line", "--site", str(site)).stdout.strip()
    )
    assert "draft: true" in path.read_text(encoding="utf-8")
    check = run_newsgen("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    assert f"{path.name}:8: warning: the body is still the placeholder" in check.stderr
    # Nothing else to publish: the site would be empty, which a build allows only when asked.
    build = run_newsgen("build", "--site", str(site), "--drafts", "--allow-shrink")
    assert build.returncode == 0 and "placeholder" in build.stderr
    assert not list((site / "output").rglob("council-approves-the-tram-line*"))

    written = path.read_text(encoding="utf-8").replace(
        "Write the article here, in Markdown.", "The council approved the line on **Monday**."
    )
    path.write_text(written, encoding="utf-8")
    check = run_newsgen("check", "--site", str(site))
    assert f"{path.name}:6: info: draft: true, so it is not published" in check.stderr
    run_newsgen("build", "--site", str(site))
    assert not list((site / "output").rglob("council-approves-the-tram-line*"))

    path.write_text(written.replace("draft: true", "draft: false"), encoding="utf-8")
    assert "draft" not in run_newsgen("check", "--site", str(site)).stderr
    run_newsgen("build", "--site", str(site))
    pages = list((site / "output").rglob("council-approves-the-tram-line*/index.html"))
    assert len(pages) == 1
    assert "<strong>Monday</strong>" in pages[0].read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = make_parser()
    subparsers = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    for name, command in subparsers.choices.items():
        text = command.format_help()
        assert re.search(r"examples?:", text), f"`newsgen {name}` has no example in its help"
        assert f"newsgen {name}" in readme, f"`newsgen {name}` is not in README.md"
        result = run_newsgen(name, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout
