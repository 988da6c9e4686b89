"""A site built by a schedule nobody watches: no blank site, no moving URL, no early article."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgen.build import build
from newsgen.guard import ShrinkError
from newsgen.models import SiteConfig
from newsgen.readers.firstdates import parse_git_log
from newsgen.render import pages
from newsgen.render.pages import Renderer
from newsgen.site import make_site

GIT = ["git", "-c", "user.name=Someone", "-c", "user.email=someone@example.org"]


def seed(site: Path, name: str, title: str, date: str | None = None, extra: str = "") -> Path:
    path = site / "seeds" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    dated = f"date: {date}\n" if date else ""
    path.write_text(f"---\ntitle: {title}\n{dated}{extra}---\nThe council met today.\n")
    return path


def quick_build(site: Path, **options: object) -> None:
    build(site, search=False, jobs=1, quiet=True, **options)  # type: ignore[arg-type]


def newsgen(site: Path, *args: str, now: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"NEWSGEN_NOW": now} if now else {})}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args, "--site", str(site)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- never publish less by accident -----------------------------------------------------------


def test_a_mistyped_seeds_folder_exits_1_and_keeps_the_site(tmp_path: Path) -> None:
    seed(tmp_path, "a.md", "Tram line approved", "2026-01-05")
    assert newsgen(tmp_path, "build", "--no-search").returncode == 0
    before = files(tmp_path / "output")
    result = newsgen(tmp_path, "build", "--no-search", "--seeds", str(tmp_path / "seedz"))
    assert result.returncode == 1
    assert "seedz does not exist" in result.stderr
    assert "output/ was left as it was" in result.stderr
    assert files(tmp_path / "output") == before


def test_an_empty_seeds_folder_needs_allow_shrink(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    with pytest.raises(ShrinkError, match="no article to publish"):
        quick_build(tmp_path)
    assert not (tmp_path / "output").exists()
    quick_build(tmp_path, allow_shrink=True)
    assert (tmp_path / "output" / "index.html").is_file()


def test_losing_more_than_half_the_articles_needs_allow_shrink(tmp_path: Path) -> None:
    for day in range(1, 5):
        seed(tmp_path, f"{day}.md", f"Story number {day}", f"2026-01-0{day}")
    quick_build(tmp_path)
    before = files(tmp_path / "output")
    for day in range(1, 4):
        (tmp_path / "seeds" / f"{day}.md").unlink()
    with pytest.raises(ShrinkError, match="publish 1 articles where the last one published 4"):
        quick_build(tmp_path)
    assert files(tmp_path / "output") == before
    quick_build(tmp_path, allow_shrink=True)  # meant: and now 1 is the site to compare with
    assert not (tmp_path / "output" / "2026" / "01" / "01").exists()


def test_the_workflow_never_allows_a_shrink() -> None:
    workflows = Path(__file__).parents[1] / ".github" / "workflows"
    examples = Path(__file__).parents[1] / "docs"
    texts = [p.read_text() for p in [*workflows.glob("*.yml"), *examples.rglob("*.yml")]]
    texts += [p.read_text() for p in examples.rglob("*.toml")]
    # The doc names the option in prose; no command it shows passes it.
    commands = [line for line in (examples / "publishing.md").read_text().splitlines()
                if "newsgen build" in line and not line[:1].isalpha()]  # fmt: skip
    assert commands
    assert all("--allow-shrink" not in text for text in texts + commands)


# --- time -------------------------------------------------------------------------------------


def test_a_future_article_waits_for_its_time(tmp_path: Path) -> None:
    seed(tmp_path, "now.md", "Budget passed", "2026-03-01T09:00:00+00:00")
    seed(tmp_path, "later.md", "Embargoed report", "2026-03-02T09:00:00+00:00")
    before = newsgen(tmp_path, "build", "--no-search", now="2026-03-01T12:00:00+00:00")
    assert before.returncode == 0, before.stderr
    assert not (tmp_path / "output" / "2026" / "03" / "02").exists()
    assert "Embargoed" not in (tmp_path / "output" / "feed.xml").read_text()
    checked = newsgen(tmp_path, "check", now="2026-03-01T12:00:00+00:00")
    assert "later.md:1: info: dated 2026-03-02T09:00:00+00:00, in the future" in checked.stderr
    # Nothing else changed, but the time has come: the next scheduled build publishes it.
    after = newsgen(tmp_path, "build", "--no-search", now="2026-03-02T10:00:00+00:00")
    assert after.returncode == 0, after.stderr
    assert (tmp_path / "output" / "2026" / "03" / "02" / "embargoed-report").is_dir()
    assert "Embargoed" in (tmp_path / "output" / "feed.xml").read_text()


def test_future_shows_it_now(tmp_path: Path) -> None:
    seed(tmp_path, "later.md", "Embargoed report", "2999-01-01")
    quick_build(tmp_path, future=True)
    assert (tmp_path / "output" / "2999" / "01" / "01" / "embargoed-report").is_dir()


# --- URLs that never move ---------------------------------------------------------------------


def test_git_log_is_read_oldest_add_last() -> None:
    out = b"\x001700000200\x00\nnew.md\x00a b.md\x00\x001700000100\x00\na b.md\x00"
    assert parse_git_log(out) == {"new.md": 1700000200, "a b.md": 1700000100}


def git(cwd: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, **({"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {})}
    done = subprocess.run([*GIT, *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_undated_seed_takes_its_commit_date_in_every_clone(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    (origin / "seeds").mkdir(parents=True)
    (origin / "seeds" / "note.txt").write_text("Harbour works begin\n\nThe harbour closes.\n")
    git(origin, "init", "--quiet", "--initial-branch=main")
    git(origin, "add", ".")
    git(origin, "commit", "--quiet", "-m", "A note", when="2026-02-03T10:00:00+00:00")
    pages_seen = []
    for number in range(2):  # two fresh clones, different mtimes, no cache: the same URL
        clone = tmp_path / f"clone{number}"
        git(tmp_path, "clone", "--quiet", str(origin), str(clone))
        quick_build(clone)
        pages_seen.append(sorted(p.parent.name for p in clone.glob("output/2*/*/*/*/index.html")))
        assert (clone / "output" / "2026" / "02" / "03").is_dir()
    assert pages_seen[0] == pages_seen[1] == ["harbour-works-begin"]


def test_an_uncommitted_undated_seed_keeps_its_first_seen_date(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "note.txt").write_text("Harbour works begin\n\nThe harbour closes.\n")
    result = newsgen(tmp_path, "build", "--no-search", now="2026-04-01T08:00:00+00:00")
    assert result.returncode == 0, result.stderr
    os.utime(tmp_path / "seeds" / "note.txt")  # as a checkout would
    newsgen(tmp_path, "build", "--no-search", now="2026-04-09T08:00:00+00:00")
    assert (tmp_path / "output" / "2026" / "04" / "01" / "harbour-works-begin").is_dir()
    assert not (tmp_path / "output" / "2026" / "04" / "09").exists()
    assert "note.txt" in json.loads((tmp_path / ".newsgen" / "first-seen.json").read_text())


def test_a_title_edit_keeps_the_url_and_a_slug_edit_leaves_a_redirect(tmp_path: Path) -> None:
    seed(tmp_path, "tram.md", "Council approves tram", "2026-01-05")
    quick_build(tmp_path, base_url="https://example.org/news/")
    old = tmp_path / "output" / "2026" / "01" / "05" / "council-approves-tram" / "index.html"
    record = tmp_path / ".newsgen" / "permalinks.pickle"
    recorded = record.stat()
    seed(tmp_path, "tram.md", "Council approves the new tram line", "2026-01-05")
    quick_build(tmp_path, base_url="https://example.org/news/")
    assert "the new tram line" in old.read_text()
    # Nothing moved: the record of URLs is not written again.
    assert (record.stat().st_ino, record.stat().st_mtime_ns) == (
        recorded.st_ino,
        recorded.st_mtime_ns,
    )
    seed(tmp_path, "tram.md", "Council approves the new tram line", "2026-01-05", "slug: tram\n")
    quick_build(tmp_path, base_url="https://example.org/news/")
    moved = pickle.loads(record.read_bytes())["moved"]
    assert "2026/01/05/council-approves-tram/" in moved  # the move, recorded
    moved = tmp_path / "output" / "2026" / "01" / "05" / "tram" / "index.html"
    assert "the new tram line" in moved.read_text()
    redirect = old.read_text()
    target = "https://example.org/news/2026/01/05/tram/"
    assert f'<link rel="canonical" href="{target}">' in redirect
    assert '<meta http-equiv="refresh" content="0; url=/news/2026/01/05/tram/">' in redirect
    assert "<script" not in redirect
    sitemap = (tmp_path / "output" / "sitemap.xml").read_text()
    assert target in sitemap and "council-approves-tram" not in sitemap
    # Kept by every later build, even one with nothing to do with it.
    seed(tmp_path, "other.md", "Another story", "2026-01-06")
    quick_build(tmp_path, base_url="https://example.org/news/")
    assert "tram/" in old.read_text()


def test_a_newcomer_never_takes_a_published_url(tmp_path: Path) -> None:
    seed(tmp_path, "z.md", "Floods", "2026-01-05")
    quick_build(tmp_path)
    first = tmp_path / "output" / "2026" / "01" / "05" / "floods" / "index.html"
    assert "z.md" not in first.read_text()  # sanity: the page is the article's
    seed(tmp_path, "a.md", "Floods", "2026-01-05")  # sorts first, would have taken `floods`
    (tmp_path / "seeds" / "a.md").write_text(
        "---\ntitle: Floods\ndate: 2026-01-05\n---\nA second report, from upriver.\n"
    )
    quick_build(tmp_path)
    assert "upriver" not in first.read_text()
    assert "upriver" in (first.parent.parent / "floods-2" / "index.html").read_text()


# --- publishing -------------------------------------------------------------------------------


def test_no_base_url_warns_and_robots_names_no_relative_sitemap(tmp_path: Path) -> None:
    seed(tmp_path, "a.md", "Tram line approved", "2026-01-05")
    result = newsgen(tmp_path, "build", "--no-search")
    assert "newsgen.yaml:1: warning: site.base_url is '/', not an absolute URL" in result.stderr
    assert "Sitemap:" not in (tmp_path / "output" / "robots.txt").read_text()
    result = newsgen(tmp_path, "build", "--no-search", "--base-url", "https://example.org/")
    assert "base_url" not in result.stderr
    robots = (tmp_path / "output" / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_an_earlier_versions_json_record_of_urls_is_read_and_replaced(tmp_path: Path) -> None:
    seed(tmp_path, "tram.md", "Council approves tram", "2026-01-05")
    quick_build(tmp_path)
    state = tmp_path / ".newsgen"
    record = pickle.loads((state / "permalinks.pickle").read_bytes())
    (state / "permalinks.json").write_text(json.dumps(record))  # as earlier versions kept it
    (state / "permalinks.pickle").unlink()
    seed(tmp_path, "tram.md", "Council approves the new tram line", "2026-01-05")
    quick_build(tmp_path)
    page = tmp_path / "output" / "2026" / "01" / "05" / "council-approves-tram" / "index.html"
    assert "the new tram line" in page.read_text()  # the URL the JSON record held
    assert not (state / "permalinks.json").exists()
    assert pickle.loads((state / "permalinks.pickle").read_bytes()) == record


def test_a_sitemap_past_the_limit_becomes_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(1, 8):
        seed(tmp_path, f"{day}.md", f"Story number {day}", f"2026-01-0{day}")
    from newsgen.readers.parse import read_seeds

    articles = read_seeds(tmp_path / "seeds", timezone=__import__("zoneinfo").ZoneInfo("UTC"))
    site = make_site(articles.articles, SiteConfig(base_url="https://example.org/"))
    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 10)
    renderer = Renderer(site, tmp_path)
    jobs = {job.path: job for job in renderer.plan()}
    count = len(renderer.sitemap_paths())
    parts = sorted(path for path in jobs if re.fullmatch(r"sitemap-\d+\.xml", path))
    assert len(parts) == -(-count // 10) >= 2
    index = renderer.render(jobs["sitemap.xml"]).data.decode()
    assert "<sitemapindex" in index
    assert all(f"<loc>https://example.org/{part}</loc>" in index for part in parts)
    urls = [
        url
        for part in parts
        for url in re.findall(r"<loc>(.*?)</loc>", renderer.render(jobs[part]).data.decode())
    ]
    assert len(urls) == len(set(urls)) == count


def test_sitemap_files_keep_their_articles_as_new_ones_come_and_old_ones_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 10)
    for day in range(1, 26):
        seed(tmp_path, f"{day:02d}.md", f"Harbour report {day}", f"2026-01-{day:02d}")
    quick_build(tmp_path, base_url="https://example.org/")
    output = tmp_path / "output"
    before = {path.name: path.read_bytes() for path in output.glob("sitemap-*.xml")}
    assert len(before) >= 3
    seed(tmp_path, "26.md", "Harbour report 26", "2026-01-26")
    quick_build(tmp_path, base_url="https://example.org/")
    after = {path.name: path.read_bytes() for path in output.glob("sitemap-*.xml")}
    # 25 articles, oldest first: the first two files hold 20 of them, and keep their bytes;
    # the third holds the newest and the site's other pages.
    assert [after[name] == before[name] for name in ("sitemap-1.xml", "sitemap-2.xml")] == [
        True,
        True,
    ]
    assert after["sitemap-3.xml"] != before["sitemap-3.xml"]
    urls = [url for data in after.values() for url in re.findall(rb"<loc>(.*?)</loc>", data)]
    assert len(urls) == len(set(urls))
    assert b"https://example.org/2026/01/26/harbour-report-26/" in after["sitemap-3.xml"]
    assert b"https://example.org/2026/01/01/harbour-report-1/" in after["sitemap-1.xml"]
    # The oldest leave, as retention takes them: the files keep their numbers, the oldest
    # holds fewer, and one left with none goes.
    for day in range(1, 4):
        (tmp_path / "seeds" / f"{day:02d}.md").unlink()
    quick_build(tmp_path, base_url="https://example.org/", allow_shrink=True)
    retired = {path.name: path.read_bytes() for path in output.glob("sitemap-*.xml")}
    assert retired["sitemap-2.xml"] == before["sitemap-2.xml"]
    assert len(re.findall(rb"<loc>", retired["sitemap-1.xml"])) == 7
    for day in range(4, 11):
        (tmp_path / "seeds" / f"{day:02d}.md").unlink()
    quick_build(tmp_path, base_url="https://example.org/", allow_shrink=True)
    assert not (output / "sitemap-1.xml").exists()
    assert (output / "sitemap-2.xml").read_bytes() == before["sitemap-2.xml"]
    index = (output / "sitemap.xml").read_text()
    assert "sitemap-1.xml" not in index and "sitemap-2.xml" in index


# --- warm builds in a fresh checkout ----------------------------------------------------------


def test_a_fresh_checkout_with_the_cache_restored_parses_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgen.readers import cache as parse_cache

    site = tmp_path / "site"
    for day in range(1, 6):
        seed(site, f"{day}.md", f"Story number {day}", f"2026-01-0{day}")
    quick_build(site)
    parsed: list[str] = []
    real = parse_cache._parse_all

    def counting(files, timezone, jobs):  # type: ignore[no-untyped-def]
        parsed.extend(rel for _, rel, _ in files)
        return real(files, timezone, jobs)

    monkeypatch.setattr(parse_cache, "_parse_all", counting)
    clone = tmp_path / "clone"  # every file rewritten: new times, as a checkout leaves them
    shutil.copytree(site / "seeds", clone / "seeds")
    # As the CI cache keeps it: without the hidden spare folder a detached process may still fill.
    shutil.copytree(site / ".newsgen", clone / ".newsgen", ignore=shutil.ignore_patterns(".*"))
    later = time.time() + 3600
    for path in (clone / "seeds").iterdir():
        os.utime(path, (later, later))
    quick_build(clone)
    assert parsed == []
    story = clone / "seeds" / "3.md"
    story.write_text(story.read_text().replace("today", "TODAY"))  # same size, new bytes
    quick_build(clone)
    assert parsed == ["3.md"]
    assert (
        "TODAY"
        in (clone / "output" / "2026" / "01" / "03" / "story-number-3" / "index.html").read_text()
    )
