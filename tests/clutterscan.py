"""Find tracking and share clutter in built pages: what a reader of a published site must not get.

Used by the corpus test and, as a script, to count what a built site holds:

    python tests/clutterscan.py SITE_OUTPUT_DIR

It is written apart from `newsgen.text.declutter` on purpose: the test must not share the
definitions of the code it checks, or a gap in one would hide in the other.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

TRACKER_HOSTS = (
    "feeds.feedburner.com",
    "feedproxy.google.com",
    "feedsportal.com",
    "pixel.wp.com",
    "stats.wp.com",
    "stats.wordpress.com",
    "doubleclick.net",
    "google-analytics.com",
)
SHARE_URLS = re.compile(
    r"/~ff/|feedflare|facebook\.com/sharer|facebook\.com/share\.php"
    r"|twitter\.com/(?:intent/(?:tweet|retweet|like|favorite)|share)"
    r"|(?:^|//)x\.com/intent|api\.whatsapp\.com/send|//wa\.me/|linkedin\.com/share"
    r"|pinterest\.com/pin/create|reddit\.com/submit|t\.me/share",
    re.IGNORECASE,
)
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid)$", re.IGNORECASE
)
SHARE_TEXT = re.compile(r"^\s*share (?:this|on)\b", re.IGNORECASE)


@dataclass
class Findings:
    """What one page or a whole site holds, by kind, with examples."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < 5:
            shown.append(example[:200])


def _size(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def is_tracker_url(url: str) -> bool:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return any(host == t or host.endswith("." + t) for t in TRACKER_HOSTS)


class _Scanner(HTMLParser):
    def __init__(self, findings: Findings, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.findings = findings
        self.where = where
        self.card_depth = 0
        self.card_images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and "card-image" in values.get("class", ""):
            self.card_depth = 1
        for name in ("href", "src", "srcset"):
            url = values.get(name)
            if url:
                self._url(tag, url)
        if tag == "img":
            width, height = _size(values.get("width")), _size(values.get("height"))
            tiny = (width is not None and width <= 1) or (height is not None and height <= 1)
            if tiny or is_tracker_url(values.get("src", "")):
                self.findings.add("pixel", f"{self.where}: {values.get('src', '')}")
            if self.card_depth:
                self.card_images.append(values.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.card_depth = 0

    def handle_data(self, data: str) -> None:
        if SHARE_TEXT.match(data):
            self.findings.add("widget", f"{self.where}: {data.strip()}")

    def _url(self, tag: str, url: str) -> None:
        if SHARE_URLS.search(url):
            self.findings.add("widget", f"{self.where}: <{tag}> {url}")
        if tag == "a" and is_tracker_url(url) and "/~ff/" in url:
            self.findings.add("widget", f"{self.where}: <{tag}> {url}")
        for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            if TRACKING_PARAMS.match(name):
                self.findings.add("tracking parameter", f"{self.where}: {url}")
                if name.lower().startswith("utm_"):
                    self.findings.add("utm", f"{self.where}: {url}")
                break


def scan_page(text: str, where: str, findings: Findings) -> list[str]:
    """Add what one HTML page holds to `findings`; return the page's card image addresses."""
    scanner = _Scanner(findings, where)
    scanner.feed(text)
    scanner.close()
    return scanner.card_images


def scan_site(output: Path) -> tuple[Findings, set[str]]:
    """Scan every HTML page under `output`; return the findings and every card image address."""
    findings = Findings()
    cards: set[str] = set()
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        cards.update(scan_page(text, str(page.relative_to(output)), findings))
        findings.counts["pages"] += 1
    return findings, cards


if __name__ == "__main__":
    found, card_images = scan_site(Path(sys.argv[1]))
    for kind, count in sorted(found.counts.items()):
        print(f"{kind:20} {count}")
    print(f"{'card images':20} {len(card_images)}")
    for kind, shown in found.examples.items():
        for example in shown:
            print(f"  {kind}: {example}")
