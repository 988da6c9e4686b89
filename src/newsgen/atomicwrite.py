"""Write a state or cache file whole or not at all: beside it first, then renamed over it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`; a reader sees the old file or the new one, never a part."""
    write_atomic_with(path, lambda file: file.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write_atomic`, for data written into the open file (streamed, never held whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:
        write(file)
    os.replace(temporary, path)
