"""The data directory is private: the directory 0700, every file in it 0600 (owner only).

It holds all evidence (the append-only file has every capture, delivered card codes and
attachments), the Redis config and log, and the signing key. A fresh directory is made private,
and one that an older version (or a copy) left readable is fixed at start-up: group and other
permission bits are taken off everything inside, without following symbolic links and without
touching what another user owns. Files KaDun writes itself are created 0600; the embedded
redis-server runs with umask 077, so what it writes (AOF, RDB, rewrites, log, pid) is too.
"""
from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger("kadun.storage")

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077


def _tighten(path: Path, is_dir: bool) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:  # a temporary file renamed or removed meanwhile
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return
    mode = stat.S_IMODE(info.st_mode)
    # Keep the owner's bits (an executable someone keeps here stays one), drop everyone else's.
    wanted = (mode & 0o700) | (DIR_MODE if is_dir else FILE_MODE)
    if mode != wanted:
        try:
            os.chmod(path, wanted)
        except OSError as error:
            log.warning("cannot make %s private: %s", path, error)


def make_private(directory: str | os.PathLike) -> Path:
    """Create ``directory`` if needed (0700) and make it and everything in it private."""
    path = Path(directory).expanduser()
    old = os.umask(UMASK)
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    finally:
        os.umask(old)
    _tighten(path, is_dir=True)
    for base, dirs, files in os.walk(path):  # does not descend into symlinked directories
        for name in dirs:
            _tighten(Path(base) / name, is_dir=True)
        for name in files:
            _tighten(Path(base) / name, is_dir=False)
    return path


def open_private(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """``open(path, mode)`` for a file that is created 0600, and made 0600 if it already existed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if "w" in mode else 0), FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None)


def open_private_beside(path: str | os.PathLike) -> tuple[Path, BinaryIO]:
    """A new temporary file (0600) of this writer's own beside ``path``, open for writing bytes,
    and its path: to write ``path`` whole, then ``durable_replace`` it into place. Created
    exclusively under a unique name, so two writers of one output (a verb run twice at once) never
    share a file, and a file or link planted beside the output is never written through."""
    target = Path(path)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.fchmod(fd, FILE_MODE)
    return Path(name), os.fdopen(fd, "wb")


def write_private(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to a file that only its owner can read."""
    with open_private(path, "w") as handle:
        handle.write(text)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _synced_beside(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file (0600) beside ``path``, its bytes fsynced; its path."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def publish_new(path: str | os.PathLike, data: bytes) -> bool:
    """Create ``path`` (0600) holding ``data`` unless it exists; whether this call created it.

    Written to a temporary file that is fsynced, then linked to its name (never half a file, and of
    two writers racing exactly one wins), and the directory fsynced: a key that signed receipts is
    on disk before the first receipt, not lost or left empty by a power cut.
    """
    path = Path(path)
    tmp = _synced_beside(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        _fsync_dir(path.parent)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def replace_durably(path: str | os.PathLike, data: bytes) -> None:
    """Write ``path`` (0600) as a whole: a temporary file fsynced, renamed over it, the directory fsynced."""
    path = Path(path)
    os.replace(_synced_beside(path, data), path)
    _fsync_dir(path.parent)


def durable_replace(tmp: str | os.PathLike, path: str | os.PathLike) -> None:
    """Rename the finished file ``tmp`` to ``path`` once its bytes are on disk, then make the
    rename itself durable (the directory fsynced): a backup or pack reported written is there
    after a crash or power cut, never empty or missing."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(Path(path).parent)
