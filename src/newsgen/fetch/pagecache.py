"""Remember article pages already fetched, so no page is downloaded twice.

`.newsgen/page-cache/` holds one small JSON file per page URL: the validators for a
conditional GET, and what was extracted (or why nothing was). Not the page itself: the
extracted body is all a seed needs, and a tenth of the size. Losing the folder costs one more
download per page and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.paths import PAGE_CACHE, STATE_DIR

CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class CachedPage:
    """What one page URL gave last time, and when."""

    url: str  # as asked
    final_url: str  # after redirects
    checked: str  # ISO 8601 time of the last answer
    etag: str = ""
    last_modified: str = ""
    body_html: str = ""  # extracted and sanitised; empty when nothing was found
    text_length: int = 0
    failure: str = ""  # why there is no body: robots.txt, an HTTP error, not a web page

    def checked_at(self) -> datetime:
        return datetime.fromisoformat(self.checked)


class PageCache:
    """The page cache of one site folder; reads and writes are safe from many threads."""

    def __init__(self, site_dir: Path) -> None:
        self.folder = site_dir / STATE_DIR / PAGE_CACHE

    def get(self, url: str) -> CachedPage | None:
        """The cached answer for `url`; None when there is none or it cannot be read."""
        try:
            data = json.loads(self._path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged: the page is fetched again
        if not isinstance(data, dict) or data.pop("version", None) != CACHE_VERSION:
            return None
        names = {f.name for f in fields(CachedPage)}
        if set(data) != names or data.get("url") != url:
            return None
        try:
            page = CachedPage(**data)
            page.checked_at()
        except (TypeError, ValueError):
            return None
        return page

    def put(self, page: CachedPage) -> None:
        data = {"version": CACHE_VERSION, **asdict(page)}
        write_atomic(self._path(page.url), json.dumps(data, ensure_ascii=False))

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"
