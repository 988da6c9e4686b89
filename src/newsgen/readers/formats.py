"""The seed formats, as a table: a name, a test on the text, and a reader.

`parse_seed_text` asks each format in turn whether a seed's text is written in it and reads it
with the first that says yes; the last, plain text, takes anything. A new format is one entry
here and one module beside this one with its `detect` and `read`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Protocol
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.text.clean import repair_mojibake


class SeedText:
    """One seed's text as the formats see it: as written, and repaired of mojibake.

    Front matter is read as written (its YAML decides its own escapes); the plain formats read
    the repaired text. Each is made once, and only when a format asks for it.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw

    @cached_property
    def text(self) -> str:
        return repair_mojibake(self.raw)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")


Parsed = tuple[list[Article], list[Diagnostic]]


class Reader(Protocol):
    def __call__(
        self, seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime
    ) -> Parsed: ...


@dataclass(frozen=True, slots=True)
class SeedFormat:
    name: str  # as the README and `newsgen check` call it
    detect: Callable[[SeedText], bool]
    read: Reader
