"""newsgen: turn news feeds and hand-written seeds into a fast static site."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__", "build"]


def build(*args, **kwargs):
    """Build a site; see `newsgen.build.build` for the arguments."""
    from newsgen.build import build as _build

    return _build(*args, **kwargs)
