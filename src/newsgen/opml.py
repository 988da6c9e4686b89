"""The OPML subscription-list codec: read folders and categories as tags, write a blogroll.

Read with the standard library's expat, which refuses external entities and caps entity
expansion, and strictly: a broken file is an error naming it, never a silent partial import.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgen.errors import UsageError


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed of an OPML file."""

    url: str
    name: str = ""
    tags: tuple[str, ...] = ()  # from the folders it sits in and its `category` attribute


def read_opml(path: Path) -> list[Subscription]:
    """The feeds an OPML file subscribes to, in document order, each tagged with the names of
    the folders (outlines without a feed) it is nested in and the paths of its `category`."""
    try:
        root = ElementTree.parse(path).getroot()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    except ElementTree.ParseError as exc:
        raise UsageError(f"{path}: not a valid OPML file: {exc}") from exc
    if root.tag.lower() != "opml":
        raise UsageError(f"{path}: not an OPML file (the root element is <{root.tag}>)")
    body = root.find("body")
    return list(_walk(body if body is not None else root, ()))


def _walk(parent: ElementTree.Element, folders: tuple[str, ...]) -> Iterator[Subscription]:
    for outline in parent.findall("outline"):
        attributes = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        name = " ".join((attributes.get("title") or attributes.get("text") or "").split())
        url = attributes.get("xmlurl", "")
        if url:
            name = "" if name == url else name  # OPML needs a text: writers put the URL there
            tags = (*folders, *_category_tags(attributes.get("category", "")))
            yield Subscription(url, name, tuple(dict.fromkeys(tags)))
        # A feed outline may hold others too; a folder is an outline without a feed.
        yield from _walk(outline, (*folders, name) if not url and name else folders)


def _category_tags(category: str) -> list[str]:
    """`/News/World,/Tech` (OPML 2.0: comma-separated, slash-delimited paths) -> each name."""
    return [
        part.strip() for path in category.split(",") for part in path.split("/") if part.strip()
    ]


def write_opml(subscriptions: Iterable[Subscription], *, title: str, owner_url: str = "") -> str:
    """An OPML 2.0 document: feeds in a folder named by their first tag, every tag in `category`.

    Reading it back with `read_opml` gives each feed the same tags.
    """
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    if owner_url:
        ElementTree.SubElement(head, "ownerId").text = owner_url
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {}
    for feed in subscriptions:
        parent = body
        if feed.tags:
            parent = folders.get(feed.tags[0]) or ElementTree.SubElement(
                body, "outline", text=feed.tags[0], title=feed.tags[0]
            )
            folders[feed.tags[0]] = parent
        attributes = {"type": "rss", "text": feed.name or feed.url, "xmlUrl": feed.url}
        if feed.name:
            attributes["title"] = feed.name
        if len(feed.tags) > 1:
            attributes["category"] = ",".join(f"/{_one_name(tag)}" for tag in feed.tags)
        ElementTree.SubElement(parent, "outline", attributes)
    ElementTree.indent(root, space="  ")
    text = ElementTree.tostring(root, encoding="unicode", xml_declaration=False)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}'


def _one_name(tag: str) -> str:
    """A tag as one category name: `/` and `,` would split it."""
    return " ".join(tag.replace("/", " ").replace(",", " ").split())
