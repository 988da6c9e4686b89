"""Files read through memory maps, and how a process lets go of the pages it has read in them.

The parse cache keeps the article bodies in files it maps (`readers/cache.py`). Reading a mapped
body puts its page into the reading process's resident memory, and the kernel maps the pages
around it too, without asking: a process that reads bodies scattered over the files soon has
every page of them in its resident memory, as much again as all the bodies, and each worker
that reads a share of them does too. Those pages belong to the page cache and stay there,
shared by every process; a process done with what it read can drop its own mapping of them
(`release`), and a later read maps them again from the cache at the cost of a minor fault.

How much one read maps depends on how the file was written. The kernel may keep the pages of
one large write together (a large folio, on ext4 and XFS) and map all of them at the first read
of any: a process reading a few bodies then holds most of a file. Files to be read through a
map are therefore written a piece at a time (`write_in_pieces`), which keeps each read to the
pages around it.
"""

from __future__ import annotations

import mmap
import weakref
from collections.abc import Iterable
from typing import BinaryIO

_mappings: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()

# Bytes written at once to a file that will be mapped: the most its page cache keeps together,
# as much as the kernel maps around a read anyway.
WRITE_PIECE = 64 * 1024

# Bodies read between two releases by a process reading many: what it holds mapped at once.
RELEASE_EVERY = 64


def register(mapped: mmap.mmap) -> mmap.mmap:
    """Remember a read-only shared mapping of a file, so that `release` reaches it."""
    _mappings.add(mapped)
    return mapped


def map_scattered(fileno: int) -> mmap.mmap:
    """Map a whole file read-only, registered, for reads scattered over it: read ahead, each
    would bring in its neighbours' pages for nothing."""
    mapped = register(mmap.mmap(fileno, 0, access=mmap.ACCESS_READ))
    if hasattr(mmap, "MADV_RANDOM"):
        mapped.madvise(mmap.MADV_RANDOM)
    return mapped


def release(mappings: Iterable[mmap.mmap] | None = None) -> None:
    """Drop this process's mapping of the pages of `mappings` (of every registered file when
    None); their bytes stay as they are, read again from the page cache when next needed."""
    if not hasattr(mmap, "MADV_DONTNEED"):
        return  # nowhere to ask: the pages stay mapped, as before
    for mapped in list(_mappings if mappings is None else mappings):
        if not mapped.closed:
            mapped.madvise(mmap.MADV_DONTNEED)


def write_in_pieces(file: BinaryIO, data: bytes) -> None:
    """Write `data` to `file` `WRITE_PIECE` bytes at a time, for a file to be read through a map."""
    view = memoryview(data)
    for start in range(0, len(view), WRITE_PIECE):
        file.write(view[start : start + WRITE_PIECE])
