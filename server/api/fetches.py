"""Share a link: POST /v1/fetches — the backend fetches a public page itself and keeps it as a
capture from the source ``server`` (same ingest, chain, receipt, facts and warnings as an
extension capture)."""
from __future__ import annotations

import re
import uuid

from flask import Blueprint, current_app, g, jsonify

from .. import clock, sizes
from ..capture.fetch import FetchRefused
from ..capture.ingest import fetcher_of, ingest
from ..evidence.hashing import sha256_hex
from ..facts import looks_like_html
from .common import field_str, json_body, require_user, services
from .snapshots import answer_capture, capture_body, html_bytes_of
from .validation import validate

bp = Blueprint("fetches", __name__)

_CLIENT_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")


@bp.post("/v1/fetches")
@require_user
def create_fetch():
    svc = services()
    data = json_body()
    validate("FetchIn", data)  # the published schema: an http(s) URL, an optional client_id
    url = field_str(data, "url", required=True, max_len=sizes.URL).strip()
    client_id = field_str(data, "client_id", max_len=sizes.CLIENT_ID, pattern=_CLIENT_ID) or f"share:{uuid.uuid4()}"
    client_id = client_id if client_id.startswith("share:") else f"share:{client_id}"
    from ..storage import captures

    existing = captures.find_by_client_id(svc.redis, g.user, client_id)
    if existing:  # a retry of a fetch already kept: the same answer, no second fetch
        existing = captures.settled(svc.redis, g.user, existing)
        return jsonify(_body(existing, captures.get_facts(svc.redis, g.user, existing))), 200
    started_at = clock.now_iso()
    page = fetcher_of(current_app).fetch(url)
    html = html_bytes_of(page.text)
    if not looks_like_html(html):
        raise FetchRefused("the link's answer does not look like a web page", "not_html", url)
    fetch = {"requested_url": url, "final_url": page.final_url, "status": page.status,
             "content_type": page.content_type, "charset": page.charset, "address": page.address,
             "body_sha256": sha256_hex(page.body), "body_size": len(page.body),
             "hops": [hop.as_dict() for hop in page.hops], "started_at": started_at,
             "elapsed_ms": page.elapsed_ms, "user_agent": fetcher_of(current_app).user_agent}
    done = ingest(svc.redis, svc.signer, g.user, client_id=client_id, url=page.final_url, html=html,
                  title=_title(page.text), screenshot=None, captured_at=None,
                  clock_offset_seconds_of=lambda _received: None, trigger="share", extension_version=None,
                  source="server", fetch=fetch, config=svc.config)
    return answer_capture(done, _extra(done.capture))


def _extra(capture) -> dict:
    return {"url": capture.url, "source": capture.source or "extension", "fetch": capture.fetch,
            "page_kind": capture.page_kind, "domain": capture.domain, "order_no": capture.order_no}


def _body(capture, facts) -> dict:
    body = capture_body(capture, facts)
    body.update(_extra(capture))
    return body


def _title(text: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", text[:65536], re.I | re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()[:2000] or None if match else None


_ERR = {"$ref": "#/components/responses/Error"}
OPENAPI_SCHEMAS = {
    "FetchOut": {"allOf": [{"$ref": "#/components/schemas/SnapshotOut"}, {"type": "object", "required": [
        "url", "source", "fetch"], "properties": {
        "url": {"type": "string"}, "source": {"const": "server"}, "page_kind": {"type": "string"},
        "domain": {"type": "string"}, "order_no": {"type": ["string", "null"]},
        "fetch": {"type": "object", "required": ["requested_url", "final_url", "status", "address", "hops",
                                                 "body_sha256"], "properties": {
            "requested_url": {"type": "string"}, "final_url": {"type": "string"}, "status": {"type": "integer"},
            "content_type": {"type": "string"}, "charset": {"type": "string"}, "address": {"type": "string"},
            "body_sha256": {"type": "string"}, "body_size": {"type": "integer"}, "elapsed_ms": {"type": "integer"},
            "started_at": {"type": "string"}, "user_agent": {"type": "string"},
            "hops": {"type": "array", "items": {"type": "object", "required": ["url", "address", "status"]}}}}}}]},
}
OPENAPI = {
    "/v1/fetches": {"post": {
        "summary": "Share a link: the backend fetches the public page and keeps it as a server capture",
        "description": "Synchronous: answers when the page is fetched, stored, chained and judged (the fetch "
                       "itself is capped at 10 s and 8 MiB). A link the backend must not fetch (not http(s), a "
                       "private or loopback address, credentials in it, too large, too slow, not a web page, an "
                       "HTTP error) is refused with 422 and a `reason`: bad_url, bad_port, scheme, credentials, "
                       "not_public, dns, dns_busy, connect, tls, timeout, too_large, encoding, redirects, http_status, not_html.",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/FetchIn"}}}},
        "responses": {
            "200": {"description": "already kept (same client_id)", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/FetchOut"}}}},
            "201": {"description": "fetched and kept", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/FetchOut"}}}},
            "400": _ERR, "401": _ERR, "409": _ERR, "413": _ERR, "422": _ERR, "429": _ERR, "503": _ERR}}},
}
