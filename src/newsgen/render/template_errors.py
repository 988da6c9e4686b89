"""A template that fails while a page is made: said as an error naming the template, its line
and the page, not as a traceback."""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from newsgen.confine import is_inside
from newsgen.errors import BuildError

# Files of a theme's templates, as Jinja names them in a traceback (see render/outputs.py).
_TEMPLATE_SUFFIXES = (".html", ".xml", ".json", ".txt", ".opml")


def template_failure(error: TemplateError, page: str, site_dir: Path) -> BuildError:
    """The error to raise for `error`, met while making `page` (its path in the output)."""
    where = _where(error)
    if where:
        file, line = where
        inside = is_inside(os.path.realpath(file), os.path.realpath(site_dir))
        shown = os.path.relpath(file, site_dir) if inside else file
        place = f"{shown}:{line}: " if line else f"{shown}: "
    else:
        place = ""
    return BuildError(
        f"{place}{error.message or type(error).__name__}, making {page}; fix the template"
        " (a site's own template in templates/ can be deleted to use the theme's)"
    )


def _where(error: TemplateError) -> tuple[str, int | None] | None:
    """The template and line: a syntax error knows them; at run time, the innermost template
    frame of the traceback has them (Jinja writes template lines into it)."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return error.filename, error.lineno
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(_TEMPLATE_SUFFIXES):
            return frame.filename, frame.lineno
    return None
