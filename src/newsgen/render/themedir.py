"""Where the built-in theme is, found without loading Jinja: a build with nothing to do lists the
theme's files for its fingerprint and stops, and must not pay for the template engine."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the newsgen package, not render/


def builtin_templates_dir() -> Path:
    """The built-in theme: inside the installed package, or the source tree's `templates/`."""
    installed = PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    source_tree = PACKAGE_DIR.parents[1] / "templates"
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError(f"the built-in templates are missing (looked in {installed})")
