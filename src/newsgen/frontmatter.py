"""Split and load YAML front matter (`---` ... `---`) at the top of a seed file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's C loader is ~9x faster than the pure-Python one; YAML is the floor of a big build.
_FastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The C composer recurses without a limit: some 30,000 nested `[` crash the interpreter. Text that
# may nest deeper than this goes to the pure-Python loader, which stops at Python's recursion
# limit, and text that may nest deeper than MAX_NESTING is refused before the slow scan.
MAX_FAST_NESTING = 500
MAX_NESTING = 1000
_TOO_DEEP = "front matter is nested too deeply; write flat `key: value` lines"
_FLOW = re.compile(r"[\[\]{}]")
_BLOCK_INDICATORS = re.compile(r"(?:^|\s)[-?:](?=\s|$)")


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """Read `2025-02-30` as text: an impossible date is the field's problem, not the YAML's."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


class _CLoader(_FastLoader):
    pass


class _PyLoader(yaml.SafeLoader):
    pass


for _loader in (_CLoader, _PyLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

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
    nesting = _nesting_bound(yaml_text)
    if nesting > MAX_NESTING:
        raise FrontMatterError(2, _TOO_DEEP)
    try:
        meta = yaml.load(yaml_text, Loader=_PyLoader if nesting > MAX_FAST_NESTING else _CLoader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from exc
    except RecursionError as exc:
        raise FrontMatterError(2, _TOO_DEEP) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        message = "front matter must be `key: value` lines; write each field as `title: ...`"
        raise FrontMatterError(2, message)
    body_start = closing.end()
    body_line = text.count("\n", 0, body_start) + 2
    body = text[body_start:].lstrip("\r\n") if body_start < len(text) else ""
    return FrontMatter(meta=meta, body=body, body_line=body_line)


def _nesting_bound(yaml_text: str) -> int:
    """Roughly bound how deep the YAML nests (within a factor of two), without parsing it.

    Each level needs a more indented line, an indicator (`- `, `? `, `: `) or an open bracket.
    """
    depth = deepest = 0
    for match in _FLOW.finditer(yaml_text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    block = max(
        (
            len(line) - len(line.lstrip()) + len(_BLOCK_INDICATORS.findall(line))
            for line in yaml_text.split("\n")
        ),
        default=0,
    )
    return deepest + block


def _yaml_error(exc: yaml.YAMLError) -> FrontMatterError:
    """Say where the YAML went wrong, where the construct it was reading began, and the fix."""
    mark = getattr(exc, "problem_mark", None)
    # The YAML text starts right after `---`, on the fence's line: its line 0 is file line 1.
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and start.line + 1 != line:
        what = re.sub(r"^while (?:parsing|scanning) ", "", context)
        problem = f"{problem} in {what} that starts on line {start.line + 1}"
    return FrontMatterError(
        line, f"front matter is not valid YAML ({problem}); {_yaml_fix(problem)}"
    )


def _yaml_fix(problem: str) -> str:
    if "tab character" in problem:
        return "indent with spaces, not tabs"
    if "constructor for the tag" in problem:
        return "remove the `!` tag in front of the value, or put the value in quotes"
    return "put quotes around values that contain `: ` or start with [, {, \" or '"
