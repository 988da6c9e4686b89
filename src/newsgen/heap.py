"""Give the memory a process has freed back to the system.

glibc keeps freed memory in its heap for the process to use again, so freeing a large
share of it (the bodies once packed, the renderer's caches once every page is made) lowers
nothing the system sees until asked: `malloc_trim` hands back the whole free pages.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def return_freed_memory() -> None:
    """Hand whole free pages of the heap back to the system; elsewhere than glibc, nothing."""
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)
