"""The order articles and stories are listed in everywhere: newest first, then by a tie-break
that every build reads the same (an article's seed file and line, a story's lead), so that
every build puts the same things in the same order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from newsgen.models import Article

Times = Sequence[float] | np.ndarray  # timestamps, one an index
# Below this many, a sort of Python tuples costs less than building numpy's arrays.
_SORTED_BY_NUMPY = 1000


def newest_first_order(articles: Sequence[Article], seconds: Sequence[float]) -> list[int]:
    """The indexes of `articles` newest first, then by seed file and line; `seconds` holds
    their dates as timestamps."""
    return newest_first_by(seconds, lambda i: (articles[i].seed_path, articles[i].seed_line))


def newest_first_by(seconds: Times, tie_break: Callable[[int], Any]) -> list[int]:
    """The indexes of `seconds` from the latest time, those that share a time by `tie_break`
    of their index: what `sorted` gives with the key `(-seconds[i], tie_break(i))`."""
    return _by_time(seconds, tie_break, -1)


def oldest_first_by(seconds: Times, tie_break: Callable[[int], Any]) -> list[int]:
    """`newest_first_by` from the earliest time: the key `(seconds[i], tie_break(i))`."""
    return _by_time(seconds, tie_break, 1)


def _by_time(seconds: Times, tie_break: Callable[[int], Any], sign: int) -> list[int]:
    """The indexes in order of `sign` times each time, then of the tie-break.

    A large site sorts its whole archive so on every build: numpy sorts the times, and only
    the indexes that share a time are sorted by the tie-break, for the tuple a key function
    would make for each.
    """
    if len(seconds) < _SORTED_BY_NUMPY:
        return sorted(range(len(seconds)), key=lambda i: (sign * seconds[i], tie_break(i)))
    times = np.asarray(seconds, dtype=np.float64)
    by_time = np.argsort(sign * times, kind="stable")
    order: list[int] = by_time.tolist()
    ties = np.flatnonzero(times[by_time[1:]] == times[by_time[:-1]]).tolist()
    start = end = -1  # the run of positions in `order` that share one time
    for position in [*ties, -2]:
        if position == end:
            end = position + 1
            continue
        if end > start:
            order[start : end + 1] = sorted(order[start : end + 1], key=tie_break)
        start, end = position, position + 1
    return order
