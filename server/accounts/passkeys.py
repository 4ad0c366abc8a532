"""Passkeys (WebAuthn) through the ``webauthn`` package: the options the browser is given, and the
checks of what it answers (challenge, origin, relying party, signature, user verification).

Every ceremony's challenge is kept server-side (``storage.signins.save_ceremony``) and taken
once, so an answer cannot be replayed. Passkeys are discoverable (resident) credentials with user
verification required: a passkey alone signs in, without a username, and stands for something the
person has and something they are or know.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.base64url_to_bytes import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import clock, jsonsafe
from ..storage import accounts as store
from ..storage import signins
from .service import AccountRefused

CEREMONY_SECONDS = 300
RP_NAME = "卡盾 KaDun"


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys are for: the site's host name (``id``) and the exact origin pages run at."""

    id: str
    origin: str

    @classmethod
    def for_origin(cls, origin: str) -> RelyingParty:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) origin: {origin!r}")
        return cls(id=parts.hostname, origin=f"{parts.scheme}://{parts.netloc}".lower())


def _refused(message: str, reason: str = "passkey_failed") -> AccountRefused:
    return AccountRefused(message, "credential", reason)


def _credential(answer) -> dict:
    """The browser's answer (PublicKeyCredential.toJSON()) as a dict, or a refusal."""
    if isinstance(answer, str):
        try:
            answer = jsonsafe.loads(answer)
        except ValueError:
            raise _refused("the passkey's answer is not JSON") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("rawId") or answer.get("id"), str):
        raise _refused("the passkey's answer has no credential id")
    return answer


def registration_options(r, rp: RelyingParty, *, user: str, username: str, purpose: str,
                         exclude: list[store.Passkey] = (), extra: dict | None = None) -> tuple[str, dict]:
    """Start registering a passkey for ``user`` (an existing user, or the id a sign-up will take):
    (ceremony id, the options for ``navigator.credentials.create``)."""
    options = generate_registration_options(
        rp_id=rp.id, rp_name=RP_NAME, user_id=user.encode(), user_name=username, user_display_name=username,
        timeout=CEREMONY_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.id)) for p in exclude])
    state = {"purpose": purpose, "user": user, "username": username, "rp": rp.id, "origin": rp.origin,
             "challenge": bytes_to_base64url(options.challenge), **(extra or {})}
    return signins.save_ceremony(r, state, CEREMONY_SECONDS), json.loads(options_to_json(options))


def finish_registration(r, rp: RelyingParty, ceremony_id: str, answer, purpose: str,
                        name: str = "") -> tuple[dict, store.Passkey]:
    """Check a registration answer: (the ceremony's state, the new passkey, not yet stored)."""
    state = signins.take_ceremony(r, ceremony_id)
    if state is None or state.get("purpose") != purpose or state.get("rp") != rp.id:
        raise _refused("this passkey request has expired; start again", "passkey_expired")
    credential = _credential(answer)
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=rp.id, expected_origin=rp.origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise _refused(f"the passkey could not be checked: {error}") from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if store.passkey_owner(r, credential_id) is not None:
        raise _refused("this passkey is already registered", "passkey_known")
    transports = (credential.get("response") or {}).get("transports") or []
    passkey = store.Passkey(
        id=credential_id, public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=int(verified.sign_count), transports=[str(t) for t in transports if isinstance(t, str)][:8],
        aaguid=str(verified.aaguid), backed_up=bool(verified.credential_backed_up),
        name=(name or "")[:100], created_at=clock.now_iso())
    return state, passkey


def authentication_options(r, rp: RelyingParty, extra: dict | None = None) -> tuple[str, dict]:
    """Start a sign-in with any passkey of this site: (ceremony id, options for ``credentials.get``)."""
    options = generate_authentication_options(rp_id=rp.id, timeout=CEREMONY_SECONDS * 1000,
                                              user_verification=UserVerificationRequirement.REQUIRED)
    state = {"purpose": "signin", "rp": rp.id, "origin": rp.origin,
             "challenge": bytes_to_base64url(options.challenge), **(extra or {})}
    return signins.save_ceremony(r, state, CEREMONY_SECONDS), json.loads(options_to_json(options))


def confirmation_options(r, rp: RelyingParty, user: str, keys: list[store.Passkey]) -> tuple[str, dict]:
    """Start a check that the signed-in ``user`` holds one of their passkeys now (before a deletion):
    (ceremony id, options for ``credentials.get`` naming only their passkeys). The answer must
    come within ``CEREMONY_SECONDS``: that is what makes the check fresh."""
    options = generate_authentication_options(
        rp_id=rp.id, timeout=CEREMONY_SECONDS * 1000, user_verification=UserVerificationRequirement.REQUIRED,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.id)) for p in keys])
    state = {"purpose": "confirm", "user": user, "rp": rp.id, "origin": rp.origin,
             "challenge": bytes_to_base64url(options.challenge)}
    return signins.save_ceremony(r, state, CEREMONY_SECONDS), json.loads(options_to_json(options))


def finish_confirmation(r, rp: RelyingParty, ceremony_id: str, answer, user: str) -> store.Account:
    """Check a confirmation answer: a passkey of ``user``'s, verified (user verification too)
    against a challenge made for ``user`` in the last ``CEREMONY_SECONDS``; else a refusal."""
    state, account = finish_authentication(r, rp, ceremony_id, answer, purpose="confirm")
    if state.get("user") != user or account.user != user:
        raise _refused("this is not a passkey of this account", "passkey_not_yours")
    return account


def finish_authentication(r, rp: RelyingParty, ceremony_id: str, answer,
                          purpose: str = "signin") -> tuple[dict, store.Account]:
    """Check a sign-in answer: (the ceremony's state, the account the passkey belongs to)."""
    state = signins.take_ceremony(r, ceremony_id)
    if state is None or state.get("purpose") != purpose or state.get("rp") != rp.id:
        raise _refused("this passkey request has expired; start again", "passkey_expired")
    credential = _credential(answer)
    owner = store.passkey_owner(r, str(credential.get("rawId") or credential.get("id")))
    if owner is None:
        raise _refused("this passkey is not registered here", "passkey_unknown")
    account, passkey = owner
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=rp.id, expected_origin=rp.origin,
            credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise _refused(f"the passkey could not be checked: {error}") from None
    store.passkey_used(r, account.user, passkey.id, verified.new_sign_count, verified.credential_backed_up)
    return state, account
