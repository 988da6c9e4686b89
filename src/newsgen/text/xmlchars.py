"""Drop the characters XML 1.0 forbids, so every XML file the build writes is well-formed, and
lxml, which refuses them too, can be given any body (text/sanitize.py).

Seeds and feeds carry control characters (a tag with U+0001 in it, a title pasted with a
vertical tab) and lone surrogates; escaping cannot help, since XML 1.0 has no way to write them
at all, and one of them makes a feed reader refuse the whole feed. The allowed set is the
`Char` production of XML 1.0: tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and
U+10000-U+10FFFF.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _FORBIDDEN.sub("", text)
