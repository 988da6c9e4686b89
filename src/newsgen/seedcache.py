"""Read seeds fast: reuse what the last build parsed, and parse the rest on every core.

The cache in `.newsgen/parse-cache.pickle` maps each seed file to its size, modification time
and parsed articles. A file whose size and time are unchanged is not read again; deleting the
cache only makes the next build slower. Its key includes the time zone and the newsgen version,
since both change what parsing produces.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen import __version__
from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.output import write_atomic
from newsgen.parse import ParseResult, read_seed_file, seed_files
from newsgen.renderpool import default_jobs

CACHE_NAME = "parse-cache.pickle"
MIN_FILES_PER_WORKER = 500  # fewer than this parse faster in one process than across a fork
CHUNK = 200

Parsed = tuple[list[Article], list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class _Entry:
    size: int
    mtime_ns: int
    parsed: Parsed


def read_seeds_cached(
    seeds_dir: Path,
    *,
    timezone: ZoneInfo,
    include_drafts: bool = False,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> ParseResult:
    """`parse.read_seeds`, with results reused from `cache_dir` and misses parsed in parallel."""
    if not seeds_dir.is_dir():
        message = "the seeds folder does not exist; create it or pass --seeds DIR"
        return ParseResult((), (Diagnostic(str(seeds_dir), 1, "error", message),))
    cache_key = (__version__, str(timezone))
    cache = _load(cache_dir, cache_key)
    listed = seed_files(seeds_dir)
    fresh: dict[str, _Entry] = {}
    misses: list[tuple[Path, str, int, int]] = []
    for path, refusal in listed:
        if refusal:
            continue
        rel_path = path.relative_to(seeds_dir).as_posix()
        try:
            stat = path.stat()
        except OSError:
            misses.append((path, rel_path, -1, -1))  # read_seed_file reports why
            continue
        entry = cache.get(rel_path)
        if entry and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            fresh[rel_path] = entry
        else:
            misses.append((path, rel_path, stat.st_size, stat.st_mtime_ns))
    for (_, rel_path, size, mtime_ns), parsed in zip(
        misses, _parse_all([(p, r) for p, r, _, _ in misses], timezone, jobs), strict=True
    ):
        fresh[rel_path] = _Entry(size, mtime_ns, parsed)
    if cache_dir is not None and (misses or set(cache) != set(fresh)):
        _save(cache_dir, cache_key, fresh)
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    for path, refusal in listed:  # in the same order as read_seeds, so results are identical
        rel_path = path.relative_to(seeds_dir).as_posix()
        if refusal:
            diagnostics.append(Diagnostic(rel_path, 1, *refusal))
            continue
        found, notes = fresh[rel_path].parsed
        diagnostics.extend(notes)
        articles.extend(a for a in found if include_drafts or not a.draft)
    return ParseResult(tuple(articles), tuple(diagnostics))


_pending: tuple[Sequence[tuple[Path, str]], ZoneInfo] | None = None  # inherited by forked workers


def _parse_range(bounds: tuple[int, int]) -> list[Parsed]:
    assert _pending is not None, "workers are forked from _parse_all"
    files, timezone = _pending
    return [read_seed_file(path, rel, timezone) for path, rel in files[bounds[0] : bounds[1]]]


def _parse_all(
    files: Sequence[tuple[Path, str]], timezone: ZoneInfo, jobs: int | None
) -> list[Parsed]:
    global _pending
    workers = min(jobs or default_jobs(), max(1, len(files) // MIN_FILES_PER_WORKER))
    if workers <= 1:
        return [read_seed_file(path, rel, timezone) for path, rel in files]
    ranges = [(start, min(start + CHUNK, len(files))) for start in range(0, len(files), CHUNK)]
    _pending = (files, timezone)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [parsed for chunk in pool.imap(_parse_range, ranges) for parsed in chunk]
    finally:
        _pending = None


def _load(cache_dir: Path | None, key: tuple[str, str]) -> dict[str, _Entry]:
    if cache_dir is None:
        return {}
    try:
        with open(cache_dir / CACHE_NAME, "rb") as handle:
            stored_key, entries = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}  # missing, from another version, or damaged: parse everything again
    return entries if stored_key == key and isinstance(entries, dict) else {}


def _save(cache_dir: Path, key: tuple[str, str], entries: dict[str, _Entry]) -> None:
    write_atomic(
        cache_dir / CACHE_NAME, pickle.dumps((key, entries), protocol=pickle.HIGHEST_PROTOCOL)
    )
