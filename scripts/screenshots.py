"""Take the README's screenshots: the sample site on a desktop and on a phone, light and dark.

    python scripts/screenshots.py [--seeds ../shared/seeds] [--out docs/screenshots]

Builds the seeds into a temporary site folder, serves it on 127.0.0.1 and photographs the front
page, an article, a tag page and the search page with headless Chromium (Debian's `chromium`).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from newsgen.build import build

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium's own connections are refused here and it
# logs errors into the pages' consoles; a fresh profile keeps every run the same.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SAMPLE_CONFIG = (
    "site:\n"
    '  title: "World Desk"\n'
    '  description: "Coverage of the war in Ukraine from agencies and broadcasters."\n'
    # The whole article layout, body and all: a desk that republishes with permission.
    "  show: full\n"
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for the script's own output."""


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1 and yield its address."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_sample(seeds: Path, work: Path) -> Path:
    site = work / "site"
    shutil.copytree(seeds, site / "seeds")
    (site / "newsgen.yaml").write_text(SAMPLE_CONFIG, encoding="utf-8")
    report = build(site, quiet=True)
    print(report.summary())
    return report.output_dir


def pick_pages(output: Path) -> dict[str, str]:
    """Front, the longest article, the biggest topic and source, and a search."""
    articles = sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))
    article = max(articles, key=lambda p: (p.stat().st_size, p.as_posix()))
    tags = sorted((output / "tags").glob("*/index.html"))
    tag = max(tags, key=lambda p: (p.stat().st_size, p.as_posix()))
    sources = sorted((output / "sources").glob("*/index.html"))
    source = max(sources, key=lambda p: (p.stat().st_size, p.as_posix()))
    return {
        "front": "",
        "article": article.parent.relative_to(output).as_posix() + "/",
        "tag": tag.parent.relative_to(output).as_posix() + "/",
        "source": source.parent.relative_to(output).as_posix() + "/",
        "search": "search/?q=Oreshnik%20Belarus",
    }


def shoot(page: Page, url: str, target: Path, *, wait_for: str | None) -> None:
    page.goto(url, wait_until="networkidle")
    if wait_for:
        page.wait_for_selector(wait_for, timeout=10_000)
    # Small PNGs: the README needs the look of the page, not every pixel of a long list.
    page.screenshot(path=str(target), full_page=False)
    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)


def take_all(base: str, pages: dict[str, str], out: Path, *, dark: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            color_scheme="dark" if dark else "light",
        )
        try:
            for device, (width, height) in VIEWPORTS.items():
                page = browser.new_page()
                page.set_viewport_size({"width": width, "height": height})
                for name, path in pages.items():
                    suffix = "-dark" if dark else ""
                    wait_for = ".finder-results > li" if name == "search" else None
                    target = out / f"{name}-{device}{suffix}.png"
                    shoot(page, base + path, target, wait_for=wait_for)
                page.close()
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--no-dark", action="store_true", help="skip the dark-mode variants")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(
            f"screenshots need Chromium at {CHROMIUM} (apt-get install chromium)", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory() as work:
        output = build_sample(args.seeds, Path(work))
        pages = pick_pages(output)
        with serving(output) as base:
            take_all(base, pages, args.out, dark=False)
            if not args.no_dark:
                take_all(base, pages, args.out, dark=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
