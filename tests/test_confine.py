"""Links out of the site folder in static/, seeds/ and templates/ are never read into output/.

The build runs as a user runs it, in a fresh interpreter whose environment holds a secret, so
`/proc/self/environ` really is the builder's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import settled

SECRET = "confine-secret-7f3a9c"  # in the builder's environment
BESIDE = "beside-the-site-91d2e4"  # in a file next to the site folder

OUTSIDE_TARGETS = {
    "passwd": Path("/etc/passwd"),
    "environ": Path("/proc/self/environ"),
}


def build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSGEN_TEST_TOKEN": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", "build", *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def output_bytes(site: Path) -> bytes:
    return b"\n".join(
        path.read_bytes() for path in sorted((site / "output").rglob("*")) if path.is_file()
    )


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_links_out_of_the_site_are_reported_and_never_published(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for folder in ("seeds", "static", "templates"):
        (site / folder).mkdir(parents=True)
    beside = tmp_path / "beside.txt"
    beside.write_text(f"{BESIDE}\n", encoding="utf-8")
    (tmp_path / "outside-folder").mkdir()
    (tmp_path / "outside-folder" / "key.txt").write_text(BESIDE, encoding="utf-8")
    targets = {**OUTSIDE_TARGETS, "beside": beside}
    (site / "seeds" / "good.md").write_text(
        "---\ntitle: Harbour reopens\ndate: 2025-03-01\n---\n<p>Ships are back.</p>\n",
        encoding="utf-8",
    )
    (site / "notes.txt").write_text("inside the site\n", encoding="utf-8")
    (site / "static" / "notes.txt").symlink_to(site / "notes.txt")  # inside: copied
    links = []
    for name, target in targets.items():
        for folder, path in (
            ("static", f"{name}.txt"),
            ("seeds", f"{name}.md"),
            ("templates", f"{name}.html"),
        ):
            (site / folder / path).symlink_to(target)
            links.append(f"{folder}/{path}" if folder != "seeds" else path)
    # Links that replace built-in templates by name, and a folder out of the site.
    (site / "templates" / "base.html").symlink_to("/etc/passwd")
    (site / "templates" / "article.html").symlink_to("/proc/self/environ")
    (site / "static" / "away").symlink_to(tmp_path / "outside-folder")
    links += ["templates/base.html", "templates/article.html", "static/away"]

    result = build(site)
    assert result.returncode == 0, result.stderr
    for link in links:
        assert f"{link}:1: warning: links to " in result.stderr, (link, result.stderr)
        assert "outside" in result.stderr
    published = output_bytes(site)
    assert b"Harbour reopens" in published  # the good seed, with the built-in templates
    assert (site / "output" / "notes.txt").read_text(encoding="utf-8") == "inside the site\n"
    assert SECRET.encode() not in published
    assert BESIDE.encode() not in published
    passwd_first_line = Path("/etc/passwd").read_bytes().split(b"\n", 1)[0]
    assert passwd_first_line and passwd_first_line not in published
    assert not (site / "output" / "away").exists()

    strict = build(settled(site), "--strict")
    assert strict.returncode == 1
    assert "static/environ.txt:1: warning" in strict.stderr


def test_a_seeds_folder_that_is_a_link_out_of_the_site_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "private.md").write_text(
        f"---\ntitle: {BESIDE}\ndate: 2025-03-01\n---\n<p>{BESIDE}</p>\n", encoding="utf-8"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "seeds").symlink_to(elsewhere)
    result = build(site)
    assert "seeds:1: warning: links to " in result.stderr, result.stderr
    assert BESIDE.encode() not in output_bytes(site)
