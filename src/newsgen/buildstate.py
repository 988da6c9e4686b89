"""What the last build left in `.newsgen/`: page signatures. Losing it costs only speed."""

from __future__ import annotations

import json
from pathlib import Path

from newsgen.output import write_atomic

SIGNATURES_NAME = "page-signatures.json"


def load_signatures(state_dir: Path) -> dict[str, str]:
    """Signatures of the pages of the last build, or nothing when there is no usable record."""
    try:
        data = json.loads((state_dir / SIGNATURES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_signatures(state_dir: Path, signatures: dict[str, str]) -> None:
    write_atomic(state_dir / SIGNATURES_NAME, json.dumps(signatures, sort_keys=True).encode())
