"""Give an index's documents new ids, as indexing them afresh would, without indexing them.

Ids count from the oldest article, so an article removed, or one added among older ones,
moves every id after it; postings hold gaps between ids, so the postings of nearly every term
change. Decoding, moving and encoding every posting in whole-array steps costs a small part of
indexing every document again from its cached terms, which reads each document's terms and
appends its ids one term at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsgen.search.index import (
    CONTINUE_DIGITS,
    FINAL_DIGITS,
    Indexed,
    Postings,
    Terms,
    settled_count,
)

# Encoded characters decoded at once: few enough that a step's arrays are a few MB and stay in
# the processor's caches, enough that numpy's cost per call is spread over many postings.
CHUNK_CHARS = 100_000
_DIGIT_BITS = 5
_MOST_DIGITS = 7  # a packed `id << 4 | count - 1` below 2**35
# The least number written with each count of digits past one.
_LONGER_FROM = np.asarray([1 << (_DIGIT_BITS * place) for place in range(1, _MOST_DIGITS)])

Ints = NDArray[np.int64]


def _tables() -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    values = np.zeros(256, np.uint8)
    final = np.zeros(256, np.bool_)
    for value, digit in enumerate(CONTINUE_DIGITS):
        values[ord(digit)] = value
    for value, digit in enumerate(FINAL_DIGITS):
        values[ord(digit)] = value
        final[ord(digit)] = True
    return values, final


_VALUES, _FINAL = _tables()
_CONTINUE_BYTES = np.frombuffer(CONTINUE_DIGITS.encode(), np.uint8)
_FINAL_BYTES = np.frombuffer(FINAL_DIGITS.encode(), np.uint8)


@dataclass(frozen=True, slots=True)
class Added:
    """A document new to the index, under its id there: its result row and its terms."""

    row: bytes
    terms: Terms


def renumbered(
    before: Indexed, new_of: Sequence[int], count: int, added: dict[int, Added]
) -> Indexed:
    """`before` with its document `i` under id `new_of[i]` (-1: gone), in an index of `count`
    documents whose other ids are the `added` ones: the index that indexing them all makes.

    The ids kept must rise as the old ones do.
    """
    rows: list[bytes] = [b""] * count
    lengths = [0] * count
    for old, new in enumerate(new_of):
        if new >= 0:
            rows[new], lengths[new] = before.rows[old], before.lengths[old]
    for doc_id, doc in added.items():
        rows[doc_id], lengths[doc_id] = doc.row, sum(doc.terms[1])
    mapping = np.asarray(new_of, np.int64)
    postings, latest = _chunked_postings(
        before, mapping, settled_count(count), _added_postings(added)
    )
    return Indexed(rows, lengths, postings, latest)


def _chunked_postings(
    before: Indexed,
    mapping: Ints,
    cut: int,
    extra: dict[str, list[tuple[int, int]]] | None = None,
) -> tuple[Postings, Postings]:
    """The postings of `before` with each id `i` as `mapping[i]` (-1: gone) and the `extra`
    postings of each term taken in, cut at id `cut` into `terms/` and `latest/`."""
    extra = dict(extra or {})
    postings: Postings = {}
    latest: Postings = {}
    for keys, codes, owners in _chunks(before):
        ids, counts, of_key = _decoded(codes, owners)
        moved = mapping[ids]
        kept = moved >= 0
        ids, counts, of_key = _with_added(moved[kept], counts[kept], of_key[kept], keys, extra)
        _encode_into(postings, latest, keys, ids, counts, of_key, cut)
    new_keys = sorted(extra)
    none = np.zeros(0, np.int64)
    ids, counts, of_key = _with_added(none, none, none, new_keys, extra)
    _encode_into(postings, latest, new_keys, ids, counts, of_key, cut)
    return postings, latest


def _added_postings(added: dict[int, Added]) -> dict[str, list[tuple[int, int]]]:
    """The added documents' `(id, count - 1)` under each of their terms."""
    found: dict[str, list[tuple[int, int]]] = {}
    for doc_id, doc in added.items():
        terms, counts = doc.terms
        for term, term_count in zip(terms, counts, strict=True):
            found.setdefault(term.decode(), []).append((doc_id, term_count - 1))
    return found


def _chunks(before: Indexed) -> Iterator[tuple[list[str], list[str], list[int]]]:
    """The index's terms in runs of about CHUNK_CHARS encoded characters: each run's terms, its
    codes (a term's `terms/` postings, then its `latest/` ones), and the term of each code."""
    keys: list[str] = []
    codes: list[str] = []
    owners: list[int] = []
    size = 0
    for key in [*before.postings, *(key for key in before.latest if key not in before.postings)]:
        for held in (before.postings.get(key), before.latest.get(key)):
            if held is not None:
                codes.append(held[0])
                owners.append(len(keys))
                size += len(held[0])
        keys.append(key)
        if size >= CHUNK_CHARS:
            yield keys, codes, owners
            keys, codes, owners = [], [], []
            size = 0
    if keys:
        yield keys, codes, owners


def _decoded(codes: list[str], owners: list[int]) -> tuple[Ints, Ints, Ints]:
    """Every posting of `codes`, each written as if nothing came before it: its document id,
    its `count - 1`, and the term (by `owners`) it is under."""
    chars = np.frombuffer("".join(codes).encode("ascii"), np.uint8)
    values = _VALUES[chars]
    ends = np.flatnonzero(_FINAL[chars])  # each number's last digit
    starts = np.concatenate(([0], ends[:-1] + 1))
    # Digit by digit, most significant first: each step reads only the numbers that long.
    numbers = values[starts].astype(np.int64)
    longer = np.flatnonzero(ends > starts)
    place = 1
    while len(longer):
        digit = starts[longer] + place
        numbers[longer] = numbers[longer] << _DIGIT_BITS | values[digit]
        longer = longer[ends[longer] > digit]
        place += 1
    code_ends = np.cumsum([len(code) for code in codes])
    per_code = np.diff(np.searchsorted(ends, code_ends), prepend=0)
    # A code's first number is its first id; the others are gaps from the id before.
    running = np.cumsum(numbers >> 4)
    code_starts = np.cumsum(per_code) - per_code
    base = np.where(code_starts > 0, running[code_starts - 1], 0)
    ids = running - np.repeat(base, per_code)
    return ids, numbers & 0xF, np.repeat(np.asarray(owners, np.int64), per_code)


def _with_added(
    ids: Ints,
    counts: Ints,
    of_key: Ints,
    keys: list[str],
    extra: dict[str, list[tuple[int, int]]],
) -> tuple[Ints, Ints, Ints]:
    """The postings with those of the added documents under `keys` taken in, all still in
    order of term, then id."""
    more = [
        (index, doc_id, count)
        for index, key in enumerate(keys)
        for doc_id, count in extra.pop(key, ())
    ]
    if not more:
        return ids, counts, of_key
    new = np.asarray(more, np.int64)
    order = np.lexsort((new[:, 1], new[:, 0]))
    new = new[order]
    at = np.searchsorted(of_key << 32 | ids, new[:, 0] << 32 | new[:, 1])
    return (
        np.insert(ids, at, new[:, 1]),
        np.insert(counts, at, new[:, 2]),
        np.insert(of_key, at, new[:, 0]),
    )


def _encode_into(
    postings: Postings,
    latest: Postings,
    keys: list[str],
    ids: Ints,
    counts: Ints,
    of_key: Ints,
    cut: int,
) -> None:
    """Encode the postings of `keys`, each term's cut at id `cut` into `terms/` and `latest/`
    and each side written as if nothing came before it."""
    if not len(ids):
        return
    side = of_key << 1 | (ids >= cut)
    firsts = np.flatnonzero(np.concatenate(([True], side[1:] != side[:-1])))
    gaps = ids - np.concatenate(([0], ids[:-1]))
    gaps[firsts] = ids[firsts]
    text, code_lengths = _encoded(gaps << 4 | counts, firsts)
    lasts = np.concatenate((firsts[1:], [len(ids)])) - 1
    position = 0
    runs = zip(
        of_key[firsts].tolist(),
        ids[firsts].tolist(),
        ids[lasts].tolist(),
        code_lengths.tolist(),
        strict=True,
    )
    for key, first, last, length in runs:
        held = latest if first >= cut else postings
        held[keys[key]] = (text[position : position + length], last)
        position += length


def _encoded(numbers: Ints, firsts: Ints) -> tuple[str, Ints]:
    """`numbers` written as `encode_number` writes them, one after another, and how many
    characters each run of them that starts at one of `firsts` takes."""
    digits = np.searchsorted(_LONGER_FROM, numbers, side="right") + 1
    ends = np.cumsum(digits)
    out = np.empty(int(ends[-1]), np.uint8)
    out[ends - 1] = _FINAL_BYTES[numbers & 31]
    longer = np.flatnonzero(digits > 1)
    place = 1
    while len(longer):
        high = numbers[longer] >> (_DIGIT_BITS * place) & 31
        out[ends[longer] - 1 - place] = _CONTINUE_BYTES[high]
        place += 1
        longer = longer[digits[longer] > place]
    return out.tobytes().decode("ascii"), np.add.reduceat(digits, firsts)
