"""Find the encoding of a feed that declares none and is not UTF-8 (KOI8-R, Shift_JIS, TIS-620...).

A feed's encoding is what its HTTP header or XML declaration says; without either, XML is
UTF-8, and feedparser falls back to Windows-1252 when the bytes are not, which turns Russian,
Japanese, Korean, Chinese, Thai or Hebrew into garbage. Only in that case is the encoding
detected from the bytes, by charset-normalizer.
"""

from __future__ import annotations

import re

from newsgen.text.charsets import detect_legacy

_DECLARED = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["'][A-Za-z0-9._:-]+["']""")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
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
        return detect_legacy(data[:DETECT_BYTES])
    return None
