"""Scratch directories for building exports and WACZ archives, swept of what killed builds left.

A pack or an account export is built in temporary files (the WARC, the WACZ). A worker killed
mid-build (kill -9, the OOM killer, a deploy) left them in the system's temporary directory for
good: a full copy of the buyer's evidence, out of reach of "delete my account". They are made in
one scratch directory per data directory instead, inside the user's private ``<tmp>/kadun-<uid>``
(0700; not on the disk the embedded Redis needs, which a large export could fill), and whatever a
killed build left there is removed when an app starts and before each new build, once it is
older than any build runs (:data:`STALE_SECONDS`).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from .private import DIR_MODE

STALE_SECONDS = 3600
_ROOT: list[Path | None] = [None]


def configure(data_dir: str | os.PathLike | None) -> Path | None:
    """Build in the scratch directory of ``data_dir`` from now on (None: the system's temporary
    directory, unswept), and clear what killed builds left there."""
    if data_dir is None:
        _ROOT[0] = None
        return None
    from .redis import private_tmp_dir

    digest = hashlib.sha256(os.fsencode(Path(data_dir).expanduser().resolve())).hexdigest()[:16]
    root = private_tmp_dir() / f"scratch-{digest}"
    root.mkdir(mode=DIR_MODE, exist_ok=True)
    os.chmod(root, DIR_MODE)
    _ROOT[0] = root
    sweep()
    return root


def sweep(stale_seconds: float = STALE_SECONDS, now: float | None = None) -> int:
    """Remove scratch directories older than ``stale_seconds``; how many were removed."""
    root = _ROOT[0]
    if root is None:
        return 0
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < stale_seconds:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def directory(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary directory (removed when the ``with`` ends) in the scratch root."""
    root = _ROOT[0]
    if root is not None:
        sweep()
        if not root.is_dir():
            root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=root)
