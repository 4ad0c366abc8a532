"""One schema for each request body: what /openapi.json publishes is what validates requests, and its
formats are exactly what the server's own parsing takes (both ways: every value a pattern admits is
accepted, and the values the server cannot use are refused by the pattern, naming the field)."""
from __future__ import annotations

import base64
import re
import unicodedata
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import clock
from server.api import schemas
from server.api.openapi import build_spec
from server.risk.service import domain_of
from tests.conftest import capture_body
from tests.ops.helpers import PNG_DATA_URL

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
HTML = "<!DOCTYPE html><html><body><p>订单号 KM1</p></body></html>"


def _matches(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None  # as jsonschema applies "pattern"


def test_the_published_schemas_are_the_validating_ones(app):
    spec = build_spec(app)
    for name, schema in schemas.REQUEST_SCHEMAS.items():
        assert spec["components"]["schemas"][name] == schema, name
    bodies = {(path, method): op["requestBody"]["content"] for path, ops in spec["paths"].items()
              for method, op in ops.items() if "requestBody" in op}
    refs = {key: next(iter(content.values()))["schema"]["$ref"].rsplit("/", 1)[-1] for key, content in bodies.items()}
    assert refs == {("/v1/pair", "post"): "PairIn", ("/v1/snapshots", "post"): "SnapshotIn",
                    ("/v1/disputes", "post"): "DisputeIn",
                    ("/v1/disputes/{dispute_id}/attachments", "post"): "AttachmentIn"}
    risk_url = spec["paths"]["/v1/risk"]["get"]["parameters"][0]["schema"]
    assert risk_url == {"$ref": "#/components/schemas/PageUrl"}
    for operations in spec["paths"].values():
        for operation in operations.values():
            assert {"400", "403", "414", "431"} <= set(operation["responses"]), operation["summary"]


def test_no_pattern_uses_classes_that_differ_between_ecma_and_python():
    def patterns(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern":
                    yield value
                else:
                    yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = list(patterns(schemas.REQUEST_SCHEMAS))
    assert len(found) >= 10
    for pattern in found:
        # ([\s\S] is "any character" in both dialects.)
        assert not re.search(r"(?<!\\)\\[sSwWbBdD]", pattern.replace(r"[\s\S]", "")), pattern


def test_the_nfkc_delimiter_list_matches_this_pythons_unicode_tables():
    folded = {chr(c) for c in range(0x80, 0x110000)
              if any(d in unicodedata.normalize("NFKC", chr(c)) for d in "/?#@:")}
    assert folded == set(schemas.NFKC_DELIMITERS)


# --- URLs -----------------------------------------------------------------------------------------
@FAST
@given(st.from_regex(schemas.CAPTURE_URL))
def test_every_capture_url_the_schema_admits_has_a_host_the_server_reads(url):
    assert urlsplit(url).hostname  # no ValueError, a host
    assert domain_of(url)


@FAST
@given(st.from_regex(schemas.PAGE_URL))
def test_every_badge_url_the_schema_admits_is_read_and_fits_a_request_line(url):
    if len(url) > schemas.REQUEST_SCHEMAS["PageUrl"]["maxLength"]:
        return  # (the maxLength keyword refuses it)
    assert domain_of(url)
    assert len("GET /v1/risk?url=" + quote(url, safe="") + " HTTP/1.1") <= 8190


@pytest.mark.parametrize("url", ["https://卡盟.cn/商品/1?规格=月卡", "http://[::1]/x", "http://[::1]:8765/x?a=1",
                                 "HTTPS://Shop.Example.COM", "http://user:pw@shop.example.com:8080/p#frag",
                                 "https://xn--2qq421a.cn/x", "http://[2001:db8::1]/", "http://127.0.0.1:8080/order"])
def test_unusual_but_real_urls_are_stored_and_scored(client, auth, url):
    created = client.post("/v1/snapshots", json=capture_body("xingchen-km-order.html", url), headers=auth)
    assert created.status_code == 201, created.get_json()
    risk = client.get("/v1/risk", query_string={"url": url}, headers=auth)
    assert risk.status_code == 200, risk.get_json()
    assert _matches(schemas.CAPTURE_URL, url) and _matches(schemas.PAGE_URL, url)


@pytest.mark.parametrize("url", ["ftp://shop.example.com/", "http://", "http:///x", "shop.example.com/x",
                                 " http://shop.example.com/", "http://[1.2.3.4]/", "http://[::1/",
                                 "http://ｆｏｏ／.com/", "http://a b.com/", "javascript:alert(1)", "http://:80/",
                                 "http://shop\u0000.com/"])
def test_urls_the_server_cannot_read_are_refused_naming_the_field(client, auth, url):
    created = client.post("/v1/snapshots", json=capture_body("xingchen-km-order.html", url), headers=auth)
    assert created.status_code == 400 and created.get_json()["field"] == "url", created.get_json()
    risk = client.get("/v1/risk", query_string={"url": url}, headers=auth)
    assert risk.status_code == 400 and risk.get_json()["field"] == "url", risk.get_json()


def test_a_badge_url_too_long_for_a_request_line_is_refused_by_the_schema(client, auth):
    ascii_url = "https://shop.example.com/" + "a" * 1500
    assert client.get("/v1/risk", query_string={"url": ascii_url}, headers=auth).status_code == 200
    long_ascii = ascii_url + "a"
    long_unicode = "https://shop.example.com/" + "商" * 301
    for url in (long_ascii, long_unicode):
        response = client.get("/v1/risk", query_string={"url": url}, headers=auth)
        assert response.status_code == 400 and response.get_json()["field"] == "url"


# --- times ----------------------------------------------------------------------------------------
@FAST
@given(st.from_regex(schemas.ANY_DATE_TIME))
def test_every_capture_time_the_schema_admits_is_parsed(value):
    assert clock.parse_iso(value).tzinfo is not None


@FAST
@given(st.from_regex(schemas.DISPUTE_DATE_TIME))
def test_every_dispute_time_the_schema_admits_is_parsed_and_in_range(value):
    assert 2000 <= clock.parse_iso(value).year <= 2100


@pytest.mark.parametrize("value, ok", [
    ("2026-11-24T10:03:30+08:00", True), ("2026-11-24t10:03:30.123456789z", True), ("2024-02-29T00:00:00Z", True),
    ("2000-02-29T00:00:00Z", True), ("2100-02-28T23:59:59-12:00", True),
    ("2026-02-29T00:00:00Z", False), ("2100-02-29T00:00:00Z", False), ("2026-04-31T00:00:00Z", False),
    ("2026-11-24T24:00:00Z", False), ("2026-11-24T23:59:60Z", False), ("2026-11-24T10:03:30", False),
    ("2026-11-24 10:03:30+08:00", False), ("2026-11-24", False), ("1999-12-31T23:59:59Z", False),
    ("2101-01-01T00:00:00Z", False), ("2026-11-24T10:03+08:00", False), ("2026-11-24T10:03:30+24:00", False)])
def test_dispute_times(client, auth, value, ok):
    assert _matches(schemas.DISPUTE_DATE_TIME, value) is ok
    response = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": ["snp_0000000000000000"], "problem": "invalid_code", "occurred_at": value})
    if ok:
        assert response.status_code == 404, response.get_json()  # well formed: the capture is what is missing
    else:
        assert response.status_code == 400 and response.get_json()["field"] == "occurred_at", response.get_json()


@pytest.mark.parametrize("value", ["1900-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "2026-13-01T00:00:00Z"])
def test_impossible_capture_times_are_refused(client, auth, value):
    body = capture_body("xingchen-km-order.html", "https://shop.example.com/o/1", captured_at=value)
    response = client.post("/v1/snapshots", json=body, headers=auth)
    assert response.status_code == 400 and response.get_json()["field"] == "captured_at"


def test_old_client_clocks_are_kept(client, auth):
    body = capture_body("xingchen-km-order.html", "https://shop.example.com/o/2", captured_at="1980-01-01T00:00:00Z")
    assert client.post("/v1/snapshots", json=body, headers=auth).status_code == 201


# --- bodies ---------------------------------------------------------------------------------------
@FAST
@given(st.from_regex(schemas.SCREENSHOT, fullmatch=True))
def test_every_screenshot_the_schema_admits_decodes_to_a_png_or_jpeg(value):
    if not value:
        return
    data = base64.b64decode(value.split(",", 1)[1], validate=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")


def test_real_screenshots_match():
    assert _matches(schemas.SCREENSHOT, PNG_DATA_URL)
    jpeg = "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(range(40))).decode()
    assert _matches(schemas.SCREENSHOT, jpeg)


@pytest.mark.parametrize("screenshot, status", [
    ("data:image/png;base64," + base64.b64encode(b"GIF89a" + bytes(20)).decode(), 422),
    ("data:image/png;base64,iVBORw0KGgo", 400), ("data:image/gif;base64,R0lGOD", 400), ("http://x/y.png", 400)])
def test_screenshots_that_are_no_image_are_named(client, auth, screenshot, status):
    body = capture_body("xingchen-km-order.html", "https://shop.example.com/o/3", screenshot=screenshot)
    response = client.post("/v1/snapshots", json=body, headers=auth)
    assert response.status_code == status and response.get_json()["field"] == "screenshot", response.get_json()


@FAST
@given(st.from_regex(schemas.HTML_SIGN))
def test_every_html_the_schema_admits_shows_a_tag(value):
    from server.facts import looks_like_html

    assert looks_like_html(value.encode("utf-8")) or len(value.encode("utf-8")) > 65536


@pytest.mark.parametrize("body, field, words", [
    ({}, "code", "missing field: code"), ({"code": 12345678}, "code", "must be a string"),
    ({"code": "   "}, "code", "wrong format"), ({"code": "x" * 65}, "code", "at most 64"),
    ({"code": "ABCDEFGH", "device": ["x"]}, "device", "must be a string or null")])
def test_pairing_errors_name_the_field(client, body, field, words):
    response = client.post("/v1/pair", json=body)
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == field and words in error["message"], error


@pytest.mark.parametrize("change, field", [
    ({"amount": {"amount": "-1"}}, "amount.amount"), ({"amount": "1e3"}, "amount"), ({"amount": {"amount": "1", "currency": "rmb"}}, "amount.currency"),
    ({"amount": True}, "amount"), ({"problem": "bored"}, "problem"), ({"domain": "a b.com"}, "domain"),
    ({"order_no": " "}, "order_no"), ({"snapshot_ids": []}, "snapshot_ids"),
    ({"snapshot_ids": ["nope"]}, "snapshot_ids"), ({"description": "x" * 5001}, "description")])
def test_dispute_errors_name_the_field(client, auth, change, field):
    body = {"domain": "shop.example.com", "order_no": "KM1", "problem": "invalid_code",
            "occurred_at": "2026-11-24T12:00:00+08:00", **change}
    response = client.post("/v1/disputes", json=body, headers=auth)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field, response.get_json()


def test_a_dispute_needs_an_order_or_captures(client, auth):
    response = client.post("/v1/disputes", headers=auth, json={"problem": "invalid_code",
                                                                "occurred_at": "2026-11-24T12:00:00+08:00"})
    error = response.get_json()
    assert response.status_code == 400 and error["field"] == "order_no" and "snapshot_ids" in error["message"]


def test_html_errors_keep_their_statuses(client, auth):
    def post(html):
        body = capture_body("xingchen-km-order.html", "https://shop.example.com/o/4")
        body["html"] = html
        return client.post("/v1/snapshots", json=body, headers=auth)

    assert post(HTML).status_code == 201
    assert post("").status_code == 422 and post("").get_json()["field"] == "html"
    assert post("just some words").status_code == 422
    assert post("\u0000<html>").status_code == 422
    assert post(12).status_code == 400


_NEAR_SCREENSHOTS = st.builds(
    lambda prefix, body, tail: prefix + body + tail,
    st.sampled_from(["", "data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,",
                     "data:image/png;base64,iVBORw0KGg", "data:image/png;base64,iVBORw0KGgo",
                     "data:image/jpeg;base64,/9j/", "data:image/png;base64,/9j/"]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzopqr0123456789+/=\n é", max_size=24),
    st.sampled_from(["", "=", "==", "===", "\n", "\n\n", " "]))


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.one_of(_NEAR_SCREENSHOTS, st.from_regex(schemas.SCREENSHOT)))
def test_the_one_pass_screenshot_check_is_the_published_pattern(value):
    from server.api.validation import screenshot_matches

    assert screenshot_matches(value) is _matches(schemas.SCREENSHOT, value), value
