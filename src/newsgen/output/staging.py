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
import os
import pickle
import shutil
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import ne
from pathlib import Path, PurePosixPath

from newsgen.atomicwrite import write_atomic
from newsgen.errors import BuildError
from newsgen.output.intact import IntactCheck, matches_record
from newsgen.output.sparetree import (
    Held,
    clone_in_background,
    hold_spare_lock,
    ready_in_background,
    remove_files,
    spare_dir,
    take_spare,
)
from newsgen.output.trash import clear_retired, retire
from newsgen.paths import MANIFEST_EDITS, OUTPUT_MANIFEST
from newsgen.records import Written, edits_of, read_pickled_record, written

_MANIFEST_VERSION = 2
# Past this share of the site's files, a build's changes to the manifest are written into it
# whole, not beside it (`_save_manifest`).
EDITS_SHARE = 1 / 16
STATIC = "static\0"  # how a static file's signature begins; a rendered page's never does
_RENAME_EXCHANGE = 2  # from <linux/fs.h>
# What a process staged, as a worker reports it back (`take_results`, `merge_results`): the
# manifest entries it made and verified, and its counts of files written, unchanged, reused.
StagedResults = tuple[dict[str, list], dict[str, list], int, int, int]


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    reused: int = 0  # of the unchanged: taken on their signature, without being made again

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def safe_relative(path: str) -> str:
    """Refuse any output path that could leave the output folder; return it in normal form."""
    parts = path.split("/")
    if "" not in parts and "." not in parts and ".." not in parts:
        return path  # already normal and inside: the usual case, checked without PurePosixPath
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BuildError(f"refusing to write {path!r}: it is not a path inside output/")
    return str(relative)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class StagedOutput:
    """Collects the new site in a staging folder; `commit()` swaps it in, `discard()` drops it.

    The staging folder starts as the site before last, kept by the previous build (see
    `sparetree`), so only the files that differ are touched. Files in it are never written in
    place: one may be a hard link to a page of the live site, so new bytes go to a new file that
    is renamed over it.
    """

    def __init__(
        self,
        output_dir: Path,
        state_dir: Path,
        *,
        manifest: dict[str, list] | None = None,
        intact: IntactCheck | None = None,
    ) -> None:
        """`manifest` is `load_manifest(state_dir)`, when the caller has it; `intact` checks
        the live site's files against it, else each file is checked when its page is reused."""
        # The recorded files unlike their record, when a check found them all at once; taken
        # first, as a failed check must leave nothing half-made.
        self._altered = intact.altered() if intact is not None else None
        self.output_dir = output_dir
        self.state_dir = state_dir
        self._manifest_path = state_dir / OUTPUT_MANIFEST
        self._old_manifest = load_manifest(state_dir) if manifest is None else manifest
        self._live = output_dir.is_dir()  # a site is there to compare pages with
        self.staging = self._staging_dir()
        # Staged paths are joined as strings: a first build stages every page of the site,
        # and pathlib's joins cost more than the system calls that make the file.
        self._root = os.path.join(self.staging, "")
        self._spare = spare_dir(self.staging)
        self._spare_lock = hold_spare_lock(state_dir)  # waits while the spare is being readied
        identity = manifest_identity(state_dir)
        recycled = take_spare(self._spare, self.staging, state_dir, self._old_manifest, identity)
        if recycled is None:
            self._retire(self._spare)
            self.staging.mkdir()
        self._recycled: Held = recycled or {}  # files in staging not yet staged by this build
        self._folders: set[str] = {""}  # folders known to exist in staging
        self._new_manifest: dict[str, list] = {}
        self._verified: dict[str, list] = {}  # current site's files whose record was confirmed
        self.written = 0
        self.unchanged = 0
        self.reused = 0

    @property
    def has_previous_site(self) -> bool:
        """Whether a site built before is there to reuse pages from (not a first build)."""
        return bool(self._old_manifest)

    def _staging_dir(self) -> Path:
        # Inside .newsgen/ when it is on the same file system (a rename cannot cross devices).
        self.state_dir.mkdir(parents=True, exist_ok=True)
        parent = self.output_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        same_device = os.stat(self.state_dir).st_dev == os.stat(parent).st_dev
        base = self.state_dir if same_device else parent
        staging = base / f".{self.output_dir.name}.staging"
        self._retire(staging)  # left by a build that was killed: it was never swapped in
        clear_retired(base)
        return staging

    @staticmethod
    def _retire(folder: Path) -> None:
        if folder.is_dir():
            retire(folder)
        elif folder.exists() or folder.is_symlink():
            folder.unlink()

    def _current_stat(self, relative: str) -> os.stat_result | None:
        if not self._live:
            return None  # a first build: nothing to ask the disk for, page after page
        try:
            return os.stat(f"{self.output_dir}/{relative}")
        except OSError:
            return None

    def _digest_if_current(
        self, relative: str, stat: os.stat_result | None, data: bytes
    ) -> str | None:
        """The digest of `data` when the live file holds exactly these bytes, else None.

        Found by comparing the bytes, not by hashing them: reading a file the system has in
        its cache costs less than hashing it, and a build makes every file of the search
        index again, most of them as they were. The digest is then the manifest's, when the
        file's size and time are as recorded, so only new bytes are hashed."""
        if stat is None or stat.st_size != len(data):
            return None
        try:
            with open(f"{self.output_dir}/{relative}", "rb", buffering=0) as file:
                current = file.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None  # gone, or a folder now: the file is made anew
        recorded = self._old_manifest.get(relative)
        if recorded and matches_record(recorded, stat):
            self._verified[relative] = recorded
            return str(recorded[0]) if current == data else None
        digest = _digest(current)
        self._verified[relative] = [digest, stat.st_size, stat.st_mtime_ns]
        return digest if current == data else None

    def write(self, path: str, data: bytes, signature: str = "") -> bool:
        """Stage a file; return True when its bytes are new, False when they equal the current.

        `signature` digests what the file was made from; `reuse` trusts it on the next build.
        """
        relative = safe_relative(path)
        stat = self._current_stat(relative)
        digest = self._digest_if_current(relative, stat, data)
        if digest is None:
            digest = _digest(data)
            stat = self._write_new(relative, data)
            self.written += 1
            self._new_manifest[relative] = [digest, stat.st_size, stat.st_mtime_ns, signature]
            return True
        assert stat is not None
        entry = [digest, stat.st_size, stat.st_mtime_ns, signature]
        self._link_current(relative, entry)
        self.unchanged += 1
        # The live file, staged as it is: its entry is the new manifest's, signature and all,
        # so the next build finds the spare folder's file to be the one it records.
        self._verified[relative] = self._new_manifest[relative] = entry
        return False

    def _write_new(self, relative: str, data: bytes) -> os.stat_result:
        """Put new bytes at a staged path, never through a file another path may share."""
        held = self._recycled.pop(relative, _ABSENT)
        target = self._prepare(relative)
        if held is _ABSENT:
            # Nothing of the site before last was there: the file is made, not replaced,
            # which spares a rename a file (on a first build, every file).
            made = _made_with(target, data)
            if made is not None:
                return made
        fresh = _beside(target, "new")
        with open(fresh, "wb") as file:
            file.write(data)
        self._replace(fresh, relative)
        return os.stat(target)

    def reuse(self, path: str, signatures: tuple[str, ...]) -> bool:
        """Stage the current site's copy of a file made from the same inputs, if it is intact.

        The signature is kept in the same manifest entry as the file's size and time, so it can
        only vouch for the very file it was recorded with: a build stopped between the swap and
        the manifest write leaves entries that no longer match the files, and they are rendered.
        """
        relative = safe_relative(path)
        recorded = self._old_manifest.get(relative)
        if not recorded or len(recorded) != 4 or recorded[3] not in signatures:
            return False  # other inputs, or no record of it: render it again
        if not self._is_intact(relative, recorded):
            return False  # edited by hand, or gone: render it again
        try:
            self._link_current(relative, recorded)
        except FileNotFoundError:
            return False  # gone since the check: render it again
        self.unchanged += 1
        self.reused += 1
        self._verified[relative] = self._new_manifest[relative] = recorded
        return True

    def recorded_pages(self) -> dict[str, str]:
        """The last build's rendered pages, each with the signature it was recorded under: the
        files of its manifest but the static files (signed as such) and the search index's
        (signed with nothing)."""
        return {
            relative: entry[3]
            for relative, entry in self._old_manifest.items()
            if len(entry) == 4 and entry[3] and not entry[3].startswith(STATIC)
        }

    def all_intact(self, paths: Iterable[str]) -> bool:
        """Whether the live site's file at each of `paths` is the one the manifest recorded."""
        if self._altered is not None:
            return self._altered.isdisjoint(paths)
        manifest = self._old_manifest
        return all(self._is_intact(relative, manifest[relative]) for relative in paths)

    def carry(self, carried: Collection[str]) -> None:
        """Stage the live site's copy of each `carried` page, by path in the manifest, as it
        was recorded: pages whose inputs are known to be the same, and that `all_intact` found
        intact (render/touched.py). `reuse`, without its checks of the path, the signature and
        the file, and with loops in C where they can be: a large site carries most pages."""
        pages = list(carried)
        entries = list(map(self._old_manifest.__getitem__, pages))
        # The spare folder's file at each page: after an edit, the same file as the live
        # site's but where the last build wrote, so only those few are linked again. Taken
        # all at once: a page is never a folder another page needs, which `_prepare` might
        # replace meanwhile.
        held = list(map(self._recycled.pop, pages, repeat(_ABSENT)))
        try:
            # A held None (not vouched for) or `_ABSENT` is never a recorded entry.
            for index in compress(range(len(entries)), map(ne, held, entries)):
                self._link_held(pages[index], entries[index], held[index])
        except FileNotFoundError:
            raise BuildError(
                f"a page of {self.output_dir} went while the site was being built: build again"
            ) from None
        # The entries themselves: a manifest's entries are never changed, only replaced.
        self._verified.update(zip(pages, entries, strict=True))
        self._new_manifest.update(zip(pages, entries, strict=True))
        self.unchanged += len(entries)
        self.reused += len(entries)

    def _is_intact(self, relative: str, recorded: list) -> bool:
        """Whether the live site's file is the one the manifest recorded, by size and time."""
        if self._altered is not None:
            return relative not in self._altered
        stat = self._current_stat(relative)
        return stat is not None and matches_record(recorded, stat)

    def _link_current(self, relative: str, entry: list) -> None:
        """Make the staged file the current site's file, unless it already is."""
        held = self._recycled.pop(relative, _ABSENT)
        if held is not _ABSENT and held is not None and held[:3] == entry[:3]:
            return  # the file kept from the site before last is this very file
        self._link_held(relative, entry, held)

    def _link_held(self, relative: str, entry: list, held: object) -> None:
        """`_link_current` once the spare folder's file there, `held`, is known to differ."""
        target = self._prepare(relative)
        current = os.path.join(self.output_dir, relative)
        if held is _ABSENT:
            os.link(current, target)
            return
        linked = _beside(target, "link")
        os.link(current, linked)
        self._replace(linked, relative)

    def _replace(self, source: str, relative: str) -> None:
        """Rename a file over the staged `relative`, even when the old site had a folder there."""
        target = self._root + relative
        try:
            os.replace(source, target)
        except IsADirectoryError:
            shutil.rmtree(target)
            inside = f"{relative}/"
            for gone in [path for path in self._recycled if path.startswith(inside)]:
                del self._recycled[gone]
            os.replace(source, target)

    def _prepare(self, relative: str) -> str:
        """The staged path of `relative`, its folder made."""
        folder = os.path.dirname(relative)
        if folder not in self._folders:
            for replaced in _make_folder(self._root, folder):
                self._recycled.pop(replaced, None)
            self._folders.add(folder)
        return self._root + relative

    def take_results(self) -> StagedResults:
        """Hand over what this process staged (for a worker reporting back to the parent)."""
        return self._new_manifest, self._verified, self.written, self.unchanged, self.reused

    def reset_results(self) -> None:
        self._new_manifest = {}
        self._verified = {}
        self.written = 0
        self.unchanged = 0
        self.reused = 0

    def merge_results(
        self,
        manifest: dict[str, list],
        verified: dict[str, list],
        written: int,
        unchanged: int,
        reused: int = 0,
    ) -> None:
        self._new_manifest.update(manifest)
        self._verified.update(verified)
        for relative in manifest:  # the worker replaced or linked these in the staging folder
            self._recycled.pop(relative, None)
        self.written += written
        self.unchanged += unchanged
        self.reused += reused

    def copy_files(self, files: Mapping[str, str]) -> None:
        """Copy static files, given as output path -> real path (see confine.py)."""
        for relative, real in files.items():
            path = Path(real)
            stat = path.stat()  # the source file's identity stands for its bytes
            signature = f"{STATIC}{path}\0{stat.st_size}\0{stat.st_mtime_ns}"
            if not self.reuse(relative, (signature,)):
                self.write(relative, path.read_bytes(), signature)

    def commit(self) -> WriteReport:
        """Swap the staged site in whole; keep the one it replaces for the next build."""
        removed = len(self._old_manifest.keys() - self._new_manifest.keys())
        remove_files(self.staging, sorted(self._recycled))  # left from the site before last
        self._recycled = {}
        if self.output_dir.exists():
            _exchange(self.staging, self.output_dir)
            self._retire(self._spare)
            os.rename(self.staging, self._spare)  # now holds the previous site
            self._save_manifest()
            ready_in_background(
                self._spare, self.state_dir, self._spare_lock, self._old_manifest, self._verified,
                self._new_manifest, manifest_identity(self.state_dir),
            )  # fmt: skip
        else:
            os.rename(self.staging, self.output_dir)
            self._save_manifest()
            clone_in_background(
                self.output_dir, self._spare, self.state_dir, self._spare_lock,
                self._new_manifest, manifest_identity(self.state_dir),
            )  # fmt: skip
        os.close(self._spare_lock)  # the process readying the spare holds the lock from here
        return WriteReport(self.written, self.unchanged, removed, self.reused)

    def _save_manifest(self) -> None:
        """Record the new site's files: when few differ from the manifest written whole last,
        only those, beside it (`output-manifest-edits.pickle`, naming the manifest they apply
        to), as the whole manifest of a large site takes a good part of a second to write."""
        new, old = self._new_manifest, self._old_manifest
        paths = list(new)
        changed = compress(paths, map(ne, map(old.get, paths), map(new.__getitem__, paths)))
        # The edits the manifest was loaded with, and this build's on top of them: the files
        # either changed and still there, or gone, never both.
        edits = _edits_of(self._manifest_path)
        files = {path: new[path] for path in chain(edits.files, changed) if path in new}
        gone = (edits.gone | (old.keys() - new.keys())) - files.keys()
        base = written(self._manifest_path)
        if old and base is not None and len(files) + len(gone) <= len(new) * EDITS_SHARE:
            data = {
                "version": _MANIFEST_VERSION,
                "record": base,
                "files": files,
                "gone": sorted(gone),
            }
            _write_atomic(
                _edits_path(self._manifest_path),
                pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL),
            )
            return
        manifest = {"version": _MANIFEST_VERSION, "files": new}
        _write_atomic(self._manifest_path, pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL))
        # Only now: edits of the manifest it replaces name that one, so they no longer apply.
        _edits_path(self._manifest_path).unlink(missing_ok=True)

    def discard(self) -> None:
        """Drop the staging folder; deleting it is left to a background process."""
        self._retire(self.staging)
        os.close(self._spare_lock)


def load_manifest(state_dir: Path) -> dict[str, list]:
    """The output manifest the last build left: each file's digest, size, time and signature,
    with the edits kept beside it."""
    # No manifest only costs speed: files are then compared byte by byte.
    path = state_dir / OUTPUT_MANIFEST
    data = read_pickled_record(path, "version", _MANIFEST_VERSION)
    files = data.get("files") if data else None
    if not isinstance(files, dict):
        return {}
    edits = _edits_of(path)
    files.update(edits.files)
    for gone in edits.gone:
        files.pop(gone, None)
    return files


@dataclass(frozen=True, slots=True)
class _Edits:
    """What builds changed of a manifest since it was written: entries new or changed, and
    files gone."""

    files: dict[str, list]
    gone: frozenset[str]


def manifest_identity(state_dir: Path) -> tuple[Written, Written]:
    """Which output manifest is on disk, with its edits: their files' sizes and times."""
    manifest = state_dir / OUTPUT_MANIFEST
    return written(manifest), written(_edits_path(manifest))


def _edits_path(manifest: Path) -> Path:
    return manifest.with_name(MANIFEST_EDITS)


def _edits_of(manifest: Path) -> _Edits:
    """The edits kept beside `manifest`; none when they name another manifest (one written
    whole since), or are missing or damaged: the files they record are then compared anew."""
    data = edits_of(manifest, _edits_path(manifest), "version", _MANIFEST_VERSION)
    files, gone = (data.get("files"), data.get("gone")) if data else (None, None)
    if not (isinstance(files, dict) and isinstance(gone, list)):
        return _NO_EDITS
    return _Edits(files, frozenset(gone))


_NO_EDITS = _Edits({}, frozenset())


_ABSENT: list = []  # sentinel: the staging folder has no file at this path


def _beside(path: str, what: str) -> str:
    """A hidden name beside `path` for a file about to be renamed over it."""
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.{what}")


def _made_with(path: str, data: bytes) -> os.stat_result | None:
    """Make a new file holding `data` and return its status; None if something is already at
    `path` (staged once already in this build, maybe as a link to the live site, which must not
    be written). At the level of file descriptors: `open()` would add three system calls a
    file, and a first build makes tens of thousands."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:
        return None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _make_folder(root: str, folder: str) -> list[str]:
    """Make a folder under `root`; return the files of the old site that were in its way."""
    path = os.path.join(root, folder)
    try:
        os.mkdir(path)  # one system call where its parent is there, as for most pages
        return []
    except FileExistsError:
        if os.path.isdir(path):
            return []
    except (FileNotFoundError, NotADirectoryError):
        pass  # its parent is missing, or a file of the old site is in its way: see below
    try:
        os.makedirs(path, exist_ok=True)
        return []
    except (FileExistsError, NotADirectoryError):
        parts = folder.split("/")
        removed = []
        for depth in range(1, len(parts) + 1):
            part = os.path.join(root, *parts[:depth])
            if os.path.isfile(part) or os.path.islink(part):
                os.unlink(part)
                removed.append("/".join(parts[:depth]))
        os.makedirs(path, exist_ok=True)
        return removed


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


# Under its own name too: the manifest written after the swap goes through `_write_atomic`,
# which the kill tests replace to stop a build at exactly that point.
_write_atomic = write_atomic
