"""Write the full-text search index of a site, reusing the terms of unchanged articles."""

from __future__ import annotations

from pathlib import Path

from newsgen.output import StagedOutput, write_atomic
from newsgen.searchcache import TermCache
from newsgen.searchindex import SearchDocs, build_index
from newsgen.site import Site

CACHE_NAME = "search-cache.pickle"


def write_search_index(site: Site, staged: StagedOutput, state_dir: Path) -> None:
    """Index every article into `search/` of the staged site; keep the term cache for next time."""
    cache = _load_cache(state_dir / CACHE_NAME)
    for path, data in build_index(SearchDocs(site.articles), cache=cache):
        staged.write(path, data)
    write_atomic(state_dir / CACHE_NAME, cache.dumps())


def _load_cache(path: Path) -> TermCache:
    try:
        data = path.read_bytes()
    except OSError:
        return TermCache()  # no cache yet: the index is made from scratch
    return TermCache.loads(data)  # a damaged or outdated cache comes back empty
