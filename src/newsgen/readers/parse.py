"""The parse stage: every file in `seeds/` becomes frozen `Article` values, or a diagnostic.

    read_seeds(seeds_dir)          walk the folder, read and decode each file (the only disk I/O)
      decode_seed_bytes(data)      UTF-8 / UTF-16 / Windows-1252, binary files refused
      parse_seed_text(text)        pure: the first of FORMATS whose detect says yes reads it
        front matter  -> frontmatter.py      (`---` YAML `---`, HTML or Markdown body)
        header line   -> headerline.py       (`date YYYY-MM-DD Title`, plain-text body)
        dump          -> dump.py             (articles each ended by `Source link`)
        Markdown      -> markdown.py         (`# Title`, `**bold**`, `[text](url)`, no front matter)
        pasted page   -> pasted.py           (a whole web page copied as text: chrome dropped)
        plain text    -> plaintext.py        (title and date inferred)

One bad file, or one bad article in a file, is reported and the rest goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers import dump, frontmatter, headerline, markdown, pasted, plaintext
from newsgen.readers.formats import SeedFormat, SeedText
from newsgen.readers.listing import seed_files
from newsgen.text.charsets import codec_name, detect_legacy
from newsgen.text.language import detect_language

# The seed formats, asked in this order; the first whose `detect` says yes reads the seed.
FORMATS: tuple[SeedFormat, ...] = (
    frontmatter.FORMAT,
    headerline.FORMAT,
    dump.FORMAT,
    markdown.FORMAT,
    pasted.FORMAT,
    plaintext.FORMAT,
)

MAX_SEED_BYTES = 20 * 1024 * 1024  # a seed larger than this is not an article someone wrote


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a seeds folder gave: its articles in path order, and every problem found on the way."""

    articles: tuple[Article, ...]
    diagnostics: tuple[Diagnostic, ...]
    seeds: int = 0  # seed files read, from the files or from a cache
    parsed: int = 0  # of those, the ones parsed now: the rest came from a cache
    # What the cache held for the seeds parsed again: the articles as the last build read them.
    earlier: tuple[Article, ...] = ()


def read_seeds(
    seeds_dir: Path,
    *,
    timezone: ZoneInfo,
    include_drafts: bool = False,
    first_seen: Callable[[str], datetime] | None = None,
    detect: bool = True,
) -> ParseResult:
    """Parse every seed file under `seeds_dir`, in sorted path order; drafts only when asked.

    `first_seen` gives the date a seed first appeared (see firstdates.py), the reference for
    one that states no date; without it, the file's modification time. Without `detect`, an
    article whose seed states no language is left without one: `check` needs no languages, and
    the detector's model takes about 100 MB of memory.
    """
    if not seeds_dir.is_dir():
        message = "the seeds folder does not exist; create it or pass --seeds DIR"
        return ParseResult((), (Diagnostic(str(seeds_dir), 1, "error", message),))
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    seeds = 0
    for path, refusal in seed_files(seeds_dir):
        rel_path = path.relative_to(seeds_dir).as_posix()
        if refusal:
            diagnostics.append(Diagnostic(rel_path, 1, *refusal))
            continue
        first = first_seen(rel_path) if first_seen else None
        found, notes = read_seed_file(path, rel_path, timezone, first, detect=detect)
        seeds += 1
        diagnostics.extend(notes)
        articles.extend(article for article in found if include_drafts or not article.draft)
    return ParseResult(tuple(articles), tuple(diagnostics), seeds, seeds)


def read_seed_file(
    path: Path,
    rel_path: str,
    timezone: ZoneInfo,
    first_seen: datetime | None = None,
    *,
    detect: bool = True,
) -> tuple[list[Article], list[Diagnostic]]:
    """Read and parse one seed; `first_seen` dates it if it states no date (else its mtime)."""
    loaded = load_seed(path, rel_path)
    if isinstance(loaded, Diagnostic):
        return [], [loaded]
    data, mtime = loaded
    return parse_seed_bytes(data, rel_path, timezone, first_seen or mtime, detect=detect)


def load_seed(path: Path, rel_path: str) -> tuple[bytes, datetime] | Diagnostic:
    """A seed's bytes and modification time, or why they cannot be read.

    The file is opened once and asked its size through the open file: opening is the dearest
    step of reading a small file, and a first build of a large site reads every seed.
    """
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_size > MAX_SEED_BYTES:
                megabytes = stat.st_size // 1_000_000
                message = f"the file is {megabytes} MB; split it or move it out of seeds/"
                return Diagnostic(rel_path, 1, "error", message)
            data = handle.read()
    except OSError as exc:
        message = f"cannot read the file ({exc.strerror or exc}); check its permissions"
        return Diagnostic(rel_path, 1, "error", message)
    return data, datetime.fromtimestamp(stat.st_mtime, tz=UTC)


def parse_seed_bytes(
    data: bytes, rel_path: str, timezone: ZoneInfo, mtime: datetime, *, detect: bool = True
) -> tuple[list[Article], list[Diagnostic]]:
    """Decode and parse one seed's bytes; `mtime` dates it if it states no date."""
    text, notes = decode_seed_bytes(data, rel_path)
    if any(note.level == "error" for note in notes):
        return [], notes
    articles, more = parse_seed_text(
        text, rel_path=rel_path, timezone=timezone, mtime=mtime, detect=detect
    )
    return articles, notes + more


def parse_seed_text(
    text: str, *, rel_path: str, timezone: ZoneInfo, mtime: datetime, detect: bool = True
) -> tuple[list[Article], list[Diagnostic]]:
    """Detect the format of one seed's text and read its articles; touches no disk.

    With `detect`, an article whose seed states no language gets the one its text is in.
    """
    seed = SeedText(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    for seed_format in FORMATS:
        if seed_format.detect(seed):
            articles, diagnostics = seed_format.read(
                seed, rel_path=rel_path, timezone=timezone, mtime=mtime
            )
            # In the site's zone, as every page shows them: done here, where it is cached, not
            # on every build.
            articles = [article.in_zone(timezone) for article in articles]
            if detect:
                articles = [with_language(article) for article in articles]
            return articles, diagnostics
    raise AssertionError("plain text, the last format, reads any text")


def with_language(article: Article) -> Article:
    """The article with the language its seed states, or else the one its text is written in."""
    if article.language:
        return article
    detected = detect_language(article.title, article.body_html or article.summary)
    return article.with_language(detected) if detected else article


def decode_seed_bytes(data: bytes, rel_path: str) -> tuple[str, list[Diagnostic]]:
    """Decode a seed: UTF-8 (BOM or not), UTF-16 with a BOM, else a detected legacy encoding
    (KOI8-R, Shift_JIS, ...) or Windows-1252, with a warning."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), []
            except UnicodeDecodeError as exc:
                return "", [_undecodable(rel_path, data, exc.start, codec)]
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            message = "UTF-16 without a byte-order mark; read as UTF-16. Re-save the file as UTF-8"
            return text, [Diagnostic(rel_path, 1, "warning", message)]
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        message = "binary file (it contains NUL bytes), not a text article; move it out of seeds/"
        return "", [Diagnostic(rel_path, line, "error", message)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    detected = detect_legacy(data)
    if detected is not None:
        name = codec_name(detected)
        message = f"not valid UTF-8; read as {name} (detected). Re-save the file as UTF-8"
        return data.decode(detected, errors="replace"), [
            Diagnostic(rel_path, line, "warning", message)
        ]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes have no Windows-1252 meaning; Latin-1 maps every byte, so it never fails.
        text = data.decode("latin-1")
    message = "not valid UTF-8; read as Windows-1252. Re-save the file as UTF-8 to be sure"
    return text, [Diagnostic(rel_path, line, "warning", message)]


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """Read text saved as UTF-16 without a byte-order mark, where it clearly is that.

    Mostly-Latin text in UTF-16 has a NUL as every other byte and none in between; a binary
    file that happens to look so still fails on decoding or shows control characters.
    """
    if len(data) % 2:
        return None
    for codec, low, high in (
        ("utf-16-le", data[0::2], data[1::2]),
        ("utf-16-be", data[1::2], data[0::2]),
    ):
        if b"\x00" in low or high.count(0) < len(high) // 2:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            return None
        return None if _CONTROL.search(text) else text
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _undecodable(rel_path: str, data: bytes, offset: int, codec: str) -> Diagnostic:
    line = data.count(b"\n", 0, offset) + 1
    message = f"the file starts with a {codec} byte-order mark but is not valid {codec}; re-save it"
    return Diagnostic(rel_path, line, "error", message)
