"""Keep the build inside the site folder: links in static/ and templates/ that lead out are refused.

Anyone who can add a file to a site's repository can add a link, and a build that followed
`static/x -> /proc/self/environ` would publish the builder's environment, tokens and all. A
link is followed only when the real path it leads to is inside the site folder; every other
link (and a broken one) is skipped with a warning naming it. The walk never reads a refused
file, not even to hash it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsgen.errors import Diagnostic

OUTSIDE = "links to {target}, outside the site folder, which is never read; copy the file in"
BROKEN = "is a broken link or a link loop; fix the link or delete it"


@dataclass(frozen=True, slots=True)
class Confined:
    """The files of one folder that may be read, and what was refused on the way."""

    files: dict[str, str]  # path relative to the folder (posix) -> real path
    refused: tuple[Diagnostic, ...] = ()


def is_inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def confined_files(folder: Path, site_dir: Path, *, label: str) -> Confined:
    """List `folder`'s files whose real paths are inside `site_dir`, sorted, links resolved.

    `label` names the folder in messages (`static/x.txt`). Files named with a leading dot
    are left out, as a web host would not serve them; folders are walked whatever their name.
    """
    limit = os.path.realpath(site_dir)
    files: dict[str, str] = {}
    refused: list[Diagnostic] = []
    if not folder.is_dir() and not folder.is_symlink():
        return Confined(files)
    start = _real(str(folder))
    if start is None or not is_inside(start, limit):
        refused.append(_note(label, BROKEN if start is None else OUTSIDE.format(target=start)))
        return Confined(files, tuple(refused))
    _walk(str(folder), "", label, limit, {start}, files, refused)
    return Confined(dict(sorted(files.items())), tuple(refused))


def _walk(
    folder: str,
    prefix: str,
    label: str,
    limit: str,
    seen: set[str],
    files: dict[str, str],
    refused: list[Diagnostic],
) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        refused.append(_note(f"{label}/{prefix}", f"cannot list the folder ({exc.strerror})"))
        return
    for entry in entries:
        relative = prefix + entry.name
        real = _real(entry.path)
        if real is None:
            refused.append(_note(f"{label}/{relative}", BROKEN))
            continue
        if not is_inside(real, limit):
            refused.append(_note(f"{label}/{relative}", OUTSIDE.format(target=real)))
            continue
        if entry.is_dir():
            if real not in seen:  # a link to a folder above would walk for ever
                _walk(entry.path, relative + "/", label, limit, seen | {real}, files, refused)
        elif entry.is_file() and not entry.name.startswith("."):
            files[relative] = real


def _real(path: str) -> str | None:
    try:
        return os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return None


def _note(path: str, message: str) -> Diagnostic:
    return Diagnostic(path.rstrip("/"), 1, "warning", message)
