"""Documents for forked indexing workers, packed into a few flat buffers before they fork.

A worker forked from the build shares its memory until it writes to a page, and reading a
Python object writes to it (its reference count). Workers reading `SearchDocs` touch every
article they index, and the title, summary and body view each holds; the articles of a run lie
all over the heap, so each worker ends up copying most of the pages that hold the articles.
Packed first, the fields are a few large objects the workers read without copying: the texts
as one block of UTF-8, and each body as its place in the mapped file or block that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsgen.search.index import MadeDocs, SearchDoc, SearchDocs, doc_fields, plain_text

_FIELDS = 6  # url, title, date, source, summary, language: `doc_fields`


class PackedDocs(MadeDocs):
    """`SearchDocs` with its fields packed: the same documents, made when read."""

    def __init__(self, docs: SearchDocs) -> None:
        articles = docs.articles
        super().__init__(len(articles))
        texts = [
            text.encode("utf-8", "surrogatepass")
            for article in articles
            for text in doc_fields(article, docs.language, docs.permalink)
        ]
        self._texts = b"".join(texts)
        self._ends = np.cumsum([len(text) for text in texts], dtype=np.int64)
        del texts
        self._bodies = _BodyPlaces([article.body_utf8 for article in articles])

    def _make(self, number: int) -> SearchDoc:
        first = number * _FIELDS
        start = int(self._ends[first - 1]) if first else 0
        fields = []
        for end in self._ends[first : first + _FIELDS].tolist():
            fields.append(str(self._texts[start:end], "utf-8", "surrogatepass"))
            start = end
        url, title, date, source, summary, language = fields
        body = str(self._bodies.read(number), "utf-8", "surrogatepass")
        return SearchDoc(url, title, date, source, summary, plain_text(body), language)


class _BodyPlaces:
    """Where each body is: which mapped file or block holds it, from where, how long."""

    def __init__(self, bodies: Sequence[bytes | memoryview]) -> None:
        self._holders: list[memoryview] = []  # the whole of each file or block
        number_of: dict[int, int] = {}
        bases: list[int] = []
        holders, starts, lengths = [], [], []
        for body in bodies:
            # A view into a file or block is placed in it; anything else holds itself.
            whole = isinstance(body, memoryview) and body.obj is not None and body.c_contiguous
            holder = body.obj if whole else bytes(body)  # type: ignore[union-attr]
            number = number_of.get(id(holder))
            if number is None:
                number = number_of[id(holder)] = len(self._holders)
                self._holders.append(memoryview(holder))
                bases.append(_address(self._holders[-1]))
            length = len(body)
            holders.append(number)
            starts.append(_address(body) - bases[number] if whole and length else 0)
            lengths.append(length)
        self._holder = np.array(holders, dtype=np.int64)
        self._start = np.array(starts, dtype=np.int64)
        self._length = np.array(lengths, dtype=np.int64)

    def read(self, number: int) -> bytes:
        start = int(self._start[number])
        holder = self._holders[int(self._holder[number])]
        return holder[start : start + int(self._length[number])].tobytes()


def _address(buffer: bytes | memoryview) -> int:
    """Where a buffer's bytes begin in memory."""
    return int(np.frombuffer(buffer, dtype=np.uint8).ctypes.data)
