"""A software passkey for tests: a P-256 key that answers WebAuthn ``credentials.get`` options the
way an authenticator does (authenticator data, client data, ES256 signature), so the server's
real checks (``webauthn.verify_authentication_response``) run on its answers."""
from __future__ import annotations

import hashlib
import json
import secrets

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from server.storage import accounts as store


class SoftPasskey:
    def __init__(self, rp_id: str = "localhost", origin: str = "https://localhost"):
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.id = bytes_to_base64url(secrets.token_bytes(16))
        self.count = 0

    def stored(self) -> store.Passkey:
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        return store.Passkey(id=self.id, public_key=bytes_to_base64url(cose), sign_count=0, name="soft")

    def answer(self, options: dict, *, user_verified: bool = True, origin: str | None = None) -> dict:
        """The answer to ``navigator.credentials.get({publicKey: options})``, as toJSON() gives it."""
        self.count += 1
        flags = 0x05 if user_verified else 0x01
        auth_data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + self.count.to_bytes(4, "big")
        client = json.dumps({"type": "webauthn.get", "challenge": options["challenge"],
                             "origin": origin or self.origin, "crossOrigin": False}).encode()
        signature = self.key.sign(auth_data + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": self.id, "rawId": self.id, "type": "public-key", "clientExtensionResults": {},
                "response": {"clientDataJSON": bytes_to_base64url(client),
                             "authenticatorData": bytes_to_base64url(auth_data),
                             "signature": bytes_to_base64url(signature)}}
