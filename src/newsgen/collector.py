"""Keep Python's cycle collector off the large object graphs a build makes on purpose.

A build loads and makes hundreds of thousands of small objects (articles, entries, lists) that
live until it ends and hold no reference cycles. Each time the heap grows by a quarter, the
collector walks all of them, finds nothing to free, and at a large site that costs seconds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside. Only for code that makes values, not garbage with
    cycles: that waits for the collector's next pass, which is why the readers, whose parsers
    build trees, and the templates stay outside."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
