"""The command line: each command parses its options and calls one library function."""

from newsgen.cli.main import make_parser, run

__all__ = ["make_parser", "run"]
