"""Help texts, messages and the README say what the commands do, in plain, correct words."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, make_site, run_newsgen

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_feeds_help_has_one_example_section() -> None:
    result = run_newsgen("feeds", "--help")
    assert result.returncode == 0
    assert len(re.findall(r"^examples?:", result.stdout, re.MULTILINE)) == 1
    for command in ("import", "export", "list"):
        assert f"newsgen feeds {command}" in result.stdout


def test_the_readme_documents_fetch_jobs_and_feeds_list_shard() -> None:
    rows = {
        line.split("|")[1].strip(): line
        for line in README.splitlines()
        if line.startswith("| `newsgen ")
    }
    assert "`--jobs N`" in rows["`newsgen fetch`"]
    assert "`--shard I/N`" in rows["`newsgen feeds list`"]
    assert "`--bind ADDR`" in rows["`newsgen serve`"] and "`--port N`" in rows["`newsgen serve`"]


def test_the_readme_says_what_the_browser_tests_need() -> None:
    assert "npm ci --prefix tests/browser" in README and "chromium" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "npm ci --prefix tests/browser" in ci and "chromium" in ci


def test_check_quiet_prints_no_info_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "seeds" / "untitled.md").write_text("---\ndate: 2025-03-04\n---\n<p>No title.</p>\n")
    loud = run_newsgen("check", "--site", str(site))
    assert ": info: " in loud.stderr  # there is something to keep quiet about
    assert loud.stdout == "1 article, 0 errors, 0 warnings\n"
    quiet = run_newsgen("check", "--site", str(site), "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "seeds" / "a.md").write_text("---\ntitle: One\ndate: 2025-03-04\n---\n<p>One.</p>\n")
    built = run_newsgen("build", "--site", str(site), "--no-search")
    assert built.stdout.startswith("1 article, ") and "1 articles" not in built.stdout
    (site / "seeds" / "b.md").write_text("---\ntitle: Two\ndate: 2025-03-05\n---\n<p>Two.</p>\n")
    assert run_newsgen("check", "--site", str(site)).stdout.startswith("2 articles, ")
