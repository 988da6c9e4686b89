"""Write a new site next to the old one, then swap it in whole.

A build never edits `output/` in place: pages go into a staging folder, and only when every page
is there is the staging folder exchanged with `output/` in one atomic rename. A build that fails
or is killed leaves the previous site untouched; the next build clears the leftover staging
folder. Pages whose bytes did not change are hard-linked from the current site instead of being
written again, so they keep their inode and modification time (deploy tools see no change).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsgen.errors import BuildError
from newsgen.trash import clear_retired, retire

MANIFEST_NAME = "output-manifest.json"
_RENAME_EXCHANGE = 2  # from <linux/fs.h>


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def safe_relative(path: str) -> PurePosixPath:
    """Refuse any output path that could leave the output folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BuildError(f"refusing to write {path!r}: it is not a path inside output/")
    return relative


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class StagedOutput:
    """Collects the new site in a staging folder; `commit()` swaps it in, `discard()` drops it."""

    def __init__(self, output_dir: Path, state_dir: Path) -> None:
        self.output_dir = output_dir
        self.state_dir = state_dir
        self.staging = self._staging_dir()
        self._manifest_path = state_dir / MANIFEST_NAME
        self._old_manifest = self._load_manifest()
        self._new_manifest: dict[str, list] = {}
        self.written = 0
        self.unchanged = 0

    def _staging_dir(self) -> Path:
        # Inside .newsgen/ when it is on the same file system (a rename cannot cross devices).
        self.state_dir.mkdir(parents=True, exist_ok=True)
        parent = self.output_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        same_device = os.stat(self.state_dir).st_dev == os.stat(parent).st_dev
        base = self.state_dir if same_device else parent
        staging = base / f".{self.output_dir.name}.staging"
        if staging.exists():  # left by a build that was killed: it was never swapped in
            shutil.rmtree(staging)
        clear_retired(base)
        staging.mkdir()
        return staging

    def _load_manifest(self) -> dict[str, list]:
        try:
            data = json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no manifest only costs speed: files are then compared byte by byte
        return data if isinstance(data, dict) else {}

    def _same_as_current(self, relative: str, current: Path, data: bytes, digest: str) -> bool:
        try:
            stat = current.stat()
        except OSError:
            return False
        if stat.st_size != len(data):
            return False
        recorded = self._old_manifest.get(relative)
        if recorded and recorded[1:3] == [stat.st_size, stat.st_mtime_ns]:
            return bool(recorded[0] == digest)
        return current.read_bytes() == data

    def write(self, path: str, data: bytes, signature: str = "") -> bool:
        """Stage a file; return True when its bytes are new, False when they equal the current.

        `signature` digests what the file was made from; `reuse` trusts it on the next build.
        """
        relative = str(safe_relative(path))
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        current = self.output_dir / relative
        digest = _digest(data)
        changed = not self._same_as_current(relative, current, data, digest)
        if changed:
            target.write_bytes(data)
            self.written += 1
        else:
            os.link(current, target)
            self.unchanged += 1
        stat = target.stat()
        self._new_manifest[relative] = [digest, stat.st_size, stat.st_mtime_ns, signature]
        return changed

    def reuse(self, path: str, signature: str) -> bool:
        """Stage the current site's copy of a file made from the same inputs, if it is intact.

        The signature is kept in the same manifest entry as the file's size and time, so it can
        only vouch for the very file it was recorded with: a build stopped between the swap and
        the manifest write leaves entries that no longer match the files, and they are rendered.
        """
        relative = str(safe_relative(path))
        recorded = self._old_manifest.get(relative)
        current = self.output_dir / relative
        try:
            stat = current.stat()
        except OSError:
            return False
        if not recorded or recorded[1:] != [stat.st_size, stat.st_mtime_ns, signature]:
            return False  # other inputs, edited by hand, or no record of it: render it again
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(current, target)
        self.unchanged += 1
        self._new_manifest[relative] = list(recorded)
        return True

    def take_results(self) -> tuple[dict[str, list], int, int]:
        """Hand over what this process staged (for a worker reporting back to the parent)."""
        return self._new_manifest, self.written, self.unchanged

    def reset_results(self) -> None:
        self._new_manifest = {}
        self.written = 0
        self.unchanged = 0

    def merge_results(self, manifest: dict[str, list], written: int, unchanged: int) -> None:
        self._new_manifest.update(manifest)
        self.written += written
        self.unchanged += unchanged

    def copy_tree(self, source: Path, prefix: str = "") -> None:
        """Copy static files (a later call overrides earlier ones, file by file)."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                relative = (PurePosixPath(prefix) / path.relative_to(source).as_posix()).as_posix()
                target = self.staging / relative
                if target.exists():
                    target.unlink()
                self.write(relative, path.read_bytes())

    def write_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.write(path, data)

    def adopt_tree(self) -> None:
        """Take in files other tools wrote into staging (the search index), keeping unchanged ones.

        A file whose bytes equal the current site's copy is swapped for a hard link to that
        copy, so it keeps its inode and modification time like every other unchanged file.
        """
        for path in sorted(self.staging.rglob("*")):
            relative = path.relative_to(self.staging).as_posix()
            if not path.is_file() or relative in self._new_manifest:
                continue
            data = path.read_bytes()
            digest = _digest(data)
            current = self.output_dir / relative
            if self._same_as_current(relative, current, data, digest):
                linked = path.with_name(f".{path.name}.link")
                os.link(current, linked)
                os.replace(linked, path)
                self.unchanged += 1
            else:
                self.written += 1
            stat = path.stat()
            self._new_manifest[relative] = [digest, stat.st_size, stat.st_mtime_ns]

    def commit(self) -> WriteReport:
        """Swap the staged site in whole; the old one is removed only after the swap."""
        removed = len(set(self._old_manifest) - set(self._new_manifest))
        if self.output_dir.exists():
            _exchange(self.staging, self.output_dir)
            retire(self.staging)  # now holds the previous site: deleted in the background
        else:
            os.rename(self.staging, self.output_dir)
        _write_atomic(self._manifest_path, json.dumps(self._new_manifest, sort_keys=True).encode())
        return WriteReport(written=self.written, unchanged=self.unchanged, removed=removed)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux renameat2); fall back to two renames elsewhere."""
    libc_name = ctypes.util.find_library("c")
    renameat2 = (
        getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    )
    if renameat2 is not None:
        at_fdcwd = -100
        result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        error = ctypes.get_errno()
        if error not in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
            raise OSError(error, os.strerror(error), str(b))
    # Without an atomic exchange there is a moment with no output/: keep it as short as we can.
    parked = a.with_name(a.name + ".old")
    os.rename(b, parked)
    os.rename(a, b)
    os.rename(parked, a)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


write_atomic = _write_atomic
