"""The `newsgen serve` command: preview the site locally while editing it."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from types import FrameType

EXAMPLE = (
    "newsgen serve --site mysite --port 8080\n"
    "  newsgen serve --bind 0.0.0.0 --port 8080   reachable from other devices too"
)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {text!r}")
    return value


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # a terminated preview shuts down like an interrupted one


def run_serve(args: argparse.Namespace) -> int:
    from newsgen.serve import serve

    signal.signal(signal.SIGTERM, _stop)
    try:
        serve(
            Path(args.site),
            port=args.port,
            bind=args.bind,
            drafts=args.drafts,
            open_browser=not args.no_open,
        )
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `serve` to the command line (called by `newsgen.cli.main`)."""
    help_text = "build the site, serve it locally, rebuild and reload the browser on change"
    command = subparsers.add_parser(
        "serve",
        parents=[common],
        help=help_text,
        description=(
            f"{help_text}. Watches seeds/, templates/, static/ and newsgen.yaml; a failed rebuild "
            "is printed and the last good site stays up. Links follow site.base_url, so a site "
            "with a sub-path is served under it."
        ),
        epilog=f"examples:\n  {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "--port",
        type=_port,
        default=8000,
        metavar="N",
        help="port to listen on (default: 8000; 0 picks a free one)",
    )
    command.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 or :: for "
        "every address, so a container's host, a Codespace or a phone can reach it)",
    )
    command.add_argument(
        "--drafts", action="store_true", help="include articles marked draft: true"
    )
    command.add_argument("--no-open", action="store_true", help="do not open a browser tab")
    command.set_defaults(run=run_serve)
