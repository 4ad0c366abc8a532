"""Hashes and canonical JSON, shared by the server and the offline verifier (defined with the
formats storage writes, ``server.storage.records``)."""
from __future__ import annotations

from ..storage.records import canonical_json, sha256_hex

__all__ = ["canonical_json", "sha256_hex"]
