"""The `newsgen parse` command: parse the seeds into the build's cache ahead of the build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsgen.cli.arguments import positive_int

EXAMPLE = """\
newsgen parse                          every seed, then `newsgen build` parses none again
  newsgen parse --shard 2/4 --jobs 4     the 2nd of 4 slices, for a CI job matrix"""


def shard_type(text: str) -> tuple[int, int]:
    from newsgen.fetch.shard import parse_shard
    from newsgen.readers.cache import SHARDS

    try:
        index, count = parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if count > SHARDS:
        raise argparse.ArgumentTypeError(
            f"at most {SHARDS} slices: the parse cache is {SHARDS} files, not {count}"
        )
    return index, count


def run_parse(args: argparse.Namespace) -> int:
    from newsgen.parse_ahead import parse_ahead

    report = parse_ahead(Path(args.site), seeds_dir=args.seeds, shard=args.shard, jobs=args.jobs)
    for diagnostic in report.diagnostics:
        if diagnostic.level in ("error", "warning"):
            print(diagnostic, file=sys.stderr)
    if not args.quiet:
        print(report.summary())
        for path in report.cache_files:
            print(f"  {path}")
    return 1 if report.errors else 0


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `parse` to the command line (called by `newsgen.cli.main`)."""
    help_text = "parse the seeds into the build's cache (.newsgen/parse-cache/), build nothing"
    command = subparsers.add_parser(
        "parse",
        parents=[common],
        help=help_text,
        description=(
            f"{help_text}. With --shard I/N, only the seeds of slice I of N, writing only the "
            "cache files that slice owns and listing them: N jobs of a CI matrix each parse one "
            "slice, their files are copied together into .newsgen/parse-cache/, and the build "
            "that follows reuses every seed they parsed. Exits 1 when a seed has an error."
        ),
        epilog=f"examples:\n  {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "--seeds", type=Path, metavar="DIR", help="seeds folder (default: SITE/seeds)"
    )
    command.add_argument(
        "--shard", type=shard_type, metavar="I/N", help="only slice I of N (N at most 256)"
    )
    command.add_argument(
        "--jobs", type=positive_int, metavar="N", help="worker processes (default: all cores)"
    )
    command.set_defaults(run=run_parse)
