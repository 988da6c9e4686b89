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
import multiprocessing
import os
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO

from jinja2 import TemplateError
from markupsafe import Markup

from newsgen.errors import BuildError
from newsgen.mapped import WRITE_PIECE, register
from newsgen.models import Entry


class CardFiles:
    """Cards by entry, as UTF-8 in files mapped read-only: one file per process that made them."""

    def __init__(self, entries: Sequence[Entry], shares: list[_Share]) -> None:
        # By id(): the entries are held here, so no other object takes one of their ids.
        self._entries = entries
        self._places = {id(entry): place for place, entry in enumerate(entries)}
        self._shares = shares
        self._starts = [share.start for share in shares]

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
        return Markup(share.mapped[begin : share.ends[at]].decode("utf-8", "surrogatepass"))

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
    children: list[_Child] = []
    # Closed once mapped: a map holds its file open on its own.
    with ExitStack() as files_held:
        files = [
            files_held.enter_context(tempfile.TemporaryFile(dir=folder)) for _ in range(processes)
        ]
        try:
            gc.freeze()  # the workers share the site: a collection in one would copy its pages
            context = multiprocessing.get_context("fork")
            children = [
                _Child.start(context, render, entries[starts[share] : stops[share]], files[share])
                for share in range(1, processes)
            ]
            made = [_write_cards(render, entries[starts[0] : stops[0]], files[0])]
            made += [child.take() for child in children]
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
        if held >= WRITE_PIECE:  # in pieces, as files read through a map are (mapped.py)
            file.write(b"".join(pending))
            pending, held = [], 0
    file.write(b"".join(pending))
    file.flush()
    return ends, unmade


class _Child:
    """A forked process writing one share of the cards; it reports their ends once, at its end."""

    def __init__(self, process: multiprocessing.process.BaseProcess, results: Connection):
        self.process = process
        self.results = results
        self.done = False

    @classmethod
    def start(
        cls,
        context: multiprocessing.context.ForkContext,
        render: Callable[[Entry], str],
        entries: Sequence[Entry],
        file: BinaryIO,
    ) -> _Child:
        results, sending = context.Pipe(duplex=False)
        process = context.Process(target=_child_main, args=(render, entries, file, sending))
        process.start()
        sending.close()
        return cls(process, results)

    def take(self) -> Made:
        try:
            ends, unmade = self.results.recv()
        except EOFError:
            self.process.join()
            raise BuildError(
                f"a worker rendering cards failed (exit code {self.process.exitcode}); "
                "its error is shown above"
            ) from None
        self.done = True
        return array("q", ends), unmade

    def stop(self) -> None:
        if self.process.is_alive() and not self.done:
            self.process.kill()  # the build failed elsewhere: its cards are not wanted
        self.process.join()
        self.results.close()


def _child_main(
    render: Callable[[Entry], str], entries: Sequence[Entry], file: BinaryIO, sending: Connection
) -> None:
    # An exception here is printed by multiprocessing; the parent then finds the pipe closed.
    ends, unmade = _write_cards(render, entries, file)
    sending.send((ends.tobytes(), unmade))
    sending.close()
    os._exit(0)  # not through multiprocessing's exit, which flushes streams (see pool.py)


def _mapped(file: BinaryIO) -> mmap.mmap:
    if os.fstat(file.fileno()).st_size == 0:  # an empty share, or one whose cards all failed
        return mmap.mmap(-1, 1)
    mapped = register(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    if hasattr(mmap, "MADV_RANDOM"):
        mapped.madvise(mmap.MADV_RANDOM)  # a page's cards are scattered over the files
    return mapped
