"""Integrity: hashes, the per-user hash chain, signed receipts, packs and their offline check.

Nothing here talks HTTP; the chain and receipt functions are pure so that ``kadun verify`` runs
them on a pack with no server, no Redis and no network.
"""
