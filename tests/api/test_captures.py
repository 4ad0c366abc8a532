"""POST /v1/snapshots and the read routes, as contract/api.md says, on the real (embedded) Redis."""
from __future__ import annotations

import base64
import hashlib
import json
import struct
import threading
import zlib

import zstandard
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from server.storage import keys
from tests.conftest import FIXTURES, capture_body, fixture_index

ORDER_URL = "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563"
ORDER_FILE = "risky-shop-order.html"


def png_bytes(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A small valid PNG (grey pixels, ``seed`` varies the bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([(seed + x) % 256 for x in range(width)]) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def data_url(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def post(client, auth, body):
    return client.post("/v1/snapshots", json=body, headers=auth)


def test_created_capture_has_the_contract_shape(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL)
    response = post(client, auth, body)
    assert response.status_code == 201, response.get_json()
    out = response.get_json()
    assert set(out) == {"id", "sha256", "received_at", "chain_index", "chain_hash", "receipt", "facts", "warnings",
                        "timestamp"}
    assert out["timestamp"] == {"status": "not_configured"}  # no TSA: the times are the server's own
    assert out["id"].startswith("snp_")
    assert out["sha256"] == hashlib.sha256(body["html"].encode("utf-8")).hexdigest()
    assert out["received_at"].endswith("+08:00")
    assert out["chain_index"] == 0
    assert set(out["receipt"]) == {"payload", "signature", "key_id"}
    assert out["facts"]["url"] == ORDER_URL and out["facts"]["domain"] == "jisufa-ka.xyz"
    assert isinstance(out["warnings"], list)


def test_receipt_is_signed_over_the_canonical_payload_with_the_published_key(client, auth):
    shot = png_bytes()
    out = post(client, auth, capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(shot))).get_json()
    payload = json.loads(out["receipt"]["payload"])
    assert set(payload) == {"id", "user", "url", "sha256", "screenshot_sha256", "received_at", "chain_index",
                            "chain_hash"}
    assert payload["url"] == ORDER_URL  # the URL is signed too: a pack cannot move a page to another address
    assert out["receipt"]["payload"] == json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert payload["id"] == out["id"] and payload["sha256"] == out["sha256"]
    assert payload["screenshot_sha256"] == hashlib.sha256(shot).hexdigest()
    assert (payload["received_at"], payload["chain_index"], payload["chain_hash"]) == (
        out["received_at"], out["chain_index"], out["chain_hash"])

    keys_body = client.get("/v1/keys").get_json()  # no token needed
    [key] = keys_body["keys"]
    assert key["algorithm"] == "Ed25519" and key["key_id"] == out["receipt"]["key_id"]
    raw = base64.b64decode(key["public_key"])
    assert len(raw) == 32 and hashlib.sha256(raw).hexdigest()[:16] == key["key_id"]
    public = Ed25519PublicKey.from_public_bytes(raw)
    public.verify(base64.b64decode(out["receipt"]["signature"]), out["receipt"]["payload"].encode("utf-8"))
    # A changed payload no longer verifies.
    forged = out["receipt"]["payload"].replace(out["sha256"], "0" * 64)
    try:
        public.verify(base64.b64decode(out["receipt"]["signature"]), forged.encode("utf-8"))
        raise AssertionError("a forged payload verified")
    except Exception as error:  # InvalidSignature
        assert type(error).__name__ == "InvalidSignature"


def test_repeat_of_a_client_id_answers_200_with_the_same_body(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL)
    first = post(client, auth, body)
    again = post(client, auth, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    # Even with other content under the same client_id: the stored capture is the answer.
    other = post(client, auth, dict(body, html="<html><body>changed</body></html>"))
    assert other.status_code == 200 and other.get_json() == first.get_json()
    assert client.get("/v1/chain", headers=auth).get_json()["length"] == 1


def test_concurrent_duplicate_posts_store_one_capture(app, auth):
    body = capture_body(ORDER_FILE, ORDER_URL)
    results, barrier = [], threading.Barrier(8)

    def worker():
        local = app.test_client()
        barrier.wait()
        response = local.post("/v1/snapshots", json=body, headers=auth)
        results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 7 + [201], results
    bodies = [out for _, out in results]
    assert all(out == bodies[0] for out in bodies)
    chain = app.test_client().get("/v1/chain", headers=auth).get_json()
    assert chain["length"] == 1 and chain["valid"]


def test_bytes_are_stored_once_per_user_compressed(app, client, auth, redis_client):
    html = (capture_body(ORDER_FILE, ORDER_URL))["html"]
    shot = png_bytes(seed=7)
    ids = []
    for _ in range(3):
        out = post(client, auth, capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(shot))).get_json()
        ids.append(out["id"])
    user = json.loads(out["receipt"]["payload"])["user"]
    blob_keys = sorted(k.decode() for k in redis_client.scan_iter(match=f"*{{u:{user}}}:blob:*"))
    sha = hashlib.sha256(html.encode()).hexdigest()
    shot_sha = hashlib.sha256(shot).hexdigest()
    assert blob_keys == sorted([keys.blob(user, sha), keys.blob(user, shot_sha)])
    stored = redis_client.get(keys.blob(user, sha))
    assert stored.startswith(b"\x28\xb5\x2f\xfd")  # a zstd frame
    assert zstandard.ZstdDecompressor().decompress(stored) == html.encode()
    assert len(stored) < len(html.encode()) * 0.75  # Chinese text compresses less than ASCII
    # Another user's identical bytes are that user's own blob.
    from tests.conftest import pair_user

    token_b, user_b = pair_user(app, new_user=True)
    post(client, {"Authorization": f"Bearer {token_b}"}, capture_body(ORDER_FILE, ORDER_URL))
    assert redis_client.exists(keys.blob(user_b, sha))


def test_every_sighting_is_listed(client, auth):
    outs = [post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json() for _ in range(3)]
    other = post(client, auth, capture_body("acg-faka-item.html", "https://www.qiyu-shop.cn/item/36")).get_json()
    detail = client.get(f"/v1/snapshots/{outs[1]['id']}", headers=auth).get_json()
    assert [s["snapshot_id"] for s in detail["sightings"]] == [o["id"] for o in outs]
    assert [s["received_at"] for s in detail["sightings"]] == [o["received_at"] for o in outs]
    assert all(s["url"] == ORDER_URL for s in detail["sightings"])
    lonely = client.get(f"/v1/snapshots/{other['id']}", headers=auth).get_json()
    assert [s["snapshot_id"] for s in lonely["sightings"]] == [other["id"]]


def test_detail_has_metadata_facts_receipt_and_client_clock_offset(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL, captured_at="2020-01-01T00:00:00+08:00", trigger="manual")
    out = post(client, auth, body).get_json()
    detail = client.get(f"/v1/snapshots/{out['id']}", headers=auth).get_json()
    assert detail["id"] == out["id"] and detail["receipt"] == out["receipt"]
    assert detail["facts"] == out["facts"] and detail["warnings"] == out["warnings"]
    assert detail["captured_at"] == "2020-01-01T00:00:00+08:00" and detail["trigger"] == "manual"
    assert detail["clock_offset_seconds"] < -3600 * 24 * 365  # the client clock was years behind
    assert detail["html_size"] == len(body["html"].encode()) and detail["screenshot_sha256"] is None
    assert detail["title"] == ORDER_FILE and detail["domain"] == "jisufa-ka.xyz"


def test_html_is_served_back_sandboxed(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL)
    out = post(client, auth, body).get_json()
    response = client.get(f"/v1/snapshots/{out['id']}/html", headers=auth)
    assert response.status_code == 200
    assert response.data == body["html"].encode("utf-8")
    assert response.mimetype == "text/html"
    csp = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    assert csp[0] == "sandbox" and "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_screenshot_is_served_or_404(client, auth):
    shot = png_bytes(seed=3)
    with_shot = post(client, auth, capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(shot))).get_json()
    response = client.get(f"/v1/snapshots/{with_shot['id']}/screenshot", headers=auth)
    assert response.status_code == 200 and response.mimetype == "image/png" and response.data == shot
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    as_jpeg = post(client, auth, capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(jpeg, "jpeg"))).get_json()
    response = client.get(f"/v1/snapshots/{as_jpeg['id']}/screenshot", headers=auth)
    assert response.mimetype == "image/jpeg" and response.data == jpeg
    without = post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json()
    missing = client.get(f"/v1/snapshots/{without['id']}/screenshot", headers=auth)
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"


def test_lone_surrogates_are_stored_as_replacement_characters(client, auth):
    html = "<html><body><p>broken \ud800 text</p></body></html>"
    # As JSON.stringify sends them: escaped (\ud800), valid JSON though not valid Unicode.
    raw = json.dumps(capture_body(ORDER_FILE, ORDER_URL, html=html, title="t\udfff"))
    response = client.post("/v1/snapshots", data=raw, content_type="application/json", headers=auth)
    assert response.status_code == 201, response.get_json()
    out = response.get_json()
    expected = html.replace("\ud800", "\ufffd").encode("utf-8")
    assert out["sha256"] == hashlib.sha256(expected).hexdigest()
    assert client.get(f"/v1/snapshots/{out['id']}/html", headers=auth).data == expected
    assert client.get(f"/v1/snapshots/{out['id']}", headers=auth).get_json()["title"] == "t\ufffd"


def test_every_fixture_page_is_accepted(client, auth):
    for page in fixture_index():
        response = post(client, auth, capture_body(page["file"], page["url"]))
        assert response.status_code == 201, (page["file"], response.get_json())
        assert response.get_json()["facts"]["url"] == page["url"]
    chain = client.get("/v1/chain", headers=auth).get_json()
    assert chain == {"length": len(fixture_index()), "head": response.get_json()["chain_hash"],
                     "valid": True, "first_bad_index": None}


def test_a_capture_whose_judging_was_interrupted_still_answers(app, client, auth):
    """A crash between the chain write and the warnings leaves the capture pending; a retry of
    its client_id gets the stored capture (no warnings) instead of waiting for ever."""
    import uuid

    from server.storage import captures

    svc = app.extensions["kadun"]
    _, user = __import__("tests.conftest", fromlist=["pair_user"]).pair_user(app)
    client_id = str(uuid.uuid4())
    capture, created = captures.store(
        svc.redis, user, client_id=client_id, html=b"<html><body>x</body></html>", screenshot=None,
        url=ORDER_URL, title=None, captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="auto",
        extension_version=None, facts={"url": ORDER_URL, "domain": "jisufa-ka.xyz"},
        now=lambda: "2026-01-01T00:00:00.000+08:00", sign=lambda payload: svc.signer.sign(payload).as_dict())
    assert created and capture.pending
    import time

    started = time.monotonic()
    again = post(client, auth, capture_body(ORDER_FILE, ORDER_URL, client_id=client_id))
    assert again.status_code == 200 and again.get_json()["id"] == capture.id
    assert again.get_json()["warnings"] == [] and time.monotonic() - started < 2


def test_repeat_captures_share_their_warnings_document(client, auth, redis_client):
    outs = [post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json() for _ in range(3)]
    user = json.loads(outs[0]["receipt"]["payload"])["user"]
    for out in outs:
        detail = client.get(f"/v1/snapshots/{out['id']}", headers=auth).get_json()
        assert detail["warnings"] == out["warnings"]
        assert "pending" not in detail
    warning_docs = list(redis_client.scan_iter(match=f"*{{u:{user}}}:warn:*"))
    assert len(warning_docs) <= 1  # one document for the three (none if the page gave no warnings)
    from server.storage.captures import decode_record

    raw = redis_client.get(keys.snapshot(user, outs[0]["id"]))
    stored = decode_record(raw)
    assert "payload" not in json.dumps(stored) and "pending" not in stored
    assert len(raw) < len(json.dumps(stored)) * 0.7  # compressed with the record dictionary


def test_facts_are_read_again_when_the_scraper_code_changes(client, auth, redis_client, monkeypatch):
    """The facts cache is keyed with the scrapers' code version: repeat captures of the same bytes
    reuse the facts that code parsed, and a capture after an upgrade is parsed afresh."""
    import scrapers
    from server.storage import captures

    first = post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json()
    assert first["facts"]["page_kind"] == "order"
    user = json.loads(first["receipt"]["payload"])["user"]
    sha = first["sha256"]
    # What this code version parsed is what a repeat capture gets (planted to tell the two apart).
    planted = {**first["facts"], "page_kind": "other"}
    redis_client.set(keys.facts(user, captures.facts_id_for(sha, ORDER_URL, scrapers.VERSION)), json.dumps(planted))
    assert post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json()["facts"]["page_kind"] == "other"

    monkeypatch.setattr(scrapers, "VERSION", "a-newer-scraper")
    upgraded = post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json()
    assert upgraded["facts"]["page_kind"] == "order"
    assert client.get(f"/v1/snapshots/{upgraded['id']}", headers=auth).get_json()["facts"]["page_kind"] == "order"
    # Earlier captures keep the facts they were answered with.
    assert client.get(f"/v1/snapshots/{first['id']}", headers=auth).get_json()["facts"]["page_kind"] == "other"


def test_scraper_version_follows_the_source():
    import scrapers

    assert len(scrapers.VERSION) == 8 and scrapers._source_version() == scrapers.VERSION


def test_a_new_page_is_parsed_once_for_facts_and_risk(client, auth, monkeypatch):
    """The risk text is read from the scrapers' tree: one parse per new page, and the warnings are
    those a separate parse gives."""
    import scrapers.document
    import server.risk.pagetext as pagetext

    calls = []
    real = scrapers.document.parse_html

    def counting(html):
        calls.append(len(html))
        return real(html)

    monkeypatch.setattr(scrapers.document, "parse_html", counting)
    monkeypatch.setattr(pagetext, "parse_html", counting)
    out = post(client, auth, capture_body(ORDER_FILE, ORDER_URL)).get_json()
    assert len(calls) == 1
    html = (FIXTURES / ORDER_FILE).read_text(encoding="utf-8")
    assert pagetext.page_lines(html) == pagetext.page_lines(html, tree=real(html))
    assert out["warnings"] == client.get(f"/v1/snapshots/{out['id']}", headers=auth).get_json()["warnings"]


def test_each_version_of_an_order_page_is_parsed_once(client, auth, monkeypatch):
    """A capture of an order judges all the order's earlier pages again (stated delivery dates,
    transfer and fee-demand words): their text lines come from the bounded page-lines cache, so
    the n-th version of an order page costs one parse, not n."""
    import scrapers.document
    import server.risk.pagetext as pagetext
    from server import caches

    calls = []
    real = scrapers.document.parse_html

    def counting(html):
        calls.append(len(html))
        return real(html)

    monkeypatch.setattr(scrapers.document, "parse_html", counting)
    monkeypatch.setattr(pagetext, "parse_html", counting)
    for version in range(5):
        body = capture_body(ORDER_FILE, ORDER_URL)
        body["html"] = body["html"].replace("</body>", f"<!-- version {version} --></body>", 1)
        assert post(client, auth, body).status_code == 201
    assert len(calls) == 5
    hits, _ = caches.REGISTRY["page_lines"].totals()  # registered: /metrics shows its hit rate
    assert hits >= 1 + 2 + 3 + 4
