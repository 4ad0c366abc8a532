"""Re-verify a user's chain from storage: every link follows from the one before it, and the
evidence it names (metadata and bytes) is still there and still hashes to what was chained.

Stored data may have been tampered with in any way (a link that is not JSON, metadata with a
field missing, a blob that no longer decompresses): each of these marks that link as the first
bad one; none of them makes the check itself fail.
"""
from __future__ import annotations

from ..storage import blobs, keys
from ..storage.captures import decode_record
from ..storage.chain import decode_link
from .chain import GENESIS, ChainLink
from .hashing import sha256_hex

PAGE = 1000


def _parse_link(raw, position: int, prev: str) -> ChainLink | None:
    try:
        return decode_link(raw, position, prev)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _item(r, user: str, item_id: str) -> dict | None:
    key = keys.attachment(user, item_id) if item_id.startswith("att_") else keys.snapshot(user, item_id)
    raw = r.get(key)
    try:
        return decode_record(raw) if raw else None
    except ValueError:  # not JSON, not UTF-8, or a corrupt compressed record
        return None


def _blob_ok(r, user: str, sha256: str, checked: dict[str, bool]) -> bool:
    """True when the blob is stored and its bytes hash to ``sha256`` (each blob checked once)."""
    if sha256 not in checked:
        try:
            data = blobs.get(r, user, sha256)
        except Exception:  # zstd raises its own error type for a corrupt frame
            data = None
        checked[sha256] = data is not None and sha256_hex(data) == sha256
    return checked[sha256]


def link_problem(r, user: str, position: int, prev: str, link: ChainLink | None,
                 checked: dict[str, bool]) -> str | None:
    """Why the link at ``position`` is bad, or None when it follows and its evidence is intact."""
    if link is None:
        return "unreadable"
    if link.index != position:
        return "index"
    if link.prev_hash != prev:
        return "prev_hash"
    if link.chain_hash != link.expected_hash():
        return "chain_hash"
    item = _item(r, user, link.id)
    if item is None:
        return "missing_item"
    if (item.get("sha256") != link.sha256 or item.get("chain_hash") != link.chain_hash
            or item.get("chain_index") != link.index or item.get("received_at") != link.received_at):
        return "item_mismatch"
    if not _blob_ok(r, user, link.sha256, checked):
        return "blob"
    shot = item.get("screenshot_sha256")
    if shot and not _blob_ok(r, user, shot, checked):
        return "screenshot_blob"
    return None


def verify_user_chain(r, user: str) -> dict:
    """``{"length", "head", "valid", "first_bad_index"}`` as GET /v1/chain answers.

    ``head`` is the chain hash of the last stored link as stored (what the user was told last);
    ``first_bad_index`` is the position of the first link that does not verify.
    """
    chain_key = keys.chain(user)
    total = int(r.llen(chain_key))
    prev, checked = GENESIS, {}
    head = GENESIS
    first_bad = None
    position = 0
    while position < total:
        batch = r.lrange(chain_key, position, min(position + PAGE, total) - 1)
        if not batch:
            break
        for raw in batch:
            link = _parse_link(raw, position, prev)
            if first_bad is None and link_problem(r, user, position, prev, link, checked):
                first_bad = position
            if link is not None:
                prev = head = link.chain_hash
            position += 1
        if first_bad is not None:
            # The head is the last stored link's hash, whatever happened before it.
            last = _parse_link(r.lindex(chain_key, -1), total - 1, GENESIS)
            head = last.chain_hash if last else head
            break
    return {"length": total, "head": head, "valid": first_bad is None, "first_bad_index": first_bad}
