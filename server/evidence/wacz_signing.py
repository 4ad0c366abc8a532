"""``signedData`` for a WACZ's datapackage-digest.json, per Webrecorder's "WACZ Signing and
Verification" 0.1.0 (specs.webrecorder.net/wacz-auth/0.1.0).

The spec's signatures are ECDSA, so the server keeps a second key for WACZ: an ECDSA P-256 key
with a self-signed certificate ("KaDun WACZ signer <key id>"), created once in the data directory
beside the Ed25519 receipt key. Its fingerprint is written into the Ed25519-signed pack manifest,
which ties the two together.

- With a TSA configured: the spec's *domain-identity + timestamp* form. A short-lived leaf
  certificate (7 days, as verifiers expect) for a fresh key is issued by the signer certificate;
  the leaf signs the hash (``signature``, DER ECDSA/SHA-256 over the ASCII hash string),
  ``domainCert`` is the chain leaf → signer certificate, ``timeSignature`` is the TSA's RFC 3161
  reply over the signature, ``timestampCert`` the TSA chain. Webrecorder's own verifier
  (``authsign``, which ``wacz validate --verify-auth`` uses) accepts it once the signer and TSA
  roots are in its trusted-roots file.
- Without one: the *anonymous* form, ``signature`` by the signer key and ``publicKey`` (base64
  SubjectPublicKeyInfo DER), as ArchiveWeb.page writes it.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ..storage.private import publish_new, replace_durably
from . import timestamp

SOFTWARE = "KaDun evidence pack"
SPEC_VERSION = "0.1.0"
LEAF_DAYS = 7


class WaczSigner:
    """The server's WACZ signing key and its self-signed certificate."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate):
        self.key = key
        self.cert = cert

    @classmethod
    def load_or_create(cls, directory: str | os.PathLike) -> WaczSigner:
        directory = Path(directory)
        key_path, cert_path = directory / "wacz_signing_key.pem", directory / "wacz_signing_cert.pem"
        if not key_path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            # (False: another worker made it first: use that one)
            publish_new(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_path} is not an ECDSA key")
        if cert_path.exists():
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            if cert.public_key().public_numbers() == key.public_key().public_numbers():
                return cls(key, cert)
        cert = cls._self_signed(key)
        # Private like everything in the data directory (0600), though a certificate is public.
        replace_durably(cert_path, cert.public_bytes(serialization.Encoding.PEM))
        return cls(key, cert)

    @staticmethod
    def _self_signed(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
        spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "KaDun"),
                          x509.NameAttribute(NameOID.COMMON_NAME,
                                             f"KaDun WACZ signer {hashlib.sha256(spki).hexdigest()[:16]}")])
        start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(start)
                .not_valid_after(start + datetime.timedelta(days=365 * 100))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                               critical=True)
                .sign(key, hashes.SHA256()))

    @property
    def fingerprint(self) -> str:
        return timestamp.fingerprint(self.cert)

    @property
    def domain(self) -> str:
        return f"kadun-{self.fingerprint[:16]}.local"

    def public_key_b64(self) -> str:
        return base64.b64encode(self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode("ascii")

    def info(self) -> dict:
        return {"algorithm": "ECDSA-P256-SHA256", "certificate_sha256": self.fingerprint,
                "certificate": self.cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                "public_key": self.public_key_b64(), "domain": self.domain}

    def sign(self, digest: str, created: str, tsa=None) -> dict:
        """The ``signedData`` of ``digest`` ("sha256:<hex>"). ``tsa(sha256_bytes)`` returns
        ``(reply_der, chain)`` from a TSA, or None: then the anonymous form is written."""
        base = {"hash": digest, "created": created, "software": SOFTWARE, "version": SPEC_VERSION}
        if tsa is not None:
            signed = self._domain_signed(base, tsa)
            if signed is not None:
                return signed
        signature = self.key.sign(digest.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        return {**base, "signature": base64.b64encode(signature).decode("ascii"), "publicKey": self.public_key_b64()}

    def _domain_signed(self, base: dict, tsa) -> dict | None:
        created = datetime.datetime.strptime(base["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.domain)]))
                .issuer_name(self.cert.subject).public_key(leaf_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(created - datetime.timedelta(seconds=1))
                .not_valid_after(created + datetime.timedelta(days=LEAF_DAYS))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(self.domain)]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .sign(self.key, hashes.SHA256()))
        signature = base64.b64encode(leaf_key.sign(base["hash"].encode("ascii"),
                                                   ec.ECDSA(hashes.SHA256()))).decode("ascii")
        stamped = tsa(hashlib.sha256(signature.encode("ascii")).digest())
        if stamped is None:
            return None
        reply, chain = stamped
        pem = serialization.Encoding.PEM
        return {**base, "signature": signature, "domain": self.domain,
                "domainCert": (leaf.public_bytes(pem) + self.cert.public_bytes(pem)).decode("ascii"),
                "timeSignature": base64.b64encode(reply).decode("ascii"),
                "timestampCert": timestamp.chain_pem(chain)}


def verify_signed_data(signed: dict, package_hash: str) -> str:
    """Our own check of a WACZ's signedData (kadun verify): the hash is that of datapackage.json
    and the signature verifies with the included key. Returns the signer's certificate
    fingerprint (or public key); raises ValueError naming what is wrong."""
    if signed.get("hash") != package_hash:
        raise ValueError("signedData.hash is not the hash of datapackage.json")
    signature = base64.b64decode(signed.get("signature") or "")
    if signed.get("publicKey"):
        key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
        who = signed["publicKey"]
    elif signed.get("domainCert"):
        certs = x509.load_pem_x509_certificates(signed["domainCert"].encode("ascii"))
        key = certs[0].public_key()
        for child, parent in zip(certs, certs[1:], strict=False):
            child.verify_directly_issued_by(parent)
        who = timestamp.fingerprint(certs[-1])
    else:
        raise ValueError("signedData has neither publicKey nor domainCert")
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("the WACZ signing key is not ECDSA")
    try:
        key.verify(signature, signed["hash"].encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except Exception:
        raise ValueError("the WACZ signature does not verify") from None
    return who
