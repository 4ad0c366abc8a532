"""Ed25519-signed receipts and the server's signing key.

The key is created on first start in the data directory (``signing_key.pem``, mode 0600) and its
public half is published at ``/v1/keys`` and in every evidence pack. ``key_id`` is the first 16 hex
characters of the SHA-256 of the raw 32-byte public key.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..storage.private import publish_new
from ..storage.records import RECEIPT_FIELDS, RECEIPT_FIELDS_V1, canonical_json, receipt_payload

__all__ = ["RECEIPT_FIELDS", "RECEIPT_FIELDS_V1", "Receipt", "Signer", "canonical_json", "key_id_of", "receipt_payload", "verify_receipt"]


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


@dataclass(frozen=True)
class Receipt:
    payload: str
    signature: str
    key_id: str

    @classmethod
    def from_dict(cls, data: dict) -> Receipt:
        return cls(str(data["payload"]), str(data["signature"]), str(data["key_id"]))

    def as_dict(self) -> dict:
        return {"payload": self.payload, "signature": self.signature, "key_id": self.key_id}


class Signer:
    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key
        self.public_raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = key_id_of(self.public_raw)

    @classmethod
    def load_or_create(cls, path: str | os.PathLike) -> Signer:
        path = Path(path)
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 key")
            return cls(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # Written, fsynced, then linked to its name: a crash or power cut never leaves half a key
        # (or none) behind receipts signed with it; two workers racing keep one key.
        if not publish_new(path, pem):
            return cls.load_or_create(path)
        return cls(key)

    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    def key_info(self) -> dict:
        return {"key_id": self.key_id, "algorithm": "Ed25519", "public_key": self.public_key_b64()}

    def sign_bytes(self, data: bytes) -> str:
        """A detached Ed25519 signature (base64) of ``data`` (a pack's manifest)."""
        return base64.b64encode(self._key.sign(data)).decode("ascii")

    def sign(self, fields: dict) -> Receipt:
        payload = receipt_payload(fields)
        signature = self._key.sign(payload.encode("utf-8"))
        return Receipt(payload, base64.b64encode(signature).decode("ascii"), self.key_id)


def verify_detached(data: bytes, signature_b64: str, public_key_b64: str) -> bool:
    """True when ``signature_b64`` is a valid Ed25519 signature of ``data`` by the key."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        public.verify(base64.b64decode(signature_b64, validate=True), data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def verify_receipt(receipt: Receipt | dict, public_key_b64: str) -> bool:
    """True when the signature over the payload is valid for the given raw public key."""
    if isinstance(receipt, dict):
        try:
            receipt = Receipt.from_dict(receipt)
        except (KeyError, TypeError):
            return False
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        public.verify(base64.b64decode(receipt.signature, validate=True), receipt.payload.encode("utf-8"))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
