"""Export everything: one signed pack of every capture, screenshot, attachment and dispute of the
user, with a signed WACZ and the trusted-time stamps, that `kadun verify` checks like a dispute's
pack; nothing of anyone else in it; tampering caught; a daily quota; the CLI verb."""
from __future__ import annotations

import json
import os
import stat
import zipfile

import pytest
from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.verify import verify_pack
from server.evidence.wacz import validate_wacz
from server.rights import export_user
from tests.evidence.packtools import edit_manifest, rehash, rewrite

from .test_erasure import _stamp
from .world import act, join


def _download(app, person, path) -> int:
    response = app.test_client().get("/v1/export", headers=person.auth)
    if response.status_code == 200:
        path.write_bytes(response.get_data())
        assert response.headers["Content-Disposition"].startswith('attachment; filename="kadun-export-')
        assert response.headers["Cache-Control"] == "private, no-store"
    return response.status_code


@pytest.fixture
def exported(tsa_app, tmp_path):
    """(path, person, other person, app): a user with three captures (one with a screenshot), two
    stamps, a dispute with an attachment and three more captures; another user beside them."""
    app = tsa_app
    person = act(app, join(app, "gina"))
    assert _stamp(app, person) is not None
    act(app, person, dispute=False, screenshot=False)
    other = act(app, join(app, "hank"))
    path = tmp_path / "export.zip"
    assert _download(app, person, path) == 200
    return path, person, other, app


def test_the_export_holds_everything_of_the_user_and_verifies(exported):
    path, person, other, app = exported
    result = verify_pack(path)
    assert result.ok, result.problem
    attachments = len(person.attachment_ids)
    assert result.checked["items"] == len(person.snapshot_ids) + attachments
    assert result.checked["disputes"] == len(person.dispute_ids)
    stamped = [t for t in result.checked["times"] if t["stamped"]]
    # The first stamp covers the first three captures and the bill; the last three captures came after it.
    assert len(stamped) == 4 and len(result.checked["times"]) == 7
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        account = json.loads(zf.read("account.json"))
        assert manifest["kind"] == "account" and manifest["user"] == person.user
        assert manifest["chain_range"] == {"first": 0, "last": 6, "count": 7}
        assert {i["id"] for i in manifest["items"]} == set(person.snapshot_ids) | set(person.attachment_ids)
        assert [e["no"] for e in account["evidence"]] == list(range(1, 8))
        for dispute_id in person.dispute_ids:
            dispute = json.loads(zf.read(f"disputes/{dispute_id}.json"))
            assert dispute["id"] == dispute_id and dispute["timeline"]
        assert sum(1 for n in names if n.startswith("screenshots/")) == 1
        assert sum(1 for n in names if n.startswith("attachments/")) == attachments
        report = zf.read("report.html").decode()
        assert "<script" not in report.lower() and "default-src 'none'" in report
        assert "卡盾数据导出" in report and person.snapshot_ids[0] in report
        wacz = zf.read("archive.wacz")
        everything = b"".join(zf.read(n) for n in names)
    assert validate_wacz(wacz)
    assert manifest["wacz"]["signed"] is True
    # Nothing of the other user is in it.
    for secret in [other.user.encode(), *[s.encode() for s in other.snapshot_ids + other.dispute_ids]]:
        assert secret not in everything
    # Pinned to the key the server publishes.
    key = app.test_client().get("/v1/keys").get_json()["keys"][0]["public_key"]
    assert verify_pack(path, key).ok
    cli = CliRunner().invoke(kadun, ["verify", str(path), "--key", key])
    assert cli.exit_code == 0 and "Account export: 7 items and 1 disputes" in cli.output, cli.output


def test_the_export_report_reads_on_a_phone_with_times_in_words(exported):
    """The export's report.html as a person reads it: its tables carry each column's name (cards on
    a phone), times in words with the ISO value kept, items by number, every file it names there."""
    import re

    from bs4 import BeautifulSoup

    from server.evidence.report_words import ISO_TIME, human_time

    path, person, _, _ = exported
    with zipfile.ZipFile(path) as zf:
        soup = BeautifulSoup(zf.read("report.html").decode("utf-8"), "html.parser")
        names = set(zf.namelist())
    cells = soup.select("table.rows td")
    assert cells and all(td.get("data-label") for td in cells)
    times = soup.find_all("time")
    assert len(times) >= 8 and all(t.find(lang="zh-CN").get_text() == human_time(t["datetime"], "zh") for t in times)
    rest = BeautifulSoup(str(soup), "html.parser")
    for tag in rest.select("time, code, style, title"):
        tag.decompose()
    text = rest.get_text(" ")
    assert ISO_TIME.findall(text) == []
    assert re.findall(r"\b(?:snp|att)_[0-9a-f]+", text) == []  # not yet stamped: by item number
    named = set(re.findall(r"\b(?:captures|screenshots|attachments|timestamps)/[\w.\-]+", soup.get_text(" ")))
    assert named and named <= names


def test_a_user_with_nothing_gets_an_empty_pack_that_verifies(app, tmp_path):
    person = join(app, "ivan", devices=1)
    path = tmp_path / "empty.zip"
    assert _download(app, person, path) == 200
    result = verify_pack(path)
    assert result.ok and result.checked["items"] == 0, result.problem


@pytest.mark.parametrize("forgery", ["capture", "account-index", "dispute-evidence", "drop-dispute"])
def test_tampered_exports_are_caught(exported, tmp_path, forgery):
    path, person, _, app = exported
    bad = tmp_path / "bad.zip"
    signer = app.extensions["kadun"].signer
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    if forgery == "capture":
        target = next(i["path"] for i in manifest["items"] if i["type"] == "capture")
        rewrite(path, bad, lambda n, d: d.replace(b"</body>", b"<p>added</p></body>") if n == target else d)
        expected = target
    else:
        name = ("account.json" if forgery in ("account-index", "drop-dispute")
                else f"disputes/{person.dispute_ids[0]}.json")
        with zipfile.ZipFile(path) as zf:
            doc = json.loads(zf.read(name))
        if forgery == "account-index":
            doc["evidence"] = doc["evidence"][1:]
        elif forgery == "drop-dispute":
            doc["disputes"] = doc["disputes"] + [{"id": "dsp_forged", "path": "disputes/dsp_forged.json"}]
        else:
            doc["evidence"] = doc["evidence"] + [{"id": "snp_someone_elses"}]
        data = json.dumps(doc).encode()
        # Even the key holder, re-hashing and re-signing the manifest, cannot make these pass.
        rewrite(path, bad, edit_manifest(lambda m: rehash(m, name, data), also=lambda n, d: data if n == name else d),
                resign=signer)
        expected = name if forgery != "drop-dispute" else "disputes/dsp_forged.json"
    result = verify_pack(bad)
    assert not result.ok and result.where == expected, (result.problem, result.where)


def test_a_capture_landing_during_the_export_waits_for_the_next_one(app, tmp_path, monkeypatch):
    from server.rights import export as export_module

    person = act(app, join(app, "jack", devices=1), dispute=False)
    real = export_module.build_wacz_file

    def meanwhile(pages, out_path, title, sign):
        act(app, person, dispute=False, screenshot=False)  # three more captures while the WACZ is built
        return real(pages, out_path, title=title, sign=sign)

    monkeypatch.setattr(export_module, "build_wacz_file", meanwhile)
    svc = app.extensions["kadun"]
    path = tmp_path / "during.zip"
    with open(path, "wb") as handle:
        manifest = export_user(svc.redis, person.user, svc.signer, handle, wacz_signer=svc.wacz_signer)
    assert manifest["item_count"] == 3 and manifest["chain_range"]["count"] == 3
    assert verify_pack(path).ok


def test_exports_a_day_are_limited(redis_client, data_dir, tmp_path):
    from server import create_app

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False,
                      "QUOTA_EXPORTS_PER_DAY": 1})
    person = act(app, join(app, "kate", devices=1), dispute=False)
    assert _download(app, person, tmp_path / "one.zip") == 200
    refused = app.test_client().get("/v1/export", headers=person.auth)
    assert refused.status_code == 429 and refused.get_json()["quota"]["name"] == "exports_per_day"
    assert "导出全部数据" in refused.get_json()["messages"]["zh"] and refused.headers["Retry-After"]


def test_export_user_cli_writes_a_private_pack_that_verifies(app, tmp_path, redis_url, monkeypatch):
    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    person = act(app, join(app, "lena", devices=1))
    out = tmp_path / "lena.zip"
    result = CliRunner().invoke(kadun, ["export-user", person.user, "-o", str(out), "--data-dir",
                                        app.config["DATA_DIR"]])
    assert result.exit_code == 0, result.output
    assert "4 items" in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert verify_pack(out).ok
    missing = CliRunner().invoke(kadun, ["export-user", "usr_nobody", "-o", str(tmp_path / "x.zip"), "--data-dir",
                                         app.config["DATA_DIR"]])
    assert missing.exit_code != 0 and "no user usr_nobody" in missing.output
    assert not (tmp_path / "x.zip").exists()
