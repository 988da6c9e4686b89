"""The `fetch` and `feeds` commands: thin wrappers around `newsgen.fetch`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsgen.config import CONFIG_NAME, load_config
from newsgen.fetch.items import is_http_url
from newsgen.fetch.shard import parse_shard, select_shard

FETCH_EPILOG = """\
examples:
  newsgen fetch                          fetch every feed in newsgen.yaml
  newsgen fetch --feed https://example.org/feed.xml
  newsgen fetch --shard 2/4 --jobs 16    the 2nd of 4 stable slices, for a CI job matrix

New items become files in seeds/; a file that is already there is never changed, so edits
survive. Exit code 0 when anything could be fetched, 1 when every feed failed, 2 for usage.
"""

IMPORT_EPILOG = """\
example:
  newsgen feeds import subscriptions.opml

Feeds already in newsgen.yaml are skipped; the rest of the file, comments included, stays.
"""

LIST_EPILOG = """\
examples:
  newsgen feeds list                     one feed a line: URL, name, tags (tab-separated)
  newsgen feeds list --shard 1/3         the feeds `newsgen fetch --shard 1/3` would fetch
"""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `fetch`, `feeds import` and `feeds list` to the main parser's subcommands."""
    _add_fetch(subparsers, common)
    feeds = subparsers.add_parser(
        "feeds",
        help="manage the configured feeds (import an OPML file, list them)",
        description="Manage the feeds listed in newsgen.yaml.",
        epilog=IMPORT_EPILOG + "\n" + LIST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    feeds.set_defaults(run=lambda args: _usage(feeds))
    commands = feeds.add_subparsers(title="commands", metavar="COMMAND")
    importer = commands.add_parser(
        "import",
        parents=[common],
        help="add the feeds of an OPML file to newsgen.yaml",
        description="Add the feeds of an OPML subscription list to newsgen.yaml.",
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importer.add_argument("opml", type=Path, metavar="FILE.opml", help="the OPML file to read")
    importer.set_defaults(run=run_import)
    lister = commands.add_parser(
        "list",
        parents=[common],
        help="list the configured feeds",
        description="List the feeds of newsgen.yaml, one a line.",
        epilog=LIST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lister.add_argument(
        "--shard", type=shard_type, metavar="I/N", help="only the feeds of shard I of N"
    )
    lister.set_defaults(run=run_list)


def _add_fetch(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "fetch",
        parents=[common],
        help="fetch the configured feeds into new files in seeds/",
        description="Fetch RSS, Atom and JSON feeds into seed files in seeds/.",
        epilog=FETCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--feed",
        action="append",
        default=[],
        type=feed_url_type,
        metavar="URL",
        help="fetch this feed instead of the configured ones (repeatable)",
    )
    parser.add_argument(
        "--shard",
        type=shard_type,
        metavar="I/N",
        help="fetch only slice I of N (1 <= I <= N); feeds keep their slice as the list grows",
    )
    parser.add_argument(
        "--jobs", type=jobs_type, default=8, metavar="N", help="feeds fetched at once (default 8)"
    )
    parser.set_defaults(run=run_fetch)


def feed_url_type(text: str) -> str:
    if not is_http_url(text):
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// URL, not {text!r}")
    return text


def shard_type(text: str) -> tuple[int, int]:
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def jobs_type(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 256, not {text!r}")
    return int(text)


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch, print each failure as `fetch: <url>: <reason>` and return the exit code."""
    from newsgen.fetch import fetch  # the HTTP client and feed parser: only for this command

    site = Path(args.site)
    config = load_config(site)
    report = fetch(
        site, config, feed_urls=args.feed, shard=args.shard, jobs=args.jobs, quiet=args.quiet
    )
    for failure in report.failures:
        print(f"fetch: {failure.url}: {failure.reason}", file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return report.exit_code


def run_import(args: argparse.Namespace) -> int:
    from newsgen.fetch import import_opml

    site = Path(args.site)
    added = import_opml(site, args.opml)  # a bad file is a UsageError: main() prints it, exit 2
    if not args.quiet:
        print(f"feeds: added {added} feed{'s' if added != 1 else ''} to {site / CONFIG_NAME}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from newsgen.fetch import list_feeds

    feeds = select_shard(list_feeds(load_config(Path(args.site))), args.shard)
    for feed in feeds:
        print("\t".join((feed.url, feed.name, ", ".join(feed.tags))).rstrip("\t"))
    if not feeds and not args.quiet:
        print("feeds: none configured; add some under feeds: in newsgen.yaml", file=sys.stderr)
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
