"""The evidence pack and `kadun verify`: a good pack verifies; each kind of tampering is caught and
named; `kadun export` writes the same pack from a data directory."""
from __future__ import annotations

import base64
import json
import zipfile

import pytest
from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.pack import safe_filename
from server.evidence.verify import verify_pack

from .scenario import account_recovered_dispute

USER = "u_pack"


@pytest.fixture
def pack(app, tmp_path):
    """(path of a pack, manifest) for a dispute with captures, a screenshot and an attachment."""
    from server.disputes.export import export_pack

    d = account_recovered_dispute(app, USER)
    path = tmp_path / "pack.zip"
    with open(path, "wb") as handle:
        manifest = export_pack(app.extensions["kadun"].redis, USER, d["id"], app.extensions["kadun"].signer, handle)
    return path, manifest, d["id"]


def _signer(app):
    return app.extensions["kadun"].signer


def _rewrite(src, dst, change, resign=None):
    """Copy the pack, passing each (name, bytes) through ``change`` (None drops the file)."""
    from tests.evidence.packtools import rewrite

    rewrite(src, dst, change, resign=resign)


def _edit_manifest(edit):
    from tests.evidence.packtools import edit_manifest

    return edit_manifest(edit)


def test_good_pack_verifies(pack):
    path, manifest, _ = pack
    result = verify_pack(path)
    assert result.ok, result.problem
    times = result.checked.pop("times")
    assert result.checked == {"files": len(manifest["files"]), "items": 4, "receipts": 4, "links": 4,
                              "key_id": manifest["public_key"]["key_id"]}
    assert [t["stamped"] for t in times] == [False] * 4  # no TSA here: the times are the server's own
    assert verify_pack(path, public_key=manifest["public_key"]["public_key"]).ok
    paths = {f["path"] for f in manifest["files"]}
    assert {"report.html", "dispute.json", "archive.wacz"} <= paths
    assert sum(p.startswith("captures/") and p.endswith(".html.txt") for p in paths) == 3
    assert sum(p.startswith("screenshots/") for p in paths) == 1
    assert any(p.startswith("attachments/att_") and p.endswith("-bill.txt") for p in paths)


def _capture_path(manifest):
    return next(i["path"] for i in manifest["items"] if i["type"] == "capture")


def test_a_changed_byte_of_a_capture_is_caught(pack, tmp_path):
    path, manifest, _ = pack
    target = _capture_path(manifest)
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, lambda n, d: (d[:100] + bytes([d[100] ^ 1]) + d[101:]) if n == target else d)
    result = verify_pack(bad)
    assert not result.ok and result.where == target and "SHA-256" in result.problem


def test_a_changed_manifest_hash_is_caught(pack, tmp_path, app):
    path, manifest, _ = pack
    target = _capture_path(manifest)

    def edit(m):
        entry = next(f for f in m["files"] if f["path"] == target)
        entry["sha256"] = "0" * 64
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, _edit_manifest(edit))
    assert verify_pack(bad).where == "manifest.sig"  # the old signature no longer fits
    _rewrite(path, bad, _edit_manifest(edit), resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where == target


def test_capture_and_its_hashes_replaced_together_is_caught_by_the_receipt(pack, tmp_path, app):
    path, manifest, _ = pack
    target = _capture_path(manifest)
    forged = b"<html><body>nothing was promised</body></html>"
    from server.evidence.hashing import sha256_hex

    def change(name, data):
        if name == target:
            return forged
        if name == "manifest.json":
            m = json.loads(data)
            entry = next(f for f in m["files"] if f["path"] == target)
            entry["sha256"], entry["size"] = sha256_hex(forged), len(forged)
            next(i for i in m["items"] if i["path"] == target)["sha256"] = sha256_hex(forged)
            return json.dumps(m).encode()
        return data
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, change, resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where.startswith("receipt of") and "sha256" in result.problem


@pytest.mark.parametrize("how", ["signature", "payload"])
def test_a_changed_receipt_is_caught(pack, tmp_path, how, app):
    path, manifest, _ = pack
    item_id = manifest["items"][1]["id"]

    def edit(m):
        receipt = next(i for i in m["items"] if i["id"] == item_id)["receipt"]
        if how == "signature":
            sig = bytearray(base64.b64decode(receipt["signature"]))
            sig[0] ^= 1
            receipt["signature"] = base64.b64encode(bytes(sig)).decode()
        else:
            receipt["payload"] = receipt["payload"].replace('"chain_index":', '"chain_index":1')
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, _edit_manifest(edit), resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where == f"receipt of {item_id}" and "signature" in result.problem


def test_a_removed_capture_is_caught(pack, tmp_path):
    path, manifest, _ = pack
    target = _capture_path(manifest)
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, lambda n, d: None if n == target else d)
    result = verify_pack(bad)
    assert not result.ok and result.where == target and "missing" in result.problem


def test_a_broken_chain_link_is_caught(pack, tmp_path, app):
    path, _, _ = pack

    def edit(m):
        m["chain"][1]["received_at"] = "2026-11-24T09:00:00.000+08:00"
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, _edit_manifest(edit), resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where.startswith("chain link") and "does not follow" in result.problem


def test_an_added_file_and_a_foreign_key_are_caught(pack, tmp_path):
    path, _, _ = pack
    extra = tmp_path / "extra.zip"
    from tests.evidence.packtools import rewrite

    rewrite(path, extra, extra=[("captures/snp_planted.html", b"<html></html>")])
    result = verify_pack(extra)
    assert not result.ok and result.where == "captures/snp_planted.html"
    other_key = base64.b64encode(b"\x01" * 32).decode()
    assert "key" in verify_pack(path, public_key=other_key).problem


def test_a_damaged_zip_member_is_named_not_a_crash(pack, tmp_path):
    path, manifest, _ = pack
    target = _capture_path(manifest)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(target)
    # Flip bytes inside the member's compressed data (after its local header and name).
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 10 + 40, 4):
        data[offset] ^= 0xFF
    bad = tmp_path / "damaged.zip"
    bad.write_bytes(bytes(data))
    result = verify_pack(bad)
    assert not result.ok and result.where == target
    cli = CliRunner().invoke(kadun, ["verify", str(bad)])
    assert cli.exit_code == 1 and isinstance(cli.exception, SystemExit) and target in cli.output


def test_not_a_zip(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert not verify_pack(junk).ok


def test_cli_verify_ok_and_first_mismatch(pack, tmp_path):
    path, manifest, _ = pack
    runner = CliRunner()
    good = runner.invoke(kadun, ["verify", str(path)])
    assert good.exit_code == 0 and good.output.startswith("OK")
    target = _capture_path(manifest)
    bad = tmp_path / "bad.zip"
    _rewrite(path, bad, lambda n, d: None if n == target else d)
    failed = runner.invoke(kadun, ["verify", str(bad)])
    assert failed.exit_code == 1 and target in failed.output
    missing = runner.invoke(kadun, ["verify", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 1


def test_cli_export_writes_a_verifiable_pack(pack, app, redis_url, tmp_path, monkeypatch):
    _, _, dispute_id = pack
    from server.storage import keys

    app.extensions["kadun"].redis.sadd(keys.users(), USER)  # scenario users are not paired
    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    out = tmp_path / "exported.zip"
    result = CliRunner().invoke(kadun, ["export", dispute_id, "-o", str(out), "--data-dir", app.config["DATA_DIR"]])
    assert result.exit_code == 0, result.output
    assert verify_pack(out).ok and "4 items" in result.output
    # The pack holds all the evidence (delivered codes too): only its owner may read it.
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    unknown = CliRunner().invoke(kadun, ["export", "dsp_nope", "-o", str(out), "--data-dir", app.config["DATA_DIR"]])
    assert unknown.exit_code != 0


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), (".hidden", "hidden"),
    ("a/b/截图 1.png", "截图_1.png"), ("", "file"), ("x\x00y.txt", "x_y.txt"), ("con:tent?.txt", "con_tent_.txt"),
], ids=["unix-traversal", "windows-traversal", "dotfile", "dirs-and-space", "empty", "nul", "reserved"])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected
