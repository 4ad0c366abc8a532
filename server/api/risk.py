"""Risk routes: GET /v1/risk?url=… (the badge), answered from precomputed profiles."""
from __future__ import annotations

from flask import Blueprint, Response, g, request

from ..errors import BadRequest
from ..risk import service
from .common import redis_client, require_user
from .validation import validate

bp = Blueprint("risk", __name__)

@bp.get("/v1/risk")
@require_user
def get_risk():
    url = request.args.get("url")
    if url is None:
        raise BadRequest("missing query parameter: url", field="url")
    validate("PageUrl", url, field="url")  # the parameter's published schema
    if not service.domain_of(url):  # (the schema admits only URLs with a readable host)
        raise BadRequest("query parameter url must be an absolute http(s) URL", field="url")
    response = Response(service.badge_body(redis_client(), g.user, url), mimetype="application/json")
    # Profiles change with every capture: never let a browser or proxy keep an old answer.
    response.headers["Cache-Control"] = "private, no-store"
    return response


_ERR = {"$ref": "#/components/responses/Error"}
_EVIDENCE = {"type": "object", "required": ["snapshot_id", "quote", "url", "seen_at"], "properties": {
    "snapshot_id": {"type": ["string", "null"]}, "quote": {"type": ["string", "null"]},
    "url": {"type": ["string", "null"]}, "seen_at": {"type": ["string", "null"]}}}

OPENAPI_SCHEMAS = {
    "Evidence": _EVIDENCE,
    "Signal": {"type": "object", "required": ["code", "subject", "value", "effect", "weight", "evidence"],
               "properties": {
                   "code": {"type": "string"}, "subject": {"enum": ["platform", "seller"]}, "value": {},
                   "effect": {"enum": ["raises", "lowers", "neutral"]}, "weight": {"type": "integer"},
                   "critical": {"type": "boolean"},
                   "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}}},
    "Warning": {"type": "object", "required": ["code", "severity", "message", "evidence", "deadline"],
                "properties": {
                    "code": {"type": "string"}, "severity": {"enum": ["info", "caution", "danger"]},
                    "message": {"type": "object", "required": ["zh", "en"], "properties": {
                        "zh": {"type": "string"}, "en": {"type": "string"}}},
                    "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                    "deadline": {"type": ["string", "null"]}}},
    "Window": {"type": "object", "required": ["id", "kind", "name", "start_rule", "start", "deadline", "overdue", "basis",
                                              "action"],
               "properties": {
                   "id": {"type": "string"},
                   "kind": {"enum": ["feedback", "verify_now", "platform_apply", "promised_delivery", "seller_reply",
                                     "chargeback"]},
                   "name": {"type": "object"}, "start_rule": {"type": "string"},
                   "start": {"type": ["string", "null"]}, "deadline": {"type": ["string", "null"]},
                   "hours": {"type": ["number", "null"]}, "overdue": {"type": "boolean"},
                   "basis": {"type": "object"}, "action": {"type": "object"},
                   "network": {"type": ["string", "null"]}}},
    "OrderWindows": {"type": "object", "required": ["domain", "order_no", "windows"], "properties": {
        "domain": {"type": "string"}, "order_no": {"type": "string"}, "item": {"type": ["string", "null"]},
        "cross_border": {"type": "boolean"}, "problem": {"type": ["string", "null"]},
        "windows": {"type": "array", "items": {"$ref": "#/components/schemas/Window"}}}},
    "Risk": {"type": "object",
             "required": ["subject", "level", "score", "confidence", "signals", "warnings", "updated_at"],
             "properties": {
                 "subject": {"enum": ["platform", "seller"]},
                 "level": {"enum": ["low", "medium", "high", "unknown"]},
                 "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
                 "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                 "signals": {"type": "array", "items": {"$ref": "#/components/schemas/Signal"}},
                 "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
                 "updated_at": {"type": ["string", "null"]},
                 "domain": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]},
                 "id": {"type": ["string", "null"]}, "single_shop": {"type": "boolean"}}},
}

OPENAPI = {
    "/v1/risk": {"get": {
        "summary": "Risk of the platform and seller behind a page (the badge)",
        "description": "Level, score (0 safest - 100 riskiest), confidence, and every signal with the page "
                       "text that caused it. Built from the caller's own captures plus anonymous aggregates. On "
                       "a page that showed an order, `order` holds that order's windows (the same instants as "
                       "the dispute plan's).",
        "parameters": [{"name": "url", "in": "query", "required": True,
                        "schema": {"$ref": "#/components/schemas/PageUrl"}}],
        "responses": {
            "200": {"description": "the risk", "content": {"application/json": {"schema": {
                "type": "object", "required": ["platform", "seller"], "properties": {
                    "platform": {"$ref": "#/components/schemas/Risk"},
                    "seller": {"oneOf": [{"$ref": "#/components/schemas/Risk"}, {"type": "null"}]},
                    "order": {"oneOf": [{"$ref": "#/components/schemas/OrderWindows"}, {"type": "null"}]}}}}}},
            "400": _ERR, "401": _ERR}}},
}
