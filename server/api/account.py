"""Signing in from the extension, the API half: ``POST /v1/account/token`` exchanges the one-time
code of the sign-in page (``/account/extension/authorize``) and the PKCE verifier for a device
token bound to the account (hosted mode only; see server/accounts/grants.py)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..accounts import grants
from .access import pin_pairing_origin
from .common import json_body, redis_client, token_lifetime
from .validation import validate

bp = Blueprint("account_api", __name__)
TOKEN_ENDPOINT = "account_api.token"


@bp.post("/v1/account/token")
def token():
    data = json_body()
    validate("AccountTokenIn", data)
    r = redis_client()
    token_value, account, device = grants.exchange(
        r, code=data["code"], verifier=data["code_verifier"], origin=request.headers.get("Origin", "").strip(),
        device=data.get("device"), lifetime_seconds=token_lifetime())
    pin_pairing_origin(r)
    return jsonify({"token": token_value, "user": account.user, "username": account.username,
                    "device": device.as_dict()}), 201


OPENAPI = {
    "/v1/account/token": {"post": {
        "summary": "Exchange a sign-in code (and its PKCE verifier) for a device token bound to the account",
        "security": [],
        "description": "Hosted mode only. The code comes from the redirect of /account/extension/authorize, "
                       "single use, two minutes; in Chrome it is bound to the extension id that asked. "
                       "application/json only; rate-limited per address like pairing.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/AccountTokenIn"}}}},
        "responses": {
            "201": {"description": "signed in", "content": {"application/json": {"schema": {
                "type": "object", "required": ["token", "user", "username", "device"],
                "properties": {"token": {"type": "string"}, "user": {"type": "string"},
                               "username": {"type": "string"},
                               "device": {"$ref": "#/components/schemas/Device"}}}}}},
            "400": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "429": {"$ref": "#/components/responses/Error"},
            "503": {"$ref": "#/components/responses/Error"},
        }}},
}
