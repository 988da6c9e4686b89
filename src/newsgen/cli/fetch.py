"""The `fetch`, `prune` and `feeds` commands: thin wrappers around `newsgen.fetch`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgen.config import CONFIG_NAME, load_config
from newsgen.fetch.items import is_http_url
from newsgen.fetch.shard import parse_shard, select_shard
from newsgen.text.plural import counted

FETCH_EPILOG = """\
examples:
  newsgen fetch                          fetch every feed in newsgen.yaml
  newsgen fetch --feed https://example.org/feed.xml
  newsgen fetch --shard 2/4 --jobs 16    the 2nd of 4 stable slices, for a CI job matrix
  newsgen fetch --strict                 exit 1 if any feed failed

New items become files in seeds/; a file that is already there is never changed, so edits
survive. Each feed's health goes to feeds-status.json (commit it); a feed that moved for good
gets its new URL in newsgen.yaml. With `retention: {days: N}`, fetched seeds older than that
move to archive/. Exit code 0 when anything could be fetched, 1 when every feed failed (with
--strict: when any failed), 2 for usage.
"""

STATUS_EPILOG = """\
examples:
  newsgen feeds status                   a table: state, last success and failure, items a week
  newsgen feeds status --json            the same as JSON, for scripts

States: ok, failing, silent (no new item for two weeks), gone (410: not asked any more),
moved (permanently, and newsgen.yaml could not be updated), disabled, never fetched.
"""

PRUNE_EPILOG = """\
example:
  newsgen prune                          apply retention: {days: N} of newsgen.yaml now

Fetched seeds dated more than N days ago move from seeds/ to archive/; editors' files stay.
`newsgen fetch` does the same after fetching, except with --shard or --feed.
"""

IMPORT_EPILOG = """\
example:
  newsgen feeds import subscriptions.opml

Folders of the file, and the paths of a feed's category attribute, become the feed's tags.
Feeds already in newsgen.yaml are skipped; the rest of the file, comments included, stays.
"""

LIST_EPILOG = """\
examples:
  newsgen feeds list                     one feed a line: URL, name, tags (tab-separated)
  newsgen feeds list --shard 1/3         the feeds `newsgen fetch --shard 1/3` would fetch
"""

EXPORT_EPILOG = """\
example:
  newsgen feeds export > subscriptions.opml

Each feed sits in a folder named by its first tag; all its tags are in its category, so
`newsgen feeds import` of the file gives the same tags. A built site also has /sources.opml.
"""

FEEDS_EPILOG = """\
examples:
  newsgen feeds import subscriptions.opml   add an OPML file's feeds; folders become tags
  newsgen feeds export > subscriptions.opml write the configured feeds as OPML
  newsgen feeds list --shard 1/3            the feeds `newsgen fetch --shard 1/3` would fetch
  newsgen feeds status                      each feed's health: ok, failing, silent, gone, moved
"""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `fetch`, `feeds import` and `feeds list` to the main parser's subcommands."""
    _add_fetch(subparsers, common)
    feeds = subparsers.add_parser(
        "feeds",
        help="manage the configured feeds (import or export OPML, list them)",
        description="Manage the feeds listed in newsgen.yaml.",
        epilog=FEEDS_EPILOG,
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
    status = commands.add_parser(
        "status",
        parents=[common],
        help="show each feed's health: failing, silent, gone, moved",
        description="Show what is known of each feed's health, from feeds-status.json.",
        epilog=STATUS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_now(status)
    status.set_defaults(run=run_status)
    exporter = commands.add_parser(
        "export",
        parents=[common],
        help="print the configured feeds as an OPML file",
        description="Print the feeds of newsgen.yaml as OPML 2.0, to import in a feed reader.",
        epilog=EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exporter.set_defaults(run=run_export)
    _add_prune(subparsers, common)


def _add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        type=now_type,
        metavar="TIME",
        help="take this ISO 8601 time as the present (to replay scheduled runs)",
    )


def _add_prune(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "prune",
        parents=[common],
        help="move fetched seeds past retention from seeds/ to archive/",
        description="Apply `retention: {days: N}`: move old fetched seeds to archive/.",
        epilog=PRUNE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_now(parser)
    parser.set_defaults(run=run_prune)


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
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when any feed failed, not only all of them"
    )
    _add_now(parser)
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


def now_type(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time such as 2026-03-01T06:00:00Z, not {text!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def jobs_type(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 256, not {text!r}")
    return int(text)


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch, print each failure as `fetch: <url>: <reason>` and return the exit code."""
    from newsgen.fetch import fetch  # the HTTP client and feed parser: only for this command
    from newsgen.fetch.alerts import print_alerts, report_to_github
    from newsgen.fetch.report import Status

    site = Path(args.site)
    config = load_config(site)
    report = fetch(
        site,
        config,
        feed_urls=args.feed,
        shard=args.shard,
        jobs=args.jobs,
        quiet=args.quiet,
        now=args.now,
    )
    for outcome in report.outcomes:
        # A gone feed is told about below, with what to do about it.
        if outcome.error is not None and outcome.status is not Status.GONE:
            print(f"fetch: {outcome.url}: {outcome.error.reason}", file=sys.stderr)
    print_alerts(report.alerts, sys.stderr)
    summary = report.summary()
    if not args.quiet:
        print(summary)
    report_to_github(report.alerts, summary, sys.stdout)
    return report.exit_code_for(strict=args.strict)


def run_prune(args: argparse.Namespace) -> int:
    from newsgen.fetch.run import retire

    site = Path(args.site)
    days = load_config(site).retention.days
    if not days:
        # Not an error: a job may run prune whether or not the site keeps everything.
        if not args.quiet:
            print(
                "prune: nothing to do; to archive old fetched seeds, "
                f"add `retention: {{days: N}}` to {site / CONFIG_NAME}",
                file=sys.stderr,
            )
        return 0
    retired = retire(site, days, args.now)
    if not args.quiet:
        count = len(retired.files)
        print(
            f"prune: {count} fetched seed{'s' if count != 1 else ''} dated before "
            f"{retired.cutoff:%Y-%m-%d} moved to {site / 'archive'}"
        )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from newsgen.fetch.status import feed_statuses, status_table

    site = Path(args.site)
    now = args.now or datetime.now(UTC)
    statuses = feed_statuses(site, load_config(site), now)
    if args.json:
        document = {
            "now": now.isoformat(timespec="seconds"),
            "feeds": [s.as_json() for s in statuses],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif statuses:
        sys.stdout.write(status_table(statuses))
    elif not args.quiet:
        print("feeds: none configured; add some under feeds: in newsgen.yaml", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from newsgen.fetch import import_opml

    site = Path(args.site)
    added = import_opml(site, args.opml)  # a bad file is a UsageError: main() prints it, exit 2
    if not args.quiet:
        print(f"feeds: added {counted(added, 'feed')} to {site / CONFIG_NAME}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from newsgen.fetch import export_opml

    print(export_opml(load_config(Path(args.site))))
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
