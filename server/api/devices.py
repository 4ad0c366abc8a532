"""Paired devices: GET /v1/devices lists the caller's, DELETE /v1/devices/<id> ends one."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from .. import sizes
from ..errors import NotFound
from ..storage import devices
from .common import redis_client, require_user, token_cache

bp = Blueprint("devices", __name__)


@bp.record_once
def _check_settings(state) -> None:
    # A bad KADUN_TOKEN_DAYS is refused when the app is built, not at the first pairing.
    devices.lifetime_seconds(state.app.config.get("TOKEN_DAYS"))


def _item(device: devices.Device) -> dict:
    return {**device.as_dict(), "current": device.id == g.device.id}


@bp.get("/v1/devices")
@require_user
def list_devices():
    return jsonify({"items": [_item(d) for d in devices.list_for_user(redis_client(), g.user)]})


@bp.delete("/v1/devices/<device_id>")
@require_user
def revoke_device(device_id: str):
    device = devices.revoke(redis_client(), g.user, device_id) if len(device_id) <= sizes.OBJECT_ID else None
    if device is None:
        raise NotFound(f"no device {device_id}", device_id=device_id)
    token_cache().forget(device.id)
    return jsonify({**_item(device), "revoked": True})


_ERR = {"$ref": "#/components/responses/Error"}
_DEVICE = {"type": "object", "required": ["id", "user", "name", "kind", "paired_at", "last_seen", "expires_at",
                                          "current"],
           "properties": {
               "id": {"type": "string"}, "user": {"type": "string"}, "name": {"type": "string"},
               "kind": {"type": "string", "enum": list(devices.KINDS)},
               "paired_at": {"type": ["string", "null"]}, "last_seen": {"type": ["string", "null"]},
               "expires_at": {"type": ["string", "null"]},
               "current": {"type": "boolean", "description": "the device whose token made this request"},
               "revoked": {"type": "boolean"}}}

OPENAPI_SCHEMAS = {"Device": _DEVICE}

OPENAPI = {
    "/v1/devices": {"get": {
        "summary": "The caller's paired devices (each holds one token), oldest pairing first",
        "responses": {"200": {"description": "devices", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Device"}}}}}}},
            "401": _ERR, "503": _ERR}}},
    "/v1/devices/{device_id}": {"delete": {
        "summary": "Unpair a device: its token stops working (every worker within TOKEN_CACHE_SECONDS)",
        "parameters": [{"name": "device_id", "in": "path", "required": True,
                        "schema": {"type": "string", "maxLength": sizes.OBJECT_ID}}],
        "responses": {"200": {"description": "the device, now revoked", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Device"}}}},
            "401": _ERR, "404": _ERR, "503": _ERR}}},
}
