"""A logical copy of every KaDun key (Redis DUMP/RESTORE), restorable into any Redis: the embedded
server, a system Redis or a Redis Cluster, whatever the backup came from.

Consistency: a user's keys (one hash tag) change together in transactions, so each hash-tag group
is copied in one MULTI (DUMP and PTTL of each of its keys), an atomic picture of that user (or
site). A group whose keys were listed before a write created new ones could be copied half-way
(a chain link without its capture record): after all groups are copied the keyspace is listed
again, and a group with new keys is copied again, round after round, until none changed.
Content-addressed keys (page and screenshot bytes, facts, warnings) never change once written;
they are copied one at a time outside the transaction, from the listing made after their group's
copy, so every record copied has its bytes copied too.

The stream is a sequence of records ``key length (4 bytes) | key | PTTL (8 bytes, signed; -1: none)
| payload length (4 bytes) | DUMP payload``, ended by a key length of 0xFFFFFFFF; the CLI
(cli/backup.py) compresses it and stores it beside the signing keys. RESTORE needs a Redis of the
same or a newer version than the one that made the DUMP payloads.
"""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import redis

from . import keys

END = 0xFFFFFFFF
_HEAD = struct.Struct(">I")
_TTL = struct.Struct(">q")
MAX_ROUNDS = 8
BATCH = 200


@dataclass
class DumpStats:
    keys: int = 0
    bytes: int = 0
    groups: int = 0
    rounds: int = 0
    recopied: int = 0   # groups copied again because they changed while being copied
    unsettled: list = field(default_factory=list)  # groups still changing after the last round
    sha256: str = ""


def _b(key) -> bytes:
    return key if isinstance(key, bytes) else str(key).encode()


def group_of(key: bytes) -> bytes:
    """The hash tag a key's slot comes from (its whole name when it has none)."""
    start = key.find(b"{")
    if start >= 0:
        end = key.find(b"}", start + 1)
        if end > start + 1:
            return key[start + 1:end]
    return key


def _listing(r) -> dict[bytes, set[bytes]]:
    groups: dict[bytes, set[bytes]] = {}
    for key in r.scan_iter(match=f"{keys.PREFIX}:*".encode(), count=1000):
        key = _b(key)
        if keys.is_operational(key):
            continue
        groups.setdefault(group_of(key), set()).add(key)
    return groups


def _mutable(names: Iterable[bytes]) -> set[bytes]:
    return {k for k in names if not keys.is_immutable(k)}


def _copy_atomically(r, names: list[bytes]) -> list[tuple[bytes, int, bytes]]:
    """DUMP and PTTL of ``names`` (one hash tag) in one transaction: (key, pttl, payload)."""
    if not names:
        return []
    pipe = r.pipeline(transaction=True)
    for name in names:
        pipe.dump(name)
        pipe.pttl(name)
    replies = pipe.execute()
    out = []
    for i, name in enumerate(names):
        payload, ttl = replies[2 * i], replies[2 * i + 1]
        if payload is not None:  # deleted since the listing
            out.append((name, int(ttl), payload))
    return out


def _copy_each(r, names: list[bytes]) -> Iterator[tuple[bytes, int, bytes]]:
    """DUMP and PTTL of keys that never change, a batch at a time (no transaction needed)."""
    for start in range(0, len(names), BATCH):
        batch = names[start:start + BATCH]
        pipe = r.pipeline(transaction=False)
        for name in batch:
            pipe.dump(name)
            pipe.pttl(name)
        replies = pipe.execute()
        for i, name in enumerate(batch):
            if replies[2 * i] is not None:
                yield name, int(replies[2 * i + 1]), replies[2 * i]


def _record(key: bytes, ttl: int, payload: bytes) -> bytes:
    return _HEAD.pack(len(key)) + key + _TTL.pack(ttl if ttl > 0 else -1) + _HEAD.pack(len(payload)) + payload


def dump(r, write: Callable[[bytes], object], progress: Callable[[int], None] | None = None) -> DumpStats:
    """Copy every KaDun key of ``r`` (every node of a cluster) to ``write`` as records, but a
    server's own figures and probe key (``keys.is_operational``)."""
    stats = DumpStats()
    digest = hashlib.sha256()
    tick = progress or (lambda n: None)

    def emit(key: bytes, ttl: int, payload: bytes) -> None:
        chunk = _record(key, ttl, payload)
        digest.update(chunk)
        write(chunk)
        stats.keys += 1
        stats.bytes += len(payload)
        tick(1)

    # Each group is written as soon as it is copied; a group copied again later is written again
    # and, restored in order, its later copy replaces the earlier one.
    emitted: set[bytes] = set()  # content-addressed keys already written
    pending = _listing(r)
    seen = set(pending)
    stats.groups = len(pending)
    while pending and stats.rounds < MAX_ROUNDS:
        stats.rounds += 1
        for group in sorted(pending):
            for key, ttl, payload in _copy_atomically(r, sorted(_mutable(pending[group]))):
                emit(key, ttl, payload)
        after = _listing(r)
        changed = {g: names for g, names in after.items()
                   if (g in pending and _mutable(names) - _mutable(pending[g])) or g not in seen}
        seen |= set(after)
        # Content-addressed keys are taken from the listing made after their group's copy.
        for group in sorted(pending):
            fresh = sorted(k for k in after.get(group, ()) if keys.is_immutable(k) and k not in emitted)
            for key, ttl, payload in _copy_each(r, fresh):
                emit(key, ttl, payload)
            emitted.update(fresh)
        if stats.rounds > 1:
            stats.recopied += len(pending)
        pending = changed
    stats.unsettled = sorted(g.decode(errors="replace") for g in pending)
    end = _HEAD.pack(END)
    digest.update(end)
    write(end)
    stats.sha256 = digest.hexdigest()
    return stats


def records(read: Callable[[int], bytes]) -> Iterator[tuple[bytes, int, bytes]]:
    """The records of a dump stream (ValueError when it is cut short or malformed)."""
    def exactly(n: int) -> bytes:
        data = read(n)
        if len(data) != n:
            raise ValueError("the backup's key stream ends in the middle of a record")
        return data

    while True:
        (length,) = _HEAD.unpack(exactly(4))
        if length == END:
            return
        if length > 1 << 20:
            raise ValueError("the backup's key stream is damaged (a key name longer than 1 MiB)")
        key = exactly(length)
        (ttl,) = _TTL.unpack(exactly(8))
        (size,) = _HEAD.unpack(exactly(4))
        yield key, ttl, exactly(size)


def existing_keys(r, limit: int = 1) -> list[bytes]:
    """Up to ``limit`` KaDun keys already in ``r`` (a restore refuses to mix two datasets); a
    server's own figures and probe key are not data and do not count."""
    found = []
    for key in r.scan_iter(match=f"{keys.PREFIX}:*".encode(), count=1000):
        if keys.is_operational(key):
            continue
        found.append(_b(key))
        if len(found) >= limit:
            break
    return found


def restore(r, stream: Iterable[tuple[bytes, int, bytes]], progress: Callable[[int], None] | None = None) -> int:
    """RESTORE every record into ``r`` (REPLACE: a key already there takes the backup's value);
    returns how many keys were written."""
    tick = progress or (lambda n: None)
    count = 0
    batch: list[tuple[bytes, int, bytes]] = []

    def flush() -> None:
        pipe = r.pipeline(transaction=False)
        for key, ttl, payload in batch:
            pipe.restore(key, max(0, ttl), payload, replace=True)
        try:
            pipe.execute()
        except redis.ResponseError as error:
            raise ValueError(f"Redis refused the backup's data ({error}); restore into a Redis of the same "
                             "or a newer version than the one backed up") from None
        tick(len(batch))

    for record in stream:
        batch.append(record)
        count += 1
        if len(batch) >= BATCH:
            flush()
            batch = []
    if batch:
        flush()
    return count
