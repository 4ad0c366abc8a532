"""Service routes: /healthz and /openapi.json."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .common import redis_client
from .errors import unavailable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        redis_client().ping()
    except Exception:  # any storage failure means "not ready", never a 500
        response = jsonify({"ok": False, "error": "unavailable", "message": "storage unreachable"})
        response.status_code = 503
        return unavailable(response)
    return jsonify({"ok": True})


@bp.get("/openapi.json")
def openapi():
    from .openapi import build_spec

    return jsonify(build_spec(current_app))


OPENAPI = {
    "/healthz": {"get": {"summary": "Liveness and storage readiness", "security": [], "responses": {
        "200": {"description": "ready", "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}}}}},
        "503": {"description": "storage unreachable", "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok"]}}}}}}},
    "/openapi.json": {"get": {"summary": "This description", "security": [], "responses": {
        "200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}},
}
