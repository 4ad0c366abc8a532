"""Hostile request bodies: never a 5xx, always the contract's JSON error shape.

Hypothesis builds capture and dispute bodies from near-valid to absurd (wrong types, huge and
odd strings, nested junk, broken base64, lone surrogates), plus raw bytes that are not JSON at
all; attachments get oversized files, wrong types, zip bombs and path-traversal names.
"""
from __future__ import annotations

import io
import json
import zipfile

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

import scrapers
from tests.conftest import capture_body
from tests.ops.helpers import PNG, PNG_DATA_URL, assert_error_shape

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
URL = "https://www.xingchen-km.com/order/detail?order_no=KM2026112409551"
HTML = capture_body("xingchen-km-order.html", URL)["html"]

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                      st.text(max_size=40), st.just(""), st.just("\ud800"), st.just("\x00"))
json_any = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
strings = st.one_of(st.text(max_size=300), st.just(""), st.just(" "), st.just("\ud800x"), st.just("a" * 9000),
                    st.just("javascript:alert(1)"), st.just("http://"), st.just("https://[::1"),
                    st.just("https://例子.中国/订单?id=1"), st.just("../../etc/passwd"))


def field_value(valid, hostile=None):
    """Mostly the valid value (so the storing path is reached too), else a hostile string or any JSON."""
    bad = hostile if hostile is not None else st.one_of(strings, json_any)
    return st.integers(0, 9).flatmap(lambda i: st.just(valid) if i < 8 else bad)


def _optional_fields(draw, fields: dict) -> dict:
    body = {}
    for name, strategy in fields.items():
        if draw(st.integers(0, 4)):  # mostly present
            body[name] = draw(strategy)
    return body


@st.composite
def capture_bodies(draw):
    return _optional_fields(draw, {
        "client_id": field_value("c-" + draw(st.uuids()).hex),
        "url": field_value(URL),
        "title": field_value("订单详情"),
        "captured_at": st.one_of(st.just("2026-11-24T10:03:30+08:00"), st.just("2026-13-45T99:00:00"),
                                 st.just("yesterday"), json_any),
        "trigger": field_value("auto"),
        "html": field_value(HTML, st.one_of(st.just(HTML + "\ud800"), st.just("<p>" + "\x00" * 10),
                                            st.just("not html at all"), st.just("   "), strings, json_any)),
        "screenshot": st.one_of(st.just(PNG_DATA_URL), st.just("data:image/png;base64,!!!"),
                                st.just("data:image/png;base64,QUJD"), st.just("data:image/gif;base64,R0lG"),
                                st.just("data:image/png;base64," + "A" * 1001), json_any),
        "extension_version": field_value("0.1.0"),
    })


def _post_json(client, path, body, headers):
    # ASCII-escaped JSON, so lone surrogates travel as "\\ud800" the way a browser's JSON.stringify sends them.
    return client.post(path, data=json.dumps(body), headers=headers, content_type="application/json")


def _check(response):
    if currently_in_test_context():
        event(f"status {response.status_code}")  # --hypothesis-show-statistics shows what was reached
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    if response.status_code >= 400:
        assert_error_shape(response)
    return response


@FUZZ
@given(body=capture_bodies())
def test_capture_bodies_never_5xx(client, auth, body):
    response = _check(_post_json(client, "/v1/snapshots", body, auth))
    if response.status_code in (200, 201):
        created = response.get_json()
        # Whatever was accepted is evidence: its chain still verifies.
        assert client.get("/v1/chain", headers=auth).get_json()["valid"] is True
        assert len(created["sha256"]) == 64


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), st.just(b"{"), st.just(b"[]"), st.just(b"null"),
                     st.just(b'{"html": "' + b"\xff\xfe" * 10 + b'"}'), st.just(b"[" * 5000 + b"]" * 5000),
                     st.just(b'{"a":' * 2000 + b"1" + b"}" * 2000), st.just(b"\xef\xbb\xbf{}")),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                     "multipart/form-data; boundary=x", ""]))
def test_raw_bodies_never_5xx(client, auth, raw, content_type):
    for path in ("/v1/snapshots", "/v1/disputes", "/v1/pair"):
        _check(client.post(path, data=raw, headers={**auth, "Content-Type": content_type}))


def test_oversized_capture_is_413_not_500(app, client, auth):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    big = capture_body("xingchen-km-order.html", URL, html="<html>" + "x" * (3 * 1024 * 1024))
    response = _check(client.post("/v1/snapshots", json=big, headers=auth))
    assert response.status_code == 413
    assert_error_shape(response, "too_large")


@st.composite
def dispute_bodies(draw, snapshot_id: str):
    by_ids = draw(st.booleans())
    fields = {
        "problem": field_value("invalid_code"),
        "occurred_at": st.one_of(st.just("2026-11-24T12:00:00+08:00"), st.just("2026-02-30T00:00:00"), json_any),
        "description": field_value("卡密无效，商家不回复"),
        "amount": st.one_of(st.just({"amount": "188.00", "currency": "CNY"}), st.just("188"), st.just(-1),
                            st.just({"amount": "1e999"}), st.just({"amount": "NaN"}), st.just(1e308),
                            st.just({"amount": "12", "currency": "yuan"}), json_any),
    }
    if by_ids:
        fields["snapshot_ids"] = st.one_of(st.just([snapshot_id]), st.just([]), st.just(["snp_" + "0" * 20]),
                                           st.just([snapshot_id] * 3), st.lists(strings, max_size=3), json_any)
    else:
        fields["domain"] = field_value("www.xingchen-km.com")
        fields["order_no"] = field_value("KM2026112409551")
    return _optional_fields(draw, fields)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_dispute_bodies_never_5xx(client, auth, data):
    snapshot = client.post("/v1/snapshots", json=capture_body("xingchen-km-order.html", URL), headers=auth)
    snapshot_id = snapshot.get_json()["id"]
    body = data.draw(dispute_bodies(snapshot_id))
    response = _check(_post_json(client, "/v1/disputes", body, auth))
    if response.status_code == 201:
        dispute = response.get_json()
        assert _check(client.get(f"/v1/disputes/{dispute['id']}", headers=auth)).status_code == 200


def _dispute(client, auth) -> str:
    snapshot = client.post("/v1/snapshots", json=capture_body("xingchen-km-order.html", URL), headers=auth)
    response = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [snapshot.get_json()["id"]], "problem": "invalid_code",
        "occurred_at": "2026-11-24T12:00:00+08:00", "description": "卡密无效"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\0" * (20 * 1024 * 1024))  # 20 MiB of zeros in ~20 KiB
    return buffer.getvalue()


def _upload(client, auth, dispute_id, data: bytes, filename: str, kind: str = "payment_proof",
            mimetype: str = "application/octet-stream"):
    return client.post(f"/v1/disputes/{dispute_id}/attachments", headers=auth,
                       data={"kind": kind, "file": (io.BytesIO(data), filename, mimetype)},
                       content_type="multipart/form-data")


def test_hostile_attachments_are_refused_with_a_clear_error(app, client, auth):
    dispute_id = _dispute(client, auth)
    app.config["MAX_ATTACHMENT_BYTES"] = 1024 * 1024
    cases = {
        "oversized": (PNG + b"\0" * (1024 * 1024 + 10), "big.png", 413),
        "zip bomb": (_zip_bomb(), "receipt.zip", 422),
        "zip renamed png": (_zip_bomb(), "receipt.png", 422),
        "gzip": (b"\x1f\x8b\x08\x00" + b"\0" * 50, "chat.txt.gz", 422),
        "windows exe": (b"MZ\x90\x00" + b"\0" * 100, "invoice.pdf.exe", 422),
        "elf": (b"\x7fELF" + b"\0" * 100, "pay.png", 422),
        "shell script": (b"#!/bin/sh\nrm -rf /\n", "chat.txt", 422),
        "binary junk": (bytes(range(256)) * 4, "chat.txt", 422),
        "empty": (b"", "empty.png", 422),
    }
    for name, (data, filename, status) in cases.items():
        response = _check(_upload(client, auth, dispute_id, data, filename))
        assert response.status_code == status, (name, response.status_code, response.get_json())
        body = assert_error_shape(response)
        assert body["message"], name
    # Wrong or missing kind, missing file: 400 naming the field.
    assert _upload(client, auth, dispute_id, PNG, "a.png", kind="malware").status_code == 400
    missing = client.post(f"/v1/disputes/{dispute_id}/attachments", headers=auth, data={"kind": "other"},
                          content_type="multipart/form-data")
    assert missing.status_code == 400 and assert_error_shape(missing)


def test_path_traversal_names_never_escape(client, auth):
    dispute_id = _dispute(client, auth)
    names = ["../../../../etc/passwd", "..\\..\\windows\\system32\\cmd.exe", "/etc/shadow", "C:\\boot.ini",
             "a/../../b.png", "\x00evil.png", "..", ".", "", "付款凭证/../../x.png", "x" * 500 + ".png",
             "%2e%2e%2fetc%2fpasswd", "con.png", "<script>alert(1)</script>.png"]
    for name in names:
        response = _check(_upload(client, auth, dispute_id, PNG, name, kind="error_screenshot"))
        if response.status_code == 201:
            stored = response.get_json().get("filename") or ""
            assert "/" not in stored and "\\" not in stored and "\x00" not in stored, (name, stored)
            assert not stored.startswith("."), (name, stored)
    pack = client.get(f"/v1/disputes/{dispute_id}/pack", headers=auth)
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.get_data())) as archive:
        for entry in archive.namelist():
            parts = entry.replace("\\", "/").split("/")
            assert not entry.startswith("/") and ".." not in parts and "\x00" not in entry, entry
            assert ":" not in parts[0], entry


@settings(max_examples=200, deadline=None)
@given(html=st.one_of(
    st.text(max_size=2000),
    st.builds(lambda a, b, c: f"<html><body>{a}<div class='{b}'>{c}</div>", st.text(max_size=200),
              st.text(max_size=50), st.text(max_size=300)),
    st.just("<" * 5000), st.just("<div>" * 3000), st.just("<table><tr><td>" * 500),
    st.just("<html><head><meta charset='x-unknown'></head><body>¥" + "9" * 400 + "</body></html>"),
), url=st.one_of(st.just(URL), st.just("https://a/"), st.just("http://[::1]/x"), st.text(max_size=30)))
def test_scrapers_extract_never_raises(html, url):
    facts = scrapers.extract(html, url)
    as_dict = facts.as_dict()
    json.dumps(as_dict, ensure_ascii=False)  # serialisable, as the API returns it
    assert isinstance(as_dict, dict)
