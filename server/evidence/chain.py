"""The per-user append-only hash chain.

``chain_hash = sha256(prev_chain_hash ‖ capture_sha256 ‖ received_at ‖ id)`` over the UTF-8 of the
concatenated strings (hex hashes, the ISO time exactly as stored, the id). The first link's
previous hash is 64 zeros. A link is a captured page (``snp_…``) or a dispute attachment
(``att_…``); both are evidence and both are chained.
"""
from __future__ import annotations

from ..storage.records import GENESIS, ChainLink, link_hash, make_link

__all__ = ["GENESIS", "ChainLink", "first_bad_index", "link_hash", "make_link"]


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
