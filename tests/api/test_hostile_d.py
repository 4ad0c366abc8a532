"""Attack round d on the backend's command line: text that someone else chose reaching the
administrator's terminal. A device name is chosen by whoever pairs (in hosted mode any account
holder), a saved page by its shop; printed raw, an escape sequence in it can retitle the window,
clear the screen, move the cursor up to erase a warning line, or reorder the line (U+202E). Every
line `kadun` prints shows such characters as visible escapes instead, and JSON output still
decodes to the stored value."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner

from server.cli import main as kadun
from server.storage import users

# What a terminal acts on or reorders by: C0 controls but tab and newline, DEL and the C1 controls
# (U+009B is a one-character CSI), the bidirectional controls, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = "Chrome\x1b]0;owned\x07\x1b[2J\x1b[1A\x1b[2K\r\x9b31m\u202etxt.exe\x00"


def _pair(app, name: str) -> dict:
    code = users.new_pairing_code(app.extensions["kadun"].redis, new_user=True)
    response = app.test_client().post("/v1/pair", json={"code": code, "device": name})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_hostile_device_name_is_stored_as_sent_and_shown_escaped_by_the_cli(app, redis_url, monkeypatch):
    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    _pair(app, HOSTILE)
    runner = CliRunner()
    data = ["--data-dir", app.config["DATA_DIR"]]
    table = runner.invoke(kadun, ["devices", *data])
    assert table.exit_code == 0, table.output
    assert not UNSAFE.search(table.output), repr(table.output)
    assert "Chrome" in table.output and "\\u001b]0;owned" in table.output  # visible, not acted on
    lines = runner.invoke(kadun, ["devices", "--json", *data]).output
    assert not UNSAFE.search(lines), repr(lines)
    rows = [json.loads(line) for line in lines.splitlines()]
    assert [row["name"] for row in rows] == [HOSTILE]  # the JSON still says exactly what is stored
    revoked = runner.invoke(kadun, ["revoke", rows[0]["id"], *data])
    assert revoked.exit_code == 0 and not UNSAFE.search(revoked.output), repr(revoked.output)


def test_a_hostile_saved_page_is_printed_escaped_by_parse_and_score(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>卡密\x9b2J\u202e店</title></head><body><h1>商品\x85\u2066名</h1>"
                    "<p>卖家：北极星\x9b31m工作室</p><p>价格：￥188.00</p><button>立即购买</button></body></html>",
                    encoding="utf-8")
    for verb in ("parse", "score"):
        answer = CliRunner().invoke(kadun, [verb, str(page), "--url", "https://shop.example.cn/item/1"])
        assert answer.exit_code == 0, answer.output
        assert not UNSAFE.search(answer.output), (verb, [m.group() for m in UNSAFE.finditer(answer.output)])
        json.loads(answer.output)


def test_deeply_nested_json_files_are_stored_not_a_500(app, client, auth):
    """A chat export of nothing but "[" (valid-looking JSON nested past Python's recursion limit)
    uploaded as an attachment or a phone screenshot: refused or kept with a clear answer."""
    import io

    from tests.conftest import capture_body

    snap = client.post("/v1/snapshots", json=capture_body("xingchen-km-order.html", "https://xingchen-km.com/order/1"),
                       headers=auth).get_json()["id"]
    dispute = client.post("/v1/disputes", json={"snapshot_ids": [snap], "problem": "not_delivered",
                                                "occurred_at": "2026-11-25T10:00:00+08:00", "description": "x"},
                          headers=auth).get_json()["id"]
    for deep in (b"[" * 200_000, b'{"a":' * 100_000, b"[" * 5000 + b"]" * 5000):
        answer = client.post(f"/v1/disputes/{dispute}/attachments", headers=auth, content_type="multipart/form-data",
                             data={"kind": "chat_log", "file": (io.BytesIO(deep), "chat.json")})
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["content_type"] in ("application/json", "text/plain; charset=utf-8")
        shot = client.post("/v1/screenshots", headers=auth, content_type="multipart/form-data",
                           data={"kind": "other", "file": (io.BytesIO(deep), "shot.json")})
        assert shot.status_code == 422 and shot.get_json()["field"] == "file", shot.get_json()


def test_made_up_http_methods_cannot_grow_the_metrics_without_bound(app, client, redis_client):
    """Anyone, without a token, may send any method name the HTTP server lets through (3 to 20
    capital letters under gunicorn). Each new name was a new label, so three new fields in the
    shared metrics hash in Redis for ever: a way to fill the storage the captures need. The
    labels of methods are now the HTTP methods, and "OTHER"."""
    import random
    import string

    from server.api.metrics import close_all_buffers
    from server.storage import keys

    def fields() -> set[str]:
        close_all_buffers()
        return {f.decode() for f in redis_client.hkeys(keys.metrics("http"))}

    for path in ("/v1/snapshots", "/no/such/route", "/healthz"):
        assert client.open(path, method="BREW").status_code in (404, 405)
    before = fields()
    made_up = {"".join(random.choices(string.ascii_uppercase, k=12)) for _ in range(60)}
    for method in made_up:
        for path in ("/v1/snapshots", "/no/such/route", "/healthz"):
            answer = client.open(path, method=method)
            assert answer.status_code in (404, 405) and answer.is_json, (method, answer.status_code)
    after = fields()
    assert not [f for f in after if any(m in f for m in made_up)]
    # (a slower answer may land in a latency bucket the first few did not: bounded, not per name)
    assert len(after - before) <= 3 * 16, sorted(after - before)
    assert client.get("/healthz").status_code == 200
    close_all_buffers()
    scraped = client.get("/metrics").get_data(as_text=True)
    assert 'method="OTHER"' in scraped and not any(m in scraped for m in made_up)
    assert 'method="GET"' in scraped  # the real methods keep their own labels


def test_a_page_saved_in_its_own_encoding_is_read_as_a_browser_reads_it(tmp_path):
    """Older Chinese shops serve GBK, and a browser's "save page" keeps those bytes and their
    <meta charset>; a page saved as UTF-16 starts with its byte-order mark. `kadun parse` and
    `kadun score` read them as the browser did (the share-a-link fetcher's decoding), not as
    UTF-8 with the Chinese replaced by U+FFFD: the same facts as the page saved as UTF-8."""
    from tests.conftest import FIXTURES, fixture_index

    name = "xingchen-km-product.html"
    url = next(e["url"] for e in fixture_index() if e["file"] == name)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert 'charset="utf-8"' in text
    saved = {"utf8.html": text.encode("utf-8"),
             "gbk.html": text.replace('charset="utf-8"', 'charset="gbk"').encode("gb18030"),
             "utf16.html": text.encode("utf-16")}
    outputs = {}
    for file, data in saved.items():
        folder = tmp_path / file.split(".")[0]
        folder.mkdir()
        (folder / name).write_bytes(data)  # one name: score's evidence names the file
        for verb in ("parse", "score"):
            at = ["--at", "2026-11-24T10:00:00+08:00"] if verb == "score" else []  # (else each file's mtime)
            answer = CliRunner().invoke(kadun, [verb, str(folder / name), "--url", url, *at])
            assert answer.exit_code == 0, (file, verb, answer.output[-300:])
            outputs[file, verb] = json.loads(answer.output)
    assert "\ufffd" not in json.dumps(list(outputs.values()), ensure_ascii=False)
    assert outputs["utf8.html", "parse"]["platform"]["name"] == "星辰卡盟"
    for verb in ("parse", "score"):
        assert outputs["gbk.html", verb] == outputs["utf8.html", verb] == outputs["utf16.html", verb], verb


def test_two_exports_to_one_file_never_mix_and_a_planted_link_is_not_followed(tmp_path):
    """`kadun export`/`export-user` write <output>.part then rename it. Two runs to one output (two
    terminals, a script run twice) shared that one temporary file: the second truncated and
    renamed it while the first still wrote into it, so the pack reported written was a mix of
    both. And a link planted at <output>.part (a shared folder) was followed. Each run now has a
    temporary file of its own, created new."""
    import os

    import pytest

    from server.cli._common import write_pack

    output = tmp_path / "pack.zip"

    def writer(byte: bytes, inner=None):
        def make(handle, on_total, progress):
            handle.write(byte * 4096)
            handle.flush()
            if inner is not None:
                inner()  # the other run, start to finish, while this one is half-way
            handle.write(byte * 4096)
            return {"items": [], "files": []}
        return make

    def second():
        write_pack(output, "second", writer(b"B"))

    try:
        write_pack(output, "first", writer(b"A", inner=second))
    except SystemExit:
        pass  # the old code: the first run's file was renamed away under it
    data = output.read_bytes()
    assert data in (b"A" * 8192, b"B" * 8192), (len(data), data.count(b"A"), data.count(b"B"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.zip"]

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    planted = tmp_path / "other.zip.part"
    os.symlink(victim, planted)
    write_pack(tmp_path / "other.zip", "planted", writer(b"C"))
    assert victim.read_bytes() == b"keep me" and (tmp_path / "other.zip").read_bytes() == b"C" * 8192
    with pytest.raises(SystemExit):  # and a bad folder is still a one-line failure
        write_pack(tmp_path / "no" / "such" / "pack.zip", "missing", writer(b"D"))
