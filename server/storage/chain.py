"""Appending to and reading a user's hash chain in Redis.

The append is optimistic: WATCH the chain (and any guard key such as the client_id), read the
head, compute the link, then write the link and everything that belongs to the same piece of
evidence in one MULTI. All keys carry the user's hash tag, so this also works on Redis Cluster.

A stored link is ``{"id", "sha256", "received_at", "chain_hash"}``: its index is its position in
the list and its previous hash is the link before it, so neither is stored again (links written
with them, by older versions, are read as they are). Links are stored as compressed records
(blobs.pack_record), about half the size of their JSON.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import redis

from ..errors import Conflict
from . import blobs, keys
from .records import GENESIS, ChainLink, make_link

PAGE = 1000


def encode_link(link: ChainLink) -> bytes:
    return blobs.pack_record(json.dumps({"id": link.id, "sha256": link.sha256, "received_at": link.received_at,
                                         "chain_hash": link.chain_hash}, separators=(",", ":")))


def _link_data(raw) -> dict:
    data = json.loads(blobs.unpack_record(raw))
    if not isinstance(data, dict):
        raise ValueError("a chain link is a JSON object")
    return data


def decode_link(raw, position: int, prev_hash: str) -> ChainLink:
    """The link stored at ``position`` after a link whose hash is ``prev_hash``.
    Raises ValueError / KeyError / TypeError for data that is not a link."""
    data = _link_data(raw)
    return ChainLink(int(data.get("index", position)), str(data["id"]), str(data["sha256"]),
                     str(data["received_at"]), str(data.get("prev_hash", prev_hash)), str(data["chain_hash"]))


class GuardTripped(Exception):
    """A guard key appeared while we were appending (e.g. the same client_id won a race)."""


def head(r, user: str) -> tuple[int, str]:
    """(length, head hash) of the user's chain."""
    pipe = r.pipeline(transaction=False)
    pipe.llen(keys.chain(user))
    pipe.lindex(keys.chain(user), -1)
    length, last = pipe.execute()
    if not last:
        return 0, GENESIS
    return int(length), _link_data(last)["chain_hash"]


def append(r, user: str, item_id: str, sha256: str, now: Callable[[], str],
           write: Callable[[object, ChainLink, str], None], guard_key: str | None = None,
           attempts: int = 200, guard_field: str | None = None,
           check: Callable[[object], None] | None = None) -> ChainLink:
    """Append one link and run ``write(pipe, link, received_at)`` in the same transaction.

    ``now()`` is called once per attempt so the server time and the chain order agree.
    Raises GuardTripped when ``guard_key`` exists, or with ``guard_field`` when that field of
    the hash ``guard_key`` exists (checked under WATCH). ``check(pipe)`` reads what must still
    hold (a count of the user's own evidence) and raises to refuse: it runs under the same WATCH,
    and every piece of evidence is appended to the chain, so no parallel append can slip between
    the check and the write.
    """
    chain_key = keys.chain(user)
    for _ in range(attempts):
        with r.pipeline(transaction=True) as pipe:
            try:
                watch = [chain_key] + ([guard_key] if guard_key else [])
                pipe.watch(*watch)
                if guard_key and (pipe.hexists(guard_key, guard_field) if guard_field else pipe.exists(guard_key)):
                    pipe.unwatch()
                    raise GuardTripped(guard_key)
                if check is not None:
                    check(pipe)
                length = pipe.llen(chain_key)
                last = pipe.lindex(chain_key, -1) if length else None
                prev = _link_data(last)["chain_hash"] if last else GENESIS
                received_at = now()
                link = make_link(length, prev, sha256, received_at, item_id)
                pipe.multi()
                pipe.rpush(chain_key, encode_link(link))
                write(pipe, link, received_at)
                pipe.execute()
                return link
            except redis.WatchError:
                continue
    raise Conflict("the evidence chain is busy; retry the request")


def links(r, user: str, start: int = 0, stop: int = -1) -> Iterator[ChainLink]:
    """Links from ``start`` to ``stop`` (inclusive, -1 = end), read in pages."""
    chain_key = keys.chain(user)
    end = r.llen(chain_key) - 1 if stop < 0 else stop
    prev = _hash_at(r, user, start - 1)
    position = start
    while position <= end:
        batch = r.lrange(chain_key, position, min(position + PAGE - 1, end))
        if not batch:
            return
        for raw in batch:
            link = decode_link(raw, position, prev)
            yield link
            prev, position = link.chain_hash, position + 1


def _hash_at(r, user: str, index: int) -> str:
    if index < 0:
        return GENESIS
    raw = r.lindex(keys.chain(user), index)
    return _link_data(raw)["chain_hash"] if raw else GENESIS


def link_at(r, user: str, index: int) -> ChainLink | None:
    raw = r.lindex(keys.chain(user), index)
    return decode_link(raw, index, _hash_at(r, user, index - 1)) if raw else None
