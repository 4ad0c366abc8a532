"""Phone screenshots: POST /v1/screenshots stores and chains the image at once (202) and queues it
for OCR; GET answers the reading when it is there (payee, amount, time, numbers; the order it was
matched to; the problem an error prompt shows)."""
from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, g, jsonify, request

from .. import clock, quotas, sizes
from ..disputes import attachments as attachment_rules
from ..errors import BadRequest, NotFound, TooLarge, Unprocessable
from ..evidence.hashing import sha256_hex
from ..ocr import jobs, worker_of
from ..ocr.worker import queued_state
from ..risk.gather import evidence_kind
from ..storage import blobs, uploads
from ..storage import disputes as dispute_store
from .common import query_int, redis_client, require_user, services
from .schemas import REQUEST_SCHEMAS
from .validation import validate

bp = Blueprint("screenshots", __name__)

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
_ORDER_NO = re.compile(REQUEST_SCHEMAS["ScreenshotIn"]["properties"]["order_no"]["pattern"])


def queue_reading(user: str, attachment_id: str) -> None:
    """Put an upload on the OCR queue and wake this process's reader."""
    jobs.enqueue(redis_client(), user, attachment_id)
    if current_app.config.get("OCR_WORKER", True) not in (False, "0", "false", "no", "off"):
        worker_of(current_app).wake()


def upload_body(attachment, state: dict | None) -> dict:
    """An upload with its reading, in the Screenshot shape of the OpenAPI document."""
    state = state or {"state": "queued"}
    reading = state.get("reading") or None
    # kind: what the screenshot turned out to be (an "other" upload read as a payment record is
    # payment proof), as the order's judgement counts it
    return {**attachment.as_dict(), "kind": evidence_kind(attachment.kind, state), "uploaded_kind": attachment.kind,
            "ocr": {"state": state.get("state"), "attempts": state.get("attempts", 0), "read_at": state.get("read_at"),
                    "read_ms": state.get("read_ms"), "engine": state.get("engine"), "error": state.get("error"),
                    "reading": reading, "match": state.get("match")}}


@bp.post("/v1/screenshots")
@require_user
def create_screenshot():
    svc = services()
    r = svc.redis
    form = {name: request.form[name] for name in ("kind", "dispute_id", "order_no") if request.form.get(name)}
    if "file" in request.files:
        form["file"] = request.files["file"].filename or ""
    validate("ScreenshotIn", form)  # the multipart body's published schema
    kind = form.get("kind") or "other"
    dispute_id = request.form.get("dispute_id") or ""
    if dispute_id and dispute_store.get(r, g.user, dispute_id) is None:
        raise NotFound(f"no dispute {dispute_id}", dispute_id=dispute_id)
    order_no = (request.form.get("order_no") or "").strip() or None
    if order_no and not _ORDER_NO.search(order_no):
        raise BadRequest("field order_no must be an order number (no spaces, at most 128 characters)",
                         field="order_no")
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("missing field: file (multipart/form-data)", field="file")
    limit = int(svc.config["MAX_ATTACHMENT_BYTES"])
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {limit // (1024 * 1024)} MiB", field="file")
    filename, content_type = attachment_rules.check(data, upload.filename, limit)
    if content_type not in IMAGE_TYPES:
        raise Unprocessable(f"a screenshot must be a PNG, JPEG or GIF image, not {content_type}", field="file")
    # The same quotas as a dispute's attachments: the space, and the dispute's count when filed
    # under one; checked again where the upload is written (parallel uploads).
    new_bytes = blobs.missing_bytes(r, g.user, [(sha256_hex(data), len(data))])
    most = quotas.attachments_limit(r, g.user, svc.config) if dispute_id else None
    if dispute_id:
        quotas.before_attachment(r, g.user, svc.config, attached=len(dispute_store.attachment_ids(r, g.user, dispute_id)),
                                 new_bytes=new_bytes)
    else:
        quotas.check_bytes(r, g.user, svc.config, new_bytes)
    state = queued_state()
    try:
        attachment = uploads.add(r, g.user, data=data, kind=kind, filename=filename, content_type=content_type,
                                 now=clock.now_iso, sign=lambda payload: svc.signer.sign(payload).as_dict(),
                                 dispute_id=dispute_id, order_no=order_no, reading_state=state,
                                 max_attachments=most, bytes_limit=quotas.bytes_limit(r, g.user, svc.config))
    except dispute_store.AttachmentsFull as full:
        raise quotas.attachments_refusal(most, full.args[0]) from None
    except blobs.OverQuota:
        raise quotas.bytes_refused(r, g.user, svc.config, new_bytes) from None
    queue_reading(g.user, attachment.id)
    return jsonify(upload_body(attachment, state)), 202


@bp.get("/v1/screenshots")
@require_user
def list_screenshots():
    r = redis_client()
    ids = uploads.list_ids(r, g.user, query_int("limit", 50, 1, sizes.PAGE))
    states = uploads.readings(r, g.user, ids)
    items = [upload_body(a, states.get(a.id)) for a in (uploads.get(r, g.user, i) for i in ids) if a]
    return jsonify({"items": items})


def _own(attachment_id: str):
    attachment = uploads.get(redis_client(), g.user, attachment_id)
    if attachment is None:
        raise NotFound(f"no screenshot {attachment_id}", attachment_id=attachment_id)
    return attachment


@bp.get("/v1/screenshots/<attachment_id>")
@require_user
def get_screenshot(attachment_id: str):
    r = redis_client()
    attachment = _own(attachment_id)
    state = uploads.reading(r, g.user, attachment_id)
    if state is None or (state.get("state") == "queued" and not jobs.queued(r, g.user, attachment_id)):
        # Stored but its job was lost (a crash between the two writes): queue it again.
        state = state or queued_state()
        uploads.set_reading(r, g.user, attachment_id, state)
        queue_reading(g.user, attachment_id)
    return jsonify(upload_body(attachment, state))


@bp.get("/v1/screenshots/<attachment_id>/file")
@require_user
def get_screenshot_file(attachment_id: str):
    from ..storage import blobs

    attachment = _own(attachment_id)
    data = blobs.get(redis_client(), g.user, attachment.sha256)
    if data is None:
        raise NotFound(f"the bytes of screenshot {attachment_id} are missing", attachment_id=attachment_id)
    response = Response(data, mimetype=attachment.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


_ERR = {"$ref": "#/components/responses/Error"}
_ID = [{"name": "attachment_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": sizes.OBJECT_ID}}]
_NULLSTR = {"type": ["string", "null"]}
OPENAPI_SCHEMAS = {
    "Reading": {"type": "object", "required": ["kind"], "properties": {
        "kind": {"enum": ["payment", "error", "chat", "other"]},
        "platform": {"enum": ["alipay", "wechat", "bank", None]}, "payee": _NULLSTR,
        "amount": {"type": ["string", "null"], "description": "decimal, e.g. \"188.00\""},
        "currency": _NULLSTR, "time": {"type": ["string", "null"], "description": "ISO 8601, China time"},
        "transaction_no": _NULLSTR, "merchant_order_no": _NULLSTR, "item": _NULLSTR, "status": _NULLSTR,
        "problem": {"type": ["object", "null"], "properties": {
            "kind": {"enum": ["invalid_code", "account_recovered", "account_banned", "login_failed"]},
            "message": {"type": "string"}, "at": _NULLSTR}},
        "numbers": {"type": "array", "items": {"type": "string"}},
        "times": {"type": "array", "items": {"type": "string"}}, "text": {"type": "string"}}},
    "Screenshot": {"allOf": [{"$ref": "#/components/schemas/Attachment"}, {"type": "object", "required": ["ocr"],
                   "properties": {"uploaded_kind": {"type": "string"}, "ocr": {"type": "object", "required": ["state"],
                                  "properties": {
                                      "state": {"enum": ["queued", "reading", "done", "skipped", "failed"]},
                                      "reading": {"oneOf": [{"$ref": "#/components/schemas/Reading"}, {"type": "null"}]},
                                      "match": {"type": ["object", "null"], "properties": {
                                          "snapshot_id": {"type": "string"}, "domain": {"type": "string"},
                                          "order_no": _NULLSTR, "by": {"enum": ["order_no", "amount_time"]},
                                          "minutes_apart": {"type": ["number", "null"]}}}}}}}]},
}
OPENAPI = {
    "/v1/screenshots": {
        "post": {"summary": "Upload a phone screenshot (payment record, chat, error prompt): stored, hashed, chained "
                            "and signed at once; read by OCR afterwards",
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "$ref": "#/components/schemas/ScreenshotIn"}}}},
                 "responses": {"202": {"description": "stored; ocr.state is queued", "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/Screenshot"}}}},
                     "400": _ERR, "401": _ERR, "404": _ERR, "409": _ERR, "413": _ERR, "422": _ERR, "429": _ERR,
                     "503": _ERR}},
        "get": {"summary": "The caller's screenshots, newest first, with their readings",
                "parameters": [{"name": "limit", "in": "query", "required": False,
                                "schema": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": sizes.PAGE},
                                                     {"type": "string", "maxLength": 0}]}}],
                "responses": {"200": {"description": "screenshots", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["items"], "properties": {"items": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Screenshot"}}}}}}},
                    "400": _ERR, "401": _ERR, "503": _ERR}},
    },
    "/v1/screenshots/{attachment_id}": {"get": {
        "summary": "A screenshot with its OCR state and reading (poll until ocr.state is done, skipped or failed)",
        "parameters": _ID,
        "responses": {"200": {"description": "the screenshot", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Screenshot"}}}}, "401": _ERR, "404": _ERR, "503": _ERR}}},
    "/v1/screenshots/{attachment_id}/file": {"get": {
        "summary": "The uploaded image", "parameters": _ID,
        "responses": {"200": {"description": "the image", "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            "image/gif": {"schema": {"type": "string", "format": "binary"}}}}, "401": _ERR, "404": _ERR, "503": _ERR}}},
}
