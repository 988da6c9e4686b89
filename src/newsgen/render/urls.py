"""Turn site-relative paths into links that work at the domain root and under a sub-path."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Urls:
    """Builds the two kinds of link a page needs from the configured `base_url`."""

    base_url: str  # normalised to end in "/"; either absolute or a path
    # Worked out once: pages ask for hundreds of thousands of links in a large build.
    base_path: str = field(init=False)  # such as `/news/`: every internal link starts with it
    is_absolute: bool = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        path = parts.path or "/"
        object.__setattr__(self, "base_path", path if path.endswith("/") else path + "/")
        object.__setattr__(self, "is_absolute", bool(parts.scheme))

    def path(self, relative: str = "") -> str:
        """Root-relative link (`/news/tags/x/`), the form used inside pages."""
        return self.base_path + relative.lstrip("/")

    def absolute(self, relative: str = "") -> str:
        """Full URL for feeds, sitemaps and canonical links (a path when no host is configured)."""
        if self.is_absolute:
            return self.base_url + relative.lstrip("/")
        return self.path(relative)


def page_path(base: str, number: int) -> str:
    """Folder of page `number` of a paginated list rooted at `base` (`tags/x/page/2/`); page 0
    is the list's first page, at `base` itself."""
    return f"{base}page/{number}/" if number else base
