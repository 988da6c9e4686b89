"""Plugins: installed packages that hook into the build, found through an entry point.

A plugin package declares an entry point in the group `newsgen.plugins`, naming an object (a
module, a class or an instance) that has any of these hooks:

    article_read(article)               -> Article | None   after a seed is read; None drops it
    site_assembled(site)                -> Site              after stories, lists and archives
    page_context(template, path, ctx)   -> dict | None       before a page is rendered
    build_finished(report)              -> None              after output/ is swapped in

A site turns plugins on by name in `newsgen.yaml` (`plugins: [name]`), as MkDocs does, so that
installing a package never changes a site that did not ask for it. Hooks run in the order the
site lists the plugins. Their names and versions are part of each page's signature, so adding,
removing or upgrading a plugin makes the pages again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from newsgen.errors import ConfigError
from newsgen.models import Article, Site

GROUP = "newsgen.plugins"
HOOKS = ("article_read", "site_assembled", "page_context", "build_finished")


@dataclass(frozen=True, slots=True)
class Plugin:
    name: str
    version: str
    hooks: Any  # the object the entry point names


@dataclass(frozen=True, slots=True)
class Plugins:
    """The plugins a site turned on, in its order, and a way to call each hook on all of them."""

    loaded: tuple[Plugin, ...] = ()

    @property
    def identity(self) -> str:
        """Names and versions, for signatures and cache keys: empty with no plugin."""
        return ",".join(f"{p.name}=={p.version}" for p in self.loaded)

    def _with(self, hook: str) -> list[Any]:
        return [getattr(p.hooks, hook) for p in self.loaded if callable(getattr(p.hooks, hook, 0))]

    def articles_read(self, articles: Iterable[Article]) -> tuple[Article, ...]:
        hooks = self._with("article_read")
        if not hooks:
            return tuple(articles)
        kept: list[Article] = []
        for article in articles:
            changed: Article | None = article
            for hook in hooks:
                changed = hook(changed)
                if changed is None:
                    break
            if changed is not None:
                kept.append(changed)
        return tuple(kept)

    def site_assembled(self, site: Site) -> Site:
        for hook in self._with("site_assembled"):
            site = hook(site)
        return site

    def has_page_context(self) -> bool:
        return bool(self._with("page_context"))

    def page_context(self, template: str, path: str, context: dict[str, Any]) -> dict[str, Any]:
        for hook in self._with("page_context"):
            context = hook(template, path, dict(context)) or context
        return context

    def build_finished(self, report: object) -> None:
        """Tell the plugins the build is done; `report` is the `newsgen.build.BuildReport`."""
        for hook in self._with("build_finished"):
            hook(report)


NO_PLUGINS = Plugins()


def installed() -> dict[str, EntryPoint]:
    """Every plugin installed in this environment, by name."""
    return {point.name: point for point in entry_points(group=GROUP)}


def load_plugins(names: Sequence[str], config_path: str = "newsgen.yaml") -> Plugins:
    """Load the plugins a site names; a name not installed, or one that fails, is a config error."""
    if not names:
        return NO_PLUGINS
    available = installed()
    problems: list[str] = []
    loaded: list[Plugin] = []
    for name in names:
        point = available.get(name)
        if point is None:
            have = ", ".join(sorted(available)) or "none"
            problems.append(
                f"plugins: {name!r} is not installed (installed plugins: {have}); "
                f"install the package that provides it, or remove it from the list"
            )
            continue
        try:
            hooks = point.load()
        except Exception as exc:  # noqa: BLE001 - a plugin's own import error, reported by name
            problems.append(f"plugins: {name!r} failed to load: {type(exc).__name__}: {exc}")
            continue
        if not any(callable(getattr(hooks, hook, None)) for hook in HOOKS):
            problems.append(f"plugins: {name!r} has none of the hooks {', '.join(HOOKS)}")
            continue
        version = point.dist.version if point.dist is not None else "0"
        loaded.append(Plugin(name, version, hooks))
    if problems:
        raise ConfigError(config_path, problems)
    return Plugins(tuple(loaded))
