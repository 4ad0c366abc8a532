"""Re-verify a user's chain from storage: every link follows from the one before it, and the bytes
it names are still there and still hash to what was chained."""
from __future__ import annotations

import json

from ..storage import blobs, keys
from ..storage import chain as chain_store
from .chain import GENESIS
from .hashing import sha256_hex


def _item_sha(r, user: str, item_id: str) -> str | None:
    key = keys.attachment(user, item_id) if item_id.startswith("att_") else keys.snapshot(user, item_id)
    raw = r.get(key)
    return json.loads(raw).get("sha256") if raw else None


def verify_user_chain(r, user: str) -> dict:
    """``{"length", "head", "valid", "first_bad_index"}`` as GET /v1/chain answers."""
    prev, length, verified = GENESIS, 0, set()
    for link in chain_store.links(r, user):
        length += 1
        bad = (link.index != length - 1 or link.prev_hash != prev
               or link.chain_hash != link.expected_hash()
               or _item_sha(r, user, link.id) != link.sha256)
        if not bad and link.sha256 not in verified:
            data = blobs.get(r, user, link.sha256)
            bad = data is None or sha256_hex(data) != link.sha256
            verified.add(link.sha256)
        if bad:
            total = int(r.llen(keys.chain(user)))
            return {"length": total, "head": _head(r, user), "valid": False, "first_bad_index": link.index
                    if link.index == length - 1 else length - 1}
        prev = link.chain_hash
    return {"length": length, "head": prev, "valid": True, "first_bad_index": None}


def _head(r, user: str) -> str:
    return chain_store.head(r, user)[1]
