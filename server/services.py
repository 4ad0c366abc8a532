"""What a running app holds: the Redis client, the signing key, the config."""
from __future__ import annotations

from dataclasses import dataclass, field

from .evidence.receipts import Signer
from .storage.redis import EmbeddedRedis


@dataclass
class Services:
    redis: object
    signer: Signer
    config: dict
    embedded: EmbeddedRedis | None = None
    extra: dict = field(default_factory=dict)
    # Trusted time (evidence/stamping.py): what to stamp with, and this worker's stamping thread.
    stamp_config: object = None
    stamper: object = None
    # The ECDSA key and certificate that sign WACZ archives (evidence/wacz_signing.py).
    wacz_signer: object = None
