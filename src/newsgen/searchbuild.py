"""Write the full-text search index of a site, reusing the terms of unchanged articles."""

from __future__ import annotations

import os
from pathlib import Path

from newsgen.output import StagedOutput
from newsgen.searchcache import TermCache
from newsgen.searchindex import SearchDocs, index_files
from newsgen.site import Site

CACHE_NAME = "search-cache.pickle"


def write_search_index(site: Site, staged: StagedOutput, state_dir: Path) -> None:
    """Index every article into `search/` of the staged site; keep the term cache for next time."""
    cache = _load_cache(state_dir / CACHE_NAME)
    for path, data in index_files(SearchDocs(site.articles), cache=cache):
        staged.write(path, data)
    _save_cache(state_dir / CACHE_NAME, cache)


def _load_cache(path: Path) -> TermCache:
    try:
        with open(path, "rb") as file:
            return TermCache.load(file)  # a damaged or outdated cache comes back empty
    except OSError:
        return TermCache()  # no cache yet: the index is made from scratch


def _save_cache(path: Path, cache: TermCache) -> None:
    """Write the cache beside its old copy and rename it over, streaming it to the disk."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:
        cache.dump(file)
    os.replace(temporary, path)
