"""Give Pelican the two things newsgen's pages have that Pelican lacks out of the box.

- `article.newer` / `article.older`: the neighbouring articles site-wide, for the links at the
  foot of an article page (what the pelican-neighbors plugin does).
- `search.json`: title, URL, date, source, tags, summary and plain text of every article, the
  index a client-side search loads (what tipue_search and similar plugins write).
"""

import json
from pathlib import Path

from markupsafe import Markup
from pelican import signals


def link_neighbours(generator):
    articles = generator.articles  # newest first
    for index, article in enumerate(articles):
        article.newer = articles[index - 1] if index else None
        article.older = articles[index + 1] if index + 1 < len(articles) else None


def write_search_index(generator, writer):
    index = [
        {
            "url": "/" + article.url,
            "title": article.title,
            "date": article.date.strftime("%Y-%m-%d"),
            "source": article.category.name,
            "tags": [tag.name for tag in getattr(article, "tags", [])],
            "summary": Markup(article.summary).striptags(),
            "content": Markup(article.content).striptags(),
        }
        for article in generator.articles
    ]
    target = Path(generator.output_path) / "search.json"
    target.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def register():
    signals.article_generator_finalized.connect(link_neighbours)
    signals.article_writer_finalized.connect(write_search_index)
