"""GET /v1/quota: the caller's limits and what they have used (the extension's options page)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from .. import quotas
from .common import redis_client, require_user, services

bp = Blueprint("quota", __name__)


@bp.get("/v1/quota")
@require_user
def get_quota():
    return jsonify(quotas.usage(redis_client(), g.user, services().config))


_ERR = {"$ref": "#/components/responses/Error"}
_TEXT = {"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}
OPENAPI = {
    "/v1/quota": {"get": {
        "summary": "The caller's quotas: each limit (null: none), what is used, and when a daily one starts again",
        "responses": {"200": {"description": "quotas", "content": {"application/json": {"schema": {
            "type": "object", "required": ["mode", "day", "quotas"], "properties": {
                "mode": {"enum": ["local", "hosted"]}, "day": {"type": "string"},
                "quotas": {"type": "array", "items": {"type": "object", "required": [
                    "name", "unit", "limit", "used", "source", "label"], "properties": {
                    "name": {"type": "string"}, "unit": {"enum": ["count", "bytes"]},
                    "period": {"type": ["string", "null"]}, "limit": {"type": ["integer", "null"]},
                    "used": {"type": ["integer", "null"]}, "source": {"enum": ["default", "user"]},
                    "resets_at": {"type": ["string", "null"]}, "label": _TEXT}}}}}}}},
            "401": _ERR, "503": _ERR}}},
}
