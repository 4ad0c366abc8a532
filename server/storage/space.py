"""Room on the disk the embedded Redis writes to: refuse a write before it can fill the disk.

With ``appendfsync always`` redis-server cannot recover from a failed append (ENOSPC): it exits
before answering, so nothing unstored is ever acknowledged, but every user then gets 503s while
it is restarted again and again. A write is therefore refused with 507 ``storage_full`` while the
data directory's file system has less free than the request's size plus a reserve (room for
the small writes of reads, sign-ins and deletions, and for Redis's own log and rewrites).
"""
from __future__ import annotations

import os

from ..errors import StorageFull

MIB = 1024 * 1024
# Kept free for everything that is not an upload (KADUN_DISK_RESERVE_BYTES).
DEFAULT_RESERVE = 64 * MIB

MESSAGES = {
    "zh": "卡盾后端的磁盘已满，这次没有保存；存证仍在扩展的队列里，腾出空间后会自动重新上传。请联系运行卡盾的人。",
    "en": "KaDun's backend has run out of disk space and did not store this; your capture stays queued "
          "and is uploaded again once there is room. Tell whoever runs KaDun.",
}


def free_bytes(path: str | os.PathLike) -> int:
    """Bytes an unprivileged writer may still use on the file system holding ``path``."""
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def full(message: str = "the server's disk is full; nothing was stored, retry later") -> StorageFull:
    """The refusal for a write that does not fit (507, with the buyer's text in both languages)."""
    return StorageFull(message, messages=dict(MESSAGES))


def check_room(path: str | os.PathLike, need: int, reserve: int = DEFAULT_RESERVE) -> None:
    """Raise :class:`StorageFull` unless ``need`` bytes fit on ``path``'s file system with
    ``reserve`` bytes left over."""
    free = free_bytes(path)
    if free - max(0, need) < max(0, reserve):
        raise full()


def is_low(path: str | os.PathLike, reserve: int = DEFAULT_RESERVE) -> bool:
    """Whether ``path``'s file system has less than ``reserve`` bytes free (or cannot be asked)."""
    try:
        return free_bytes(path) < max(0, reserve)
    except OSError:
        return False
