"""Turn a saved web page into the text a reader gets from select-all and copy in a browser.

Close to the HTML `innerText` rules that browsers copy by: scripts, styles and hidden elements
give nothing, a block element starts a new line, a paragraph or heading stands apart with a
blank line, table cells are separated by tabs. Menus, share rows, cookie notices and footers
stay, as they do in a real paste. Tests build pasted seeds with it from ../shared/corpus/pages
without keeping any page's text in the project.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select",
     "button", "input", "textarea", "video", "audio", "canvas", "map"}
)  # fmt: skip
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li",
     "main", "nav", "ol", "pre", "section", "summary", "table", "tr", "ul", "caption"}
)  # fmt: skip
_SPACED = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BREAK = "\x00"  # a required line break, collapsed with its neighbours at the end


def page_text(path: Path) -> str:
    """The copied text of the page saved at `path`."""
    root = lxml.html.fromstring(path.read_bytes())
    body = root.find("body")
    parts: list[str] = []
    _walk(body if body is not None else root, parts)
    return _layout("".join(parts))


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    hidden = (
        tag in _SKIP
        or not tag
        or element.get("hidden") is not None
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
    )
    if not hidden:
        breaks = 2 if tag in _SPACED else 1 if tag in _BLOCK else 0
        parts.append(_BREAK * breaks)
        if tag == "br":
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append("\t")
        elif tag == "img" and element.get("alt"):
            pass  # copying gives no text for a picture
        parts.append(element.text or "")
        for child in element:
            _walk(child, parts)
        parts.append(_BREAK * breaks)
    parts.append(element.tail or "")


def _layout(raw: str) -> str:
    text = re.sub(r"[ \t\r\f\v\n]+", " ", raw.replace("\n", "\x01"))
    text = text.replace("\x01", "\n")
    lines: list[str] = []
    for run in re.split(f"({_BREAK}+)", text):
        if run.startswith(_BREAK):
            lines.append("\n" * min(len(run), 2))
        else:
            lines.append(run)
    joined = "".join(lines)
    cleaned = "\n".join(line.strip() for line in joined.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip() + "\n"


def page_headline(path: Path) -> str:
    """The page's own headline: its og:title, else its first <h1>."""
    root = lxml.html.fromstring(path.read_bytes())
    for meta in root.iter("meta"):
        if meta.get("property") == "og:title" and meta.get("content"):
            return " ".join(meta.get("content", "").split())
    heading = root.find(".//h1")
    return " ".join(heading.text_content().split()) if heading is not None else ""
