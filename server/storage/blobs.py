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


# Store a blob unless it is there, and add its (uncompressed) size to the user's byte counter in the
# same call when it was new and the counter exists (a missing counter is counted from the records
# once, storage/quotas.py). With a limit (ARGV[3] >= 0) a new blob that would take the counter past
# it is not stored (-1): checked and counted in one step, so parallel uploads cannot all fit.
# KEYS: the blob, the counter; ARGV: the compressed bytes, the size, the limit (-1: none).
_PUT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local counted = redis.call('EXISTS', KEYS[2]) == 1
local limit = tonumber(ARGV[3])
if counted and limit >= 0 and tonumber(redis.call('GET', KEYS[2])) + tonumber(ARGV[2]) > limit then
  return -1
end
redis.call('SET', KEYS[1], ARGV[1])
if counted then redis.call('INCRBY', KEYS[2], ARGV[2]) end
return 1
"""
REFUSED = -1


class OverQuota(Exception):
    """A new blob did not fit the user's byte limit (nothing of it was stored)."""


def put(pipe, user: str, sha256: str, data: bytes, limit: int | None = None) -> None:
    """Queue the write of a blob (the same bytes are never rewritten); a new blob's size is
    added to the user's stored-bytes counter in the same step. With ``limit``, a new blob that
    would take the counter past it is not stored and its result is :data:`REFUSED`."""
    # (EVAL through execute_command: a cluster pipeline routes it by its keys, one slot here.)
    pipe.execute_command("EVAL", _PUT, 2, keys.blob(user, sha256), keys.quota_bytes(user), compress(data), len(data),
                         -1 if limit is None else int(limit))


def missing_bytes(r, user: str, items: list[tuple[str, int]]) -> int:
    """How many bytes of ``items`` ((sha256, size) pairs) the user does not store yet."""
    wanted = {sha: size for sha, size in items if sha}
    if not wanted:
        return 0
    pipe = r.pipeline(transaction=False)
    for sha in wanted:
        pipe.exists(keys.blob(user, sha))
    return sum(size for (sha, size), there in zip(wanted.items(), pipe.execute(), strict=True) if not there)


def get(r, user: str, sha256: str) -> bytes | None:
    raw = r.get(keys.blob(user, sha256))
    return None if raw is None else decompress(raw)


# --- small JSON records (capture metadata) ---------------------------------------------------
# A capture's metadata is a few hundred bytes of the same field names around hex digests; with a
# fixed raw-content dictionary of those names, zstd stores it in about half (field names cost
# nearly nothing, hex digits 4 bits each). The first byte says how a record is encoded:
# "{" plain JSON (also what older or foreign records are), 0x01 zstd with dictionary 1.
# Dictionary 1 must never change: records written with it are decoded with it. A new dictionary
# gets a new prefix byte.
_RECORD_DICT_1 = (
    b'{"id":"snp_","url":"https://","title":"","domain":"","page_kind":"product","order_no":"",'
    b'"seller_id":"","sha256":"","screenshot_sha256":"","html_size":,"screenshot_size":,'
    b'"received_at":"2026-11-25T02:22:06.946+08:00","captured_at":"2026-11-24T10:03:30+08:00",'
    b'"extension_version":"0.1.0","client_id":"","chain_index":,"chain_hash":"","sig":"","key_id":"",'
    b'"warnings_id":"","trigger":"manual","order","checkout","shop","terms","chat","other"}')
_RECORD_V1 = b"\x01"
_RECORD_MAX = 1 << 20


def _record_codecs():
    if not hasattr(_local, "r"):
        dictionary = zstandard.ZstdCompressionDict(_RECORD_DICT_1, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        _local.r = (zstandard.ZstdCompressor(level=3, dict_data=dictionary, write_content_size=True,
                                             write_checksum=True, write_dict_id=False),
                    zstandard.ZstdDecompressor(dict_data=dictionary))
    return _local.r


def pack_record(text: str) -> bytes:
    """A JSON record as stored: prefix byte + zstd frame (dictionary 1)."""
    return _RECORD_V1 + _record_codecs()[0].compress(text.encode("utf-8"))


def unpack_record(raw: bytes) -> str:
    """The JSON text of a stored record; ValueError if it is neither JSON nor a record we wrote."""
    if raw[:1] == _RECORD_V1:
        try:
            return _record_codecs()[1].decompress(raw[1:], max_output_size=_RECORD_MAX).decode("utf-8")
        except zstandard.ZstdError as error:
            raise ValueError(f"corrupt record: {error}") from None
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
