"""Run the command line: `python -m newsgen`."""

from newsgen.cli.main import run

run()
