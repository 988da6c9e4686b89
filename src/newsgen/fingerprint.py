"""A digest of everything a build reads, so a build with nothing changed can stop at once."""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.errors import Diagnostic
from newsgen.paths import BUILD_RECORD
from newsgen.readers.listing import ListedSeed
from newsgen.render.themedir import builtin_templates_dir
from newsgen.version import code_digest


def _tree_stats(root: Path) -> Iterable[str]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:  # a broken link: the build reports it
                stat = os.lstat(path)
            yield f"{os.path.relpath(path, root)}\0{stat.st_size}\0{stat.st_mtime_ns}"


def input_fingerprint(
    site_dir: Path, listed: Sequence[ListedSeed], options: dict[str, object]
) -> str:
    """Digest of the options, config, seeds, templates and static files, by size and time."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(
        json.dumps({"code": code_digest("."), **options}, sort_keys=True, default=str).encode()
    )
    config = site_dir / "newsgen.yaml"
    if config.is_file():
        digest.update(config.read_bytes())
    _digest_seeds(digest, listed)
    site_dir = Path(os.path.abspath(site_dir))  # `--site .` and `--site /path/to/site`: one site
    for root in (builtin_templates_dir(), site_dir / "templates", site_dir / "static"):
        digest.update(f"[{root}]".encode("utf-8", "surrogateescape"))
        for line in _tree_stats(root):
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def _digest_seeds(digest: hashlib.blake2b, listed: Sequence[ListedSeed]) -> None:
    """Add the seeds' paths (under the seeds folder, which `options` names in full), sizes,
    times and refusals to `digest`, a column at a time: this runs for every seed on every
    build, and a line formatted per seed costs more than the rest of the digest."""
    paths = "\0".join([seed.rel_path for seed in listed])
    digest.update(f"{len(listed)}\0{paths}".encode("utf-8", "surrogateescape"))
    digest.update(array("q", [seed.size for seed in listed]).tobytes())
    digest.update(array("q", [seed.mtime_ns for seed in listed]).tobytes())
    refused = [(number, seed.refusal) for number, seed in enumerate(listed) if seed.refusal]
    digest.update(repr(refused).encode("utf-8", "surrogateescape"))


def output_identity(output: Path) -> str:
    """Identify the output folder, so one replaced or removed since the last build is rebuilt."""
    try:
        stat = output.stat()
    except OSError:
        return "missing"
    return f"{stat.st_ino}:{stat.st_mtime_ns}"


def unchanged_build(
    record: dict | None, output: Path, fingerprint: str, now: datetime
) -> dict | None:
    """`record` (`load_record`'s) if the last build read exactly these inputs and its output
    is intact.

    Not if an article it held back as future-dated is due by `now`: that changes the site too.
    """
    if not record or record.get("fingerprint") != fingerprint:
        return None
    due = record.get("next_due")
    if isinstance(due, (int, float)) and now.timestamp() >= due:
        return None
    return record if record.get("output") == output_identity(output) else None


def load_record(state_dir: Path) -> dict | None:
    """The record of the last build that finished, if any."""
    try:
        data = json.loads((state_dir / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def article_count(record: dict | None) -> int:
    """How many articles the build of `record` (`load_record`'s) published; 0 with none."""
    count = (record or {}).get("articles")
    return count if isinstance(count, int) else 0


def save_record(
    state_dir: Path, output: Path, fingerprint_before: str, articles: int, pages: int,
    diagnostics: Sequence[Diagnostic], next_due: datetime | None = None,
) -> None:  # fmt: skip
    """Remember the build; the fingerprint is taken before it, the output identity after it.

    `next_due` is the date of the first article held back as future-dated, if any.
    """
    record = {
        "fingerprint": fingerprint_before,
        "output": output_identity(output),
        "articles": articles,
        "pages": pages,
        "diagnostics": [asdict(d) for d in diagnostics],
        "warnings": any(d.level in ("warning", "error") for d in diagnostics),
        "next_due": next_due.timestamp() if next_due else None,
    }
    write_atomic(state_dir / BUILD_RECORD, json.dumps(record, sort_keys=True).encode())
