"""Every error newsgen raises on purpose, so callers can catch one family.

NewsgenError
├── ConfigError      newsgen.yaml is missing keys, has unknown ones, or wrong types (exit 2)
├── UsageError       flags that do not fit together (exit 2)
├── SeedError        one seed file cannot be read; the build skips it and goes on
├── FetchError       one feed cannot be fetched or parsed; the others go on
└── BuildError       the site cannot be written (output locked, disk full, ...)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NewsgenError(Exception):
    """Base of every error newsgen raises deliberately."""


class ConfigError(NewsgenError):
    """One or more problems in the site configuration, all reported together."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{path}: configuration error:\n{lines}")


class UsageError(NewsgenError):
    """Command-line options that cannot be used together."""


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a seed, printed as `path:line: level: message`."""

    path: str
    line: int
    level: str  # "error" or "warning" or "info"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


class SeedError(NewsgenError):
    """A seed file (or one article in it) that cannot be turned into an article."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostic = Diagnostic(str(path), line, "error", message)
        super().__init__(str(self.diagnostic))


class FetchError(NewsgenError):
    """One feed failed: names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class BuildError(NewsgenError):
    """The site could not be written."""
