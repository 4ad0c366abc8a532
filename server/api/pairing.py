"""Pairing: a one-time code (printed by ``kadun serve`` / ``kadun pair``, or made by a paired
device for the user's phone) for a bearer token."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request

from .. import clock
from ..errors import NotFound
from ..storage import users
from ..web import links
from .access import pin_pairing_origin
from .common import field_str, json_body, redis_client, require_user, token_lifetime
from .validation import validate

bp = Blueprint("pairing", __name__)


@bp.post("/v1/pair")
def pair():
    data = json_body()
    validate("PairIn", data)
    code = field_str(data, "code", required=True, max_len=64)
    device = field_str(data, "device", max_len=200)
    kind = data.get("kind") or "extension"  # (the schema admits only PAIRING_KINDS)
    result = users.redeem_code(redis_client(), code, device, lifetime_seconds=token_lifetime(), kind=kind)
    if result is None:
        # 404: the code is unknown, already used or expired (the contract's "not found").
        raise NotFound("pairing code not valid: it is wrong, used or expired; run `kadun pair` for a new one")
    token, user = result
    pin_pairing_origin(redis_client())
    return jsonify({"token": token, "user": user}), 201


def public_base() -> str:
    """The address phones reach this backend at: ``PUBLIC_URL`` when configured (a reverse proxy
    with TLS on the user's domain), else the address this request came in on."""
    configured = current_app.config.get("PUBLIC_URL")
    return links.normalise_base(configured or request.host_url)


@bp.post("/v1/pair/codes")
@require_user
def new_code():
    """A one-time code for another device of the caller's own user (the phone), with the link a
    phone opens and that link as a QR code, made here so the options page needs no encoder."""
    # An empty body is fine: every field has a default.
    data = json_body() if request.get_data(cache=True).strip() else {}
    validate("PairCodeIn", data)  # (every code pairs either kind: the device says what it is)
    ttl = int(current_app.config.get("PAIRING_CODE_TTL") or 600)
    code = users.new_pairing_code(redis_client(), ttl=ttl, user=g.user)
    base = public_base()
    url = links.pair_url(base, code)
    expires = clock.now() + timedelta(seconds=ttl)
    return jsonify({"code": code, "expires_at": expires.isoformat(timespec="seconds"), "url": url,
                    "secure_context": links.is_secure_base(base), "qr_svg": links.qr_svg(url)}), 201


_ERR = {"$ref": "#/components/responses/Error"}

OPENAPI = {
    "/v1/pair": {"post": {
        "summary": "Exchange a one-time pairing code for a bearer token",
        "security": [],
        "description": "Only from the KaDun extension, the backend's own pages or a client without an Origin "
                       "(403 otherwise, before the per-address budget is spent); application/json only.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/PairIn"}}}},
        "responses": {
            "201": {"description": "paired", "content": {"application/json": {"schema": {
                "type": "object", "required": ["token", "user"],
                "properties": {"token": {"type": "string"}, "user": {"type": "string"}}}}}},
            "400": _ERR, "403": _ERR, "404": _ERR, "429": _ERR, "503": _ERR,
        }}},
    "/v1/pair/codes": {"post": {
        "summary": "A one-time pairing code for another device of the caller's user (the phone), "
                   "with the pairing link (<backend>/m/#pair=CODE) and that link as an SVG QR code",
        "requestBody": {"required": False, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/PairCodeIn"}}}},
        "responses": {
            "201": {"description": "a fresh code", "content": {"application/json": {"schema": {
                "type": "object", "required": ["code", "expires_at", "url", "secure_context", "qr_svg"],
                "properties": {"code": {"type": "string"}, "expires_at": {"type": "string"},
                               "url": {"type": "string"},
                               "secure_context": {"type": "boolean", "description":
                                                  "false: the address is plain http off loopback, so a phone "
                                                  "cannot install the app or queue offline (set PUBLIC_URL)"},
                               "qr_svg": {"type": "string"}}}}}},
            "400": _ERR, "401": _ERR, "403": _ERR, "503": _ERR,
        }}},
}
