"""Reading a seeds folder: walking, skipping, decoding, and going on after bad files."""

from __future__ import annotations

import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import REPO
from newsgen import frontmatter
from newsgen.readers.parse import decode_seed_bytes, read_seeds

TZ = ZoneInfo("UTC")
ARTICLE = "date 2025-11-03 {title}\n\nThe council approved the plan on Monday.\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_walks_any_depth_in_sorted_order_and_skips_hidden_and_backups(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.txt", "a/b/c.md", "a.txt"):
        write(tmp_path / name, ARTICLE.format(title=f"Story {name}"))
    for name in (".hidden.txt", ".git/config", "x.txt~", ".x.txt.swp", "#x.txt#", "y.swp"):
        write(tmp_path / name, ARTICLE.format(title="Skipped"))
    result = read_seeds(tmp_path, timezone=TZ)
    assert [a.seed_path for a in result.articles] == ["a/b/c.md", "a/z.txt", "a.txt", "b.txt"]
    assert result.diagnostics == ()


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", ARTICLE.format(title="First"))
    write(tmp_path / "2.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "3.md", "---\ntitle: [unclosed\n---\nx")
    write(tmp_path / "4.txt", ARTICLE.format(title="Last"))
    result = read_seeds(tmp_path, timezone=TZ)
    assert [a.title for a in result.articles] == ["First", "Last"]
    errors = [d for d in result.diagnostics if d.level == "error"]
    assert [d.path for d in errors] == ["2.txt", "3.md"]
    assert "binary" in errors[0].message


def test_drafts_only_when_asked(tmp_path: Path) -> None:
    write(tmp_path / "d.md", "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\nx")
    assert read_seeds(tmp_path, timezone=TZ).articles == ()
    assert len(read_seeds(tmp_path, timezone=TZ, include_drafts=True).articles) == 1


def test_links_outside_and_loops_are_not_followed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write(seeds / "inside/a.txt", ARTICLE.format(title="Inside"))
    write(tmp_path / "secret.txt", ARTICLE.format(title="Secret"))
    (seeds / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (seeds / "inside/loop").symlink_to(seeds / "inside")
    (seeds / "up").symlink_to(tmp_path)
    result = read_seeds(seeds, timezone=TZ)
    assert [a.title for a in result.articles] == ["Inside"]
    messages = {d.path: d.message for d in result.diagnostics}
    assert "outside seeds/" in messages["outside.txt"]
    assert "outside seeds/" in messages["up"]
    assert "already read" in messages["inside/loop"]


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = read_seeds(tmp_path / "nope", timezone=TZ)
    assert result.articles == () and result.diagnostics[0].level == "error"


def test_mtime_dates_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path / "note.txt", "Quiet day\n\nNothing happened at all.")
    stamp = time.mktime((2025, 6, 7, 12, 0, 0, 0, 0, -1))
    os.utime(path, (stamp, stamp))
    [article] = read_seeds(tmp_path, timezone=TZ).articles
    assert article.date.date().isoformat() == "2025-06-07"
    assert not article.explicit_date


TEXT = "Kyiv’s café — naïve"


@pytest.mark.parametrize(
    ("data", "level"),
    [
        (TEXT.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), None),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), None),
        (TEXT.encode("cp1252"), "warning"),
    ],
)
def test_decode_seed_bytes(data: bytes, level: str | None) -> None:
    text, notes = decode_seed_bytes(data, "x.txt")
    assert text == TEXT
    assert [note.level for note in notes] == ([level] if level else [])


def test_decode_names_the_line_of_the_first_bad_byte() -> None:
    text, notes = decode_seed_bytes(b"ok\nok\ncaf\xe9 \x81\n", "x.txt")
    assert text == "ok\nok\ncafé \x81\n"
    assert notes[0].line == 3 and "UTF-8" in notes[0].message


def test_binary_is_refused() -> None:
    text, notes = decode_seed_bytes(b"GIF89a\x00\x01", "img.gif")
    assert text == "" and notes[0].level == "error" and "move it out" in notes[0].message


def test_front_matter_is_read_by_libyaml_and_a_thousand_seeds_parse(tmp_path: Path) -> None:
    # Speed is bench/'s to measure; what keeps front matter fast is the C loader, several
    # times the pure-Python one: check that it is the one used.
    assert yaml.__with_libyaml__ and issubclass(frontmatter._CLoader, yaml.CSafeLoader)
    item = (
        "---\ntitle: 'Item {n}'\ndate: 2025-12-{day:02d}T10:00:00Z\nsource: https://f.example/rss\n"
        "categories: [Example]\ntags: [world, europe]\nlink: https://example.org/{n}\n---\n"
        "<p>Paragraph one of item {n}, with <a href='/x'>a link</a>.</p><p>Two.</p>\n"
    )
    count = 1000
    for n in range(count):
        write(tmp_path / f"{n:05d}.md", item.format(n=n, day=n % 28 + 1))
    result = read_seeds(tmp_path, timezone=TZ)
    assert len(result.articles) == count and result.diagnostics == ()
    assert [a.title for a in result.articles[:2]] == ["Item 0", "Item 1"]


def test_the_repository_sample_has_one_seed_per_format() -> None:
    result = read_seeds(REPO / "seeds", timezone=ZoneInfo("Europe/Berlin"))
    assert [d.level for d in result.diagnostics] == ["info", "info", "info"]
    by_file = {}
    for article in result.articles:
        by_file.setdefault(article.seed_path, []).append(article)
    assert {path: len(found) for path, found in by_file.items()} == {
        "2025-11-05-night-market.txt": 1,  # plain text
        "2025-11-08-weekly-roundup.txt": 2,  # dump
        "ferry-service-resumes.txt": 1,  # front matter + HTML
        "library-opening-hours.md": 1,  # front matter + Markdown
        "orchard-harvest.txt": 1,  # header line
    }


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("koi8-r", "Правительство объявило о новых мерах поддержки экономики.\n\n"
         "Министр финансов заявил, что бюджет будет исполнен в срок."),
        ("shift_jis", "政府は新しい経済対策を発表しました。\n\n"
         "財務大臣は予算が予定通り執行されると述べました。"),
    ],
)  # fmt: skip
def test_legacy_encodings_of_seeds_are_detected(encoding: str, text: str) -> None:
    decoded, [note] = decode_seed_bytes(text.encode(encoding), "x.txt")
    assert decoded == text
    assert note.level == "warning" and "(detected)" in note.message
