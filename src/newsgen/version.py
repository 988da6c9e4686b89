"""The release version, and a digest of the code itself for cache keys.

A cache entry made by one version of the code must never be served by another: a fix to a
reader would otherwise not reach seeds parsed before it. Each cache key carries the digest of
the packages that made its entries, so an upgrade (or a local edit) starts those caches afresh.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

# The one place the version is written: pyproject.toml reads it from here (hatch), which spares
# every command the package-metadata lookup at start-up.
__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_digest(*parts: str) -> str:
    """A digest of the source of these sub-packages or modules of newsgen, and the version."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for part in sorted(parts):
        path = _PACKAGE / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
        for file in files:
            digest.update(str(file.relative_to(_PACKAGE)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()
