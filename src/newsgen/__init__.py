"""newsgen: turn news feeds and hand-written seeds into a fast static site."""

from __future__ import annotations

from typing import Any

from newsgen.version import __version__

__all__ = ["__version__", "build"]


def build(*args: Any, **kwargs: Any) -> Any:
    """Build a site; see `newsgen.build.build` for the arguments."""
    from newsgen.build import build as _build

    return _build(*args, **kwargs)
