"""Dispute routes: open and read disputes, add attachments, download the evidence pack."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import Blueprint, g, jsonify, request

from .. import clock, quotas, sizes
from ..disputes import attachments as attachment_rules
from ..disputes import service
from ..disputes.export import export_pack
from ..disputes.kinds import ATTACHMENT_KINDS, PROBLEMS, STEPS
from ..errors import BadRequest, NotFound, TooLarge
from ..storage import disputes as dispute_store
from ..storage import erasure
from ..storage.disputes import DisputeRecord
from .common import field_str, json_body, query_int, redis_client, require_user, services, user_pack_download
from .screenshots import IMAGE_TYPES, queue_reading
from .validation import validate

bp = Blueprint("disputes", __name__)

_SNAPSHOT_ID = re.compile(r"snp_[0-9a-f]{8,40}")
MAX_SNAPSHOT_IDS = sizes.SNAPSHOT_IDS


def _domain(value: str) -> str:
    """The registered domain of a host name the schema admitted (DisputeIn.domain)."""
    from scrapers import registered_domain

    host = value.lower()
    try:
        return registered_domain(f"http://{host}/") or host
    except Exception:  # an odd host name is still a host name; keep it as given
        return host


def _amount(value) -> dict | None:
    if value is None:
        return None
    if isinstance(value, dict):
        raw, currency = value.get("amount"), value.get("currency") or "CNY"
    else:
        raw, currency = value, "CNY"
    if isinstance(raw, bool) or not isinstance(raw, str | int | float) or not isinstance(currency, str):
        raise BadRequest("field amount must be {\"amount\": \"188.00\", \"currency\": \"CNY\"}", field="amount")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise BadRequest("field amount must be a decimal number", field="amount") from None
    if not number.is_finite() or number < 0 or number > Decimal("1e12"):
        raise BadRequest("field amount must be a non-negative number", field="amount")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise BadRequest("field amount.currency must be an ISO 4217 code such as CNY", field="amount")
    return {"amount": f"{number.quantize(Decimal('0.01'))}", "currency": currency}


def _time(data: dict, name: str) -> str:
    raw = field_str(data, name, required=True, max_len=sizes.TIME)
    try:
        moment = clock.parse_iso(raw)
    except ValueError:
        raise BadRequest(f"field {name} must be an ISO 8601 time", field=name) from None
    # Deadlines are computed from it: keep it in a range where date arithmetic is meaningful.
    if not 2000 <= moment.year <= 2100:
        raise BadRequest(f"field {name} must be a time between 2000 and 2100", field=name)
    return moment.isoformat()


def _record(data: dict) -> DisputeRecord:
    validate("DisputeIn", data)  # the published schema; the checks below then only normalise
    problem = data.get("problem")
    if problem is None:
        raise BadRequest("missing field: problem", field="problem")
    if not isinstance(problem, str) or problem not in PROBLEMS:
        raise BadRequest(f"field problem must be one of: {', '.join(PROBLEMS)}", field="problem")
    snapshot_ids = data.get("snapshot_ids")
    domain = order_no = None
    if snapshot_ids is not None:
        if (not isinstance(snapshot_ids, list) or not snapshot_ids or len(snapshot_ids) > MAX_SNAPSHOT_IDS
                or not all(isinstance(s, str) and _SNAPSHOT_ID.fullmatch(s) for s in snapshot_ids)):
            raise BadRequest(f"field snapshot_ids must be a list of 1 to {MAX_SNAPSHOT_IDS} capture ids",
                             field="snapshot_ids")
        snapshot_ids = list(dict.fromkeys(snapshot_ids))
    else:
        if data.get("domain") is None and data.get("order_no") is None:
            raise BadRequest("give domain and order_no, or snapshot_ids", field="order_no")
        domain = _domain(field_str(data, "domain", required=True, max_len=sizes.DOMAIN))
        order_no = field_str(data, "order_no", required=True, max_len=sizes.ORDER_NO).strip()
    description = field_str(data, "description", max_len=sizes.DESCRIPTION) or ""
    return DisputeRecord(id=dispute_store.new_dispute_id(), user=g.user, problem=problem,
                         occurred_at=_time(data, "occurred_at"), created_at=clock.now_iso(),
                         description=description.strip(), domain=domain, order_no=order_no,
                         snapshot_ids=snapshot_ids or [], amount=_amount(data.get("amount")))


def _trusted_time(r, user: str, built) -> dict:
    """Each evidence item's trusted-time state (stamped when and by whom, or pending), for the
    dispute page: ``{"configured", "items": {id: status}, "stamped", "pending"}``."""
    from .snapshots import timestamp_status

    items = {}
    for ev in built.collection.all():
        record = ev.capture if ev.capture is not None else ev.attachment
        items[record.id] = timestamp_status(r, user, record.chain_index)
    config = services().stamp_config
    states = [s["status"] for s in items.values()]
    return {"configured": bool(config and config.enabled), "items": items,
            "stamped": states.count("stamped"), "pending": states.count("pending")}


def _with_trusted_time(r, user: str, built) -> dict:
    return {**built.dispute, "trusted_time": _trusted_time(r, user, built)}


@bp.post("/v1/disputes")
@require_user
def create_dispute():
    record = _record(json_body())
    r = redis_client()
    ticket = quotas.before_dispute(r, g.user, services().config)
    try:
        built = service.open_dispute(r, record)
    except BaseException:
        ticket.give_back()
        raise
    _stamp_now(r, g.user)
    return jsonify(_with_trusted_time(r, g.user, built)), 201


def _stamp_now(r, user: str) -> None:
    """A dispute was opened: stamp this user's head at once (not on this request's path)."""
    import time

    from ..storage import stamps as stamp_store

    svc = services()
    if not (svc.stamp_config and svc.stamp_config.enabled):
        return
    stamp_store.request_now(r, user, int(time.time() * 1000))
    if svc.stamper is not None:
        svc.stamper.poke()


@bp.get("/v1/disputes")
@require_user
def list_disputes():
    r = redis_client()
    limit = query_int("limit", 50, 1, sizes.PAGE)
    items = []
    for dispute_id in dispute_store.list_ids(r, g.user, limit):
        record = dispute_store.get(r, g.user, dispute_id)
        if record:
            items.append({"id": record.id, "problem": record.problem, "occurred_at": record.occurred_at,
                          "created_at": record.created_at, "description": record.description,
                          "order": {"domain": record.domain, "order_no": record.order_no}})
    return jsonify({"items": items})


@bp.get("/v1/disputes/<dispute_id>")
@require_user
def get_dispute(dispute_id: str):
    r = redis_client()
    return jsonify(_with_trusted_time(r, g.user, service.get_built(r, g.user, dispute_id)))


def _own_record(dispute_id: str) -> DisputeRecord:
    record = dispute_store.get(redis_client(), g.user, dispute_id)
    if record is None:
        raise NotFound(f"no dispute {dispute_id}", dispute_id=dispute_id)
    return record


@bp.post("/v1/disputes/<dispute_id>/attachments")
@require_user
def add_attachment(dispute_id: str):
    svc = services()
    record = _own_record(dispute_id)
    form = {name: request.form[name] for name in ("kind",) if name in request.form}
    if "file" in request.files:
        form["file"] = request.files["file"].filename or ""
    validate("AttachmentIn", form)  # the multipart body's published schema
    kind, upload = form["kind"], request.files["file"]
    limit = int(svc.config["MAX_ATTACHMENT_BYTES"])
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {limit // (1024 * 1024)} MiB", field="file")
    filename, content_type = attachment_rules.check(data, upload.filename, limit)
    from ..evidence.hashing import sha256_hex
    from ..storage import blobs

    new_bytes = blobs.missing_bytes(svc.redis, g.user, [(sha256_hex(data), len(data))])
    quotas.before_attachment(svc.redis, g.user, svc.config,
                             attached=len(dispute_store.attachment_ids(svc.redis, g.user, record.id)),
                             new_bytes=new_bytes)
    # Both limits are checked again where the attachment is written (parallel uploads).
    most = quotas.attachments_limit(svc.redis, g.user, svc.config)
    try:
        attachment = dispute_store.add_attachment(
            svc.redis, g.user, record.id, data=data, kind=kind, filename=filename, content_type=content_type,
            now=clock.now_iso, sign=lambda payload: svc.signer.sign(payload).as_dict(),
            max_attachments=most, bytes_limit=quotas.bytes_limit(svc.redis, g.user, svc.config))
    except dispute_store.AttachmentsFull as full:
        raise quotas.attachments_refusal(most, full.args[0]) from None
    except blobs.OverQuota:
        raise quotas.bytes_refused(svc.redis, g.user, svc.config, new_bytes) from None
    from .snapshots import note_for_stamping

    note_for_stamping(svc.redis, g.user)  # attachments are chained like captures
    if content_type in IMAGE_TYPES:  # screenshots are read by OCR too, off the request path
        from ..ocr.worker import queued_state
        from ..storage import uploads

        uploads.set_reading(svc.redis, g.user, attachment.id, queued_state())
        queue_reading(g.user, attachment.id)
    return jsonify(attachment.as_dict()), 201


@bp.get("/v1/disputes/<dispute_id>/pack")
@require_user
def get_pack(dispute_id: str):
    _own_record(dispute_id)
    return dispute_pack_response(redis_client(), g.user, dispute_id)


def dispute_pack_response(r, user: str, dispute_id: str):
    """The dispute's pack as a download. A deletion of the account that lands while the pack is
    read leaves it half-read (items without their chain, a dispute without its captures) yet
    signed: never handed out (404), and whatever the build wrote for the user meanwhile is erased
    with them."""
    svc = services()
    existed = erasure.user_exists(r, user)

    def build(file) -> None:
        export_pack(r, user, dispute_id, svc.signer, file,
                    tsa_configured=bool(svc.stamp_config and svc.stamp_config.enabled),
                    wacz_signer=svc.wacz_signer, stamp_config=svc.stamp_config)

    return user_pack_download(r, user, existed, build, f"kadun-{dispute_id}.zip", _pack_gone)


def _pack_gone() -> NotFound:
    return NotFound("this account was deleted while the dispute's pack was being made: there is nothing to download")


_ERR = {"$ref": "#/components/responses/Error"}
_QUOTA_ERR = {"description": "a quota is used up", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/QuotaError"}}}}
_ID = [{"name": "dispute_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": sizes.OBJECT_ID}}]
_DISPUTE = {"application/json": {"schema": {"$ref": "#/components/schemas/Dispute"}}}
_TEXT = {"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}

OPENAPI_SCHEMAS = {
    "Dispute": {"type": "object", "required": ["id", "problem", "occurred_at", "created_at", "order", "timeline",
                                               "findings", "checklist", "escalation", "letters"], "properties": {
        "id": {"type": "string"}, "problem": {"type": "string", "enum": list(PROBLEMS)},
        "occurred_at": {"type": "string"}, "created_at": {"type": "string"},
        "order": {"type": "object", "required": ["domain", "order_no", "amount", "platform", "seller", "cross_border"],
                  "properties": {"amount_source": {"enum": ["page", "payment_record", "buyer", "product_price", None],
                                                   "description": "where the amount comes from: the order page, "
                                                   "the order's payment record read from a screenshot, the buyer, "
                                                   "the product page's price"}}},
        "timeline": {"type": "array", "items": {"type": "object", "required": ["phase", "at", "source", "sha256", "summary"],
                                                "properties": {"phase": {"enum": ["transaction", "delivery", "problem",
                                                                                  "negotiation"]},
                                                               "summary": _TEXT}}},
        "findings": {"type": "array", "items": {"type": "object", "required": ["code", "quote", "evidence", "explanation"]}},
        "checklist": {"type": "array", "items": {"type": "object", "required": [
            "item", "name", "state", "state_name", "present", "evidence", "how", "complete"], "properties": {
            "state": {"enum": ["present", "partial", "missing"]}, "present": {"type": "boolean"},
            "name": _TEXT, "state_name": _TEXT, "how": _TEXT,
            "complete": {"oneOf": [_TEXT, {"type": "null"}]}}}},
        "windows": {"type": "array", "items": {"$ref": "#/components/schemas/Window"}},
        "escalation": {"type": "array", "items": {"type": "object", "required": ["step", "channel", "deadline", "overdue",
                                                                                 "basis", "letter"], "properties": {
            "step": {"enum": list(STEPS)}, "letter": {"enum": list(STEPS)},
            "channel": {"type": "string"}, "channel_en": {"type": "string"}, "basis": _TEXT,
            "name": {**_TEXT, "description": "the step's name as the buyer reads it, by where it really goes "
                     "(a foreign shop's regulator step is econsumer.gov, a PayPal payment's chargeback a PayPal dispute)"},
            "deadline": {"type": ["string", "null"]}, "overdue": {"type": "boolean"},
            "payment_channel": {
                "type": "object", "description": "platform step only, when the order was paid through WeChat Pay "
                "or Alipay: the complaint entry on that payment's bill, beside the platform (the only way to the "
                "payee when the money left the platform); `form` names the entry of `complaints` that carries "
                "its text, ready to file",
                "required": ["app", "app_name", "channel", "channel_en", "basis", "off_platform", "form"],
                "properties": {"app": {"enum": ["wechat", "alipay"]}, "app_name": _TEXT,
                               "channel": {"type": "string"}, "channel_en": {"type": "string"}, "basis": _TEXT,
                               "off_platform": {"type": "boolean", "description": "the money was paid outside "
                                                "the platform at the payee's request"},
                               "form": {"enum": ["wechat_pay", "alipay"]}}}}}},
        "letters": {"type": "object", "additionalProperties": _TEXT},
        "evidence": {"type": "array", "items": {"type": "object", "required": ["no", "id", "type", "kind", "sha256"],
                                                "properties": {
            "type": {"enum": ["capture", "attachment"]},
            "kind": {"type": "string", "description": "a capture's page kind; an attachment's kind as evidence "
                     "(for one uploaded as other: what OCR read it to be)"},
            "uploaded_kind": {"type": "string", "description": "attachments: the kind the buyer chose"},
            "source": {"enum": ["extension", "server", "both"], "description": "captures: who captured these "
                       "bytes (the server: a shared link it fetched itself)"},
            "fetch": {"type": ["object", "null"], "description": "captures the server fetched: its fetch record "
                      "(as FetchOut.fetch)"},
            "ocr": {"type": ["object", "null"], "description": "screenshots: the OCR state, what it shows, the "
                    "reading, the order it pays for (this order's match) and the time it states",
                    "properties": {"state": {"type": ["string", "null"]}, "shows": {"type": ["string", "null"]},
                                   "reading": {"oneOf": [{"$ref": "#/components/schemas/Reading"}, {"type": "null"}]},
                                   "match": {"type": ["object", "null"]}, "stated_at": {"type": ["string", "null"]}}}}}},
        "cross_checks": {"type": "array", "description": "server captures (shared links the backend fetched "
                         "itself) against the extension's capture of the same page: do the promises match?",
                         "items": {"type": "object", "required": ["url", "match", "server", "extension", "diff",
                                                                  "summary"], "properties": {
                             "url": {"type": "string"}, "match": {"type": "boolean"},
                             "same_bytes": {"type": "boolean"},
                             "server": {"type": "object", "description": "snapshot_id, received_at, sha256, fetch"},
                             "extension": {"type": "object", "description": "snapshot_id, received_at, sha256"},
                             "only_server": {"type": "array", "items": {"type": "string"}},
                             "only_extension": {"type": "array", "items": {"type": "string"}},
                             "diff": {"type": "array", "items": {"type": "string"}}, "summary": _TEXT}}},
        "complaints": {"type": "array", "description": "ready-to-file complaint forms (12315, 黑猫投诉, the payment "
                                                       "app's complaint entry), each field filled within its limit",
                       "items": {"$ref": "#/components/schemas/ComplaintForm"}}}},
    "ComplaintForm": {"type": "object", "required": ["form", "name", "how", "url", "fields"], "properties": {
        "form": {"type": "string", "description": "regulator (12315), heimao, wechat_pay or alipay"},
        "name": _TEXT, "how": _TEXT, "url": {"type": ["string", "null"]},
        "fields": {"type": "array", "items": {"type": "object", "required": ["key", "label", "value", "max_length"],
                                              "properties": {"key": {"type": "string"}, "label": _TEXT,
                                                             "value": _TEXT, "max_length": {"type": "integer"}}}}}},
    "Attachment": {"type": "object", "required": ["id", "kind", "sha256", "received_at", "chain_index", "receipt"],
                   "properties": {"id": {"type": "string"}, "dispute_id": {"type": "string"},
                                  "kind": {"enum": list(ATTACHMENT_KINDS)}, "filename": {"type": "string"},
                                  "content_type": {"type": "string"}, "size": {"type": "integer"},
                                  "sha256": {"type": "string"}, "received_at": {"type": "string"},
                                  "chain_index": {"type": "integer"}, "chain_hash": {"type": "string"},
                                  "receipt": {"$ref": "#/components/schemas/Receipt"}}},
}

OPENAPI = {
    "/v1/disputes": {
        "post": {"summary": "Open a dispute for an order (or for chosen captures)",
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/DisputeIn"}}}},
                 "responses": {"201": {"description": "the dispute", "content": _DISPUTE},
                               "400": _ERR, "401": _ERR, "429": _QUOTA_ERR,
                               "404": {"description": "no capture of that order (or of a given id) is stored",
                                       "content": {"application/json": {"schema": {
                                           "$ref": "#/components/schemas/Error"}}}},
                               "422": {"description": "the chosen captures show several orders and not exactly one "
                                       "fits the problem: one dispute per order (the message names them)",
                                       "content": {"application/json": {"schema": {
                                           "$ref": "#/components/schemas/Error"}}}}}},
        "get": {"summary": "The caller's disputes, newest first (summaries)",
                "parameters": [{"name": "limit", "in": "query", "required": False,  # "" = not given
                                "schema": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": sizes.PAGE},
                                                     {"type": "string", "maxLength": 0}]}}],
                "responses": {"200": {"description": "disputes", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["items"], "properties": {"items": {"type": "array"}}}}}},
                    "400": _ERR, "401": _ERR}},
    },
    "/v1/disputes/{dispute_id}": {"get": {
        "summary": "A dispute, computed from the current captures", "parameters": _ID,
        "responses": {"200": {"description": "the dispute", "content": _DISPUTE}, "401": _ERR, "404": _ERR}}},
    "/v1/disputes/{dispute_id}/attachments": {"post": {
        "summary": "Add evidence (payment proof, chat log, error screenshot): hashed, chained, signed",
        "parameters": _ID,
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "$ref": "#/components/schemas/AttachmentIn"}}}},
        "responses": {"201": {"description": "stored", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Attachment"}}}},
            "400": _ERR, "401": _ERR, "404": _ERR, "409": _ERR, "413": _ERR, "422": _ERR}}},
    "/v1/disputes/{dispute_id}/pack": {"get": {
        "summary": "The evidence pack (ZIP: report.html, captures/, screenshots/, attachments/, manifest.json, "
                   "archive.wacz)", "parameters": _ID,
        "responses": {"200": {"description": "the pack", "content": {"application/zip": {
            "schema": {"type": "string", "format": "binary"}}}}, "401": _ERR, "404": _ERR,
        "507": _ERR}}},  # (built in scratch files: a full disk)
}
