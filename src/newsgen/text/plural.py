"""Counts in messages: "1 article", "2 articles", never "1 articles"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str = "") -> str:
    """`number` and the noun in the form it takes: `counted(1, "story", "stories")`."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
