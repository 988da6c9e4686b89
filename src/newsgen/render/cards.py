"""A first build's list cards, each rendered once before the render workers fork, kept in files
that every render process reads through a map.

An article's card is on half a dozen lists, so the renderer keeps each card it renders. Kept
by each render process, a large site's cards were held once per process and most were rendered
in each; made here, on every core, they are rendered once and held in the page cache, from
which each process maps the few a page needs and lets them go with the article bodies it read
(`mapped.release`).

Made only when every list page is to be rendered: after an edit, few are, and their cards are
better rendered when asked for (`Renderer.card`).
"""

from __future__ import annotations

import gc
import mmap
import os
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from jinja2 import TemplateError
from markupsafe import Markup

from newsgen.mapped import RELEASE_EVERY, map_scattered, release
from newsgen.models import Entry
from newsgen.workers import ReportingChild, send_and_exit


class CardFiles:
    """Cards by entry, as UTF-8 in files mapped read-only: one file per process that made them."""

    def __init__(self, entries: Sequence[Entry], shares: list[_Share]) -> None:
        # By id(): the entries are held here, so no other object takes one of their ids.
        self._entries = entries
        self._places = {id(entry): place for place, entry in enumerate(entries)}
        self._shares = shares
        self._starts = [share.start for share in shares]
        self._read = 0

    def get(self, entry: Entry) -> Markup | None:
        """The entry's card, or None when it was not made here."""
        place = self._places.get(id(entry))
        if place is None:
            return None
        share = self._shares[bisect_right(self._starts, place) - 1]
        at = place - share.start
        if at in share.unmade:
            return None
        begin = share.ends[at - 1] if at else 0
        card = Markup(share.mapped[begin : share.ends[at]].decode("utf-8", "surrogatepass"))
        self._read += 1
        if self._read % RELEASE_EVERY == 0:
            self._let_go()
        return card

    def _let_go(self) -> None:
        """Drop this process's mapping of the pages read so far. A read maps the pages around
        it too (the kernel's fault-around), and a list page reads cards from all over the
        files: without this, the cards of a few dozen pages map as much as all their bodies."""
        release(share.mapped for share in self._shares)

    def close(self) -> None:
        for share in self._shares:
            share.mapped.close()
        self._shares, self._starts, self._places = [], [], {}


@dataclass(frozen=True, slots=True)
class _Share:
    start: int  # the place of its first entry
    ends: array  # where each card ends in the file: cards are written one after another
    unmade: frozenset[int]  # cards whose template failed, by place in the share
    mapped: mmap.mmap


Made = tuple[array, set[int]]  # `_write_cards`: each card's end, and which were not made


def make_cards(
    render: Callable[[Entry], str], entries: Sequence[Entry], folder: Path, processes: int
) -> CardFiles:
    """Render the card of each entry once, this process and `processes - 1` forked ones each
    taking an even share, into unnamed files in `folder` that are gone once closed."""
    count = len(entries)
    starts = [count * share // processes for share in range(processes)]
    stops = [*starts[1:], count]
    children: list[ReportingChild] = []
    # Closed once mapped: a map holds its file open on its own.
    with ExitStack() as files_held:
        files = [
            files_held.enter_context(tempfile.TemporaryFile(dir=folder, buffering=0))
            for _ in range(processes)
        ]
        try:
            gc.freeze()  # the workers share the site: a collection in one would copy its pages
            children = [
                ReportingChild(
                    "a worker rendering cards",
                    _child_main,
                    render,
                    entries[starts[share] : stops[share]],
                    files[share],
                    folder=folder,
                )
                for share in range(1, processes)
            ]
            made = [_write_cards(render, entries[starts[0] : stops[0]], files[0])]
            made += [_made(child.take()) for child in children]
        finally:
            for child in children:
                child.stop()
        shares = [
            _Share(start, ends, frozenset(unmade), _mapped(file))
            for start, (ends, unmade), file in zip(starts, made, files, strict=True)
        ]
    return CardFiles(entries, shares)


def _write_cards(render: Callable[[Entry], str], entries: Iterable[Entry], file: BinaryIO) -> Made:
    """Write each entry's card to `file`, one after another."""
    ends, unmade = array("q"), set()
    pending: list[bytes] = []
    held = written = 0
    for at, entry in enumerate(entries):
        try:
            card = render(entry).encode("utf-8", "surrogatepass")
        except TemplateError:
            # Said by the page that shows the card, which renders it again when asked for it.
            unmade.add(at)
            card = b""
        pending.append(card)
        held += len(card)
        written += len(card)
        ends.append(written)
        # A page at a time: a list page reads a few cards from all over the files, and a
        # read maps as much of a file as was written with it (mapped.py).
        if held >= mmap.PAGESIZE:
            file.write(b"".join(pending))
            pending, held = [], 0
    file.write(b"".join(pending))
    file.flush()
    return ends, unmade


def _child_main(
    render: Callable[[Entry], str], entries: Sequence[Entry], file: BinaryIO, report: BinaryIO
) -> None:
    ends, unmade = _write_cards(render, entries, file)
    send_and_exit(report, (ends.tobytes(), unmade))


def _made(report: tuple[bytes, set[int]]) -> Made:
    ends, unmade = report
    return array("q", ends), unmade


def _mapped(file: BinaryIO) -> mmap.mmap:
    if os.fstat(file.fileno()).st_size == 0:  # an empty share, or one whose cards all failed
        return mmap.mmap(-1, 1)
    return map_scattered(file.fileno())  # a page's cards are scattered over the files
