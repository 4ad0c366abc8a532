"""Service routes: /healthz (the contract's check), /readyz (ready for captures) and /openapi.json."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify

from ..evidence.receipts import verify_receipt
from ..storage import keys
from .common import redis_client, services
from .errors import unavailable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Alive, with storage reachable (contract: 503 while it is not)."""
    try:
        redis_client().ping()
    except Exception:  # any storage failure means "not ready", never a 500
        response = jsonify({"ok": False, "error": "unavailable", "message": "storage unreachable"})
        response.status_code = 503
        return unavailable(response)
    from ..config import is_hosted

    # A hosted service says it has accounts, so the extension offers "登录卡盾" (local: pairing only).
    return jsonify({"ok": True, "accounts": True} if is_hosted(current_app.config) else {"ok": True})


def _storage_ready() -> bool:
    """Storage answers and takes a write (not loading its append-only file, not refusing writes)."""
    try:
        r = redis_client()
        r.ping()
        r.set(keys.readiness(), str(int(time.time())), ex=60)
        return True
    except Exception:  # loading, read-only, disk full, unreachable: not ready
        return False


def _key_ready() -> bool:
    """The receipt-signing key is loaded and signs (a receipt made now verifies)."""
    try:
        signer = services().signer
        receipt = signer.sign({"id": "readyz", "sha256": "0" * 64})
        return verify_receipt(receipt, signer.public_key_b64())
    except Exception:
        return False


def _durability() -> list[str]:
    """What in the storage's settings would lose acknowledged captures (see storage/redis.py)."""
    from ..storage.redis import durability_problems

    try:
        return durability_problems(redis_client())
    except Exception:  # unreachable: _storage_ready says so
        return []


@bp.get("/readyz")
def readyz():
    """Ready to acknowledge captures: storage takes writes and keeps them (no eviction of every
    key, an append-only file), and the signing key signs."""
    problems = _durability()
    parts = {"storage": _storage_ready(), "durable": not problems, "key": _key_ready()}
    ok = all(parts.values())
    body = {"ok": ok, **parts}
    if not ok:
        missing = " and ".join(name for name, ready in parts.items() if not ready)
        body.update(error="unavailable", message=f"not ready: {missing}" + (f" ({'; '.join(problems)})" if problems else ""))
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    if not ok:
        response.headers["Retry-After"] = "5"
    return response


@bp.get("/openapi.json")
def openapi():
    from .openapi import build_spec

    return jsonify(build_spec(current_app))


_READY = {"type": "object", "required": ["ok", "storage", "key"], "properties": {
    "ok": {"type": "boolean"}, "storage": {"type": "boolean"}, "key": {"type": "boolean"},
    "error": {"type": "string"}, "message": {"type": "string"}}}
OPENAPI = {
    "/healthz": {"get": {"summary": "Alive, with storage reachable", "security": [], "responses": {
        "200": {"description": "alive", "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok"], "properties": {
                "ok": {"type": "boolean"},
                "accounts": {"type": "boolean", "description": "present (true) on a hosted service: sign in "
                                                               "with an account (/account)"}}}}}},
        "503": {"description": "storage unreachable", "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok"]}}}}}}},
    "/readyz": {"get": {"summary": "Ready for captures: storage takes writes and the signing key signs",
                        "security": [], "responses": {
        "200": {"description": "ready", "content": {"application/json": {"schema": _READY}}},
        "503": {"description": "not ready (each part says which)",
                "headers": {"Retry-After": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": _READY}}}}}},
    "/openapi.json": {"get": {"summary": "This description", "security": [], "responses": {
        "200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}},
}
