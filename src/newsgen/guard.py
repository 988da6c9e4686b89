"""What a build checks before it replaces a site nobody may be watching.

- A build whose seeds folder is missing or holds no file (a mistyped `--seeds`, a checkout
  without `seeds/`), or that would publish fewer than half the articles of the last build (none
  at all included), stops with `ShrinkError` and leaves `output/` as it was, unless
  `--allow-shrink` says it is meant. A first build of seeds that are all drafts is fine.
- An article dated after now waits for the first build after its time (`--future` shows it now).
- Without an absolute `base_url`, feeds, the sitemap and robots.txt cannot carry the absolute
  URLs their readers need: the build says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from newsgen.errors import BuildError, Diagnostic
from newsgen.models import Article, Config
from newsgen.render.urls import Urls

SHRINK_SHARE = 0.5  # a build may drop up to this share of the last build's articles


class ShrinkError(BuildError):
    """The build would publish far less than before; `output/` was left as it was."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)  # what reading the seeds found, to print first


def check_shrink(
    seeds: Path, count: int, last: int, *, allow: bool, files: int = -1,
    found: Sequence[Diagnostic] = (),
) -> None:  # fmt: skip
    """Raise `ShrinkError` if `count` articles would replace a site of `last`, unless `allow`.

    An empty site is refused when the seeds folder is missing or holds no file (`files`), or
    when articles were published before; a first build of seeds that are all drafts, say, is
    not. `found` are the problems reading the seeds gave, often the reason: the error carries
    them.
    """
    if allow:
        return
    try:
        _check_shrink(seeds, count, last, files)
    except ShrinkError as exc:
        raise ShrinkError(str(exc), found) from None


def _check_shrink(seeds: Path, count: int, last: int, files: int) -> None:
    keep = "output/ was left as it was"
    if not seeds.is_dir():
        raise ShrinkError(
            f"the seeds folder {seeds} does not exist, so the site would be empty; {keep}. "
            "Check --seeds (or create the folder), or pass --allow-shrink to publish an empty site"
        )
    if count == 0 and (files == 0 or last > 0):
        raise ShrinkError(
            f"the seeds folder {seeds} has no article to publish, so the site would be empty; "
            f'{keep}. Add a seed (newsgen new "Title"), or pass --allow-shrink to publish an '
            "empty site"
        )
    if count < last * SHRINK_SHARE:
        raise ShrinkError(
            f"this build would publish {count} articles where the last one published {last}, "
            f"dropping more than half of the site; {keep}. Check --seeds and that seeds/ is "
            "complete; if the articles were removed on purpose, build with --allow-shrink"
        )


def split_future(
    articles: Sequence[Article], now: datetime
) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
    """The articles dated up to `now`, and those that wait for a later build."""
    if not any(article.date > now for article in articles):
        return tuple(articles), ()  # the usual case, without building two lists
    return (
        tuple(a for a in articles if a.date <= now),
        tuple(a for a in articles if a.date > now),
    )


def future_notes(waiting: Sequence[Article]) -> tuple[Diagnostic, ...]:
    return tuple(future_note(article) for article in waiting)


def future_note(article: Article) -> Diagnostic:
    message = (
        f"dated {article.date.isoformat()}, in the future: published by the first build after "
        "then (newsgen build --future shows it now)"
    )
    return Diagnostic(article.seed_path, article.seed_line, "info", message)


def base_url_notes(config: Config) -> tuple[Diagnostic, ...]:
    if Urls(config.site.base_url).is_absolute:
        return ()
    message = (
        f"site.base_url is {config.site.base_url!r}, not an absolute URL: feed.xml and "
        "sitemap.xml carry paths where feed readers and search engines need full URLs, and "
        "robots.txt names no sitemap. Set site.base_url or pass --base-url https://example.org/"
    )
    return (Diagnostic("newsgen.yaml", 1, "warning", message),)
