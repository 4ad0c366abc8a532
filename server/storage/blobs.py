"""Content-addressed blobs: bytes stored once per user under their SHA-256, zstd-compressed."""
from __future__ import annotations

import threading

import zstandard

from . import keys

_local = threading.local()


def _codecs():
    # zstd contexts are not thread-safe; one pair per thread (gunicorn threads, test clients).
    if not hasattr(_local, "c"):
        _local.c = zstandard.ZstdCompressor(level=6), zstandard.ZstdDecompressor()
    return _local.c


def compress(data: bytes) -> bytes:
    return _codecs()[0].compress(data)


def decompress(data: bytes) -> bytes:
    return _codecs()[1].decompress(data)


def exists(r, user: str, sha256: str) -> bool:
    return bool(r.exists(keys.blob(user, sha256)))


def put(pipe, user: str, sha256: str, data: bytes) -> None:
    """Queue the write of a blob (NX: the same bytes are never rewritten)."""
    pipe.set(keys.blob(user, sha256), compress(data), nx=True)


def get(r, user: str, sha256: str) -> bytes | None:
    raw = r.get(keys.blob(user, sha256))
    return None if raw is None else decompress(raw)
