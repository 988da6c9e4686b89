"""Find templates and static files: the site's own first, then the built-in theme."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    select_autoescape,
)

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


def make_environment(site_dir: Path) -> Environment:
    """A Jinja2 environment where `x.html` is the site's override if it has one.

    `default/x.html` always names the built-in template, so an override can extend the
    template it replaces: `{% extends "default/base.html" %}`.
    """
    builtin = str(builtin_templates_dir())
    loaders: list[BaseLoader] = []
    site_templates = site_dir / "templates"
    if site_templates.is_dir():
        loaders.append(FileSystemLoader(str(site_templates)))
    loaders.append(FileSystemLoader(builtin))
    loaders.append(PrefixLoader({"default": FileSystemLoader(builtin)}))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def static_dirs(site_dir: Path) -> list[Path]:
    """Folders copied to the output root, later ones winning: the theme's, then the site's."""
    dirs = [builtin_templates_dir() / "static"]
    if (site_dir / "static").is_dir():
        dirs.append(site_dir / "static")
    return [d for d in dirs if d.is_dir()]


def theme_digest(site_dir: Path) -> str:
    """Digest of every template file, built-in and the site's, so a theme edit re-renders pages."""
    digest = hashlib.blake2b(digest_size=16)
    roots = [builtin_templates_dir(), site_dir / "templates"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and "static" not in p.relative_to(root).parts[:1]
        ):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
