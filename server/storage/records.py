"""The formats storage writes and integrity checks read: content hashes, the canonical JSON that is
signed, the hash-chain link and the receipt's signed text. Pure functions, no I/O.

They live here, below ``server.evidence``, because storage persists them (a capture is stored
under its SHA-256 and appended to the chain in one transaction); ``server.evidence`` re-exports
them for the offline verifier, so the two can never disagree and storage never imports evidence.

``chain_hash = sha256(prev_chain_hash ‖ capture_sha256 ‖ received_at ‖ id)`` over the UTF-8 of the
concatenated strings (hex hashes, the ISO time exactly as stored, the id). The first link's
previous hash is 64 zeros.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

GENESIS = "0" * 64
# Version 2 signs the capture's URL too (an attachment has none: null). Receipts signed before
# (version 1, no ``url``) still verify; their URL is simply not covered by the signature.
RECEIPT_FIELDS = ("id", "user", "url", "sha256", "screenshot_sha256", "received_at", "chain_index", "chain_hash")
RECEIPT_FIELDS_V1 = tuple(name for name in RECEIPT_FIELDS if name != "url")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is: the bytes that are signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, sha256: str, received_at: str, item_id: str) -> str:
    return sha256_hex(f"{prev_hash}{sha256}{received_at}{item_id}".encode())


@dataclass(frozen=True)
class ChainLink:
    index: int
    id: str
    sha256: str
    received_at: str
    prev_hash: str
    chain_hash: str

    @classmethod
    def from_dict(cls, data: dict) -> ChainLink:
        return cls(int(data["index"]), str(data["id"]), str(data["sha256"]), str(data["received_at"]),
                   str(data["prev_hash"]), str(data["chain_hash"]))

    def as_dict(self) -> dict:
        return asdict(self)

    def expected_hash(self) -> str:
        return link_hash(self.prev_hash, self.sha256, self.received_at, self.id)


def make_link(index: int, prev_hash: str, sha256: str, received_at: str, item_id: str) -> ChainLink:
    return ChainLink(index, item_id, sha256, received_at, prev_hash,
                     link_hash(prev_hash, sha256, received_at, item_id))


def receipt_payload(fields: dict, version: int = 2) -> str:
    """The signed text of a receipt: canonical JSON of exactly RECEIPT_FIELDS (version 2) or of
    RECEIPT_FIELDS_V1 (receipts made before the URL was signed).

    Deterministic, so storage keeps only the signature and rebuilds the payload from the
    capture's own fields (a changed field then fails the signature, as it should).
    """
    names = RECEIPT_FIELDS if version >= 2 else RECEIPT_FIELDS_V1
    return canonical_json({name: fields.get(name) for name in names})
