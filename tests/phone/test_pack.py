"""A server capture in the evidence pack: its fetch record is part of its manifest item (signed
with the manifest) and checked by `kadun verify`; report.html shows the dispute's cross-checks in
Chinese and English."""
from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.report_words import ISO_TIME, human_time
from server.evidence.verify import verify_pack
from tests.evidence.conftest import export
from tests.evidence.packtools import edit_manifest, rewrite

from .test_judgement import USER, _dispute, fetched_after_a_change


def _pack(app, tmp_path):
    fetched_after_a_change(app)  # an order page, the extension's product page, the server's fetch of it
    d = _dispute(app)
    path = tmp_path / "pack.zip"
    return path, export(app, USER, d["id"], path), d


def test_the_fetch_record_is_in_the_signed_manifest_and_verified(app, tmp_path):
    path, manifest, dispute = _pack(app, tmp_path)
    [check] = dispute["cross_checks"]
    server_id = check["server"]["snapshot_id"]
    item = next(i for i in manifest["items"] if i["id"] == server_id)
    assert item["source"] == "server" and item["fetch"]["final_url"] == item["url"]
    assert item["fetch"]["hops"][-1]["address"] == "203.0.113.7"
    assert {i["source"] for i in manifest["items"] if i["type"] == "capture"} == {"server", "extension"}
    result = verify_pack(path)
    assert result.ok, result.problem
    assert result.checked["server_fetches"] == 1
    cli = CliRunner().invoke(kadun, ["verify", str(path)])
    assert cli.exit_code == 0, cli.output
    assert "1 page(s) fetched by the server itself" in cli.output


def test_a_fetch_record_that_names_another_page_is_refused_even_when_resigned(app, tmp_path):
    path, manifest, dispute = _pack(app, tmp_path)
    server_id = dispute["cross_checks"][0]["server"]["snapshot_id"]

    def edit(m):
        fetch = next(i for i in m["items"] if i["id"] == server_id)["fetch"]
        fetch["final_url"] = fetch["hops"][-1]["url"] = "https://another-shop.example/goods/1"
    bad = tmp_path / "bad.zip"
    rewrite(path, bad, edit_manifest(edit), resign=app.extensions["kadun"].signer)
    result = verify_pack(bad)
    assert not result.ok and result.where == f"fetch record of {server_id}", result.problem
    rewrite(path, bad, edit_manifest(edit))  # without the key: the manifest's signature fails first
    assert verify_pack(bad).where == "manifest.sig"


def test_a_server_capture_without_its_fetch_record_is_refused(app, tmp_path):
    path, manifest, dispute = _pack(app, tmp_path)
    server_id = dispute["cross_checks"][0]["server"]["snapshot_id"]

    def edit(m):
        next(i for i in m["items"] if i["id"] == server_id).pop("fetch")
    bad = tmp_path / "bad.zip"
    rewrite(path, bad, edit_manifest(edit), resign=app.extensions["kadun"].signer)
    result = verify_pack(bad)
    assert not result.ok and "no fetch record" in result.problem


def test_the_report_shows_the_cross_checks_in_both_languages(app, tmp_path):
    path, _, dispute = _pack(app, tmp_path)
    [check] = dispute["cross_checks"]
    with zipfile.ZipFile(path) as zf:
        report = zf.read("report.html").decode("utf-8")
        packed = json.loads(zf.read("dispute.json"))
    assert packed["cross_checks"] == dispute["cross_checks"]
    section = report[report.index("id='cross-checks'"):]
    section = section[:section.index("</section>")]
    assert "服务器取证核对" in section and "Server fetch cross-check" in section
    # The summary's times as people read them (the exact values are in dispute.json and the manifest).
    zh, en = (ISO_TIME.sub(lambda m, lang=lang: human_time(m.group(0), lang), check["summary"][lang]) for lang in ("zh", "en"))
    assert "服务器于 2026年11月26日 13:00:00 (UTC+8) 直接" in zh and "2026-11-26T13" not in zh + en
    assert zh in section and en.replace("'", "&#x27;") in section
    assert "class='del'" in section  # the promises the server no longer saw
    assert "服务器直接获取" in report and "203.0.113.7" in report  # the item's origin in the evidence list
