"""The phone's server side through the real app and Redis: a shared link fetched from a loopback
shop and kept as a server capture, screenshots uploaded, read by the real Tesseract off the
request path (a Redis job that survives a lost worker), matched to the order, and the dispute
that shows it all, with the server-vs-extension cross-check."""
from __future__ import annotations

import io
import random
import socket
from datetime import datetime

import pytest

from server.capture.fetch import Fetcher, LoopbackForTests
from server.clock import CHINA
from server.ocr import jobs
from server.ocr.worker import OcrWorker
from tests.capture.servers import ShopServer
from tests.conftest import FIXTURES
from tests.ocr.screens import Renderer, alipay, error_prompt

PRODUCT = (FIXTURES / "xingchen-km-product.html").read_text(encoding="utf-8")
ORDER = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")
HOST = "www.xingchen-km.com"


@pytest.fixture(scope="module")
def renderer():
    rendering = Renderer()
    yield rendering
    rendering.close()


@pytest.fixture
def shop(app):
    server = ShopServer()

    def resolver(host: str, port: int):
        if host == HOST:
            return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "unknown")

    app.extensions["kadun"].extra["fetcher"] = Fetcher(
        resolver=resolver, loopback_for_tests=LoopbackForTests(frozenset({("127.0.0.1", server.port)})))
    yield server
    server.close()


def _capture(client, auth, url: str, html: str, client_id: str) -> dict:
    response = client.post("/v1/snapshots", headers=auth, json={"client_id": client_id, "url": url, "html": html})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_shared_link_becomes_a_server_capture(client, auth, shop):
    shop.page("/goods/detail/773104", PRODUCT)
    url = f"http://{HOST}:{shop.port}/goods/detail/773104"
    response = client.post("/v1/fetches", headers=auth, json={"url": url, "client_id": "phone-1"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["source"] == "server" and body["page_kind"] == "product"
    assert body["facts"]["product"]["title"].startswith("和平精英")
    assert {"24小时内发货", "质保30天"} <= {p["quote"] for p in body["facts"]["promises"]}
    assert body["receipt"]["signature"] and body["chain_index"] == 0
    assert body["fetch"]["address"] == "127.0.0.1" and body["fetch"]["hops"][0]["status"] == 200
    assert shop.requests[-1]["headers"]["Host"] == f"{HOST}:{shop.port}"
    again = client.post("/v1/fetches", headers=auth, json={"url": url, "client_id": "phone-1"})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"] and len(shop.requests) == 1
    detail = client.get(f"/v1/snapshots/{body['id']}", headers=auth).get_json()
    assert detail["source"] == "server" and detail["fetch"]["final_url"] == url
    chain = client.get("/v1/chain", headers=auth).get_json()
    assert chain["valid"] and chain["length"] == 1


@pytest.mark.parametrize(("url", "status", "reason"), [
    ("file:///etc/passwd", 400, None), ("http://169.254.169.254/latest/meta-data/", 422, "not_public"),
    ("http://localhost:8765/v1/chain", 422, "not_public"), ("http://[::1]/", 422, "not_public"),
    ("http://user:pw@shop.example/", 422, "credentials"), ("", 400, None)])
def test_hostile_shared_links_are_refused_and_nothing_is_kept(client, auth, app, url, status, reason):
    def localhost_only(host: str, port: int):  # /etc/hosts's answer, and no other lookup
        if host == "localhost":
            return ["127.0.0.1", "::1"]
        raise socket.gaierror(socket.EAI_NONAME, "unknown")

    app.extensions["kadun"].extra["fetcher"] = Fetcher(resolver=localhost_only)  # production rules
    response = client.post("/v1/fetches", headers=auth, json={"url": url})
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] in ("unprocessable", "bad_request") and body["message"]
    if reason:
        assert body["reason"] == reason
    assert client.get("/v1/chain", headers=auth).get_json()["length"] == 0


def test_the_production_fetcher_refuses_the_tests_loopback_shop(client, auth, app):
    app.extensions["kadun"].extra.pop("fetcher")  # the one create_app's code path builds
    server = ShopServer()
    try:
        server.page("/", PRODUCT)
        response = client.post("/v1/fetches", headers=auth, json={"url": server.url("/")})
        assert response.status_code == 422 and response.get_json()["reason"] == "not_public"
        assert server.requests == []
    finally:
        server.close()


def _dispute(client, auth) -> dict:
    response = client.post("/v1/disputes", headers=auth, json={
        "domain": "xingchen-km.com", "order_no": "XC20261124100322581", "problem": "account_recovered",
        "occurred_at": "2026-11-25T09:00:00+08:00"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_dispute_cross_checks_server_and_extension_captures(client, auth, shop):
    url = f"http://{HOST}:{shop.port}/goods/detail/773104"
    _capture(client, auth, f"https://{HOST}/user/order/detail?order_no=XC20261124100322581", ORDER, "order-1")
    extension = _capture(client, auth, url, PRODUCT, "ext-1")
    # The shop has since removed its after-sales promise.
    shop.page("/goods/detail/773104", PRODUCT.replace("质保30天", "").replace("不找回", ""))
    fetched = client.post("/v1/fetches", headers=auth, json={"url": url}).get_json()
    dispute = _dispute(client, auth)
    [check] = dispute["cross_checks"]
    assert check["server"]["snapshot_id"] == fetched["id"] and check["extension"]["snapshot_id"] == extension["id"]
    assert check["match"] is False and check["only_extension"] and check["diff"]
    assert "不同" in check["summary"]["zh"]
    shop.page("/goods/detail/773104", PRODUCT)
    client.post("/v1/fetches", headers=auth, json={"url": url})
    checks = client.get(f"/v1/disputes/{dispute['id']}", headers=auth).get_json()["cross_checks"]
    assert any(c["match"] and c["same_bytes"] and "并非由买家浏览器伪造" in c["summary"]["zh"] for c in checks)


def _png(renderer, screen) -> bytes:
    return renderer.png(screen)


def _upload(client, auth, data: bytes, **form) -> dict:
    response = client.post("/v1/screenshots", headers=auth, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "shot.png"), **form})
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def test_a_payment_screenshot_is_read_matched_and_makes_payment_proof_present(client, auth, app, renderer):
    _capture(client, auth, f"https://{HOST}/user/order/detail?order_no=XC20261124100322581", ORDER, "order-1")
    r = app.extensions["kadun"].redis
    # An Alipay bill for the same amount, paid 2 minutes after the order page's payment time.
    bill = alipay(random.Random(1), dark=True, amount="188.00", when=datetime(2026, 11, 24, 10, 5, 40, tzinfo=CHINA))
    before = client.get("/v1/chain", headers=auth).get_json()["length"]
    uploaded = _upload(client, auth, _png(renderer, bill), kind="payment_proof")
    assert uploaded["ocr"]["state"] == "queued" and uploaded["receipt"]["signature"]
    assert client.get("/v1/chain", headers=auth).get_json() == {**client.get("/v1/chain", headers=auth).get_json(),
                                                                "valid": True, "length": before + 1}
    assert jobs.queued(r, _user(app, auth), uploaded["id"])
    assert OcrWorker(r).run_once()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]
    assert state["state"] == "done", state
    reading = state["reading"]
    assert reading["amount"] == "188.00" and reading["time"] == "2026-11-24T10:05:40+08:00"
    assert reading["transaction_no"] == bill.expected["transaction_no"] and reading["platform"] == "alipay"
    assert state["match"]["order_no"] == "XC20261124100322581" and state["match"]["by"] == "amount_time"
    dispute = _dispute(client, auth)
    payment = next(row for row in dispute["checklist"] if row["item"] == "payment_proof")
    assert payment["present"] and uploaded["id"] in payment["evidence"]
    stated = [e for e in dispute["timeline"] if e["source"] == {"attachment_id": uploaded["id"]} and e["stated_at"]]
    assert stated and stated[0]["phase"] == "transaction" and "188.00" in stated[0]["summary"]["zh"]
    item = next(e for e in dispute["evidence"] if e["id"] == uploaded["id"])
    assert item["ocr"]["reading"]["amount"] == "188.00"


def test_an_unmatched_payment_stays_out_of_the_dispute(client, auth, app, renderer):
    _capture(client, auth, f"https://{HOST}/user/order/detail?order_no=XC20261124100322581", ORDER, "order-1")
    bill = alipay(random.Random(2), dark=False, amount="18.80", when=datetime(2026, 11, 24, 10, 5, 0, tzinfo=CHINA))
    uploaded = _upload(client, auth, _png(renderer, bill))
    OcrWorker(app.extensions["kadun"].redis).run_once()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()
    assert state["ocr"]["state"] == "done" and state["ocr"]["match"] is None and state["kind"] == "payment_proof"
    dispute = _dispute(client, auth)
    assert all(e["id"] != uploaded["id"] for e in dispute["evidence"])


def test_an_error_prompt_becomes_problem_evidence_with_its_time(client, auth, app, renderer):
    _capture(client, auth, f"https://{HOST}/user/order/detail?order_no=XC20261124100322581", ORDER, "order-1")
    dispute = _dispute(client, auth)
    prompt = error_prompt(random.Random(4), dark=False, when=datetime(2026, 11, 25, 8, 41, 7, tzinfo=CHINA))
    uploaded = _upload(client, auth, _png(renderer, prompt), dispute_id=dispute["id"])
    OcrWorker(app.extensions["kadun"].redis).run_once()
    reading = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]["reading"]
    assert reading["kind"] == "error" and reading["problem"]["kind"] == prompt.expected["problem"]
    again = client.get(f"/v1/disputes/{dispute['id']}", headers=auth).get_json()
    problem = next(row for row in again["checklist"] if row["item"] == "problem_proof")
    assert uploaded["id"] in problem["evidence"]
    event = next(e for e in again["timeline"] if e["source"] == {"attachment_id": uploaded["id"]} and e["stated_at"])
    assert event["phase"] == "problem" and event["at"].startswith(prompt.expected["time"])


def test_a_job_survives_a_lost_worker_and_a_restart(client, auth, app, redis_url, renderer):
    from server.storage.redis import connect

    bill = alipay(random.Random(5), dark=False)
    uploaded = _upload(client, auth, _png(renderer, bill))
    r = app.extensions["kadun"].redis
    user = _user(app, auth)
    # A worker claims the job and dies before finishing: the job stays, leased.
    assert jobs.claim(r, lease_seconds=60) == (user, uploaded["id"])
    assert jobs.claim(r, lease_seconds=60) is None  # nobody else reads it meanwhile
    # A new process (its own connection) after the lease: the job is read.
    fresh = connect(redis_url)
    try:
        worker = OcrWorker(fresh, lease_seconds=60)
        import time

        assert worker.run_once(now=time.time() + 61)
        assert jobs.length(fresh) == 0
    finally:
        fresh.close()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]
    assert state["state"] == "done" and state["reading"]["amount"] == bill.expected["amount"]


def test_a_lost_job_is_queued_again_when_its_upload_is_read(client, auth, app, renderer):
    r = app.extensions["kadun"].redis
    uploaded = _upload(client, auth, _png(renderer, alipay(random.Random(6), dark=False)))
    jobs.finish(r, _user(app, auth), uploaded["id"])  # as if the process died between the two writes
    assert client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]["state"] == "queued"
    assert jobs.queued(r, _user(app, auth), uploaded["id"])


@pytest.mark.parametrize(("form", "status", "field"), [
    ({"file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")}, 422, "file"),
    ({"file": (io.BytesIO(b"PK\x03\x04zip"), "a.zip")}, 422, "file"),
    ({"file": (io.BytesIO(b""), "a.png")}, 422, "file"),
    ({"kind": "payment_proof"}, 400, "file"),
    ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.png"), "kind": "selfie"}, 400, "kind"),
    ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.png"), "dispute_id": "dsp_nope"}, 404, None),
    ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.png"), "order_no": "has space"}, 400, "order_no"),
])
def test_bad_uploads_get_clear_errors(client, auth, form, status, field):
    response = client.post("/v1/screenshots", headers=auth, content_type="multipart/form-data", data=form)
    assert response.status_code == status
    body = response.get_json()
    assert body["message"] and (field is None or body.get("field") == field)


def test_a_broken_png_fails_its_reading_not_the_worker(client, auth, app):
    uploaded = _upload(client, auth, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert OcrWorker(app.extensions["kadun"].redis).run_once()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]
    assert state["state"] == "failed" and "image" in state["error"]


def _png_of(width: int, height: int, mode: str = "L") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (width, height), 255 if mode == "L" else (255,) * len(mode)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("width", "height", "mode", "words"), [
    (1, 100_000, "L", "too long"),          # 277 bytes; scaled to 720 px wide: 52 GB of pixels
    (3, 2_000_000, "L", "too long"),
    (8_000, 9_000, "RGBA", "pixels"),       # 298 KB; Pillow only warned below 80 M pixels: 1.1 GB
], ids=["1x100000", "3x2000000", "72-megapixel-bomb"])
def test_images_too_large_to_read_fail_their_reading_before_any_pixel_is_decoded(client, auth, app, width, height,
                                                                                   mode, words):
    uploaded = _upload(client, auth, _png_of(width, height, mode))
    assert OcrWorker(app.extensions["kadun"].redis).run_once()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]
    assert state["state"] == "failed" and words in state["error"] and state["attempts"] == 1, state


def test_a_long_thin_strip_of_a_screenshot_is_still_read(client, auth, app):
    uploaded = _upload(client, auth, _png_of(100_000, 1))  # scaled down, not up: cheap
    assert OcrWorker(app.extensions["kadun"].redis).run_once()
    state = client.get(f"/v1/screenshots/{uploaded['id']}", headers=auth).get_json()["ocr"]
    assert state["state"] == "done", state


def test_an_image_of_a_format_a_screenshot_never_is_not_opened():
    import io

    from PIL import Image

    from server.errors import Unprocessable
    from server.ocr.engine import load_image

    for kind in ("TIFF", "BMP", "ICO"):
        out = io.BytesIO()
        Image.new("L", (64, 64), 255).save(out, kind)
        with pytest.raises(Unprocessable):
            load_image(out.getvalue())


def test_another_users_screenshot_is_404(client, auth, app):
    from tests.conftest import pair_user

    uploaded = _upload(client, auth, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    token, _ = pair_user(app, new_user=True)
    other = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/v1/screenshots/{uploaded['id']}", headers=other).status_code == 404
    assert client.get(f"/v1/screenshots/{uploaded['id']}/file", headers=other).status_code == 404
    assert client.get(f"/v1/screenshots/{uploaded['id']}/file", headers=auth).data.startswith(b"\x89PNG")


def _user(app, auth) -> str:
    from server.storage import users

    return users.user_for_token(app.extensions["kadun"].redis, auth["Authorization"].split(" ", 1)[1])


def test_shared_links_are_rate_limited_per_token(redis_client, data_dir):
    from server import create_app
    from tests.conftest import OfflineFetcher, pair_user

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "OCR_WORKER": False,
                      "FETCH_RATE_LIMIT": "2 per minute", "PAIR_RATE_LIMIT": "100 per minute"})
    app.extensions["kadun"].extra["fetcher"] = OfflineFetcher()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {pair_user(app)[0]}"}
    other = {"Authorization": f"Bearer {pair_user(app, new_user=True)[0]}"}
    statuses = [client.post("/v1/fetches", headers=auth, json={"url": "http://shop.example/"}).status_code
                for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert client.post("/v1/fetches", headers=auth, json={"url": "http://shop.example/"}).get_json()["error"] == \
        "rate_limited"
    assert client.post("/v1/fetches", headers=other, json={"url": "http://shop.example/"}).status_code == 422


def test_the_apps_own_reader_reads_an_upload_off_the_request_path(redis_client, data_dir, renderer):
    """With OCR_WORKER on (the default), the upload answers 202 at once and the app's reader
    thread, started by the first request and woken by the upload, reads it."""
    from server import create_app
    from server.ocr import worker_of
    from server.ocr.worker import wait_for
    from tests.conftest import pair_user

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False})
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {pair_user(app)[0]}"}
        bill = alipay(random.Random(9), dark=True)
        uploaded = _upload(client, auth, renderer.png(bill))
        assert uploaded["ocr"]["state"] == "queued"
        state = wait_for(redis_client, _user(app, auth), uploaded["id"], timeout=120)
        assert state["state"] == "done" and state["reading"]["transaction_no"] == bill.expected["transaction_no"]
    finally:
        worker_of(app).stop()
