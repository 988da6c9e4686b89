"""Build the full-text search index with Pagefind, so search works on any static host."""

from __future__ import annotations

import subprocess
from pathlib import Path

from newsgen.errors import BuildError


def pagefind_executable() -> str:
    """The Pagefind binary shipped by the `pagefind[bin]` package."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise BuildError(
            "search needs Pagefind: pip install 'pagefind[bin]' (or build with --no-search)"
        ) from exc
    return str(get_executable())


def index_site(site_root: Path) -> None:
    """Index the article pages under `site_root` into `site_root/pagefind/`."""
    command = [pagefind_executable(), "--site", str(site_root), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BuildError(f"the search index could not be built: {detail}")
