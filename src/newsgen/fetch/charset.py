"""Find the encoding of a feed that declares none and is not UTF-8 (KOI8-R, Shift_JIS, TIS-620...).

A feed's encoding is what its HTTP header or XML declaration says; without either, XML is
UTF-8, and feedparser falls back to Windows-1252 when the bytes are not, which turns Russian,
Japanese, Korean, Chinese, Thai or Hebrew into garbage. Only in that case is the encoding
detected from the bytes, by charset-normalizer.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

_DECLARED = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["'][A-Za-z0-9._:-]+["']""")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
DETECT_BYTES = 256 * 1024  # enough text to tell; the whole of a large feed would take seconds


def undeclared_encoding(data: bytes, content_type: str) -> str | None:
    """The detected encoding of a feed with no declared one whose bytes are not UTF-8, or None."""
    if "charset=" in content_type.lower() or data.startswith(_BOMS):
        return None
    if _DECLARED.match(data.lstrip()[:200]):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data[:DETECT_BYTES])
    return None


def _detect(data: bytes) -> str | None:
    """The most likely encoding, unless Windows-1252 reads the bytes as well.

    A few accented letters in a Western feed fit many single-byte codes equally well ("Café"
    is as good Estonian in Windows-1250); there the web's own default, the one feedparser
    falls back to, is kept.
    """
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
