"""An example newsgen plugin: every hook, each leaving a mark a test can see.

- article_read: drops articles tagged `plugin-drop` and upper-cases the first title word;
- site_assembled: nothing to change here, so it counts the articles into a file;
- page_context: gives every template a `plugin_note`;
- build_finished: writes `plugin-report.json` into the finished site's folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any


def article_read(article: Any) -> Any:
    if "plugin-drop" in article.tags:
        return None
    first, _, rest = article.title.partition(" ")
    return dataclasses.replace(
        article, title=f"{first.upper()} {rest}".strip(), body_html=article.body_html
    )


def site_assembled(site: Any) -> Any:
    marker = os.environ.get("NEWSGEN_EXAMPLE_PLUGIN_MARKER")
    if marker:
        Path(marker).write_text(str(len(site.articles)), encoding="utf-8")
    return site


def page_context(template: str, path: str, context: dict[str, Any]) -> dict[str, Any]:
    context["plugin_note"] = f"example plugin saw {template}"
    return context


def build_finished(report: Any) -> None:
    summary = {"articles": report.articles, "pages_written": report.pages_written}
    (Path(report.output_dir).parent / "plugin-report.json").write_text(json.dumps(summary))
