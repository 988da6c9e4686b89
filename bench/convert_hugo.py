"""Write a seeds folder as Hugo content: one front-matter .html file per article.

Usage: python bench/convert_hugo.py SEEDS CONTENT_DIR

Hugo gets what newsgen gets: the same titles, dates (with their own UTC offsets, which Hugo
handles), summaries, tags, source and HTML body. Three things are spelled out for it because Hugo
has no notion of them:
- `url` pins the article to newsgen's /YYYY/MM/DD/slug/ (the day in UTC, newsgen's default zone);
- `sources` is a taxonomy holding the feed's host, as newsgen's source pages do;
- `years`, `months`, `days` are taxonomies whose terms are the UTC date parts, so Hugo makes a
  paginated list page per period as newsgen's date archives are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus import Entry, read_entries


def front_matter(entry: Entry) -> str:
    utc = entry.utc
    fields = {
        "title": entry.title,
        "date": entry.date.isoformat(),
        "description": entry.description,
        "summary": entry.description,
        "url": "/" + entry.url_path,
        "tags": list(entry.tags),
        "sources": [entry.source],
        "years": [f"{utc:%Y}"],
        "months": [f"{utc:%Y-%m}"],
        "days": [f"{utc:%Y-%m-%d}"],
        "params": {"link": entry.link, "image": entry.image, "source": entry.source},
    }
    # JSON front matter (Hugo reads `{ ... }` at the top of a file): exact, and no quoting rules.
    return json.dumps(fields, ensure_ascii=False, indent=1)


def write_archive_terms(content: Path, days: set[str]) -> None:
    """Give each date term a page at newsgen's archive URL (/2024/, /2024/03/, /2024/03/05/)."""
    terms = {"years": {d[:4] for d in days}, "months": {d[:7] for d in days}, "days": days}
    for taxonomy, names in terms.items():
        for name in sorted(names):
            folder = content / taxonomy / name
            folder.mkdir(parents=True)
            fields = {"title": name, "url": "/" + name.replace("-", "/") + "/"}
            (folder / "_index.html").write_text(json.dumps(fields) + "\n", encoding="utf-8")


def convert(seeds: Path, content: Path) -> int:
    count = 0
    made: set[Path] = set()
    days: set[str] = set()
    for entry in read_entries(seeds):
        days.add(f"{entry.utc:%Y-%m-%d}")
        target = content / "posts" / entry.path.with_suffix(".html")
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(front_matter(entry) + "\n" + entry.body, encoding="utf-8")
        count += 1
    write_archive_terms(content, days)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="seeds folder made by generate_corpus.py")
    parser.add_argument("content", type=Path, help="Hugo content folder to create")
    args = parser.parse_args()
    if args.content.exists() and any(args.content.iterdir()):
        parser.error(f"{args.content} is not empty")
    count = convert(args.seeds, args.content)
    print(f"{count} articles written to {args.content}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
