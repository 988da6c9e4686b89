"""Remember what story grouping read from each article, so a rebuild reads only what changed.

Reading titles and leads into terms is most of the time grouping takes, and from one build to
the next almost every article is the same. The cache in `.newsgen/story-cache.pickle` keeps each
article's `Tallies` entry under a digest of its title and body, with the vocabulary its term ids
refer to. An article whose digest is known is not read again; the rest are read and their new
words added to the vocabulary. `first_seen` then numbers the terms exactly as reading every
article afresh would, so the cache changes nothing but the time: deleting it, or finding it
damaged or written by another version, means reading everything again.

The file holds only the articles of the last build, in the order grouping read them, and the
terms they use, numbered as that build numbered them: the next build finds its terms numbered
almost as it would number them itself, and rarely has to re-sort an article's terms.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zlib
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO

import numpy as np

from newsgen.atomicwrite import write_atomic_with
from newsgen.models import Article
from newsgen.paths import STORY_CACHE
from newsgen.stories.parallel import tally_apart
from newsgen.stories.terms import (
    COPY_KEY_SIZE,
    TALLY_RULES,
    Tallies,
    TermCounts,
    Vocabulary,
    count_terms,
    first_seen,
    joined_tallies,
    tally,
    term_counts,
)
from newsgen.version import code_digest

FORMAT_VERSION = 1  # raise when what `tally` gives for an article changes
_COPY_KEY, _ROUNDUP = 1, 2  # bits of an entry's flags
_KEY_SIZE = 16  # bytes of an article's digest
# Keyed by the code that counts, not by all of grouping's: a change to how counts are compared
# must not count 100,000 articles' terms again.
_RULES = repr((code_digest("stories/terms", "stories/cache"), FORMAT_VERSION, TALLY_RULES))


def count_terms_cached(
    articles: Sequence[Article], cache_dir: Path | None, workers: int = 1, *, keep: bool = True
) -> TermCounts:
    """`terms.count_terms`, reading only the articles the cache in `cache_dir` lacks, on up to
    `workers` processes. With `keep`, the cache is saved holding exactly these articles; without,
    it is only read from (for a few articles of a larger archive, whose cache it must stay)."""
    if cache_dir is None:
        return count_terms(articles, partial(tally_apart, workers=workers))
    path = cache_dir / STORY_CACHE
    try:
        cache = StoryCache.loads(path.read_bytes())
    except OSError:
        cache = StoryCache()  # no cache yet: every article is read
    counted = cache.count_terms(articles, workers)
    if keep and cache.changed:
        write_atomic_with(path, cache.dump)
    return counted


def article_digest(article: Article) -> bytes:
    """A digest of all `tally` reads from an article: its title and its body.

    From the parse stage's digest when the article carries one, which covers both (and more):
    the body is not read again, so a rebuild reads no unchanged article's body to find it.
    """
    if article.parsed_digest:
        return hashlib.sha256(f"parsed:{article.parsed_digest}".encode()).digest()[:_KEY_SIZE]
    # SHA-256, which processors compute in hardware; the body is hashed as the UTF-8 it is kept in.
    digest = hashlib.sha256(f"{len(article.title)}:{article.title}".encode())
    digest.update(article.body_utf8)
    return digest.digest()[:_KEY_SIZE]


class StoryCache:
    """Tallies of articles read before, by digest, and the vocabulary their term ids refer to.

    `count_terms` reads and refills it: afterwards it holds the articles it was given, each once.
    """

    def __init__(
        self,
        digests: Sequence[bytes] = (),
        tallies: Tallies | None = None,
        stems: Sequence[str] = (),
    ) -> None:
        self.digests = list(digests)
        self.tallies = tally([], Vocabulary()) if tallies is None else tallies
        self.stems = list(stems)  # each term id's stem
        self.changed = False  # whether the last `count_terms` changed what `dumps` gives

    def __len__(self) -> int:
        """How many articles' tallies it holds."""
        return len(self.digests)

    def count_terms(self, articles: Sequence[Article], workers: int = 1) -> TermCounts:
        """Count the terms of each article's title and lead, in the order given; the articles
        not read before are read on up to `workers` processes."""
        digests = [article_digest(article) for article in articles]
        known = {digest: index for index, digest in enumerate(self.digests)}
        picks = np.array([known.get(digest, -1) for digest in digests], dtype=np.int64)
        misses = np.flatnonzero(picks < 0)
        vocabulary = Vocabulary(self.stems)
        read = tally_apart([articles[index] for index in misses.tolist()], vocabulary, workers)
        picks[misses] = len(self.digests) + np.arange(len(misses))
        gathered = _splice((self.tallies, read), picks)
        numbered, order = first_seen(gathered, len(vocabulary.stems))
        before = (self.digests, self.stems)
        self._keep(digests, numbered, [vocabulary.stems[term] for term in order.tolist()])
        # The same articles, numbering the same stems the same way, have the same tallies.
        self.changed = (self.digests, self.stems) != before
        return term_counts(numbered, len(order))

    def _keep(self, digests: list[bytes], numbered: Tallies, stems: list[str]) -> None:
        """Hold these articles' tallies, each digest once, in place of the old ones."""
        firsts: dict[bytes, int] = {}
        for index, digest in enumerate(digests):
            firsts.setdefault(digest, index)
        if len(firsts) < len(digests):
            numbered = _splice((numbered,), np.array(list(firsts.values()), dtype=np.int64))
        self.digests, self.tallies, self.stems = list(firsts), numbered, stems

    def dumps(self) -> bytes:
        """Serialise, to be saved in the site's state folder, with a checksum of the whole."""
        buffer = io.BytesIO()
        self.dump(buffer)
        return buffer.getvalue()

    def dump(self, file: BinaryIO) -> None:
        """`dumps` into an open file: the checksum, then the payload, never joined in memory."""
        kept = self.tallies
        flags = np.array([key is not None for key in kept.copy_keys], dtype=np.uint8) * _COPY_KEY
        flags |= kept.roundups.astype(np.uint8) * _ROUNDUP
        saved = (
            _RULES,
            b"".join(self.digests),
            b"".join(key or bytes(COPY_KEY_SIZE) for key in kept.copy_keys),
            flags,
            "\n".join(kept.titles),  # words hold no white space
            *(_narrow(field) for field in (kept.sizes, kept.terms, kept.counts, kept.firsts)),
            "\n".join(self.stems),
        )
        payload = pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL)
        file.write(zlib.crc32(payload).to_bytes(4, "big"))
        file.write(payload)

    @classmethod
    def loads(cls, data: bytes) -> StoryCache:
        """Read a saved cache; a damaged one, or one made under other rules, comes back empty."""
        # A view, not a slice: a slice would copy the whole file once more while it is read.
        checksum, payload = data[:4], memoryview(data)[4:]
        if zlib.crc32(payload).to_bytes(4, "big") != checksum:
            return cls()  # damaged: a byte changed in an array would not stop pickle
        # Only ever the site's own .newsgen/ cache, which newsgen itself wrote.
        try:
            rules, *saved = pickle.loads(payload)
            if rules != _RULES:
                return cls()
            return _decode(*saved)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError, IndexError, KeyError):  # fmt: skip
            return cls()  # a cache only ever saves time


def _decode(
    digests: bytes,
    copy_keys: bytes,
    flags: np.ndarray,
    titles: str,
    sizes: np.ndarray,
    terms: np.ndarray,
    counts: np.ndarray,
    firsts: np.ndarray,
    stems: str,
) -> StoryCache:
    """Rebuild a saved cache, refusing one whose parts do not fit together (ValueError)."""
    count = len(flags)
    stem_list = stems.split("\n") if stems else []
    title_list = titles.split("\n") if count else []
    if not len(digests) == count * _KEY_SIZE or not len(copy_keys) == count * COPY_KEY_SIZE:
        raise ValueError("the story cache's digests do not match its articles")
    if not len(title_list) == len(sizes) == count:
        raise ValueError("the story cache's titles do not match its articles")
    if not int(sizes.sum()) == len(terms) == len(counts) == len(firsts):
        raise ValueError("the story cache's tallies differ in length")
    if len(terms) and int(terms.max()) >= len(stem_list):
        raise ValueError("the story cache names a term it has no stem for")
    copies = zip(_split(copy_keys, COPY_KEY_SIZE), flags.tolist(), strict=True)
    tallies = Tallies(
        sizes.astype(np.int64),
        terms,
        counts,
        firsts,
        [key if flag & _COPY_KEY else None for key, flag in copies],
        title_list,
        (flags & _ROUNDUP) > 0,
    )
    return StoryCache(_split(digests, _KEY_SIZE), tallies, stem_list)


def _split(joined: bytes, size: int) -> list[bytes]:
    """Cut bytes into pieces of `size`."""
    return [joined[at : at + size] for at in range(0, len(joined), size)]


def _narrow(values: np.ndarray) -> np.ndarray:
    """The same non-negative integers in the smallest type that holds them."""
    return values.astype(np.min_scalar_type(int(values.max(initial=0))))


def _splice(sources: Sequence[Tallies], picks: np.ndarray) -> Tallies:
    """The tallies of articles `picks`, numbering the articles of `sources` one after another.

    Copied run by run: a rebuild's articles are mostly the cache's, in the cache's order, so a
    few slices of each array do what gathering every entry would.
    """
    ends = [np.r_[0, np.cumsum(source.sizes)] for source in sources]
    if not len(picks):
        return _slice(sources[0], ends[0], 0, 0)
    bounds = np.cumsum([len(source.sizes) for source in sources])
    owner = np.searchsorted(bounds, picks, side="right")
    breaks = np.flatnonzero((np.diff(picks) != 1) | (np.diff(owner) != 0)) + 1
    parts = []
    for begin, end in zip(
        np.r_[0, breaks].tolist(), np.r_[breaks, len(picks)].tolist(), strict=True
    ):
        which = int(owner[begin])
        offset = int(bounds[which]) - len(sources[which].sizes)
        first, last = int(picks[begin]) - offset, int(picks[end - 1]) + 1 - offset
        parts.append(_slice(sources[which], ends[which], first, last))
    return joined_tallies(parts)


def _slice(tallies: Tallies, ends: np.ndarray, first: int, last: int) -> Tallies:
    """The tallies of articles `first` to `last` (excluded); `ends` is where each one's end."""
    entries = slice(ends[first], ends[last])
    return Tallies(
        tallies.sizes[first:last],
        tallies.terms[entries],
        tallies.counts[entries],
        tallies.firsts[entries],
        tallies.copy_keys[first:last],
        tallies.titles[first:last],
        tallies.roundups[first:last],
    )
