"""Captures: POST /v1/snapshots and the read routes, /v1/chain and /v1/keys."""
from __future__ import annotations

import base64
import binascii
import logging
import re
import time

from flask import Blueprint, Response, g, jsonify, request

from .. import caches, clock, sizes
from ..errors import BadRequest, NotFound, TooLarge, Unprocessable
from ..evidence.chain_check import verify_user_chain
from ..facts import PageFacts, extract_facts_and_tree, facts_version, typed
from ..risk import service as risk_service
from ..storage import blobs, captures, orders
from ..storage import stamps as stamp_store
from .common import (
    clean_text,
    field_str,
    json_body,
    query_cursor,
    query_int,
    redis_client,
    require_user,
    search_query,
    services,
)
from .validation import validate

bp = Blueprint("snapshots", __name__)

# A served capture is evidence, never code: `sandbox` stops scripts, forms and same-origin access;
# `default-src 'none'` stops the page from fetching anything, so opening evidence never tells the
# shop (through its images, scripts or fonts) that the buyer is looking.
SERVED_PAGE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
log = logging.getLogger("kadun.snapshots")

_CLIENT_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_DATA_URL = re.compile(r"data:image/(png|jpeg);base64,(.*)", re.S)
_PAGE_KINDS = ("product", "checkout", "order", "shop", "terms", "chat", "other")
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


def html_bytes_of(html: str) -> bytes:
    """The captured page as UTF-8 bytes: what is hashed, chained and stored. Lone surrogates (a
    DOM may hold them) become U+FFFD, so the hash is that of the UTF-8 the extension computes."""
    return clean_text(html).encode("utf-8")


def _decode_screenshot(value: str | None) -> bytes | None:
    if value is None or value == "":
        return None
    match = _DATA_URL.fullmatch(value.strip())
    if not match:
        raise BadRequest("field screenshot must be a data:image/png;base64,… URL", field="screenshot")
    limit = services().config["MAX_SCREENSHOT_BYTES"]
    too_large = TooLarge(f"screenshot is larger than {limit // (1024 * 1024)} MiB", field="screenshot")
    # Refused before decoding when even the shortest decoding (two padding characters) is over.
    if len(match.group(2)) * 3 // 4 - 2 > limit:
        raise too_large
    try:
        data = base64.b64decode(match.group(2), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("field screenshot is not valid base64", field="screenshot") from None
    if len(data) > limit:
        raise too_large
    if not (data.startswith(_PNG) or data.startswith(_JPEG)):
        raise Unprocessable("screenshot is not a PNG or JPEG image", field="screenshot")
    return data


def _validate_capture(data: dict) -> dict:
    validate("SnapshotIn", data)  # the published schema: field types, url, html and screenshot shapes
    client_id = field_str(data, "client_id", required=True, max_len=sizes.CLIENT_ID, pattern=_CLIENT_ID)
    url = field_str(data, "url", required=True, max_len=sizes.URL)
    html_bytes = html_bytes_of(data["html"])
    limit = services().config["MAX_HTML_BYTES"]
    if len(html_bytes) > limit:
        raise TooLarge(f"html is larger than {limit // (1024 * 1024)} MiB", field="html")
    captured_at = field_str(data, "captured_at", max_len=sizes.TIME)
    if captured_at is not None:
        try:
            clock.parse_iso(captured_at)
        except ValueError:
            raise BadRequest("field captured_at must be an ISO 8601 time", field="captured_at") from None
    return {
        "client_id": client_id, "url": url, "html": html_bytes,
        "title": field_str(data, "title", max_len=sizes.TITLE),
        "captured_at": captured_at,
        "trigger": field_str(data, "trigger", choices=("auto", "manual")) or "auto",
        "extension_version": field_str(data, "extension_version", max_len=sizes.EXTENSION_VERSION),
        # No length cap here: _decode_screenshot answers 413 for an oversize image.
        "screenshot": _decode_screenshot(field_str(data, "screenshot", max_len=1 << 62)),
    }


def _offset_from(captured_at: str | None):
    def offset(received_at: str) -> float | None:
        if not captured_at:
            return None
        delta = clock.parse_iso(captured_at) - clock.parse_iso(received_at)
        return round(delta.total_seconds(), 3)

    return offset


def _extract(html: bytes, url: str) -> tuple[PageFacts, object]:
    return extract_facts_and_tree(html.decode("utf-8", errors="replace"), url)


def capture_body(capture: captures.Capture, facts: dict | None, timestamp: dict | None = None) -> dict:
    body = {"id": capture.id, "sha256": capture.sha256, "received_at": capture.received_at,
            "chain_index": capture.chain_index, "chain_hash": capture.chain_hash,
            "receipt": capture.receipt, "facts": facts, "warnings": capture.warnings}
    if timestamp is not None:
        body["timestamp"] = timestamp
    return body


def _tsa_configured() -> bool:
    config = services().stamp_config
    return bool(config and config.enabled)


def timestamp_status(r, user: str, chain_index: int) -> dict:
    """The capture's trusted-time state (stamped: when and by which TSA; pending; not configured)."""
    return stamp_store.status(r, user, chain_index, _tsa_configured())


def note_for_stamping(r, user: str) -> None:
    """Ask the stampers to stamp this user's new head soon (never fails the request)."""
    config = services().stamp_config
    if not (config and config.enabled):
        return
    try:
        stamp_store.note_capture(r, user, int(time.time() * 1000), config.batch_seconds)
    except Exception:  # the capture is stored; a missed note is caught up by the next one
        log.exception("could not schedule stamping for %s", user)


# Facts parsed before for the same bytes at the same URL (kept in Redis with the captures).
FACTS_REUSE = caches.Tally()
caches.register("facts", "repeat captures whose facts were parsed before (stored with the captures)",
                limit=None, entries=None, totals=FACTS_REUSE.totals)


@bp.post("/v1/snapshots")
@require_user
def create_snapshot():
    svc = services()
    r = svc.redis
    fields = _validate_capture(json_body())
    existing = captures.find_by_client_id(r, g.user, fields["client_id"])
    if existing:
        existing = captures.settled(r, g.user, existing)
        note_for_stamping(r, g.user)  # (a crash may have come between its chain write and the note)
        return jsonify(capture_body(existing, captures.get_facts(r, g.user, existing),
                                    timestamp_status(r, g.user, existing.chain_index))), 200
    version = facts_version()
    cached, tree = captures.cached_facts(r, g.user, fields["html"], fields["url"], version), None
    if cached:
        FACTS_REUSE.hit()
        facts = typed(cached, url=fields["url"])
    else:
        FACTS_REUSE.miss()
        facts, tree = _extract(fields["html"], fields["url"])  # (the tree: risk reads it, no second parse)
    stored_facts = cached or facts.as_dict()
    capture, created = captures.store(
        r, g.user, client_id=fields["client_id"], html=fields["html"], screenshot=fields["screenshot"],
        url=fields["url"], title=fields["title"], captured_at=fields["captured_at"],
        clock_offset_seconds_of=_offset_from(fields["captured_at"]), trigger=fields["trigger"],
        extension_version=fields["extension_version"], facts=stored_facts, now=clock.now_iso,
        sign=lambda payload: svc.signer.sign(payload).as_dict(), facts_version=version)
    note_for_stamping(r, g.user)
    if created:
        g.stored_bytes = capture.html_size + (capture.screenshot_size or 0)
        # The capture is stored and chained; judging it must never lose it nor fail the upload.
        try:
            warnings = risk_service.after_capture(r, g.user, capture, facts, fields["html"], tree=tree) or []
        except Exception:
            log.exception("risk.after_capture failed for %s", capture.id)
            warnings = []
        captures.set_warnings(r, g.user, capture, warnings)
    else:
        capture = captures.settled(r, g.user, capture)
    # A new capture is never stamped yet: stamping runs beside ingest, a few seconds later.
    stamp = ({"status": "pending" if _tsa_configured() else "not_configured"} if created
             else timestamp_status(r, g.user, capture.chain_index))
    return jsonify(capture_body(capture, stored_facts, stamp)), 201 if created else 200


@bp.get("/v1/snapshots")
@require_user
def list_snapshots():
    r = redis_client()
    limit = query_int("limit", 50, 1, sizes.PAGE)
    cursor = query_cursor()
    query = search_query()
    since = request.args.get("since") or None
    if since:
        try:
            since = clock.parse_iso(since).isoformat()
        except ValueError:
            raise BadRequest("query parameter since must be an ISO 8601 time", field="since") from None
    page_kind = request.args.get("page_kind") or None
    if page_kind and page_kind not in _PAGE_KINDS:
        raise BadRequest(f"query parameter page_kind must be one of: {', '.join(_PAGE_KINDS)}", field="page_kind")
    items, nxt = captures.list_captures(
        r, g.user, domain=(request.args.get("domain") or None), order_no=(request.args.get("order_no") or None),
        page_kind=page_kind, since=since, limit=limit, cursor=cursor,
        sources=orders.search_sources(r, g.user, query) if query else None)
    return jsonify({"items": [c.summary() for c in items], "next": str(nxt) if nxt is not None else None})


def _own_capture(snapshot_id: str) -> captures.Capture:
    capture = captures.get(redis_client(), g.user, snapshot_id) if len(snapshot_id) <= sizes.OBJECT_ID else None
    if capture is None:
        raise NotFound(f"no capture {snapshot_id}", snapshot_id=snapshot_id)
    return capture


@bp.get("/v1/snapshots/<snapshot_id>")
@require_user
def get_snapshot(snapshot_id: str):
    r = redis_client()
    capture = _own_capture(snapshot_id)
    body = capture.summary()
    body.update({
        "screenshot_sha256": capture.screenshot_sha256, "html_size": capture.html_size,
        "screenshot_size": capture.screenshot_size, "captured_at": capture.captured_at,
        "clock_offset_seconds": capture.clock_offset_seconds, "trigger": capture.trigger,
        "extension_version": capture.extension_version, "client_id": capture.client_id,
        "chain_index": capture.chain_index, "chain_hash": capture.chain_hash, "receipt": capture.receipt,
        "facts": captures.get_facts(r, g.user, capture), "warnings": capture.warnings,
        "sightings": captures.sightings(r, g.user, capture.sha256),
        "timestamp": timestamp_status(r, g.user, capture.chain_index),
    })
    return jsonify(body)


@bp.get("/v1/snapshots/<snapshot_id>/html")
@require_user
def get_snapshot_html(snapshot_id: str):
    capture = _own_capture(snapshot_id)
    data = blobs.get(redis_client(), g.user, capture.sha256)
    if data is None:
        raise NotFound(f"the bytes of capture {snapshot_id} are missing", snapshot_id=snapshot_id)
    response = Response(data, mimetype="text/html")
    response.charset = "utf-8"
    # The page is evidence, never code: no scripts, no same-origin, no sniffing.
    response.headers["Content-Security-Policy"] = SERVED_PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/v1/snapshots/<snapshot_id>/screenshot")
@require_user
def get_snapshot_screenshot(snapshot_id: str):
    capture = _own_capture(snapshot_id)
    if not capture.screenshot_sha256:
        raise NotFound(f"capture {snapshot_id} has no screenshot", snapshot_id=snapshot_id)
    data = blobs.get(redis_client(), g.user, capture.screenshot_sha256)
    if data is None:
        raise NotFound(f"the screenshot of capture {snapshot_id} is missing", snapshot_id=snapshot_id)
    mimetype = "image/jpeg" if data.startswith(_JPEG) else "image/png"
    response = Response(data, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/v1/chain")
@require_user
def get_chain():
    return jsonify(verify_user_chain(redis_client(), g.user))


@bp.get("/v1/keys")
def get_keys():
    return jsonify({"keys": [services().signer.key_info()]})


_ERR = {"$ref": "#/components/responses/Error"}
_AUTH_ERRS = {"400": _ERR, "401": _ERR, "404": _ERR}
_ID = [{"name": "snapshot_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": sizes.OBJECT_ID}}]
OPENAPI = {
    "/v1/snapshots": {
        "post": {
            "summary": "Store one capture (idempotent on client_id)",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/SnapshotIn"}}}},
            "responses": {
                "200": {"description": "already stored (same client_id)", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/SnapshotOut"}}}},
                "201": {"description": "stored", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/SnapshotOut"}}}},
                "400": _ERR, "401": _ERR, "409": _ERR, "413": _ERR, "422": _ERR},
        },
        "get": {
            "summary": "List the caller's captures, newest first; q searches order numbers and domains",
            "description": "Page with the cursor given as next until it is null. q (at most "
                           f"{sizes.SEARCH} characters, case-insensitive) keeps the captures whose order "
                           "number or domain contains it; a host or URL also finds its registered domain's "
                           "captures. The other filters apply on top.",
            "parameters": [{"name": n, "in": "query", "required": False, "schema": s} for n, s in [
                ("domain", {"type": "string"}), ("order_no", {"type": "string"}),
                ("page_kind", {"type": "string", "enum": [*_PAGE_KINDS, ""]}),
                # An empty value means "not given", as for every filter of this route.
                ("since", {"type": "string", "anyOf": [{"format": "date-time"}, {"maxLength": 0}]}),
                ("limit", {"anyOf": [{"type": "integer", "minimum": 1, "maximum": sizes.PAGE},
                                     {"type": "string", "maxLength": 0}]}),
                ("cursor", {"type": "string", "pattern": "^[0-9]{0,15}$"}),
                ("q", {"type": "string", "maxLength": sizes.SEARCH})]],
            "responses": {"200": {"description": "a page of captures", "content": {"application/json": {
                "schema": {"type": "object", "required": ["items", "next"], "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/SnapshotItem"}},
                    "next": {"type": ["string", "null"]}}}}}}, "400": _ERR, "401": _ERR},
        },
    },
    "/v1/snapshots/{snapshot_id}": {"get": {
        "summary": "A capture's metadata, facts, receipt and sightings", "parameters": _ID,
        "responses": {"200": {"description": "the capture", "content": {"application/json": {
            "schema": {"type": "object", "required": ["id", "sha256", "receipt", "facts", "sightings"]}}}},
            **_AUTH_ERRS}}},
    "/v1/snapshots/{snapshot_id}/html": {"get": {
        "summary": "The captured bytes, served sandboxed", "parameters": _ID,
        "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}},
                      **_AUTH_ERRS}}},
    "/v1/snapshots/{snapshot_id}/screenshot": {"get": {
        "summary": "The capture's screenshot", "parameters": _ID,
        "responses": {"200": {"description": "the image", "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}, **_AUTH_ERRS}}},
    "/v1/chain": {"get": {
        "summary": "Re-verify the caller's hash chain from storage",
        "responses": {"200": {"description": "verification result", "content": {"application/json": {"schema": {
            "type": "object", "required": ["length", "head", "valid", "first_bad_index"],
            "properties": {"length": {"type": "integer"}, "head": {"type": "string"},
                           "valid": {"type": "boolean"}, "first_bad_index": {"type": ["integer", "null"]}}}}}},
                      "401": _ERR}}},
    "/v1/keys": {"get": {
        "summary": "The server's receipt-signing public keys", "security": [],
        "responses": {"200": {"description": "keys", "content": {"application/json": {"schema": {
            "type": "object", "required": ["keys"], "properties": {"keys": {"type": "array", "items": {
                "type": "object", "required": ["key_id", "algorithm", "public_key"],
                "properties": {"key_id": {"type": "string"}, "algorithm": {"const": "Ed25519"},
                               "public_key": {"type": "string"}}}}}}}}}}}},
}
for _path, _ops in OPENAPI.items():
    for _op in _ops.values():
        if _path != "/v1/keys":  # every other route reads storage: 503 while it is unreachable
            _op["responses"].setdefault("503", _ERR)
