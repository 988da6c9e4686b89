"""Score `full_text: true` against hand labels: how much of each body is the article, and of it.

Usage: python bench/fulltext_eval.py [--shared ../shared] [--show PAGE]

The 20 labelled pages of ../shared/corpus/pages/ (tests/data/fulltext_labels.yaml) are served
from 127.0.0.1 by a feed whose items carry one sentence each, and fetched for real by
`newsgen fetch` with `full_text: true`. Each seed's body is then compared with the labelled
article, token by token (words, case-folded, counted with repeats):

    precision  the share of the body's tokens that are article tokens
    recall     the share of the article's tokens that the body holds

Prints both per page, their mean over pages and over all tokens (micro), and the pages whose
seed kept the feed's text, with the reason the seed gives.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml
from lxml import html as lxml_html

from newsgen.fetch import fetch
from newsgen.fetch.pages import PagePolicy
from newsgen.fetch.text import html_to_text
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "data" / "fulltext_labels.yaml"
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "tests"))  # the 127.0.0.1 file server the fetch tests use

_BLOCK_TEXT = """p div br h1 h2 h3 h4 h5 h6 li tr blockquote figcaption pre section article header
    footer ul ol table figure aside nav main dd dt"""
BLOCKS = frozenset(_BLOCK_TEXT.split())
_BOUNDARY = "\x00"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Label:
    page: str
    first: str
    last: str
    skip: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Score:
    page: str
    precision: float
    recall: float
    matched: int
    extracted: int
    reference: int
    source: str  # `page` or `feed`
    note: str = ""

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_labels(path: Path = LABELS) -> list[Label]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Label(item["page"], item["first"], item["last"], tuple(item.get("skip", ())))
        for item in raw
    ]


def page_blocks(data: bytes) -> list[str]:
    """A page's visible text, one entry per block element, whitespace collapsed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    document = lxml_html.document_fromstring(text)
    for hidden in document.xpath("//script|//style|//noscript|//template"):
        hidden.drop_tree()
    body = document.find("body")
    parts: list[str] = []
    _walk(body if body is not None else document, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split(_BOUNDARY))
    return [line for line in lines if line]


def _walk(element: lxml_html.HtmlElement, parts: list[str]) -> None:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        parts.append(element.tail or "")
        return
    block = element.tag in BLOCKS
    parts.append(_BOUNDARY if block else "")
    parts.append(element.text or "")
    for child in element:
        _walk(child, parts)
    parts.append(_BOUNDARY if block else "")
    parts.append(element.tail or "")


def reference_blocks(label: Label, blocks: list[str]) -> list[str]:
    """The labelled article: from `first` through `last`, without the skipped blocks."""
    start = _find(blocks, label.first, 0, label)
    end = _find(blocks, label.last, start, label)
    kept = blocks[start : end + 1]
    for rule in label.skip:
        if " .. " in rule:
            begin, finish = rule.split(" .. ", 1)
            a = _find(kept, begin, 0, label)
            b = _find(kept, finish, a, label)
            kept = kept[:a] + kept[b + 1 :]
        else:
            kept = [block for block in kept if not block.startswith(rule)]
    return kept


def _find(blocks: list[str], prefix: str, start: int, label: Label) -> int:
    for index in range(start, len(blocks)):
        if blocks[index].startswith(prefix):
            return index
    raise ValueError(f"{label.page}: no block starts with {prefix!r}; fix the label")


def tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.casefold()))


def score(page: str, extracted: str, reference: str, source: str, note: str = "") -> Score:
    got, want = tokens(extracted), tokens(reference)
    matched = sum((got & want).values())
    size, wanted = sum(got.values()), sum(want.values())
    return Score(
        page=page,
        precision=matched / size if size else 0.0,
        recall=matched / wanted if wanted else 0.0,
        matched=matched,
        extracted=size,
        reference=wanted,
        source=source,
        note=note,
    )


def fetched_bodies(pages_dir: Path, names: list[str]) -> Iterator[tuple[str, dict, str]]:
    """Fetch every page through a full-text feed on 127.0.0.1; yield (page, meta, body)."""
    from feedserver import FeedServer

    server = FeedServer(root=pages_dir).start()
    try:
        items = "".join(
            f"<item><title>Page {n}</title><link>{escape(server.url(name))}</link>"
            "<description>One sentence from the feed.</description></item>"
            for n, name in enumerate(names)
        )
        feed = server.add(
            "feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pages</title>{items}'
            "</channel></rss>",
        )
        with tempfile.TemporaryDirectory() as site:
            config = Config(feeds=(FeedConfig(url=feed, full_text=True),))
            fetch(Path(site), config, quiet=True, page_policy=PagePolicy(delay=0.0))
            for path in sorted(Path(site, "seeds").rglob("*.md")):
                parsed = split_front_matter(path.read_text(encoding="utf-8"))
                yield parsed.meta["link"].rsplit("/", 1)[1], parsed.meta, parsed.body
    finally:
        server.stop()


def evaluate(shared: Path = SHARED, labels: list[Label] | None = None) -> list[Score]:
    """Fetch and score every labelled page, in label order."""
    labels = labels if labels is not None else load_labels()
    pages_dir = shared / "corpus" / "pages"
    by_page = {label.page: label for label in labels}
    scores: dict[str, Score] = {}
    for page, meta, body in fetched_bodies(pages_dir, list(by_page)):
        label = by_page[page]
        reference = " ".join(reference_blocks(label, page_blocks((pages_dir / page).read_bytes())))
        source = meta.get("body_source", "")
        scores[page] = score(page, html_to_text(body), reference, source, meta.get("body_note", ""))
    return [scores[label.page] for label in labels]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder")
    parser.add_argument("--show", metavar="PAGE", help="print a page's labelled article blocks")
    args = parser.parse_args()
    labels = load_labels()
    if args.show:
        label = next(label for label in labels if label.page == args.show)
        data = (args.shared / "corpus" / "pages" / label.page).read_bytes()
        for block in reference_blocks(label, page_blocks(data)):
            print(block[:100])
        return 0
    scores = evaluate(args.shared, labels)
    print(f"{'page':42} {'P':>6} {'R':>6} {'F1':>6}  body")
    for s in scores:
        note = f"  ({s.note})" if s.note else ""
        print(f"{s.page:42} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.source}{note}")
    count = len(scores)
    mean_p = sum(s.precision for s in scores) / count
    mean_r = sum(s.recall for s in scores) / count
    micro_p = sum(s.matched for s in scores) / max(1, sum(s.extracted for s in scores))
    micro_r = sum(s.matched for s in scores) / max(1, sum(s.reference for s in scores))
    print(f"{'mean over ' + str(count) + ' pages':42} {mean_p:6.3f} {mean_r:6.3f}")
    print(f"{'over all tokens':42} {micro_p:6.3f} {micro_r:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
