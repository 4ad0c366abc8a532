"""Hashes and canonical JSON, shared by the server and the offline verifier."""
from __future__ import annotations

import hashlib
import json


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is: the bytes that are signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
