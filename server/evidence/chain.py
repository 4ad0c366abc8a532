"""The per-user append-only hash chain.

``chain_hash = sha256(prev_chain_hash ‖ capture_sha256 ‖ received_at ‖ id)`` over the UTF-8 of the
concatenated strings (hex hashes, the ISO time exactly as stored, the id). The first link's
previous hash is 64 zeros. A link is a captured page (``snp_…``) or a dispute attachment
(``att_…``); both are evidence and both are chained.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .hashing import sha256_hex

GENESIS = "0" * 64


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


def first_bad_index(links: list[ChainLink], start_prev: str = GENESIS, start_index: int = 0) -> int | None:
    """Index of the first link that does not follow from the one before it, or None if all do.

    ``links`` must be consecutive; ``start_prev`` is the hash before the first of them (a pack
    holds a slice of the chain, so the verifier passes the slice's own first prev_hash).
    """
    prev = start_prev
    for offset, link in enumerate(links):
        expected_index = start_index + offset
        if link.index != expected_index or link.prev_hash != prev or link.chain_hash != link.expected_hash():
            return expected_index
        prev = link.chain_hash
    return None
