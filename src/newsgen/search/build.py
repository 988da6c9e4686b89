"""Write the full-text search index of a site, reusing the terms of unchanged articles."""

from __future__ import annotations

from pathlib import Path

from newsgen.atomicwrite import write_atomic_with
from newsgen.models import Site
from newsgen.output.staging import StagedOutput
from newsgen.paths import SEARCH_CACHE, SEARCH_TERMS
from newsgen.search.cache import TermCache, shelf_rules
from newsgen.search.index import SearchDocs, index_files
from newsgen.search.shelf import TermShelf
from newsgen.text.language import primary_language


def search_docs(site: Site) -> SearchDocs:
    """The site's articles as the search index reads them."""
    return SearchDocs(
        site.articles, primary_language(site.config.language), site.config.article_permalink
    )


def write_search_index(
    site: Site,
    staged: StagedOutput,
    state_dir: Path,
    *,
    workers: int = 1,
    docs: SearchDocs | None = None,
) -> None:
    """Index every article into `search/` of the staged site; keep the term cache for next time.

    Up to `workers` processes index a first build's articles, or tokenise the articles the cache
    does not hold. `docs` is `search_docs(site)`, when the caller made it.
    """
    cache = _load_cache(state_dir)
    cache.workers = workers
    docs = search_docs(site) if docs is None else docs
    for path, data in index_files(docs, cache=cache):
        staged.write(path, data)
    _save_cache(state_dir, cache)


def _load_cache(state_dir: Path) -> TermCache:
    shelf = TermShelf(state_dir / SEARCH_TERMS, shelf_rules())
    try:
        with open(state_dir / SEARCH_CACHE, "rb") as file:
            return TermCache.load(file, shelf=shelf)  # a damaged or outdated one comes back empty
    except OSError:
        return TermCache(shelf)  # no cache yet: the index is made from scratch


def _save_cache(state_dir: Path, cache: TermCache) -> None:
    # The last index, streamed rather than held twice in memory, then the shelf's changes.
    write_atomic_with(state_dir / SEARCH_CACHE, cache.dump)
    cache.save_terms()
