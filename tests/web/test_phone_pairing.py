"""Pairing a phone: POST /v1/pair/codes (a paired device makes a one-time code for the user's
phone, with the /m/#pair= link and its QR code), POST /v1/pair with kind phone, kadun pair --qr."""
from __future__ import annotations

import io
import json
import re

import pytest
import zxingcpp
from PIL import Image

from server.web import links
from tests.conftest import ROOT, pair_user


def decode_svg_qr(svg: str) -> str:
    """Read an SVG QR code of qrcode's path factory back to its text (rasterised by hand, decoded
    by zxing-cpp), so the test checks what a phone's camera would read, not our own encoder."""
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    size = int(view.group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    pixels = image.load()
    for x, y in re.findall(r"M(\d+),(\d+)H", svg):
        for dx in range(scale):
            for dy in range(scale):
                pixels[int(x) * scale + dx, int(y) * scale + dy] = 0
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found in the SVG"
    return found[0].text


def test_a_paired_device_gets_a_code_for_its_users_phone(app, client):
    token, user = pair_user(app)
    response = client.post("/v1/pair/codes", json={"kind": "phone"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", body["code"])
    assert body["url"] == f"http://localhost/m/#pair={body['code']}"
    assert body["secure_context"] is True  # localhost
    assert decode_svg_qr(body["qr_svg"]) == body["url"]
    assert "<script" not in body["qr_svg"].lower()

    phone = client.post("/v1/pair", json={"code": body["code"], "device": "Android · Chrome", "kind": "phone"})
    assert phone.status_code == 201
    assert phone.get_json()["user"] == user, "the phone pairs as a device of the same user"
    listed = client.get("/v1/devices", headers={"Authorization": f"Bearer {phone.get_json()['token']}"}).get_json()
    mine = [d for d in listed["items"] if d["current"]]
    assert [(d["kind"], d["name"], d["user"]) for d in mine] == [("phone", "Android · Chrome", user)]
    assert {d["kind"] for d in listed["items"]} == {"extension", "phone"}, "revocable like any other device"
    again = client.post("/v1/pair", json={"code": body["code"], "kind": "phone"})
    assert again.status_code == 404, "a code works once"


def test_an_empty_body_is_fine_and_a_wrong_kind_is_named(app, client):
    token, _ = pair_user(app)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post("/v1/pair/codes", headers=auth).status_code == 201
    wrong = client.post("/v1/pair/codes", json={"kind": "toaster"}, headers=auth)
    assert wrong.status_code == 400 and wrong.get_json()["field"] == "kind"
    bad_pair = client.post("/v1/pair", json={"code": "ABCDEFGH", "kind": "toaster"})
    assert bad_pair.status_code == 400 and bad_pair.get_json()["field"] == "kind"


def test_codes_need_a_paired_device(client):
    assert client.post("/v1/pair/codes").status_code == 401
    assert client.post("/v1/pair/codes", headers={"Authorization": "Bearer kdn_nope"}).status_code == 401


def test_public_url_is_what_the_phone_is_told(redis_client, data_dir):
    from server import create_app

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False,
                      "PUBLIC_URL": "https://kadun.example.com/"})
    token, _ = pair_user(app)
    body = app.test_client().post("/v1/pair/codes", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["url"] == f"https://kadun.example.com/m/#pair={body['code']}" and body["secure_context"] is True


@pytest.mark.parametrize(("base", "secure"), [
    ("https://kadun.example.com", True), ("http://127.0.0.1:8765", True), ("http://localhost:8765/", True),
    ("http://[::1]:8765", True), ("http://192.168.1.20:8765", False), ("http://kadun.example.com", False),
], ids=["https", "loopback-v4", "localhost", "loopback-v6", "lan-http", "domain-http"])
def test_secure_context_rule(base, secure):
    assert links.is_secure_base(base) is secure


@pytest.mark.parametrize("base", ["ftp://x.example", "kadun.example.com", "", "javascript:alert(1)"])
def test_a_base_that_is_no_http_address_is_refused(base):
    with pytest.raises(ValueError):
        links.normalise_base(base)


def _terminal_qr_to_image(text: str) -> Image.Image:
    """The half-block drawing of `kadun pair --qr` back into pixels (▀ top, ▄ bottom, █ both)."""
    rows = [line for line in text.splitlines() if line and set(line) <= set(" \xa0█▀▄")]
    width = max(len(r) for r in rows)
    scale = 6
    image = Image.new("L", (width * scale, len(rows) * 2 * scale), 255)
    pixels = image.load()
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            # invert=True: the characters draw the light modules.
            top_light, bottom_light = ch in "█▀", ch in "█▄"
            for half, light in ((0, top_light), (1, bottom_light)):
                if not light:
                    for dx in range(scale):
                        for dy in range(scale):
                            pixels[x * scale + dx, (2 * y + half) * scale + dy] = 0
    return image


def test_kadun_pair_qr_prints_a_scannable_link_and_the_code_last(tmp_path):
    from tests.api.test_cli import kadun

    data = tmp_path / "data"
    result = kadun("pair", "--data-dir", str(data), "--qr", "--url", "https://kadun.example.com")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    code = lines[-1]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    url = f"https://kadun.example.com/m/#pair={code}"
    assert f"pairing link: {url}" in result.stdout
    found = zxingcpp.read_barcodes(_terminal_qr_to_image(result.stdout))
    assert [f.text for f in found] == [url]


def test_kadun_pair_qr_warns_about_plain_http_and_refuses_a_bad_url(tmp_path):
    from tests.api.test_cli import kadun

    data = tmp_path / "data"
    plain = kadun("pair", "--data-dir", str(data), "--qr", "--url", "http://192.168.1.20:8765")
    assert plain.returncode == 0 and "https" in plain.stderr
    bad = kadun("pair", "--data-dir", str(data), "--qr", "--url", "ftp://nope")
    assert bad.returncode == 2 and json.loads(bad.stderr)["error"] == "bad_request"


def test_qr_image_is_png_decodable_too():
    # The same text through qrcode's own PNG path, to be sure zxing reads level-M codes of this size.
    import qrcode

    url = "https://kadun.example.com/m/#pair=ABCDEFGH"
    buffer = io.BytesIO()
    qrcode.make(url).save(buffer)
    assert [f.text for f in zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))] == [url]
    assert ROOT.is_dir()


def test_a_null_kind_is_refused(app, client):
    token, _ = pair_user(app)
    response = client.post("/v1/pair/codes", json={"kind": None}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.get_json()["field"] == "kind"
    assert client.post("/v1/pair", json={"code": "ABCDEFGH", "kind": 7}).status_code == 400
