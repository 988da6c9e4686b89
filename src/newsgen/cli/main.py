"""The `newsgen` command: a thin layer that parses options, calls the library, maps errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from newsgen.cli.arguments import positive_int
from newsgen.errors import ConfigError, NewsgenError, UsageError
from newsgen.version import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", default=".", metavar="DIR", help="site folder (default: .)")
    common.add_argument("--quiet", action="store_true", help="print only problems")
    return common


def _command(subparsers, name: str, common, help: str, example: str):
    return subparsers.add_parser(
        name,
        parents=[common],
        help=help,
        description=help,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _print_diagnostics(diagnostics, *, levels: Sequence[str]) -> None:
    for diagnostic in diagnostics:
        if diagnostic.level in levels:
            print(diagnostic, file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    from newsgen.guard import ShrinkError

    try:
        return _build(args)
    except ShrinkError as exc:
        _print_diagnostics(exc.diagnostics, levels=("error", "warning"))
        print(f"newsgen build: {exc}", file=sys.stderr)
        return EXIT_CONTENT


def _build(args: argparse.Namespace) -> int:
    from newsgen.build import build

    report = build(
        Path(args.site),
        seeds_dir=args.seeds,
        output_dir=args.output,
        base_url=args.base_url,
        drafts=args.drafts,
        strict=args.strict,
        search=not args.no_search,
        jobs=args.jobs,
        quiet=args.quiet,
        future=args.future,
        allow_shrink=args.allow_shrink,
    )
    _print_diagnostics(report.diagnostics, levels=("error", "warning"))
    if report.strict_failed:
        print(
            "build: --strict: stopped on the warnings above; output/ was left as it was",
            file=sys.stderr,
        )
    elif not args.quiet:
        print(report.summary())
    return report.exit_code


def run_check(args: argparse.Namespace) -> int:
    from newsgen.check import check

    report = check(Path(args.site), seeds_dir=args.seeds)
    levels = ("error", "warning") if args.quiet else ("error", "warning", "info")
    _print_diagnostics(report.diagnostics, levels=levels)
    if not args.quiet:
        print(report.summary())
    return EXIT_CONTENT if report.errors else EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from newsgen.newseed import new_seed

    path = new_seed(Path(args.site), args.title, seeds_dir=args.seeds)
    print(path)
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from newsgen.starter import init_site

    site = Path(args.dir)
    written = init_site(site)
    if not args.quiet:
        for path in written:
            print(f"created {path}")
        where = "" if site == Path(".") else f"cd {site} && "
        print(f"next: {where}newsgen build (or newsgen serve to preview)")
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen",
        description="Fetch news feeds, clean messy news text and build a static news site.",
        epilog="example:\n  newsgen fetch && newsgen build --base-url https://example.org/news/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    common = _common_options()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True

    build = _command(
        subparsers, "build", common, "build the site from seeds/ into output/",
        "newsgen build --base-url https://example.org/news/",
    )  # fmt: skip
    build.add_argument(
        "--seeds", type=Path, metavar="DIR", help="seeds folder (default: SITE/seeds)"
    )
    build.add_argument(
        "--output", type=Path, metavar="DIR", help="output folder (default: SITE/output)"
    )
    build.add_argument("--base-url", metavar="URL", help="override site.base_url from newsgen.yaml")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build.add_argument(
        "--strict", action="store_true", help="exit 1, leaving output/ untouched, on any warning"
    )
    build.add_argument(
        "--jobs", type=positive_int, metavar="N", help="worker processes (default: all cores)"
    )
    build.add_argument("--no-search", action="store_true", help="skip the search index")
    build.add_argument(
        "--future", action="store_true", help="include articles dated after now (held by default)"
    )
    build.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even an empty site, or one with under half the last build's articles",
    )
    build.set_defaults(run=run_build)

    check = _command(
        subparsers, "check", common, "parse every seed and report problems; writes nothing",
        "newsgen check --site mysite",
    )  # fmt: skip
    check.add_argument(
        "--seeds", type=Path, metavar="DIR", help="seeds folder (default: SITE/seeds)"
    )
    check.set_defaults(run=run_check)

    new = _command(
        subparsers, "new", common, "create a hand-written seed dated today and print its path",
        'newsgen new "Council approves the new tram line"',
    )  # fmt: skip
    new.add_argument("title", help="the article's headline")
    new.add_argument("--seeds", type=Path, metavar="DIR", help="seeds folder (default: SITE/seeds)")
    new.set_defaults(run=run_new)

    init = subparsers.add_parser(
        "init",
        help="start a site: newsgen.yaml, .gitignore, a publish workflow and a sample seed",
        description=(
            "Start a site in DIR: newsgen.yaml (with comments), .gitignore, requirements.txt, "
            ".github/workflows/publish.yml and seeds/welcome.md. Existing files are never "
            "overwritten: if any is there, nothing is written."
        ),
        epilog="examples:\n  newsgen init mysite\n  newsgen init            in the current folder",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder (default: .)")
    init.add_argument("--quiet", action="store_true", help="print only problems")
    init.set_defaults(run=run_init)

    for register in _more_commands():
        register(subparsers, common)
    return parser


def _more_commands() -> list:
    """Commands that live in their own modules, each with a `register(subparsers, common)`."""
    from newsgen.cli import fetch as cli_fetch
    from newsgen.cli import parse as cli_parse
    from newsgen.cli import serve as cli_serve

    return [cli_fetch.register, cli_parse.register, cli_serve.register]


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if sys.platform == "win32":  # fcntl locks, forked workers, `%-d` dates: see the README
        print("newsgen: runs on Linux and macOS only; on Windows, use it in WSL", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except ConfigError as exc:
        print(f"newsgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"newsgen {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NewsgenError as exc:
        print(f"newsgen {args.command}: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("newsgen: interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The `newsgen` command: `main()`, then exit without tearing the heap down object by object.

    A build holds hundreds of thousands of objects; freeing them one by one at exit takes a
    noticeable part of a quick rebuild and changes nothing on disk. Every file is closed by
    then; only the standard streams need flushing.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
