"""Find internal links, images, scripts and stylesheets in a built site that do not resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src"}


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in LINK_ATTRIBUTES:
                self.found.append(value)
            elif name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


def page_url(output: Path, file: Path, base_path: str) -> str:
    relative = file.relative_to(output).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return base_path + relative


def resolve(output: Path, base_path: str, path: str) -> Path | None:
    """Map a root-relative URL path to the file a static host would serve, or None."""
    if not path.startswith(base_path):
        return None
    relative = unquote(path[len(base_path) :])
    target = output / relative
    if path.endswith("/"):
        target = target / "index.html"
    return target


def broken_references(output: Path, base_url: str) -> list[str]:
    """Every internal reference in every page of `output` that points at no file."""
    parts = urlsplit(base_url)
    base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
    site_origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
    problems: list[str] = []
    for file in sorted(output.rglob("*.html")):
        parser = _References()
        parser.feed(file.read_text(encoding="utf-8"))
        here = page_url(output, file, base_path)
        for reference in parser.found:
            absolute = urljoin(here, reference)
            split = urlsplit(absolute)
            if split.scheme in ("mailto", "data", "javascript"):
                continue
            if split.scheme and f"{split.scheme}://{split.netloc}" != site_origin:
                continue  # another site
            target = resolve(output, base_path, split.path)
            if target is None or not target.is_file():
                where = file.relative_to(output).as_posix()
                problems.append(f"{where}: {reference} -> {split.path}")
    return problems
