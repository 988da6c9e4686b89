"""Read seeds fast: reuse what the last build parsed, and parse the rest on every core.

The cache in `.newsgen/parse-cache/` maps each seed file to a digest of its bytes, its first-seen
date (firstdates.py) and its parsed articles. Entries are keyed by content, not by modification
time, so a fresh checkout (a CI run with `.newsgen/` restored) reuses every one: a file whose
size and time are as recorded is not even read, any other is read and hashed, and parsed again
only if its bytes changed. Deleting the cache only makes the next build slower. Its key
includes the time zone and the newsgen version, since both change what parsing produces. It is
split into shards by file name, and a build rewrites only the shards whose files changed: one
edited seed costs one small write, not the whole cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from newsgen import clock
from newsgen.atomicwrite import write_atomic_with
from newsgen.collector import paused
from newsgen.cores import default_jobs
from newsgen.errors import Diagnostic
from newsgen.mapped import map_scattered, write_in_pieces
from newsgen.models import Article
from newsgen.paths import PARSE_CACHE
from newsgen.readers.firstdates import FirstDates
from newsgen.readers.listing import ListedSeed, list_seeds
from newsgen.readers.parse import ParseResult, load_seed, parse_seed_bytes, with_language
from newsgen.text.language import detector_identity, load_model
from newsgen.version import code_digest
from newsgen.workers import forked_workers, map_forked

# What makes an article from a seed: a change to any of it makes the cached articles stale.
READER_CODE = ("readers", "text", "models", "frontmatter", "errors")
CACHE_FORMAT = 7  # bump when what a shard holds, or which shard holds a seed, changes
# Files of the cache, by a hash of each seed's path. A build rewrites the files of the seeds that
# changed, so more and smaller files make an edit's cost follow the edit; they are also the most
# slices `newsgen parse --shard` can cut an archive into.
SHARDS = 256
MIN_FILES_PER_WORKER = 500  # fewer than this parse faster in one process than across a fork
CHUNK = 200
_DIGEST_SIZE = 16

Parsed = tuple[list[Article], list[Diagnostic]]


class _Entry(NamedTuple):  # a tuple: pickled at C speed, unlike a slotted dataclass
    size: int
    mtime_ns: int
    digest: bytes  # of the file's bytes: what makes the entry valid in another checkout
    first_seen: int  # the reference date an undated seed is given (firstdates.py)
    parsed: Parsed


def read_seeds_cached(
    seeds_dir: Path,
    *,
    timezone: ZoneInfo,
    include_drafts: bool = False,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    listed: Sequence[ListedSeed] | None = None,
    first_dates: FirstDates | None = None,
) -> ParseResult:
    """`parse.read_seeds`, with results reused from `cache_dir` and misses parsed in parallel.

    `listed` is the result of `list_seeds(seeds_dir)` when the caller has it already;
    `first_dates` dates the seeds that state no date (by default, from `cache_dir`'s record).
    """
    if not seeds_dir.is_dir():
        return ParseResult((), (_no_seeds_folder(seeds_dir),))
    if listed is None:
        listed = list_seeds(seeds_dir)
    if first_dates is None:
        first_dates = FirstDates(seeds_dir, cache_dir, clock.now())
        first_dates.settle([seed.rel_path for seed in listed if not seed.refusal])
        first_dates.save()
    refreshed = _refresh(listed, timezone, cache_dir, jobs, first_dates, range(SHARDS))
    if cache_dir is not None:
        _drop_strays(cache_dir)
    fresh = refreshed.entries
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    for seed in listed:  # in the same order as read_seeds, so results are identical
        if seed.refusal:
            diagnostics.append(Diagnostic(seed.rel_path, 1, *seed.refusal))
            continue
        found, notes = fresh[seed.rel_path].parsed
        diagnostics.extend(notes)
        articles.extend(a for a in found if include_drafts or not a.draft)
    return ParseResult(
        tuple(articles), tuple(diagnostics), len(fresh), refreshed.parsed, refreshed.earlier
    )


@dataclass(frozen=True, slots=True)
class FilledSlice:
    """What `fill_slice` did: the seeds of the slice, how many it parsed, what they said."""

    seeds: int
    parsed: int
    shards: tuple[int, ...]  # the cache files the slice owns, by number
    diagnostics: tuple[Diagnostic, ...]


def slice_shards(index: int, count: int) -> tuple[int, ...]:
    """The cache files that slice `index` of `count` (1-based, as `--shard I/N`) owns.

    A seed's cache file comes from its path, so the slices of one archive never share a file:
    each job of a matrix writes its own, and the files are put together by copying.
    """
    if not 1 <= index <= count <= SHARDS:
        raise ValueError(f"a slice is I/N with 1 <= I <= N <= {SHARDS}, not {index}/{count}")
    return tuple(shard for shard in range(SHARDS) if shard % count == index - 1)


def fill_slice(
    seeds_dir: Path,
    *,
    timezone: ZoneInfo,
    cache_dir: Path,
    shards: Sequence[int],
    jobs: int | None = None,
    listed: Sequence[ListedSeed],
    first_dates: FirstDates,
) -> FilledSlice:
    """Parse the seeds that fall in the cache files `shards` into the cache, and only those.

    What a build would parse, parsed ahead by another process or machine: the build that
    follows, finding the same seeds, code and time zone, reuses every entry.
    """
    if not seeds_dir.is_dir():
        return FilledSlice(0, 0, tuple(shards), (_no_seeds_folder(seeds_dir),))
    owned = set(shards)
    mine = [seed for seed in listed if _shard(seed.rel_path) in owned]
    refreshed = _refresh(mine, timezone, cache_dir, jobs, first_dates, owned)
    notes: list[Diagnostic] = []
    for seed in mine:
        if seed.refusal:
            notes.append(Diagnostic(seed.rel_path, 1, *seed.refusal))
        else:
            notes.extend(refreshed.entries[seed.rel_path].parsed[1])
    return FilledSlice(
        seeds=sum(not seed.refusal for seed in mine),
        parsed=refreshed.parsed,
        shards=tuple(sorted(owned)),
        diagnostics=tuple(notes),
    )


class _Refreshed(NamedTuple):
    entries: dict[str, _Entry]  # every listed seed's entry, reused or parsed now
    parsed: int  # how many seeds were parsed now
    earlier: tuple[Article, ...] = ()  # the cached articles of the seeds parsed now


def _refresh(
    listed: Sequence[ListedSeed],
    timezone: ZoneInfo,
    cache_dir: Path | None,
    jobs: int | None,
    first_dates: FirstDates,
    shards: Iterable[int],
) -> _Refreshed:
    """An entry for every listed seed, from the cache files `shards` where still valid, else
    parsed; the files that changed are written back. `listed` holds only seeds of `shards`."""
    cache_key = (CACHE_FORMAT, code_digest(*READER_CODE), detector_identity(), str(timezone))
    with paused():  # unpickling makes every cached article, and no garbage
        cache = _load(cache_dir, cache_key, shards)
    fresh: dict[str, _Entry] = {}
    misses = []
    moved = set()  # entries still valid, found again under a new size or time: saved again
    for seed in listed:
        if seed.refusal:
            continue
        entry = cache.get(seed.rel_path)
        first = first_dates.timestamp(seed.rel_path)
        if entry is None or entry.first_seen != first or seed.size != entry.size:
            misses.append(seed)
        elif seed.mtime_ns == entry.mtime_ns:
            fresh[seed.rel_path] = entry
        elif _file_digest(seed.path) == entry.digest:
            fresh[seed.rel_path] = entry._replace(mtime_ns=seed.mtime_ns)
            moved.add(seed.rel_path)
        else:
            misses.append(seed)
    # Seeds enough to pay for a fork are parsed by workers even on one core (`--jobs 1`): they
    # write the cache files themselves, so this process holds the bodies as views of the files,
    # not as strings.
    workers = forked_workers(
        len(misses), jobs or default_jobs(), MIN_FILES_PER_WORKER, MIN_FILES_PER_WORKER
    )
    # Gone from the folder, found stale, or found again under a new time: a checkout that only
    # changed times (a fresh clone) is saved once, so the next build skips reading the files.
    changed = {m.rel_path for m in misses} | moved
    # `fresh` holds entries of `cache` only: of the others, those not missed are of seeds gone.
    if len(fresh) + sum(m.rel_path in cache for m in misses) != len(cache):
        changed |= cache.keys() - fresh.keys()
    earlier = tuple(_cached_articles(cache, misses))
    if cache_dir is not None and workers:
        _parse_into_files(
            cache_dir, cache_key, fresh, misses, changed, timezone, first_dates, workers
        )
        return _Refreshed(fresh, len(misses), earlier)
    parsed_misses = _parse_all(
        [(m.path, m.rel_path, first_dates.date(m.rel_path)) for m in misses], timezone, workers
    )
    for seed, (digest, parsed) in zip(misses, parsed_misses, strict=True):
        fresh[seed.rel_path] = _entry(seed, digest, parsed, first_dates)
    if cache_dir is not None:
        _save(cache_dir, cache_key, fresh, {_shard(path) for path in changed})
    return _Refreshed(fresh, len(misses), earlier)


def _cached_articles(cache: dict[str, _Entry], seeds: Sequence[ListedSeed]) -> Iterable[Article]:
    """The articles `cache` holds for `seeds`, drafts too."""
    for seed in seeds:
        entry = cache.get(seed.rel_path)
        if entry is not None:
            yield from entry.parsed[0]


def _drop_strays(cache_dir: Path) -> None:
    """Delete the cache files no shard of this version is named by: those of a version that
    cut the cache into other files would otherwise stay on disk for good."""
    try:
        names = os.listdir(cache_dir / PARSE_CACHE)
    except FileNotFoundError:
        return
    for name in names:
        if name.endswith(".pickle") and not name.startswith(".") and name not in _SHARD_NAMES:
            (cache_dir / PARSE_CACHE / name).unlink(missing_ok=True)


def _entry(seed: ListedSeed, digest: bytes, parsed: Parsed, first_dates: FirstDates) -> _Entry:
    return _Entry(seed.size, seed.mtime_ns, digest, first_dates.timestamp(seed.rel_path), parsed)


def _parse_into_files(
    cache_dir: Path,
    key: tuple[object, ...],
    fresh: dict[str, _Entry],
    misses: Sequence[ListedSeed],
    changed: set[str],
    timezone: ZoneInfo,
    first_dates: FirstDates,
    workers: int,
) -> None:
    """Parse `misses` on `workers` processes, each writing the cache files of the seeds it
    parsed; then add their entries to `fresh`, read back from those files.

    Each worker takes whole cache files: it parses the file's missing seeds and writes the
    file with its entries still valid. This process then holds the bodies as views of the
    files, as on a rebuild, instead of receiving every body through a pipe and pickling it
    again into the files: on a first build of a large site, the most memory it holds and a
    long stretch in which it alone works.
    """
    rewritten = sorted({_shard(path) for path in changed})
    members: dict[int, dict[str, _Entry]] = {shard: {} for shard in rewritten}
    for path, entry in fresh.items():  # in the order `_save` keeps
        shard = _shard(path)
        if shard in members:
            members[shard][path] = entry
    missing: dict[int, list[ListedSeed]] = defaultdict(list)
    for seed in misses:
        missing[_shard(seed.rel_path)].append(seed)

    def fill(start: int, stop: int) -> list[None]:
        for shard in rewritten[start:stop]:
            seeds = missing.get(shard, [])
            jobs = [(m.path, m.rel_path, first_dates.date(m.rel_path)) for m in seeds]
            kept = members[shard]
            for seed, (digest, parsed) in zip(seeds, _read_and_digest(jobs, timezone), strict=True):
                kept[seed.rel_path] = _entry(seed, digest, parsed, first_dates)
            _write_shard(cache_dir, shard, _shard_bytes(key, kept))
            # Written: a worker that kept its files' articles would end holding its share of
            # the whole archive, and the collector would walk them all each time it ran.
            kept.clear()
        return []

    load_model()
    map_forked(fill, len(rewritten), 1, workers)
    with paused():  # unpickling makes every article just parsed, and no garbage
        for shard in rewritten:
            if shard not in missing:
                continue
            stored_key, stored = _read_shard(shard_path(cache_dir, shard))
            if stored_key != key or not isinstance(stored, dict):
                raise pickle.UnpicklingError(f"{shard_path(cache_dir, shard)} was not written")
            for seed in missing[shard]:
                fresh[seed.rel_path] = stored[seed.rel_path]


def _no_seeds_folder(seeds_dir: Path) -> Diagnostic:
    message = "the seeds folder does not exist; create it or pass --seeds DIR"
    return Diagnostic(str(seeds_dir), 1, "error", message)


def _seed_digest(data: bytes) -> bytes:
    """What the cache keeps of a seed's bytes, to know them again under a new time."""
    return hashlib.blake2b(data).digest()[:_DIGEST_SIZE]


def _file_digest(path: Path) -> bytes:
    try:
        return _seed_digest(path.read_bytes())
    except OSError:
        return b""  # unreadable: parsed again, which reports why


Job = tuple[Path, str, datetime]  # a seed to parse: path, path under seeds/, first-seen date
Digested = tuple[bytes, Parsed]


def _read_and_digest(files: Sequence[Job], timezone: ZoneInfo) -> list[Digested]:
    """Parse a run of seeds, then find the languages they do not state.

    Detecting them together, after the reading, keeps the detector's model in the processor's
    cache, which costs less than detecting each article between the reading of others. Each
    file is digested from the bytes that were parsed, so the digest vouches for what the
    cache holds even if the file changes meanwhile.
    """
    read: list[Digested] = []
    for path, rel_path, first in files:
        loaded = load_seed(path, rel_path)
        if isinstance(loaded, Diagnostic):
            read.append((b"", ([], [loaded])))  # unreadable: parsed again, which says why
            continue
        data, _ = loaded
        read.append(
            (_seed_digest(data), parse_seed_bytes(data, rel_path, timezone, first, detect=False))
        )
    return [
        (digest, ([_as_cached(a) for a in articles], diagnostics))
        for digest, (articles, diagnostics) in read
    ]


def _as_cached(article: Article) -> Article:
    """A parsed article as the cache keeps it: its language found, its digest made, and the
    names it shares with other articles shared."""
    return with_language(article).with_parsed_digest().with_shared_names()


def _parse_all(files: Sequence[Job], timezone: ZoneInfo, workers: int) -> list[Digested]:
    if workers <= 1:
        return _read_and_digest(files, timezone)
    load_model()

    def parse(start: int, stop: int) -> list[Digested]:
        return _read_and_digest(files[start:stop], timezone)

    return map_forked(parse, len(files), CHUNK, workers)


def _shard(rel_path: str) -> int:
    return zlib.crc32(rel_path.encode("utf-8", "surrogateescape")) % SHARDS


def shard_path(cache_dir: Path, shard: int) -> Path:
    """The cache file of shard number `shard`."""
    return cache_dir / PARSE_CACHE / _shard_name(shard)


def _shard_name(shard: int) -> str:
    return f"{shard:03d}.pickle"  # three digits: the names sort as the numbers do


_SHARD_NAMES = frozenset(map(_shard_name, range(SHARDS)))


def _load(
    cache_dir: Path | None, key: tuple[object, ...], shards: Iterable[int]
) -> dict[str, _Entry]:
    if cache_dir is None:
        return {}
    entries: dict[str, _Entry] = {}
    for shard in shards:
        try:
            stored_key, stored = _read_shard(shard_path(cache_dir, shard))
        except FileNotFoundError:
            continue  # a shard no seed falls into, or no cache yet
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            continue  # damaged: its seeds are parsed again and the shard rewritten
        if stored_key == key and isinstance(stored, dict):
            entries.update(stored)
    return entries


# A shard file is the length of its pickle, the pickle, then the bodies it names by place. The
# bodies are mapped, not read: a build reads only those of the pages it renders, and the rest
# stay in the operating system's file cache instead of this process's memory.
_HEADER = struct.Struct("<Q")
MIN_BODY_BYTES = 256  # smaller byte strings stay inside the pickle


class _ShardWriter(pickle.Pickler):
    def __init__(self, file: io.BytesIO, bodies: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.bodies = bodies

    def persistent_id(self, obj: object) -> tuple[int, int] | None:
        if type(obj) is bytes and len(obj) >= MIN_BODY_BYTES:
            place = (self.bodies.tell(), len(obj))
            self.bodies.write(obj)
            return place
        return None


class _ShardReader(pickle.Unpickler):
    def __init__(self, data: bytes, bodies: memoryview) -> None:
        super().__init__(io.BytesIO(data))
        self.bodies = bodies

    def persistent_load(self, pid: object) -> memoryview:
        if not (isinstance(pid, tuple) and len(pid) == 2):
            raise pickle.UnpicklingError("not a body's place")
        start, length = int(pid[0]), int(pid[1])
        if start + length > len(self.bodies):
            raise pickle.UnpicklingError("a body lies past the end of the shard")
        return self.bodies[start : start + length]


def _shard_bytes(key: tuple[object, ...], members: dict[str, _Entry]) -> bytes:
    head, bodies = io.BytesIO(), io.BytesIO()
    _ShardWriter(head, bodies).dump((key, members))
    return _HEADER.pack(len(head.getbuffer())) + head.getvalue() + bodies.getvalue()


def _write_shard(cache_dir: Path, shard: int, data: bytes) -> None:
    # In pieces: its bodies are read through a map, a few at a time (see mapped.py).
    write_atomic_with(shard_path(cache_dir, shard), partial(write_in_pieces, data=data))


def _read_shard(path: Path) -> tuple[object, object]:
    with open(path, "rb") as handle:
        # The pickled part is read, not viewed through the mapping: its bytes are copied into
        # objects once, and mapped pages once read would stay in the process's memory too.
        header = handle.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise EOFError("the shard is shorter than its header")
        (length,) = _HEADER.unpack(header)
        if _HEADER.size + length > os.fstat(handle.fileno()).st_size:
            raise EOFError("the shard ends inside its pickle")
        pickled = handle.read(length)
        # A build reads the bodies of the pages it renders: after an edit, a few scattered
        # over every shard.
        mapped = map_scattered(handle.fileno())
    # Shards are replaced by renaming a new file over them, never written in place, so the
    # mapped bytes cannot change under the articles that view them.
    stored = _ShardReader(pickled, memoryview(mapped)[_HEADER.size + length :]).load()
    if not (isinstance(stored, tuple) and len(stored) == 2):
        raise pickle.UnpicklingError("not a shard of the parse cache")
    return stored[0], stored[1]


def _save(
    cache_dir: Path, key: tuple[object, ...], entries: dict[str, _Entry], shards: set[int]
) -> None:
    """Rewrite the shards that hold a changed, new or deleted seed."""
    if not shards:
        return
    by_shard: dict[int, dict[str, _Entry]] = {shard: {} for shard in shards}
    for path, entry in entries.items():
        shard = _shard(path)
        if shard in by_shard:
            by_shard[shard][path] = entry
    for shard, members in by_shard.items():
        _write_shard(cache_dir, shard, _shard_bytes(key, members))
