"""Write a seeds folder as Pelican content: one HTML file per article, metadata in <meta> tags.

Usage: python bench/convert_pelican.py SEEDS CONTENT_DIR

Pelican gets the same articles newsgen gets, with these adaptations:
- Dates are converted to UTC and written without an offset (Pelican's TIMEZONE is UTC). Given
  the seeds' mixed offsets, Pelican aborts with FileOverwriteFailedError on its year/month/day
  archives: it sorts articles by instant but groups them by each date's local year/month/day, so
  one period comes up twice and Pelican refuses to write its page a second time. UTC also puts
  each article on the same day as newsgen, whose default zone is UTC.
- The feed's host becomes the article's Pelican category: Pelican allows one category per
  article, which is exactly what a source is, and its category pages are our source pages.
- The slug is written out so that URLs match newsgen's (/YYYY/MM/DD/slug/, unique per day).
- HTML files rather than Markdown, because the bodies are HTML already: Pelican's HTML reader only
  lifts them out of <body>, which is less work than running them through Markdown.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

from corpus import Entry, read_entries

ROBOTS = "User-agent: *\nAllow: /\nSitemap: https://example.org/news/sitemap.xml\n"
NOT_FOUND = """<html><head><title>Page not found</title>
<meta name="save_as" content="404.html"><meta name="status" content="hidden">
</head><body><p>The page you asked for is not here.</p></body></html>
"""


def meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{escape(value)}">'


def document(entry: Entry) -> str:
    head = [
        f"<title>{escape(entry.title, quote=False)}</title>",
        meta("date", f"{entry.utc:%Y-%m-%d %H:%M:%S}"),
        meta("slug", entry.slug),
        meta("category", entry.source),
        meta("tags", ", ".join(entry.tags)),
        meta("summary", escape(entry.description, quote=False)),
        meta("description", entry.description),
        meta("link", entry.link),
        meta("image", entry.image),
    ]
    return f"<html><head>\n{chr(10).join(head)}\n</head><body>\n{entry.body}\n</body></html>\n"


def convert(seeds: Path, content: Path) -> int:
    count = 0
    made: set[Path] = set()
    for entry in read_entries(seeds):
        target = content / "posts" / entry.path.with_suffix(".html")
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(document(entry), encoding="utf-8")
        count += 1
    (content / "pages").mkdir()
    (content / "pages" / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (content / "extra").mkdir()
    (content / "extra" / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="seeds folder made by generate_corpus.py")
    parser.add_argument("content", type=Path, help="Pelican content folder to create")
    args = parser.parse_args()
    if args.content.exists() and any(args.content.iterdir()):
        parser.error(f"{args.content} is not empty")
    count = convert(args.seeds, args.content)
    print(f"{count} articles written to {args.content}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
