"""Every XML file a build writes parses with a strict XML parser, whatever the seeds held."""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import settled
from newsgen.build import build
from newsgen.text.xmlchars import xml_safe

# Characters XML 1.0 cannot hold at all, and some it can, next to them.
FORBIDDEN = ["\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800"]
NASTY = [
    *FORBIDDEN,
    "\x7f",
    "\x85",
    "\u2028",
    "]]>",
    "<![CDATA[",
    "&#1;",
    "&",
    "<",
    "\t",
    "\U0001f600",
]

FIELD_TEXT = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), min_size=1, max_size=8
).map("".join)


def seed(title: str, tags: list[str], summary: str, author: str, body: str, day: int) -> str:
    """A front-matter seed; JSON strings are YAML double-quoted strings, escapes and all."""
    meta = {
        "title": f"Story {day} {title}",
        "date": f"2025-05-{day:02d}",
        "tags": tags,
        "summary": summary,
        "author": author,
        "source": f"Desk {title}",
    }
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
    return f"---\n{front}\n---\n<p>{body}</p>\n"


def build_and_parse_xml(seeds: dict[str, str]) -> list[Path]:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "seeds").mkdir()
        for name, text in seeds.items():
            (site / "seeds" / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        report = build(site, search=False, quiet=True, jobs=1)
        assert report.articles >= 1
        xml_files = sorted((site / "output").rglob("*.xml"))
        for path in xml_files:
            ET.fromstring(path.read_bytes())  # raises ParseError on any ill-formed byte
        settled(site)
        return [path.relative_to(site) for path in xml_files]


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_forbidden_characters_in_every_field_leave_the_xml_well_formed(char: str) -> None:
    text = f"a{char}b"
    files = build_and_parse_xml(
        {"a.md": seed(text, [text, "plain"], text, text, text, 1), "b.txt": f"Title{char}\n\nBody"}
    )
    names = {path.as_posix() for path in files}
    assert "output/feed.xml" in names and "output/sitemap.xml" in names
    if char != "\ud800":  # YAML refuses a lone surrogate: that seed is reported, not built
        assert any(name.startswith("output/tags/") for name in names)  # topic feeds too


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(st.tuples(FIELD_TEXT, st.lists(FIELD_TEXT, max_size=3), FIELD_TEXT), max_size=4))
def test_any_seed_text_gives_well_formed_xml(articles: list[tuple[str, list[str], str]]) -> None:
    seeds = {
        f"s{n}.md": seed(title, tags, text, text, text, n + 1)
        for n, (title, tags, text) in enumerate(articles)
    }
    build_and_parse_xml({**seeds, "good.md": seed("good", ["news"], "s", "a", "b", 28)})


def test_xml_safe_keeps_what_xml_allows() -> None:
    allowed = "tab\there\nline\r\u00e9\u2028\U0001f600\ue000\ufffd"
    assert xml_safe(allowed) == allowed
    assert xml_safe("".join(FORBIDDEN)) == ""
