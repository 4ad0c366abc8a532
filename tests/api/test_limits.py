"""Exact limits: every size limit accepts the limit itself and refuses the limit + 1, naming the
field (413 for bytes, 400 for lengths). The numbers are the documented ones (README, contract)."""
from __future__ import annotations

import base64
import io
import json

import pytest

from tests.api.test_captures import ORDER_FILE, ORDER_URL, png_bytes
from tests.conftest import capture_body

MIB = 1024 * 1024
HTML_HEAD = "<html><body>"


def html_of(size: int) -> str:
    """An HTML page of exactly ``size`` UTF-8 bytes (ASCII, so characters = bytes)."""
    return HTML_HEAD + "a" * (size - len(HTML_HEAD))


def png_of(size: int) -> bytes:
    """A PNG-signed image of exactly ``size`` bytes."""
    head = png_bytes()
    return head + b"\x00" * (size - len(head))


def shot_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def post_capture(client, auth, **fields):
    body = capture_body(ORDER_FILE, ORDER_URL)
    body.update(fields)
    return client.post("/v1/snapshots", json=body, headers=auth)


def refused(response, status: int, field: str) -> bool:
    body = response.get_json(silent=True) or {}
    return response.status_code == status and body.get("field") == field


# --- bytes -------------------------------------------------------------------------------------
def test_html_limit_is_exact(client, auth):
    limit = client.application.config["MAX_HTML_BYTES"]
    assert limit == 8 * MIB
    assert post_capture(client, auth, html=html_of(limit)).status_code == 201
    assert refused(post_capture(client, auth, html=html_of(limit + 1)), 413, "html")


def test_html_limit_counts_utf8_bytes_not_characters(client, auth):
    limit = client.application.config["MAX_HTML_BYTES"]
    # 3-byte characters: limit // 3 of them plus ASCII padding make exactly `limit` bytes.
    chars = "卡" * ((limit - len(HTML_HEAD)) // 3)
    html = HTML_HEAD + chars + "a" * (limit - len(HTML_HEAD) - 3 * len(chars))
    assert len(html.encode()) == limit
    assert post_capture(client, auth, html=html).status_code == 201
    assert refused(post_capture(client, auth, html=html + "a"), 413, "html")


def test_screenshot_limit_is_exact_after_decoding(client, auth):
    limit = client.application.config["MAX_SCREENSHOT_BYTES"]
    assert limit == 8 * MIB
    assert post_capture(client, auth, screenshot=shot_url(png_of(limit))).status_code == 201
    # limit + 1, + 2 and + 3 bytes all fit in the same number of base64 characters as `limit`
    # rounded up: each must still be refused.
    for extra in (1, 2, 3):
        assert refused(post_capture(client, auth, screenshot=shot_url(png_of(limit + extra))), 413,
                       "screenshot"), extra


def test_largest_html_and_screenshot_together_fit_the_body_limit(client, auth):
    config = client.application.config
    response = post_capture(client, auth, html=html_of(config["MAX_HTML_BYTES"]),
                            screenshot=shot_url(png_of(config["MAX_SCREENSHOT_BYTES"])))
    assert response.status_code == 201, response.get_json()


def _body_of(size: int) -> bytes:
    """A valid capture body padded with JSON whitespace to exactly ``size`` bytes."""
    body = json.dumps(capture_body(ORDER_FILE, ORDER_URL)).encode()
    return body + b" " * (size - len(body))


def test_whole_body_limit_is_exact(client, auth):
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    assert limit == 24 * MIB
    ok = client.post("/v1/snapshots", data=_body_of(limit), content_type="application/json", headers=auth)
    assert ok.status_code == 201, ok.get_json()
    too_big = client.post("/v1/snapshots", data=_body_of(limit + 1), content_type="application/json", headers=auth)
    assert too_big.status_code == 413 and too_big.get_json()["error"] == "too_large"


def _chunked_post(client, auth, data: bytes):
    """A body without a Content-Length, as a chunked upload arrives through gunicorn (which
    de-chunks it and sets ``wsgi.input_terminated``)."""
    environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}
    return client.post("/v1/snapshots", input_stream=io.BytesIO(data), content_type="application/json",
                       headers=auth, environ_overrides=environ)


def test_whole_body_limit_is_exact_without_content_length(client, auth):
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    ok = _chunked_post(client, auth, _body_of(limit))
    assert ok.status_code == 201, ok.get_json()
    too_big = _chunked_post(client, auth, _body_of(limit + 1))
    assert too_big.status_code == 413 and too_big.get_json()["error"] == "too_large"


def _dispute(client, auth) -> str:
    assert post_capture(client, auth).status_code == 201
    response = client.post("/v1/disputes", headers=auth, json={
        "domain": "jisufa-ka.xyz", "order_no": "2026112409124563", "problem": "account_recovered",
        "occurred_at": "2026-11-26T09:00:00+08:00"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_attachment_limit_is_exact(client, auth):
    limit = client.application.config["MAX_ATTACHMENT_BYTES"]
    assert limit == 16 * MIB
    dispute_id = _dispute(client, auth)

    def attach(size: int):
        return client.post(f"/v1/disputes/{dispute_id}/attachments", headers=auth,
                           data={"kind": "payment_proof", "file": (io.BytesIO(png_of(size)), "pay.png")},
                           content_type="multipart/form-data")

    assert attach(limit).status_code == 201
    assert refused(attach(limit + 1), 413, "file")


# --- lengths -----------------------------------------------------------------------------------
def test_times_are_bounded_by_their_format(client, auth):
    """captured_at and occurred_at are RFC 3339 times (schema patterns): at most nine fraction
    digits, so their length is bounded by the format itself; a tenth digit is refused by name."""
    nine, ten = "2026-11-24T10:03:30.123456789+08:00", "2026-11-24T10:03:30.1234567891+08:00"
    assert post_capture(client, auth, captured_at=nine).status_code == 201
    assert refused(post_capture(client, auth, captured_at=ten), 400, "captured_at")
    body = {"domain": "jisufa-ka.xyz", "order_no": "2026112409124563", "problem": "other"}
    assert client.post("/v1/disputes", headers=auth, json={**body, "occurred_at": nine}).status_code in (201, 404)
    assert refused(client.post("/v1/disputes", headers=auth, json={**body, "occurred_at": ten}), 400, "occurred_at")


def _url(length: int) -> str:
    head = "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563&x="
    return head + "a" * (length - len(head))


CAPTURE_FIELDS = [
    ("client_id", 128, lambda n: "c" * n),
    ("url", 8192, _url),
    ("title", 2000, lambda n: "标" * n),
    ("extension_version", 64, lambda n: "1" * n),
]


@pytest.mark.parametrize("name,limit,make", CAPTURE_FIELDS, ids=[c[0] for c in CAPTURE_FIELDS])
def test_capture_field_lengths_are_exact(client, auth, name, limit, make):
    assert post_capture(client, auth, **{name: make(limit)}).status_code == 201
    assert refused(post_capture(client, auth, **{name: make(limit + 1)}), 400, name)


def _order_no(n: int) -> str:
    return "KM" + "1" * (n - 2)


def _domain(n: int) -> str:
    labels, left = [], n
    while left > 0:
        size = min(63, left)
        labels.append("a" * size)
        left -= size + 1
    name = ".".join(labels)
    return name[:n - 3] + ".cn" if len(name) >= n else name


DISPUTE_FIELDS = [
    ("order_no", 128, _order_no),
    ("domain", 253, _domain),
    ("description", 5000, lambda n: "说" * n),
]


@pytest.mark.parametrize("name,limit,make", DISPUTE_FIELDS, ids=[c[0] for c in DISPUTE_FIELDS])
def test_dispute_field_lengths_are_exact(client, auth, name, limit, make):
    body = {"domain": "jisufa-ka.xyz", "order_no": "2026112409124563", "problem": "other",
            "occurred_at": "2026-11-26T09:00:00+08:00"}
    assert len(make(limit)) == limit and len(make(limit + 1)) == limit + 1
    at_limit = client.post("/v1/disputes", headers=auth, json={**body, name: make(limit)})
    # At the limit the field is accepted: the answer may say the order has no captures, never
    # that the field is too long.
    assert at_limit.status_code in (201, 404), at_limit.get_json()
    assert "too long" not in at_limit.get_json().get("message", ""), at_limit.get_json()
    assert refused(client.post("/v1/disputes", headers=auth, json={**body, name: make(limit + 1)}), 400, name)


def test_dispute_snapshot_id_count_is_exact(client, auth):
    first = post_capture(client, auth).get_json()["id"]
    ids = [first] + [f"snp_{n:024x}" for n in range(1, 501)]
    body = {"problem": "other", "occurred_at": "2026-11-26T09:00:00+08:00"}
    ok = client.post("/v1/disputes", headers=auth, json={**body, "snapshot_ids": ids[:500]})
    # 500 ids are a list the route reads (the made-up ones are then not found, 404).
    assert ok.status_code in (201, 404) and ok.get_json().get("field") != "snapshot_ids", ok.get_json()
    assert refused(client.post("/v1/disputes", headers=auth, json={**body, "snapshot_ids": ids}), 400, "snapshot_ids")


def test_pairing_field_lengths_are_exact(app, client):
    from server.storage import users

    r = app.extensions["kadun"].redis
    code = users.new_pairing_code(r)
    # The code is read without separators; a long code made of dashes around the real one is
    # exactly at the length limit and still pairs.
    padded = code + "-" * (64 - len(code))
    ok = client.post("/v1/pair", json={"code": padded, "device": "設" * 200})
    assert ok.status_code == 201, ok.get_json()
    assert refused(client.post("/v1/pair", json={"code": padded + "-"}), 400, "code")
    assert refused(client.post("/v1/pair", json={"code": users.new_pairing_code(r), "device": "設" * 201}),
                   400, "device")


def test_risk_url_length_is_exact(client, auth):
    """The badge's URL (schema PageUrl) admits after the host 1500 printable ASCII characters, or 300
    of any other kind (bounded so it fits gunicorn's request line percent-encoded); one more is 400."""
    for tail, limit in (("a", 1500), ("卡", 300)):
        head = "https://shop.example.com/"
        ok = client.get("/v1/risk", query_string={"url": head + tail * limit}, headers=auth)
        assert ok.status_code == 200, ok.get_json()
        assert refused(client.get("/v1/risk", query_string={"url": head + tail * (limit + 1)}, headers=auth),
                       400, "url")


def test_listing_limit_is_exact(client, auth):
    assert client.get("/v1/snapshots?limit=500", headers=auth).status_code == 200
    assert refused(client.get("/v1/snapshots?limit=501", headers=auth), 400, "limit")
    assert client.get("/v1/disputes?limit=500", headers=auth).status_code == 200
    assert refused(client.get("/v1/disputes?limit=501", headers=auth), 400, "limit")


def test_attachment_file_name_is_kept_to_its_limit(client, auth):
    dispute_id = _dispute(client, auth)
    name = "付" * 300 + ".png"
    response = client.post(f"/v1/disputes/{dispute_id}/attachments", headers=auth,
                           data={"kind": "payment_proof", "file": (io.BytesIO(png_bytes()), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 201
    assert response.get_json()["filename"].endswith(".png") and len(response.get_json()["filename"]) <= 80

