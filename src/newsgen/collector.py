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
    """No automatic collection inside, and what was made inside is frozen out of later ones
    (`gc.freeze`; `build.build` unfreezes everything when it ends).

    Only for code that makes values, not garbage with cycles: that would wait for the end of
    the build, which is why the readers, whose parsers build trees, and the templates stay
    outside. Frozen on the way out because every object made inside is still in the
    collector's youngest generation, and its next pass, at the first allocation after, would
    walk them all.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
