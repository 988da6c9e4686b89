"""Tell which legacy encoding text that is not UTF-8 was written in (KOI8-R, Shift_JIS, TIS-620...).

Shared by fetch (feeds that declare no encoding) and the seed reader (files saved in an old
code page): charset-normalizer ranks the candidates; Windows-1252, the web's own default, is
kept wherever it reads the bytes as well as the best one.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_ASCII = bytes(range(128))
MIN_EVIDENCE = 8  # bytes above 0x7f before a guess is worth more than the Western default


def detect_legacy(data: bytes) -> str | None:
    """The most likely encoding, unless Windows-1252 reads the bytes as well.

    A few accented letters in a Western feed fit many single-byte codes equally well ("Café"
    is as good Estonian in Windows-1250); there the web's own default, the one feedparser
    falls back to, is kept.
    """
    if len(data.translate(None, _ASCII)) < MIN_EVIDENCE:  # the bytes above 0x7f
        return None  # "café" and a stray byte: too little to tell, and little to lose
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    if str(best) == _as_cp1252(data):
        return None
    western = [m for m in results if m.encoding in _WESTERN]
    if western and western[0].chaos <= best.chaos:
        return None
    return best.encoding


def _as_cp1252(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None  # bytes Windows-1252 leaves undefined (0x81, 0x8d, ...): not a Western feed


def codec_name(encoding: str) -> str:
    """A codec's usual name, for messages: koi8_r -> koi8-r."""
    return codecs.lookup(encoding).name
