"""GET /v1/orders: the caller's orders (shop domain + order number), newest first, searchable.

The pickers of the popup and the dispute page page through it, so every order can be chosen,
however many captures there are."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from .. import sizes
from ..storage import orders
from .common import query_cursor, query_int, redis_client, require_user, search_query

bp = Blueprint("orders", __name__)


@bp.get("/v1/orders")
@require_user
def list_orders():
    limit = query_int("limit", 50, 1, sizes.PAGE)
    cursor = query_cursor()
    items, nxt = orders.list_orders(redis_client(), g.user, query=search_query(), limit=limit, cursor=cursor)
    return jsonify({"items": items, "next": str(nxt) if nxt is not None else None})


_ERR = {"$ref": "#/components/responses/Error"}
OPENAPI_SCHEMAS = {
    "Order": {"type": "object", "required": ["domain", "order_no", "captures", "latest_snapshot_id", "latest_at"],
              "properties": {
                  "domain": {"type": "string"}, "order_no": {"type": "string"},
                  "captures": {"type": "integer", "minimum": 0},
                  "latest_snapshot_id": {"type": ["string", "null"]}, "latest_at": {"type": ["string", "null"]},
                  "title": {"type": ["string", "null"]}, "page_kind": {"type": ["string", "null"]}}},
}
OPENAPI = {
    "/v1/orders": {"get": {
        "summary": "The caller's orders (domain and order number of their captures), newest first",
        "description": "An order's place is that of its newest capture. Page with the cursor given as next "
                       f"until it is null. q (at most {sizes.SEARCH} characters, case-insensitive) keeps the "
                       "orders whose number or domain contains it; a host or URL also finds its registered "
                       "domain's orders.",
        "parameters": [{"name": n, "in": "query", "required": False, "schema": s} for n, s in [
            ("q", {"type": "string", "maxLength": sizes.SEARCH}),
            ("limit", {"anyOf": [{"type": "integer", "minimum": 1, "maximum": sizes.PAGE},
                                 {"type": "string", "maxLength": 0}]}),
            ("cursor", {"type": "string", "pattern": "^[0-9]{0,15}$"})]],
        "responses": {"200": {"description": "a page of orders", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items", "next"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                "next": {"type": ["string", "null"]}}}}}},
            "400": _ERR, "401": _ERR, "503": _ERR}}},
}
