"""The OpenAPI 3.1 document, assembled from the ``OPENAPI`` table of each blueprint module.

Each blueprint documents its own routes next to their code; a test checks that every route the
app serves is described here.
"""
from __future__ import annotations

import copy
import sys

from ..errors import KadunError
from .schemas import REQUEST_SCHEMAS

# The blueprint that serves the mobile app's static pages (server/web/app.py).
WEB_BLUEPRINT = "web"

_MONEY = {"type": ["object", "null"], "required": ["amount", "currency"],
          "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}}}

COMPONENTS = {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
        "Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}}},
        "QuotaError": {"type": "object", "required": ["error", "message", "quota", "messages"], "properties": {
            "error": {"enum": ["rate_limited", "too_large"]}, "message": {"type": "string"},
            "quota": {"type": "object", "required": ["name", "limit", "used"], "properties": {
                "name": {"enum": ["captures_per_day", "bytes_stored", "disputes_per_day", "attachments_per_dispute",
                                  "exports_per_day"]},
                "limit": {"type": "integer"}, "used": {"type": "integer"}, "needed": {"type": "integer"},
                "resets_at": {"type": "string"}}},
            "messages": {"type": "object", "required": ["zh", "en"], "properties": {
                "zh": {"type": "string"}, "en": {"type": "string"}}},
            "retry_after_seconds": {"type": "integer"}}},
        "Money": _MONEY,
        "Receipt": {"type": "object", "required": ["payload", "signature", "key_id"], "properties": {
            "payload": {"type": "string"}, "signature": {"type": "string"}, "key_id": {"type": "string"}}},
        "SnapshotOut": {"type": "object",
                        "required": ["id", "sha256", "received_at", "chain_index", "chain_hash", "receipt",
                                     "facts", "warnings"],
                        "properties": {"id": {"type": "string"}, "sha256": {"type": "string"},
                                       "received_at": {"type": "string"}, "chain_index": {"type": "integer"},
                                       "chain_hash": {"type": "string"},
                                       "receipt": {"$ref": "#/components/schemas/Receipt"},
                                       "facts": {"type": "object"}, "warnings": {"type": "array"},
                                       "timestamp": {"$ref": "#/components/schemas/TimestampStatus"}}},
        "TimestampStatus": {"type": "object", "required": ["status"], "properties": {
            "status": {"enum": ["stamped", "pending", "not_configured"]},
            "time": {"type": "string"}, "tsa": {"type": "string"}, "tsas": {"type": "array"},
            "chain_index": {"type": "integer"}}},
        "SnapshotItem": {"type": "object", "required": ["id", "url", "domain", "page_kind", "received_at", "sha256"],
                         "properties": {"id": {"type": "string"}, "url": {"type": "string"},
                                        "title": {"type": ["string", "null"]}, "domain": {"type": "string"},
                                        "page_kind": {"type": "string"}, "received_at": {"type": "string"},
                                        "sha256": {"type": "string"}, "order_no": {"type": ["string", "null"]}}},
    },
    "responses": {"Error": {"description": "error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}},
}


# What any route can answer before its own code runs: 400 (a Host this backend does not serve, a
# malformed request line), 403 (a foreign Origin, an extension not paired here), 414 (a request line
# over 8190 bytes), 431 (headers too large), all as the contract's JSON error.
EVERY_ROUTE = ("400", "403", "414", "431")
# What any write can answer besides: 507 storage_full, the disk under the storage is full (nothing
# of the request was stored; Retry-After).
EVERY_WRITE = ("507",)
WRITES = ("post", "put", "patch")


def _flask_to_openapi(rule: str) -> str:
    import re

    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule)


def build_spec(app) -> dict:
    paths: dict = {}
    for blueprint in app.blueprints.values():
        module = sys.modules.get(blueprint.import_name)
        for path, operations in (getattr(module, "OPENAPI", None) or {}).items():
            paths.setdefault(path, {}).update(operations)
    components = {k: dict(v) for k, v in COMPONENTS.items()}
    components["schemas"].update(REQUEST_SCHEMAS)
    for blueprint in app.blueprints.values():
        module = sys.modules.get(blueprint.import_name)
        for name, schema in (getattr(module, "OPENAPI_SCHEMAS", None) or {}).items():
            components["schemas"][name] = schema
    for operations in paths.values():
        for method, operation in operations.items():
            for status in EVERY_ROUTE + (EVERY_WRITE if method in WRITES else ()):
                operation["responses"].setdefault(status, {"$ref": "#/components/responses/Error"})
    # A fresh copy: the tables are module-level, and a caller that edits the document (a test,
    # a tool adding examples) must never change what later requests are told.
    return copy.deepcopy({
        "openapi": "3.1.0",
        "info": {"title": "KaDun 卡盾 backend", "version": "1",
                 "description": "Evidence, risk and disputes for buyers of virtual goods."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": components,
    })


def undocumented_routes(app) -> list[str]:
    """Routes the app serves that the document does not describe (for tests)."""
    spec = build_spec(app)["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        # Static files (Flask's own, and the mobile app's pages and scripts under /m/) are no API.
        if rule.endpoint == "static" or rule.endpoint.startswith(f"{WEB_BLUEPRINT}."):
            continue
        path = _flask_to_openapi(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in spec.get(path, {}):
                missing.append(f"{method} {path}")
    return missing


__all__ = ["build_spec", "undocumented_routes", "KadunError"]
