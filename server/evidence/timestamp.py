"""RFC 3161 trusted time: requests, tokens and their offline check.

What is stamped is a user's chain head: the message imprint of the request is the 32 bytes of the
head's ``chain_hash`` itself (SHA-256), so a token proves that the whole chain up to that link,
and so every capture in it, existed no later than the token's time. ``openssl ts -verify -digest
<chain_hash>`` checks the same thing by hand.

``asn1crypto`` reads and writes the TSP/CMS structures and ``cryptography`` checks the signature
and the certificate chain (see the README's design notes for why not ``rfc3161-client``). Pure
apart from :func:`request_token` (one HTTP POST).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"
# A token plus a certificate chain is a few KB; anything much larger is not a TSA answer.
MAX_REPLY_BYTES = 256 * 1024


class TimestampError(Exception):
    """A TSA answer that cannot be used, or a token that does not verify (message says why)."""


def build_request(digest: bytes, nonce: int | None = None) -> tuple[bytes, int]:
    """DER of a TimeStampReq for a SHA-256 ``digest`` (certReq true) and the nonce it carries."""
    from asn1crypto import tsp

    if len(digest) != 32:
        raise ValueError("a SHA-256 digest is 32 bytes")
    nonce = nonce if nonce is not None else secrets.randbits(63) | 1
    request = tsp.TimeStampReq({
        "version": 1, "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest},
        "nonce": nonce, "cert_req": True})
    return request.dump(), nonce


@dataclass(frozen=True)
class Token:
    """What a verified (or merely parsed) token says."""

    gen_time: datetime
    digest: bytes
    tsa_name: str          # the signing certificate's subject, e.g. "CN=FreeTSA,O=…"
    serial: int
    nonce: int | None
    certificates: tuple[bytes, ...]  # DER, as carried in the token

    @property
    def gen_time_iso(self) -> str:
        return self.gen_time.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse(reply: bytes):
    """(TimeStampResp, SignedData, TSTInfo) of a reply, parsed leniently (asn1crypto keeps the
    original bytes, so a TSA whose SET OF is not in DER order still verifies)."""
    from asn1crypto import tsp

    try:
        response = tsp.TimeStampResp.load(reply, strict=True)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = " ".join(response["status"]["status_string"].native or []) or "no reason given"
            raise TimestampError(f"the TSA refused the request ({status}: {text})")
        token = response["time_stamp_token"]
        if token["content_type"].native != "signed_data":
            raise TimestampError("the token is not CMS SignedData")
        signed = token["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TimestampError("the token does not hold a TSTInfo")
        info = encap["content"].parsed
        _ = info.native  # parse everything now: a broken field raises here, not later
    except TimestampError:
        raise
    except Exception as error:  # asn1crypto raises ValueError/TypeError for malformed DER
        raise TimestampError(f"not an RFC 3161 time-stamp response ({error})") from None
    return response, signed, info


def _certificates(signed) -> list[x509.Certificate]:
    out = []
    for choice in signed["certificates"] or []:
        if choice.name == "certificate":
            out.append(x509.load_der_x509_certificate(choice.chosen.dump()))
    return out


def _signer(signed, certs: list[x509.Certificate]):
    infos = list(signed["signer_infos"])
    if len(infos) != 1:
        raise TimestampError(f"the token has {len(infos)} signers, not one")
    info = infos[0]
    sid = info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (cert.serial_number == wanted["serial_number"].native
                    and cert.issuer.public_bytes() == wanted["issuer"].dump()):
                return info, cert
        elif x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest == sid.chosen.native:
            return info, cert
    return info, None


def read_token(reply: bytes) -> Token:
    """Parse a TimeStampResp (DER) without checking its signature."""
    _, signed, info = _parse(reply)
    imprint = info["message_imprint"]
    if imprint["hash_algorithm"]["algorithm"].native != "sha256":
        raise TimestampError("the token's imprint is not SHA-256")
    certs = _certificates(signed)
    _, signer = _signer(signed, certs)
    name = signer.subject.rfc4514_string() if signer is not None else "unknown TSA"
    moment = info["gen_time"].native
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    nonce = info["nonce"].native
    return Token(moment, bytes(imprint["hashed_message"].native), name, int(info["serial_number"].native),
                 nonce, tuple(c.public_bytes(serialization.Encoding.DER) for c in certs))


def load_pem_chain(pem: bytes | str) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle (ValueError when there is none)."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    certs = x509.load_pem_x509_certificates(data)
    if not certs:
        raise ValueError("no certificate in the PEM text")
    return certs


def chain_pem(certs: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except Exception:  # wrong key type, bad signature: not a root
        return False


def complete_chain(token: Token, extra: list[x509.Certificate]) -> list[x509.Certificate]:
    """The TSA's chain, signing certificate first: the token's signer, then each issuer (from the
    token's certificates or from ``extra``, the CA bundle configured for the TSAs) up to a
    self-signed root when one is there."""
    carried = [x509.load_der_x509_certificate(der) for der in token.certificates]
    pool: list[x509.Certificate] = []
    for cert in [*carried, *extra]:
        if cert not in pool:
            pool.append(cert)
    leaf = next((c for c in carried if c.subject.rfc4514_string() == token.tsa_name), None)
    if leaf is None:
        return []
    chain = [leaf]
    while not _self_signed(chain[-1]) and len(chain) < 8:
        nxt = None
        for candidate in pool:
            if candidate.subject != chain[-1].issuer or candidate in chain:
                continue
            try:
                chain[-1].verify_directly_issued_by(candidate)
            except Exception:  # another certificate with the same name
                continue
            nxt = candidate
            break
        if nxt is None:
            break
        chain.append(nxt)
    return chain


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha1": hashes.SHA1}


def _digest(name: str, data: bytes) -> bytes:
    if name not in _HASHES:
        raise TimestampError(f"unsupported digest algorithm {name}")
    h = hashes.Hash(_HASHES[name]())
    h.update(data)
    return h.finalize()


def _check_signature(info, cert: x509.Certificate, content: bytes) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    digest_name = info["digest_algorithm"]["algorithm"].native
    attrs = info["signed_attrs"]
    if not attrs:
        raise TimestampError("the token has no signed attributes")
    by_type = {a["type"].native: a["values"][0] for a in attrs}
    if by_type.get("content_type") is None or by_type["content_type"].native != "tst_info":
        raise TimestampError("the token's signed content type is not TSTInfo")
    if by_type.get("message_digest") is None or by_type["message_digest"].native != _digest(digest_name, content):
        raise TimestampError("the token's TSTInfo does not match its signed digest")
    signed_bytes = b"\x31" + attrs.dump()[1:]  # [0] IMPLICIT → SET OF, as signed
    signature = info["signature"].native
    algorithm = info["signature_algorithm"]
    key = cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed_bytes, ec.ECDSA(_HASHES[digest_name]()))
        elif isinstance(key, rsa.RSAPublicKey):
            if algorithm["algorithm"].native == "rsassa_pss":
                params = algorithm["parameters"]
                pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
                key.verify(signature, signed_bytes, padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native),
                           pss_hash)
            else:
                key.verify(signature, signed_bytes, padding.PKCS1v15(), _HASHES[digest_name]())
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signed_bytes)
        else:
            raise TimestampError(f"unsupported TSA key type {type(key).__name__}")
    except TimestampError:
        raise
    except Exception:  # InvalidSignature, or a malformed signature value
        raise TimestampError("the token's signature does not verify with the TSA certificate") from None
    ess = by_type.get("signing_certificate_v2") or by_type.get("signing_certificate")
    if ess is not None:
        der = cert.public_bytes(serialization.Encoding.DER)
        first = ess["certs"][0]
        alg = first["hash_algorithm"]["algorithm"].native if "hash_algorithm" in first else "sha1"
        if first["cert_hash"].native != _digest(alg, der):
            raise TimestampError("the token names another signing certificate (ESS)")


def _check_chain(cert: x509.Certificate, chain: list[x509.Certificate], at: datetime) -> None:
    """``cert`` is issued, link by link, by certificates of ``chain``, ending at its top one, and
    each link is valid at ``at`` (the token's time)."""
    current, seen = cert, 0
    while True:
        if not (current.not_valid_before_utc <= at <= current.not_valid_after_utc):
            raise TimestampError(f"certificate {current.subject.rfc4514_string()} was not valid at {at.isoformat()}")
        if current == chain[-1]:
            return
        issuer = next((c for c in chain if c.subject == current.issuer and c != current), None)
        if issuer is None:
            raise TimestampError(f"no issuer of {current.subject.rfc4514_string()} among the TSA certificates")
        try:
            current.verify_directly_issued_by(issuer)
        except Exception:
            raise TimestampError(f"{current.subject.rfc4514_string()} is not signed by its issuer") from None
        current, seen = issuer, seen + 1
        if seen > 8:
            raise TimestampError("the TSA certificate chain is too long")


def verify_token(reply: bytes, digest: bytes, chain: list[x509.Certificate],
                 pinned_roots: list[x509.Certificate] | None = None) -> Token:
    """Check a TimeStampResp offline: granted; its imprint is ``digest``; its CMS signature over
    the TSTInfo is valid for the signing certificate, which carries the timeStamping EKU and is
    issued (link by link, valid at the token's time) up to the top certificate of ``chain`` (the
    TSA chain stored with the token; with ``pinned_roots`` that top certificate must be one of
    them). Returns what the token says."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    token = read_token(reply)
    if token.digest != digest:
        raise TimestampError(f"the token stamps {token.digest.hex()}, not {digest.hex()}")
    if not chain:
        raise TimestampError("no TSA certificate to check the token against")
    if pinned_roots is not None and not any(chain[-1] == root for root in pinned_roots):
        raise TimestampError(f"the TSA chain ends at {chain[-1].subject.rfc4514_string()} "
                             f"(SHA-256 {fingerprint(chain[-1])}), not at a pinned root")
    _, signed, info = _parse(reply)
    signer_info, cert = _signer(signed, [*chain, *_certificates(signed)])
    if cert is None:
        raise TimestampError("the token's signing certificate is not among the TSA certificates")
    if cert not in chain:
        raise TimestampError(f"the token was signed by {cert.subject.rfc4514_string()}, "
                             "which is not the stored TSA certificate")
    _check_signature(signer_info, cert, signed["encap_content_info"]["content"].contents)
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise TimestampError("the TSA certificate has no extended key usage") from None
    if ExtendedKeyUsageOID.TIME_STAMPING not in eku.value:
        raise TimestampError("the TSA certificate is not for time stamping (EKU)")
    _check_chain(cert, chain, token.gen_time)
    return token


def request_token(url: str, digest: bytes, timeout: float = 10.0) -> tuple[bytes, Token]:
    """POST a request for ``digest`` to the TSA at ``url``; the reply's bytes and what it says.

    Raises TimestampError for a refusal, a wrong imprint or nonce, or an unreachable TSA.
    """
    query, nonce = build_request(digest)
    request = urllib.request.Request(url, data=query, method="POST", headers={
        "Content-Type": CONTENT_TYPE_QUERY, "Accept": CONTENT_TYPE_REPLY, "User-Agent": "kadun-tsa-client"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (configured URL)
            reply = answer.read(MAX_REPLY_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise TimestampError(f"TSA {url} unreachable: {error}") from None
    if len(reply) > MAX_REPLY_BYTES:
        raise TimestampError(f"TSA {url} answered more than {MAX_REPLY_BYTES} bytes")
    token = read_token(reply)
    if token.digest != digest:
        raise TimestampError(f"TSA {url} stamped another hash")
    if token.nonce is not None and token.nonce != nonce:
        raise TimestampError(f"TSA {url} answered another request (nonce)")
    return reply, token


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
