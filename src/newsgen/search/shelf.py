"""The term cache's documents' terms on disk, in shards by digest: a build after an edit reads
and writes the shards of the few documents it changed, not every article's terms.

An entry is keyed by the digest of all the index takes from its document, so an entry is right
for its digest whatever else is on disk: a shard that is missing, damaged, or written under
other rules only costs tokenising its documents again.
"""

from __future__ import annotations

import pickle
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.search.parallel import CachedTerms

# By a digest's first byte: an edit rewrites a small share of the terms, and a whole reindex
# reads a number of files that is still nothing to list.
SHARDS = 256
PARTS = ".parts"  # entries worker processes made, until `take_parts` files them in the shards


class TermShelf(Mapping[bytes, CachedTerms]):
    """Entries by digest, each shard read when first asked for and written if it changed.

    Without a folder, a shelf only holds what it is given, in memory (`holding`).
    """

    def __init__(self, folder: Path | None, rules: object = None) -> None:
        self._folder = folder
        self._rules = rules  # what the entries were made under; shards under others are empty
        self._shards: dict[int, dict[bytes, CachedTerms]] = {}
        self._changed: set[int] = set()

    @classmethod
    def holding(cls, entries: Mapping[bytes, CachedTerms]) -> TermShelf:
        """A shelf in memory holding these entries."""
        shelf = cls(None)
        shelf.update_entries(entries)
        return shelf

    @property
    def in_memory(self) -> bool:
        """Whether its entries live only in this process (saved, if at all, by its owner)."""
        return self._folder is None

    def __getitem__(self, digest: bytes) -> CachedTerms:
        return self._shard(digest[0])[digest]

    def get(self, digest: bytes, default: CachedTerms | None = None) -> CachedTerms | None:  # type: ignore[override]
        return self._shard(digest[0]).get(digest, default)

    def __contains__(self, digest: object) -> bool:
        return isinstance(digest, bytes) and digest in self._shard(digest[0])

    def __iter__(self) -> Iterator[bytes]:
        for number in range(SHARDS):
            yield from self._shard(number)

    def __len__(self) -> int:
        return sum(len(self._shard(number)) for number in range(SHARDS))

    def read_all(self) -> None:
        """Read every shard now: before forking workers that would each read them all."""
        for number in range(SHARDS):
            self._shard(number)

    @property
    def shards_read(self) -> int:
        """How many shards this build has read (or found missing)."""
        return len(self._shards)

    def update_entries(self, entries: Mapping[bytes, CachedTerms]) -> None:
        """Add or replace these entries."""
        for digest, entry in entries.items():
            shard = self._shard(digest[0])
            if shard.get(digest) != entry:
                shard[digest] = entry
                self._changed.add(digest[0])

    def discard(self, digests: Iterable[bytes]) -> None:
        """Drop the entries of documents no longer indexed."""
        for digest in digests:
            shard = self._shard(digest[0])
            if shard.pop(digest, None) is not None:
                self._changed.add(digest[0])

    def replace_all(self, entries: Mapping[bytes, CachedTerms]) -> None:
        """Hold exactly these entries, as after indexing every document."""
        fresh: dict[int, dict[bytes, CachedTerms]] = {number: {} for number in range(SHARDS)}
        for digest, entry in entries.items():
            fresh[digest[0]][digest] = entry
        for number, shard in fresh.items():
            if self._shard(number) != shard:
                self._shards[number] = shard
                self._changed.add(number)

    def save(self) -> None:
        """Write the shards that changed since they were read (in memory: nothing to do)."""
        if self._folder is None:
            return
        for number in sorted(self._changed):
            self._write(number)
        self._changed.clear()

    def clear_parts(self) -> None:
        """Start the parts afresh: a build that was stopped may have left some."""
        folder = self._parts_folder()
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)

    def put_part(self, name: str, entries: Mapping[bytes, CachedTerms]) -> None:
        """Write entries made in another process beside the shards, a file for each shard they
        fall in; `take_parts` files them in the order of their `name`s."""
        by_shard: dict[int, dict[bytes, CachedTerms]] = defaultdict(dict)
        for digest, entry in entries.items():
            by_shard[digest[0]][digest] = entry
        folder = self._parts_folder()
        for number, part in by_shard.items():
            # Not atomic: a part only lives until `take_parts`, and `clear_parts` drops any
            # that a stopped build left.
            (folder / f"{number:02x}.{name}.pickle").write_bytes(pickle.dumps(part, protocol=5))

    def take_parts(self) -> None:
        """Hold exactly the entries of the parts, as `replace_all` would hold them joined in
        the order of the parts' names; then delete the parts.

        Each shard is written as soon as it is made and not kept: the parts exist so that no
        process ever holds every document's terms at once.
        """
        folder = self._parts_folder()
        names: dict[int, list[str]] = defaultdict(list)
        for path in folder.iterdir():
            names[int(path.name[:2], 16)].append(path.name)
        for number in range(SHARDS):
            fresh: dict[bytes, CachedTerms] = {}
            for name in sorted(names.get(number, ())):
                fresh.update(pickle.loads((folder / name).read_bytes()))
            if self._shard(number) != fresh:
                self._shards[number] = fresh
                self._write(number)
            self._changed.discard(number)
            del self._shards[number]  # read again if asked for
        shutil.rmtree(folder)

    def _write(self, number: int) -> None:
        data = pickle.dumps((self._rules, self._shards[number]), protocol=5)
        write_atomic(self._path(number), data)

    def _parts_folder(self) -> Path:
        assert self._folder is not None, "a shelf in memory has no files"
        return self._folder / PARTS

    def _shard(self, number: int) -> dict[bytes, CachedTerms]:
        shard = self._shards.get(number)
        if shard is None:
            shard = self._shards[number] = self._read(number)
        return shard

    def _read(self, number: int) -> dict[bytes, CachedTerms]:
        if self._folder is None:
            return {}
        # Only ever the site's own .newsgen/ folder, which newsgen itself wrote.
        try:
            rules, entries = pickle.loads(self._path(number).read_bytes())
        except FileNotFoundError:
            return {}  # no document's digest starts with this byte yet, or no cache yet
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, ImportError, IndexError, KeyError):  # fmt: skip
            return {}  # damaged: its documents are tokenised again
        if rules != self._rules or not isinstance(entries, dict):
            return {}
        return entries

    def _path(self, number: int) -> Path:
        assert self._folder is not None, "a shelf in memory has no files"
        return self._folder / f"{number:02x}.pickle"
