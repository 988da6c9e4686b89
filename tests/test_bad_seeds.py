"""Every kind of broken seed, through the real command line, in one site with good files.

Each bad input gets a `path:line: level: message` that says what to do, or is skipped silently
where a person expects that (hidden files, editor backups); every good file is still built,
nothing is written outside output/, and nothing takes unbounded time or memory.
docs/bad-input.md is the table of what each input gets.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from conftest import run_newsgen, tree_digest
from newsgen.readers.parse import parse_seed_text

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

GOOD_FM = "---\ntitle: {title}\ndate: {date}\ntags: [world]\n---\n<p>{body}</p>\n"


def fm(title: str, date: str, extra: str = "", body: str = "Body text.") -> str:
    """A front-matter seed with `extra` lines of YAML."""
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n<p>{body}</p>\n"


def fm_raw(title: str, date: str, body: str) -> str:
    """A front-matter seed whose body (from line 5) is exactly `body`."""
    return f"---\ntitle: {title}\ndate: {date}\n---\n{body}"


@dataclass(frozen=True)
class Case:
    """One seed file; `expect` is every (line, level, words in the message) `check` must print."""

    path: str
    data: str | bytes
    expect: tuple[tuple[int, str, str], ...] = ()
    page: str | None = None  # the article page it must give, under output/
    words: str = ""  # text that page must show


HEADERS = "date 2025-02-{day:02d} {title}\n\n{body}\n"
NESTED_LIST = "".join("    " * depth + "- item\n" for depth in range(400))
DEEP_QUOTE = "> " * 270 + "quote\n"

LOOP_MSG = "is a broken link or a link loop; fix the link or delete it"
SLUG_MSG = "the slug is made from the title"
ALIASES = "".join(f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in pairwise("abcdefghi"))

CASES = [
    # Good files of each format: built, silently.
    Case(
        "good-frontmatter.md",
        GOOD_FM.format(title="Harbour reopens", date="2025-01-01", body="The harbour reopened."),
        page="2025/01/01/harbour-reopens",
        words="harbour reopened",
    ),
    Case(
        "good-header.txt",
        HEADERS.format(day=1, title="Bridge closes", body="The bridge shut."),
        page="2025/02/01/bridge-closes",
        words="The bridge shut.",
    ),
    Case(
        "nested/folder/2025-03-01-market.txt",
        "Night market opens\n\nStalls opened late.\n",
        expect=((1, "info", "inferred"),),
        page="2025/03/01/night-market-opens",
    ),
    # Broken front matter: an error naming the line and the fix; the file gives no article.
    Case(
        "unterminated.md",
        "---\ntitle: Never closed\ndate: 2025-01-02\n\n<p>Body</p>\n",
        expect=((1, "error", "front matter is not closed: add a line of three dashes"),),
    ),
    Case(
        "bad-yaml.md",
        "---\ntitle: [unclosed\ndate: 2025-01-02\n---\n<p>x</p>\n",
        expect=(
            (3, "error", "not valid YAML (did not find expected ',' or ']' in a flow sequence"),
            (3, "error", "that starts on line 2); put quotes around values"),
        ),
    ),
    Case(
        "colon-in-title.md",
        "---\ntitle: Vote: yes\ndate: 2025-01-02\n---\n<p>x</p>\n",
        expect=((2, "error", "mapping values are not allowed"), (2, "error", "put quotes")),
    ),
    Case(
        "list-not-mapping.md",
        "---\n- a\n- b\n---\nbody\n",
        expect=((2, "error", "front matter must be `key: value` lines; write each field as"),),
    ),
    Case(
        "tab-indent.md",
        "---\ntitle: Tabs\n\tdate: 2025-01-02\n---\nbody\n",
        expect=((3, "error", "not valid YAML (found a tab character"), (3, "error", "not tabs")),
    ),
    Case(
        "python-tag.md",
        "---\ntitle: !!python/object/apply:os.system [echo]\n---\nbody\n",
        expect=((2, "error", "could not determine a constructor"), (2, "error", "remove the `!`")),
    ),
    Case(
        "deep-yaml.md",
        "---\ntags: " + "[" * 50_000 + "]" * 50_000 + "\n---\nbody\n",
        expect=((2, "error", "nested too deeply; write flat `key: value` lines"),),
    ),
    # Wrong types: a warning naming the key and what to write; the article is still built.
    Case(
        "tags-int.md",
        fm("Tags five", "2025-01-03", "tags: 5\n"),
        expect=((4, "warning", "`tags: 5` is not valid: write a list such as [world, europe]"),),
        page="2025/01/03/tags-five",
    ),
    Case(
        "date-someday.md",
        fm("Someday story", "someday"),
        expect=(
            (3, "warning", "`date: 'someday'` is not valid: write a date such as 2025-12-31"),
            (1, "info", "no date; "),
        ),
    ),
    Case(
        "date-impossible.md",
        fm("February thirtieth", "2025-02-30"),
        expect=((3, "warning", "`date: '2025-02-30'` is not valid"), (1, "info", "no date; ")),
    ),
    Case(
        "date-year-99999.md",
        fm("Far future", "99999-01-01"),
        expect=((3, "warning", "is not valid: write a date"), (1, "info", "no date; ")),
    ),
    Case(
        "date-offset.md",
        fm("Bad offset", "2025-01-04T10:00:00+25:00"),
        expect=((3, "warning", "is not valid: write a date"), (1, "info", "no date; ")),
    ),
    Case(
        "title-list.md",
        fm_raw("[a, b]", "2025-01-05", "<p>Mayor opens the bridge.</p>\n"),
        expect=((2, "warning", "write a single line of text"), (1, "info", "no title; ")),
        page="2025/01/05/mayor-opens-the-bridge",
    ),
    Case(
        "draft-maybe.md",
        fm("Draft maybe", "2025-01-05", "draft: maybe\n"),
        expect=((4, "warning", "write true or false"),),
        page="2025/01/05/draft-maybe",
    ),
    Case(
        "image-js.md",
        fm("Image script", "2025-01-05", "image: 'javascript:alert(1)'\n"),
        expect=((4, "warning", "an http:// or https:// address"),),
        page="2025/01/05/image-script",
    ),
    Case(
        "typo-key.md",
        fm("Typo key", "2025-01-05", "titel: Other\n"),
        expect=(
            (4, "warning", "front matter key `titel` is not one newsgen reads"),
            (4, "warning", "did you mean `title`?"),
        ),
        page="2025/01/05/typo-key",
    ),
    Case(
        "alias-bomb.md",
        fm(
            "Laughs",
            "2025-01-05",
            "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + ALIASES + "tags: *i\n",
        ),
        expect=(
            *(  # kept as article.params up to a size; the rest are too big
                (line, "warning", f"`{key}: [[[") for line, key in enumerate("defghi", 7)
            ),
            (
                13,
                "warning",
                "`tags: [[[...], [...], [...], [...], ...], [[...], [...], [...], [...], ...]",
            ),
        ),
        page="2025/01/05/laughs",
    ),
    # Encodings and line ends.
    Case(
        "bom.md",
        b"\xef\xbb\xbf" + fm("With BOM", "2025-01-06", body="BOM body.").encode(),
        page="2025/01/06/with-bom",
        words="BOM body.",
    ),
    Case(
        "utf16.txt",
        HEADERS.format(day=2, title="Sixteen bits", body="Kyiv’s café.").encode("utf-16"),
        page="2025/02/02/sixteen-bits",
        words="Kyiv’s café.",
    ),
    Case(
        "utf16-no-bom.txt",
        HEADERS.format(day=3, title="No mark", body="Zürich café.").encode("utf-16-le"),
        expect=((1, "warning", "UTF-16 without a byte-order mark; read as UTF-16. Re-save"),),
        page="2025/02/03/no-mark",
        words="Zürich café.",
    ),
    Case(
        "latin1.txt",
        HEADERS.format(day=4, title="Latin one", body="Line.\nA café in Zürich.").encode("latin-1"),
        expect=(
            (4, "warning", "not valid UTF-8; read as Windows-1252. Re-save the file as UTF-8"),
        ),
        page="2025/02/04/latin-one",
        words="café in Zürich",
    ),
    Case(
        "cp1252.txt",
        HEADERS.format(day=5, title="Smart quotes", body="He said “yes” – twice.").encode("cp1252"),
        expect=((3, "warning", "read as Windows-1252"),),
        page="2025/02/05/smart-quotes",
        words="“yes” – twice",
    ),
    Case(
        "crlf.md",
        fm("Windows lines", "2025-01-07", body="CRLF body.").replace("\n", "\r\n"),
        page="2025/01/07/windows-lines",
        words="CRLF body.",
    ),
    Case(
        "cr-only.txt",
        HEADERS.format(day=6, title="Old Mac", body="CR body.").replace("\n", "\r"),
        page="2025/02/06/old-mac",
        words="CR body.",
    ),
    # Not articles at all.
    Case("empty.md", "", expect=((1, "warning", "the file is empty"),)),
    Case(
        "blank.txt",
        "\n \t\n\u00a0\n",
        expect=((1, "warning", "write an article or delete the file"),),
    ),
    Case(
        "photo.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        expect=((3, "error", "binary file (it contains NUL bytes), not a text article; move it"),),
    ),
    Case(
        "header-no-body.txt",
        "date 2025-02-07 Headline only\n",
        expect=((1, "error", "has a header line but no text; write the body under it"),),
    ),
    Case(
        "header-bad-date.txt",
        HEADERS.format(day=30, title="Bad header date", body="Text."),
        expect=((1, "warning", "`2025-02-30` is not a real date"),),
    ),
    Case(
        "only-source-links.txt",
        "Source link\n\nSource link\n",
        expect=((1, "warning", "has `Source link` lines but no article text; write the articles"),),
    ),
    # Letters that look like mojibake to a careless repair, but are Romanian and French.
    Case(
        "diacritics.txt",
        HEADERS.format(day=8, title="Cât costă pâinea", body="Le bât blesse, said Trâm."),
        page="2025/02/08/cat-costa-painea",
        words="Cât costă pâinea",
    ),
    # Hidden files, editor backups and lock files: skipped without a word.
    Case(".hidden.md", fm("Hidden", "2025-01-08")),
    Case("backup.md~", fm("Tilde backup", "2025-01-08")),
    Case(".story.md.swp", b"b0VIM 8.2\x00\x00" + bytes(100)),
    Case("story.md.swp", fm("Swap", "2025-01-08")),
    Case("#autosave.md#", fm("Autosave", "2025-01-08")),
    Case("story.md.bak", fm("Bak", "2025-01-08")),
    Case("story.md.orig", fm("Orig", "2025-01-08")),
    Case("~$report.docx", b"owner file"),
    Case(".git/config", "[core]\n"),
    Case("folder/.DS_Store", b"\x00\x00\x00\x01Bud1"),
    # Slugs and titles that try to leave output/: a safe slug, and a warning for a bad `slug:`.
    Case(
        "slug-climb.md",
        fm("Climb out", "2025-01-11", "slug: ../../../etc/passwd\n"),
        expect=((4, "warning", "`slug: '../../../etc/passwd'` is not valid: write lower-case"),),
        page="2025/01/11/climb-out",
    ),
    Case(
        "slug-absolute.md",
        fm("Absolute", "2025-01-12", "slug: /etc/passwd\n"),
        expect=((4, "warning", SLUG_MSG),),
        page="2025/01/12/absolute",
    ),
    Case(
        "slug-backslash.md",
        fm("Backslash", "2025-01-12", "slug: 'C:\\Windows\\x'\n"),
        expect=((4, "warning", SLUG_MSG),),
        page="2025/01/12/backslash",
    ),
    Case(
        "slug-nul.md",
        fm("Nul slug", "2025-01-13", 'slug: "a\\0b"\n'),
        expect=((4, "warning", SLUG_MSG),),
        page="2025/01/13/nul-slug",
    ),
    Case(
        "slug-symbols.md",
        fm("Only symbols", "2025-01-13", "slug: ✈✈\n"),
        expect=((4, "warning", SLUG_MSG),),
        page="2025/01/13/only-symbols",
    ),
    Case(
        "slug-unicode.md",
        fm("Unicode slug", "2025-01-14", "slug: Привет мир\n"),
        page="2025/01/14/privet-mir",
    ),
    Case("slug-in-title.md", fm("../../etc/passwd", "2025-01-15"), page="2025/01/15/etc-passwd"),
    Case(
        "slug-huge.md",
        fm("Huge slug", "2025-01-15", f"slug: {'very-long-' * 500}end\n"),
        page="2025/01/15/" + ("very-long-" * 12).rstrip("-"),
    ),
    Case(
        "tags-hostile.md",
        fm("Hostile tags", "2025-01-16", "tags: ['../../x', '/etc', 'a\\0b', '#']\n"),
        page="2025/01/16/hostile-tags",
    ),
    # Twins: the same title on the same day get `-2` in path order (SPEC), without a word.
    Case(
        "twin-a.md",
        fm("Twin story", "2025-01-17", body="First twin."),
        page="2025/01/17/twin-story",
        words="First twin.",
    ),
    Case(
        "twin-b.md",
        fm("Twin story", "2025-01-17", body="Second twin."),
        page="2025/01/17/twin-story-2",
        words="Second twin.",
    ),
    # Bodies that would take a converter minutes or its whole stack: plain text and a warning.
    Case(
        "md-brackets.md",
        fm_raw("Brackets", "2025-01-18", "[" * 20_000 + "\n"),
        page="2025/01/18/brackets",
    ),
    Case(
        "md-nested-list.md",
        fm_raw("Nested list", "2025-01-18", NESTED_LIST),
        expect=((5, "warning", "the Markdown body is nested too deeply to convert; it is shown"),),
        page="2025/01/18/nested-list",
    ),
    Case(
        "md-deep-quote.md",
        fm_raw("Deep quote", "2025-01-18", DEEP_QUOTE),
        expect=(
            (5, "warning", "the HTML body nests 270 elements deep; it is shown as plain text"),
        ),
        page="2025/01/18/deep-quote",
        words="quote",
    ),
    Case(
        "html-nested.md",
        fm_raw("Nested divs", "2025-01-18", "<div>" * 50_000 + "deep"),
        expect=((5, "warning", "the HTML body nests 50000 elements deep; it is shown as plain"),),
        page="2025/01/18/nested-divs",
        words="deep",
    ),
]

DIAGNOSTIC = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): (?P<level>error|warning|info): (?P<msg>.+)$"
)
ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*/index\.html$")
DATE_FOLDERS = re.compile(r"^(\d{4}(/\d{2}(/\d{2})?)?/)?(page/\d+/)?index\.html$")


def write_case(seeds: Path, case: Case) -> None:
    path = seeds / case.path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = case.data.encode("utf-8") if isinstance(case.data, str) else case.data
    path.write_bytes(data)


def add_awkward_paths(seeds: Path) -> None:
    """Deep folders, link loops, broken links, a FIFO and a file name that is not UTF-8."""
    deep = seeds.joinpath("deep", *(f"d{level:02d}" for level in range(60)))
    deep.mkdir(parents=True)
    (deep / "bottom.md").write_text(fm("Sixty folders down", "2025-01-20"), encoding="utf-8")
    (seeds / "loop").mkdir()
    (seeds / "loop" / "up").symlink_to("..")
    (seeds / "self-link.md").symlink_to("self-link.md")
    (seeds / "ping.md").symlink_to("pong.md")
    (seeds / "pong.md").symlink_to("ping.md")
    (seeds / "dangling.md").symlink_to("nowhere.md")
    (seeds / "outside.md").symlink_to(seeds.parent / "secret.md")
    (seeds.parent / "secret.md").write_text(fm("Secret", "2025-01-21"), encoding="utf-8")
    os.mkfifo(seeds / "pipe.md")
    (seeds / os.fsdecode(b"caf\xe9.md")).write_text(
        fm("Latin name", "2025-01-22"), encoding="utf-8"
    )


DEEP = "deep/" + "/".join(f"d{level:02d}" for level in range(60)) + "/bottom.md"
AWKWARD = [
    (DEEP, (), "2025/01/20/sixty-folders-down"),
    ("loop/up", ((1, "info", "links to a file or folder already read; skipped"),), None),
    ("self-link.md", ((1, "warning", LOOP_MSG),), None),
    ("ping.md", ((1, "warning", LOOP_MSG),), None),
    ("pong.md", ((1, "warning", LOOP_MSG),), None),
    ("dangling.md", ((1, "warning", LOOP_MSG),), None),
    (
        "outside.md",
        ((1, "warning", "links to a path outside seeds/, which is not followed; copy"),),
        None,
    ),
    ("pipe.md", (), None),
    ("caf\\udce9.md", (), "2025/01/22/latin-name"),
]


@dataclass(frozen=True)
class Run:
    site: Path
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    seconds: float

    def diagnostics(self, which: str) -> dict[str, list[tuple[int, str, str]]]:
        found: dict[str, list[tuple[int, str, str]]] = {}
        for line in getattr(self, which).stderr.splitlines():
            match = DIAGNOSTIC.match(line)
            if match:
                entry = (int(match["line"]), match["level"], match["msg"])
                found.setdefault(match["path"], []).append(entry)
        return found


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A site holding every bad input and the good files, checked and built once."""
    site = tmp_path_factory.mktemp("bad") / "site"
    seeds = site / "seeds"
    seeds.mkdir(parents=True)
    for case in CASES:
        write_case(seeds, case)
    add_awkward_paths(seeds)
    before = tree_digest(site.parent)
    started = time.perf_counter()
    checked = run_newsgen("check", "--site", str(site))
    built = run_newsgen("build", "--site", str(site), "--no-search")
    seconds = time.perf_counter() - started
    after = tree_digest(site.parent)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert all(path.startswith(("site/output/", "site/.newsgen/")) for path in changed), changed
    return Run(site, checked, built, seconds)


def expected_by_path() -> dict[str, tuple[tuple[int, str, str], ...]]:
    expected = {case.path: case.expect for case in CASES}
    expected.update({path: expect for path, expect, _ in AWKWARD})
    return expected


@pytest.mark.parametrize("path", list(expected_by_path()))
def test_each_input_gets_the_diagnostic_it_deserves(bad_site: Run, path: str) -> None:
    expected = expected_by_path()[path]
    got = bad_site.diagnostics("check").get(path, [])
    for line, level, words in expected:
        assert any((n, lv) == (line, level) and words in msg for n, lv, msg in got), (path, got)
    serious = {(n, lv) for n, lv, _ in got if lv in ("error", "warning")}
    assert serious == {(n, lv) for n, lv, _ in expected if lv in ("error", "warning")}, got


def test_every_message_names_a_fix(bad_site: Run) -> None:
    """Each error and warning says what to write or do, not only what is wrong."""
    fixes = re.compile(
        r"\b(write|add|quote|re-save|delete|move|copy|fix|split|flatten|is made|is ignored"
        r"|is inferred|put quotes|did you mean|indent|remove)\b",
        re.IGNORECASE,
    )
    for path, found in bad_site.diagnostics("check").items():
        for _, level, message in found:
            if level in ("error", "warning"):
                assert fixes.search(message), f"{path}: {message}"


def test_no_diagnostic_names_a_path_that_is_not_in_seeds(bad_site: Run) -> None:
    known = set(expected_by_path())
    assert set(bad_site.diagnostics("check")) <= known


@pytest.mark.parametrize(
    ("page", "words"),
    [(case.page, case.words) for case in CASES if case.page]
    + [(page, "") for _, _, page in AWKWARD if page],
)
def test_every_good_article_is_built(bad_site: Run, page: str, words: str) -> None:
    html = (bad_site.site / "output" / page / "index.html").read_text(encoding="utf-8")
    assert words in html


def test_skipped_inputs_give_no_page(bad_site: Run) -> None:
    output = bad_site.site / "output"
    pages = {p.relative_to(output).as_posix() for p in output.rglob("index.html")}
    slugs = {page.split("/")[3] for page in pages if ARTICLE_PAGE.match(page)}
    wanted = {
        page.rsplit("/", 1)[1]
        for page in [case.page for case in CASES] + [p for *_, p in AWKWARD]
        if page
    }
    # Files whose date is not valid are placed on their modification day: built all the same.
    undated = {"someday-story", "february-thirtieth", "far-future", "bad-offset", "bad-header-date"}
    assert slugs == wanted | undated


def test_every_output_path_is_a_safe_page_inside_output(bad_site: Run) -> None:
    output = bad_site.site / "output"
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        assert not path.is_symlink() and ".." not in relative.split("/")
        assert all(len(part.encode()) <= 255 for part in relative.split("/"))
        assert re.fullmatch(r"[A-Za-z0-9._/-]+", relative), relative


def test_build_exits_0_and_prints_the_same_problems_as_check(bad_site: Run) -> None:
    assert bad_site.build.returncode == 0, bad_site.build.stderr
    assert "Traceback" not in bad_site.build.stderr + bad_site.check.stderr
    serious = {
        (path, line, level, msg)
        for path, found in bad_site.diagnostics("check").items()
        for line, level, msg in found
        if level in ("error", "warning")
    }
    printed = {
        (path, line, level, msg)
        for path, found in bad_site.diagnostics("build").items()
        for line, level, msg in found
        if path != "newsgen.yaml"  # the build's own note on the config (no base_url), not a seed's
    }
    assert printed == serious


def test_check_exits_1_when_any_seed_has_an_error(bad_site: Run) -> None:
    assert bad_site.check.returncode == 1
    errors = sum(any(level == "error" for _, level, _ in case.expect) for case in CASES)
    assert f" {errors} errors, " in bad_site.check.stdout


def test_the_whole_site_is_checked_and_built_in_bounded_time(bad_site: Run) -> None:
    assert bad_site.seconds < 60


def test_check_exits_0_on_warnings_only(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.md").write_text(fm("Tags five", "2025-01-03", "tags: 5\n"), encoding="utf-8")
    result = run_newsgen("check", "--site", str(tmp_path))
    assert result.returncode == 0
    assert "a.md:4: warning: `tags: 5` is not valid" in result.stderr


def test_strict_build_exits_1_and_leaves_the_last_good_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    seeds = site / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "good.md").write_text(fm("Good one", "2025-01-01"), encoding="utf-8")
    assert run_newsgen("build", "--site", str(site), "--no-search", "--strict").returncode == 0
    output = site / "output"
    before, inode = tree_digest(output), output.stat().st_ino
    (seeds / "good.md").write_text(fm("Good one", "2025-01-01", body="Changed."), encoding="utf-8")
    (seeds / "bad.md").write_text(fm("Bad one", "someday"), encoding="utf-8")
    result = run_newsgen("build", "--site", str(site), "--no-search", "--strict")
    assert result.returncode == 1
    assert "bad.md:3: warning: `date: 'someday'` is not valid" in result.stderr
    assert "--strict: stopped on the warnings above; output/ was left as it was" in result.stderr
    assert tree_digest(output) == before and output.stat().st_ino == inode
    assert not (site / ".newsgen/.output.staging").exists()
    (seeds / "bad.md").unlink()
    assert run_newsgen("build", "--site", str(site), "--no-search", "--strict").returncode == 0
    assert "Changed." in (output / "2025/01/01/good-one/index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_seed_is_an_error_and_the_rest_is_built(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.md").write_text(fm("Readable", "2025-01-01"), encoding="utf-8")
    locked = seeds / "locked.md"
    locked.write_text(fm("Locked", "2025-01-02"), encoding="utf-8")
    locked.chmod(0)
    result = run_newsgen("build", "--site", str(tmp_path), "--no-search")
    assert result.returncode == 0
    assert (
        "locked.md:1: error: cannot read the file (Permission denied); check its permissions"
        in result.stderr
    )
    assert (tmp_path / "output/2025/01/01/readable/index.html").is_file()


def run_measured(tmp_path: Path, *args: str) -> tuple[int, str, str, float, int]:
    """Run the CLI; return its exit code, stdout, stderr, wall seconds and peak memory in MB."""
    out, err, measure = (tmp_path / n for n in ("stdout.txt", "stderr.txt", "usage.txt"))
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        started = time.perf_counter()
        # Spawned by a small Python in between: a process's peak memory counts the peak of the
        # one that spawned it, and this test runner has held every site the suite has built.
        process = subprocess.Popen(
            [sys.executable, "-c", _SPAWN, str(measure), "-m", "newsgen", *args],
            stdout=stdout, stderr=stderr,
        )  # fmt: skip
        watchdog = threading.Timer(120, process.kill)
        watchdog.start()
        process.wait()
        watchdog.cancel()
    seconds = time.perf_counter() - started
    code, peak = map(int, measure.read_text(encoding="utf-8").split())
    text = (out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))
    return code, *text, seconds, peak // 1024


_SPAWN = """
import os, sys
pid = os.posix_spawn(sys.executable, [sys.executable, *sys.argv[2:]], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def test_a_50_mb_seed_is_refused_at_once(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.md").write_text(fm("Small one", "2025-01-01"), encoding="utf-8")
    with open(seeds / "huge.txt", "wb") as handle:  # sparse: the size is all that is read
        handle.truncate(50 * 1024 * 1024)
    code, stdout, stderr, seconds, peak = run_measured(tmp_path, "check", "--site", str(tmp_path))
    assert code == 1
    assert "huge.txt:1: error: the file is 52 MB; split it or move it out of seeds/" in stderr
    assert "1 article, 1 error," in stdout
    assert seconds < 20 and peak < 200


def test_a_5_mb_plain_text_seed_parses_in_bounded_time_and_memory(tmp_path: Path) -> None:
    paragraph = "The council met on Monday and said the plan, costing 5 million, will go ahead. "
    text = "Council approves the plan\n\n" + "\n\n".join([paragraph * 4] * 16_000)
    assert len(text) > 5_000_000
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2025-01-01-long.txt").write_text(text, encoding="utf-8")
    code, stdout, stderr, seconds, peak = run_measured(tmp_path, "check", "--site", str(tmp_path))
    assert code == 0, stderr
    assert "1 article, 0 errors, 0 warnings" in stdout
    assert seconds < 60 and peak < 1024


HOSTILE_BODIES = {
    "unmatched brackets": "[" * 20_000,
    "unmatched image links": "![a" * 10_000,
    "unclosed link targets": "[a](" * 10_000,
    "deep blockquote": ">" * 10_000 + " quote",
    "deep list": NESTED_LIST,
    "deep divs": "<div>" * 100_000 + "x",
    "deep spans": "<p>" + "<span>" * 100_000,
}


@pytest.mark.parametrize("body", list(HOSTILE_BODIES.values()), ids=list(HOSTILE_BODIES))
def test_hostile_bodies_parse_in_bounded_time(body: str) -> None:
    started = time.perf_counter()
    articles, _ = parse_seed_text(
        f"---\ntitle: Hostile\ndate: 2025-01-01\n---\n{body}\n",
        rel_path="hostile.md",
        timezone=ZoneInfo("UTC"),
        mtime=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert [article.title for article in articles] == ["Hostile"]
    # A guard against a blow-up, not a speed test (bench/ measures speed): each takes well
    # under a second, and a parse quadratic in the nesting would take hours.
    assert time.perf_counter() - started < 30


def test_fetch_reads_past_broken_seeds(feed_server: FeedServer, tmp_path: Path) -> None:
    """Fetch reads every seed's `link:` to skip known items: a broken seed must not stop it."""
    known, new = "https://news.example/known", "https://news.example/new"
    items = "".join(f"<item><title>Story {n}</title><link>{link}</link></item>"
                    for n, link in enumerate((known, new)))  # fmt: skip
    url = feed_server.add("feed.xml", f"<rss version='2.0'><channel>{items}</channel></rss>")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "typo.md").write_text(fm("Known", "2025-02-30", f"link: {known}\n"), encoding="utf-8")
    (seeds / "deep.md").write_text("---\ntags: " + "[" * 60_000 + "\n---\nx\n", encoding="utf-8")
    result = run_newsgen("fetch", "--site", str(tmp_path), "--feed", url, "--quiet")
    assert result.returncode == 0, result.stderr
    fetched = [path for path in seeds.rglob("*.md") if path.name not in ("typo.md", "deep.md")]
    assert [path.read_text(encoding="utf-8").count(new) for path in fetched] == [1]
