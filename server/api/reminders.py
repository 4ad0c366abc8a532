"""Reminders: the caller's open windows (what the extension schedules and the popup lists), the
buyer's word on an order (fine, or reminders off), and the calendar feed with its secret URL."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from .. import clock, sizes
from ..errors import BadRequest, NotFound
from ..reminders import calendar, service
from ..storage import keys
from ..storage import reminders as store
from .common import field_str, json_body, redis_client, require_user
from .disputes import _domain
from .validation import validate

bp = Blueprint("reminders", __name__)


@bp.get("/v1/windows")
@require_user
def list_windows():
    now = clock.now()
    items = service.open_windows(redis_client(), g.user, now)
    return jsonify({"items": [w.as_dict() for w in items], "computed_at": now.isoformat(timespec="seconds")})


@bp.post("/v1/orders/reminders")
@require_user
def set_order_reminders():
    data = json_body()
    validate("OrderRemindersIn", data)
    domain = _domain(field_str(data, "domain", required=True, max_len=sizes.DOMAIN))
    order_no = field_str(data, "order_no", required=True, max_len=sizes.ORDER_NO).strip()
    r = redis_client()
    if not r.exists(keys.snapshots_by_shop_order(g.user, domain, order_no)):
        raise NotFound(f"no captures of order {order_no} on {domain}", field="order_no")
    store.set_state(r, g.user, domain, order_no, data["state"], clock.now_iso())
    return jsonify({"domain": domain, "order_no": order_no, "state": data["state"]})


def _calendar_body(info: dict | None) -> dict:
    return {"active": info is not None, "created_at": info["created_at"] if info else None}


@bp.get("/v1/calendar")
@require_user
def get_calendar():
    return jsonify(_calendar_body(store.calendar_info(redis_client(), g.user)))


@bp.post("/v1/calendar")
@require_user
def new_calendar():
    r = redis_client()
    secret = store.new_calendar_secret(r, g.user, clock.now_iso())
    url = f"{request.url_root.rstrip('/')}/v1/reminders.ics?key={secret}"
    return jsonify({**_calendar_body(store.calendar_info(r, g.user)), "url": url}), 201


@bp.delete("/v1/calendar")
@require_user
def revoke_calendar():
    r = redis_client()
    store.revoke_calendar(r, g.user)
    return jsonify(_calendar_body(None))


@bp.get("/v1/reminders.ics")
def calendar_feed():
    # A calendar app sends no token: the secret in the URL is the key (never the bearer token).
    secret = request.args.get("key")
    if secret is None:
        raise BadRequest("missing query parameter: key", field="key")
    # (an empty or malformed key is a key that opens no calendar: 404 below, like a revoked one)
    lang = request.args.get("lang") or "zh"
    if lang not in calendar.LANGS:
        raise BadRequest(f"query parameter lang must be one of: {', '.join(calendar.LANGS)}", field="lang")
    r = redis_client()
    user = store.user_for_calendar_secret(r, secret)
    if user is None:
        raise NotFound("no calendar for this key: it was replaced or revoked", field="key")
    now = clock.now()
    # Muted orders are listed to the buyer but reminded of nowhere, the calendar included.
    windows = [w for w in service.open_windows(r, user, now) if w.state == "active"]
    body = calendar.feed(windows, now, lang)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="kadun-reminders.ics"'
    return response


_ERR = {"$ref": "#/components/responses/Error"}
_PAIR = {"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"},
                                                                  "en": {"type": "string"}}}
OPENAPI_SCHEMAS = {
    "Reminder": {"type": "object", "required": ["id", "kind", "at", "title", "body"], "properties": {
        "id": {"type": "string"}, "kind": {"enum": ["halfway", "final"]}, "at": {"type": "string"},
        "title": _PAIR, "body": _PAIR}},
    "OpenWindow": {"type": "object", "required": ["domain", "order_no", "state", "remind", "window", "reminders"],
                   "properties": {
                       "domain": {"type": "string"}, "order_no": {"type": "string"},
                       "item": {"type": ["string", "null"]}, "state": {"enum": ["active", "muted"]},
                       "remind": {"type": "boolean"}, "window": {"$ref": "#/components/schemas/Window"},
                       "reminders": {"type": "array", "items": {"$ref": "#/components/schemas/Reminder"}}}},
    "CalendarState": {"type": "object", "required": ["active", "created_at"], "properties": {
        "active": {"type": "boolean"}, "created_at": {"type": ["string", "null"]},
        "url": {"type": "string", "description": "only when made: the feed's secret URL, shown once"}}},
}
OPENAPI = {
    "/v1/windows": {"get": {
        "summary": "The caller's open windows, soonest deadline first, with their reminders",
        "description": "Each order's windows from its judgement (the same instants as the badge and the dispute "
                       "plan) that have a deadline still ahead and are not met, for orders the buyer has not "
                       "called fine and that have no dispute. Each window has its reminders (half-way, and a "
                       "last one 2 hours before the end of a 24-hour window, in proportion for other lengths) "
                       "with their notification texts in zh and en. state muted: listed, not reminded of.",
        "responses": {"200": {"description": "open windows", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items", "computed_at"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/OpenWindow"}},
                "computed_at": {"type": "string"}}}}}},
            "401": _ERR}}},
    "/v1/orders/reminders": {"post": {
        "summary": "The buyer's word on an order's reminders: fine, muted, or active again",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/OrderRemindersIn"}}}},
        "responses": {"200": {"description": "recorded", "content": {"application/json": {"schema": {
            "type": "object", "required": ["domain", "order_no", "state"], "properties": {
                "domain": {"type": "string"}, "order_no": {"type": "string"},
                "state": {"enum": ["active", "fine", "muted"]}}}}}},
            "400": _ERR, "401": _ERR, "404": _ERR}}},
    "/v1/calendar": {
        "get": {"summary": "Whether the caller has a calendar feed URL",
                "responses": {"200": {"description": "the feed's state", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CalendarState"}}}}, "401": _ERR}},
        "post": {"summary": "A new secret calendar feed URL (the previous one stops working)",
                 "description": "The URL carries a per-user secret (not the bearer token) and is shown only "
                                "here; the backend keeps only its SHA-256.",
                 "responses": {"201": {"description": "the new URL", "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/CalendarState"}}}}, "401": _ERR}},
        "delete": {"summary": "Revoke the calendar feed URL (it then answers 404)",
                   "responses": {"200": {"description": "revoked", "content": {"application/json": {
                       "schema": {"$ref": "#/components/schemas/CalendarState"}}}}, "401": _ERR}}},
    "/v1/reminders.ics": {"get": {
        "summary": "The calendar feed: open windows as iCalendar events with alarms",
        "description": "For calendar apps: no bearer token, the secret key from POST /v1/calendar. One event "
                       "per open window at its deadline (UTC), one VALARM per reminder still ahead.",
        "security": [],
        "parameters": [{"name": "key", "in": "query", "required": True, "schema": {"type": "string",
                                                                                  "maxLength": store.MAX_SECRET}},
                       {"name": "lang", "in": "query", "required": False, "schema": {"enum": list(calendar.LANGS)}}],
        "responses": {"200": {"description": "text/calendar", "content": {"text/calendar": {
            "schema": {"type": "string"}}}}, "400": _ERR, "404": _ERR}}},
}
