"""Find templates and static files: the site's own first, then the built-in theme."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    TemplateNotFound,
    select_autoescape,
)
from jinja2.loaders import split_template_path

from newsgen.confine import Confined, confined_files, is_inside
from newsgen.paths import STATE_DIR, TEMPLATE_CACHE
from newsgen.render.themedir import PACKAGE_DIR, builtin_templates_dir


def make_environment(site_dir: Path) -> Environment:
    """A Jinja2 environment where `x.html` is the site's override if it has one.

    `default/x.html` always names the built-in template, so an override can extend the
    template it replaces: `{% extends "default/base.html" %}`.
    """
    builtin = str(builtin_templates_dir())
    loaders: list[BaseLoader] = []
    site_templates = site_dir / "templates"
    if site_templates.is_dir():
        loaders.append(_ConfinedLoader(site_templates, site_dir))
    loaders.append(FileSystemLoader(builtin))
    loaders.append(PrefixLoader({"default": FileSystemLoader(builtin)}))
    # Compiled templates are kept in .newsgen/, keyed by each template's source: a build in a
    # fresh checkout with the cache restored (a CI run) compiles none again.
    bytecode = site_dir / STATE_DIR / TEMPLATE_CACHE
    try:
        bytecode.mkdir(parents=True, exist_ok=True)
        cache: FileSystemBytecodeCache | None = FileSystemBytecodeCache(str(bytecode))
    except OSError:
        cache = None  # a read-only site folder: templates are compiled each time, as before
    return _Environment(
        loader=ChoiceLoader(loaders),
        bytecode_cache=cache,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


class _Environment(Environment):
    """Jinja2's environment, where a template without globals of its own reads the
    environment's own dict of them.

    Jinja2 lays a template's globals over the environment's in a ChainMap, and every render,
    include and card copies that map key by key in Python: a measurable share of rendering a
    site. newsgen's templates have no globals of their own, and the environment's dict, read
    directly, stays in step with every global set later.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if not d:
            return self.globals
        return super().make_globals(d)


class _ConfinedLoader(FileSystemLoader):
    """The site's templates, where a link out of the site folder is no template (see confine.py).

    Such a link is reported by `template_files`; here it is passed over, so the built-in
    template of that name is used instead.
    """

    def __init__(self, folder: Path, site_dir: Path) -> None:
        super().__init__(str(folder))
        self._folder = str(folder)
        self._limit = os.path.realpath(site_dir)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self._folder, *split_template_path(template))
        if os.path.lexists(path) and not is_inside(os.path.realpath(path), self._limit):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def static_files(site_dir: Path) -> Confined:
    """Files copied to the output root: the theme's, then the site's, which win on a clash."""
    builtin = builtin_templates_dir()
    theme = confined_files(builtin / "static", builtin, label="static")
    site = confined_files(site_dir / "static", site_dir, label="static")
    return Confined(theme.files | site.files, site.refused)


def template_files(site_dir: Path) -> Confined:
    """The site's own template files that may be read, and the links out that are refused."""
    return confined_files(site_dir / "templates", site_dir, label="templates")


def theme_digest(site_dir: Path) -> str:
    """Digest of every template file, built-in and the site's, so a theme edit re-renders pages."""
    digest = hashlib.blake2b(digest_size=16)
    builtin = builtin_templates_dir()
    for root, limit in ((builtin, builtin), (site_dir / "templates", site_dir)):
        for relative, real in confined_files(root, limit, label="templates").files.items():
            if relative.split("/", 1)[0] == "static":
                continue
            digest.update(relative.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(Path(real).read_bytes())
            digest.update(b"\0")
    # The compiled catalogs too: a corrected translation must reach every page that shows it.
    for catalog in sorted((PACKAGE_DIR / "locale").glob("*/LC_MESSAGES/*.mo")):
        digest.update(catalog.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(catalog.read_bytes())
    return digest.hexdigest()
