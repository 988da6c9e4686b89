"""Read the records newsgen keeps of its own (in `.newsgen/` and beside the site), in JSON or
pickled.

Each is one object with a field saying which format wrote it. A record that is missing, damaged
or of another format is as if there were none: every caller then starts from nothing, which
costs time or history, never correctness.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

# A record file's size and time, None when it is missing: what tells one record from another
# written over it, for a record of another that must follow it.
Written = tuple[int, int] | None


def read_record(path: Path, tag: str, expected: object) -> dict[str, Any] | None:
    """The record's object, or None when the file is missing, is not JSON, or its `tag` field
    is not `expected`."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get(tag) != expected:
        return None
    return record


def read_pickled_record(path: Path, tag: str, expected: object) -> dict[str, Any] | None:
    """`read_record` for a record newsgen pickled: None when the file is missing, damaged, or
    its `tag` field is not `expected`."""
    try:
        record = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(record, dict) or record.get(tag) != expected:
        return None
    return record


def written(path: Path) -> Written:
    """The size and time of the file at `path`, or None when there is none."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


def edits_of(record: Path, edits: Path, tag: str, expected: object) -> dict[str, Any] | None:
    """What is kept in `edits` of the record at `record`, read as `read_pickled_record` reads
    it, when it names that record as it is on disk (its `record` field, `written(record)`):
    edits of a record written whole since, or of none, no longer apply. A large record is kept
    this way when a build changes little of it, and written whole, then its edits deleted,
    when it changes more."""
    data = read_pickled_record(edits, tag, expected)
    now = written(record)
    if data is None or now is None or data.get("record") != now:
        return None
    return data
