"""Pairing: a one-time code (printed by ``kadun serve`` / ``kadun pair``) for a bearer token."""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..errors import NotFound
from ..storage import users
from .access import pin_pairing_origin
from .common import field_str, json_body, redis_client, token_lifetime
from .validation import validate

bp = Blueprint("pairing", __name__)


@bp.post("/v1/pair")
def pair():
    data = json_body()
    validate("PairIn", data)
    code = field_str(data, "code", required=True, max_len=64)
    device = field_str(data, "device", max_len=200)
    result = users.redeem_code(redis_client(), code, device, lifetime_seconds=token_lifetime())
    if result is None:
        # 404: the code is unknown, already used or expired (the contract's "not found").
        raise NotFound("pairing code not valid: it is wrong, used or expired; run `kadun pair` for a new one")
    token, user = result
    pin_pairing_origin(redis_client())
    return jsonify({"token": token, "user": user}), 201


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
            "400": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "429": {"$ref": "#/components/responses/Error"},
            "503": {"$ref": "#/components/responses/Error"},
        }}},
}
