"""Split and load YAML front matter (`---` ... `---`) at the top of a seed file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's C loader is ~9x faster than the pure-Python one; YAML is the floor of a big build.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts


class FrontMatterError(ValueError):
    """Front matter that is unterminated or not valid YAML; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def has_front_matter(text: str) -> bool:
    """Say whether the text opens with a `---` fence line."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.rstrip() == "---"


def split_front_matter(text: str) -> FrontMatter:
    """Parse the YAML between the opening and closing `---` lines; raise FrontMatterError."""
    text = text.lstrip("\ufeff")
    opening = _FENCE.match(text)
    if not opening:
        raise FrontMatterError(1, "front matter must start with a line of three dashes (---)")
    closing = _FENCE.search(text, opening.end())
    if not closing:
        raise FrontMatterError(
            1, "front matter is not closed: add a line of three dashes (---) after the metadata"
        )
    yaml_text = text[opening.end() : closing.start()]
    try:
        meta = yaml.load(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the fence
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(
            line, f"front matter is not valid YAML ({problem}); quote values with colons"
        ) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(2, "front matter must be a list of `key: value` lines")
    body_start = closing.end()
    body_line = text.count("\n", 0, body_start) + 2
    body = text[body_start:].lstrip("\r\n") if body_start < len(text) else ""
    return FrontMatter(meta=meta, body=body, body_line=body_line)
