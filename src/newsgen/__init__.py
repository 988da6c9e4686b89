"""newsgen: turn news feeds and hand-written seeds into a fast static site."""

from __future__ import annotations

# The one place the version is written: pyproject.toml reads it from here (hatch), which spares
# every command the package-metadata lookup at start-up.
__version__ = "0.1.0"

__all__ = ["__version__", "build"]


def build(*args, **kwargs):
    """Build a site; see `newsgen.build.build` for the arguments."""
    from newsgen.build import build as _build

    return _build(*args, **kwargs)
