"""Run the command line: `python -m newsgen`."""

from newsgen.cli import run

run()
