"""The tamper suite: every forgery of issue 13 is rejected by `kadun verify`, naming the file or
entry; untouched packs verify, with each capture's trusted time, and independent tools agree
(openssl ts -verify for the tokens, the wacz package's validator and Webrecorder's authsign
verifier for the WACZ)."""
from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.hashing import sha256_hex
from server.evidence.verify import verify_pack

from .packtools import edit_manifest, rehash, rewrite
from .tsa import openssl_verify

ROOT = Path(__file__).resolve().parents[2]


def _signer(app):
    return app.extensions["kadun"].signer


def _forge_file(path, target, forged, out, resign=None):
    """Replace ``target`` with ``forged`` and write its new hash and size into the manifest."""
    rewrite(path, out, edit_manifest(lambda m: rehash(m, target, forged),
                                     also=lambda n, d: forged if n == target else d), resign=resign)


# --- untouched packs ---------------------------------------------------------------------------
def test_untouched_stamped_pack_verifies_with_trusted_times(stamped_pack, tsa, tmp_path):
    path, manifest, _ = stamped_pack
    result = verify_pack(path)
    assert result.ok, result.problem
    times = {t["id"]: t for t in result.checked["times"]}
    items = manifest["items"]
    assert len(times) == len(items) == manifest["item_count"] == 6
    stamped = [t for t in times.values() if t["stamped"]]
    assert len(stamped) == 5 and all(t["tsa"] == "CN=KaDun Test TSA,O=KaDun test" for t in stamped)
    last = max(items, key=lambda i: i["chain_index"])
    assert times[last["id"]]["stamped"] is False  # chained after the last stamp
    assert manifest["timestamps"]["unstamped"] == [last["id"]]
    # Each capture is covered by the first stamped head at or after it.
    heads = sorted(s["chain_index"] for s in manifest["timestamps"]["stamps"])
    for item in items:
        if times[item["id"]]["stamped"]:
            assert times[item["id"]]["chain_index"] == min(h for h in heads if h >= item["chain_index"])
    cli = CliRunner().invoke(kadun, ["verify", str(path), "--key", manifest["public_key"]["public_key"],
                                     "--tsa-root", str(tsa.ca["root"])])
    assert cli.exit_code == 0, cli.output
    assert cli.output.count("existed no later than") == 5 and "per TSA CN=KaDun Test TSA" in cli.output
    assert f"{last['id']}: not yet stamped" in cli.output


def test_tokens_pass_openssl_ts_verify(stamped_pack, tsa, tmp_path):
    path, manifest, _ = stamped_pack
    links = {link["index"]: link["chain_hash"] for link in manifest["chain"]}
    with zipfile.ZipFile(path) as zf:
        for stamp in manifest["timestamps"]["stamps"]:
            assert stamp["chain_hash"] == links[stamp["chain_index"]]
            for token in stamp["tokens"]:
                reply = zf.read(token["path"])
                ok = openssl_verify(reply, stamp["chain_hash"], tsa.ca, tmp_path)
                assert ok.returncode == 0 and "Verification: OK" in ok.stdout, ok.stderr
                other = openssl_verify(reply, "00" * 32, tsa.ca, tmp_path)
                assert other.returncode != 0  # openssl refuses it for another hash too


def test_pack_without_tsa_says_times_are_the_servers_own(app, tmp_path):
    from tests.disputes.scenario import open_dispute, store_fixture

    from .conftest import export

    store_fixture(app, "u_plain", "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, "u_plain", "not_delivered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    path = tmp_path / "plain.zip"
    manifest = export(app, "u_plain", d["id"], path)
    assert manifest["timestamps"] == {**manifest["timestamps"], "configured": False, "stamps": []}
    cli = CliRunner().invoke(kadun, ["verify", str(path)])
    assert cli.exit_code == 0, cli.output
    assert "times below are the server's own" in cli.output and "no TSA configured" in cli.output
    with zipfile.ZipFile(path) as zf:  # the WACZ is signed anonymously (publicKey) without a TSA
        digest = json.loads(_inner(zf, "datapackage-digest.json"))
    assert {"publicKey", "signature", "hash", "created"} <= set(digest["signedData"])


def _inner(zf, name):
    import io

    with zipfile.ZipFile(io.BytesIO(zf.read("archive.wacz"))) as wacz:
        return wacz.read(name)


def test_wacz_is_valid_and_its_signature_passes_webrecorders_verifier(stamped_pack, tsa, tmp_path):
    import datetime

    from authsign.verifier import Verifier

    from server.evidence.wacz import validate_wacz

    path, manifest, app = stamped_pack
    with zipfile.ZipFile(path) as zf:
        wacz = zf.read("archive.wacz")
    assert validate_wacz(wacz)  # the wacz package's own validator (hashes, datapackage, created)
    wacz_path = tmp_path / "archive.wacz"
    wacz_path.write_bytes(wacz)
    from wacz.main import main as wacz_main

    assert wacz_main(["validate", "-f", str(wacz_path)]) == 0
    with zipfile.ZipFile(wacz_path) as zf:
        signed = json.loads(zf.read("datapackage-digest.json"))["signedData"]
        package = zf.read("datapackage.json")
        warc = zf.read("archive/captures.warc.gz")
        pages = zf.read("pages/pages.jsonl").decode()
    assert signed["hash"] == "sha256:" + sha256_hex(package)
    assert {"domainCert", "timeSignature", "timestampCert", "signature", "domain"} <= set(signed)
    # Webrecorder's verifier (authsign, what `wacz validate --verify-auth` runs), trusting the
    # server's WACZ certificate and the test TSA's root.
    from cryptography import x509

    signer_fp = app.extensions["kadun"].wacz_signer.fingerprint
    tsa_fp = x509.load_pem_x509_certificate(tsa.ca["root"].read_bytes()).fingerprint(
        __import__("cryptography.hazmat.primitives.hashes", fromlist=["SHA256"]).SHA256()).hex()
    roots = tmp_path / "roots.yaml"
    roots.write_text(f"domain_cert_roots:\n  - {signer_fp}\ntimestamp_cert_roots:\n  - {tsa_fp}\n")
    verified = Verifier(str(roots))(signed)
    assert verified.observer == signed["domain"]
    assert manifest["wacz"]["signer"]["certificate_sha256"] == signer_fp
    forged = dict(signed, hash="sha256:" + "0" * 64)
    with pytest.raises(Exception):  # noqa: B017 (authsign raises its own assertion type)
        Verifier(str(roots))(forged)
    stranger = tmp_path / "stranger.yaml"
    stranger.write_text(f"domain_cert_roots:\n  - {'ab' * 32}\ntimestamp_cert_roots:\n  - {tsa_fp}\n")
    with pytest.raises(Exception):  # noqa: B017
        Verifier(str(stranger))(signed)
    # warcinfo first, screenshot as a resource record tied to its page, titled pages
    import io

    from warcio.archiveiterator import ArchiveIterator

    records = list(ArchiveIterator(io.BytesIO(warc)))
    assert records[0].rec_type == "warcinfo"
    shots = [r for r in records if r.rec_type == "resource"]
    responses = {r.rec_headers.get_header("WARC-Record-ID"): r for r in records if r.rec_type == "response"}
    assert shots and all(s.rec_headers.get_header("WARC-Target-URI").startswith("urn:screenshot:") for s in shots)
    assert all(s.rec_headers.get_header("WARC-Concurrent-To") in responses for s in shots)
    assert all(json.loads(line).get("title") for line in pages.splitlines()[1:])
    _ = datetime


# --- forged readable files, with the manifest re-hashed ------------------------------------------
def _first(manifest, kind):
    return next(i for i in manifest["items"] if i["type"] == kind)


@pytest.mark.parametrize("target", ["report.html", "dispute.json", "archive.wacz", "attachment", "capture"])
def test_forged_file_with_rehashed_manifest_is_rejected(stamped_pack, tmp_path, target):
    path, manifest, app = stamped_pack
    name = {"attachment": _first(manifest, "attachment")["path"],
            "capture": _first(manifest, "capture")["path"]}.get(target, target)
    with zipfile.ZipFile(path) as zf:
        original = zf.read(name)
    forged = original.replace(b"188", b"9999") if b"188" in original else original + b" forged"
    bad = tmp_path / "bad.zip"
    _forge_file(path, name, forged, bad)
    result = verify_pack(bad)
    assert not result.ok and result.where == "manifest.sig" and "manifest.json" in result.problem
    # Unchanged manifest, changed file: the file itself is named.
    rewrite(path, bad, lambda n, d: forged if n == name else d)
    result = verify_pack(bad)
    assert not result.ok and result.where == name, result.problem


def test_edited_url_is_rejected_even_when_the_key_holder_resigns(stamped_pack, tmp_path):
    path, manifest, app = stamped_pack
    item = _first(manifest, "capture")

    def edit(m):
        next(i for i in m["items"] if i["id"] == item["id"])["url"] = "https://another-shop.example/order/1"
    bad = tmp_path / "bad.zip"
    rewrite(path, bad, edit_manifest(edit))
    assert verify_pack(bad).where == "manifest.sig"
    rewrite(path, bad, edit_manifest(edit), resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where == f"receipt of {item['id']}" and "url" in result.problem


def test_edited_manifest_with_the_old_signature_is_rejected(stamped_pack, tmp_path):
    path, _, _ = stamped_pack
    bad = tmp_path / "bad.zip"
    rewrite(path, bad, edit_manifest(lambda m: m.update(generated_at="2026-01-01T00:00:00+08:00")))
    result = verify_pack(bad)
    assert not result.ok and result.where == "manifest.sig"
    rewrite(path, bad, comment=b"KaDun evidence pack v2; manifest.json signed (manifest.sig) by Ed25519 key 0000")
    assert verify_pack(bad).where == "pack header"
    other = base64.b64encode(os.urandom(32)).decode()
    assert verify_pack(path, public_key=other).where == "manifest.sig"  # pinned key: another signer


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_dropped_item_is_rejected(stamped_pack, tmp_path, which):
    path, manifest, app = stamped_pack
    items = sorted(manifest["items"], key=lambda i: i["chain_index"])
    gone = {"first": items[0], "middle": items[len(items) // 2], "last": items[-1]}[which]
    drop = {gone["path"], gone.get("screenshot_path")} - {None}

    def edit(m):
        m["items"] = [i for i in m["items"] if i["id"] != gone["id"]]
        m["files"] = [f for f in m["files"] if f["path"] not in drop]
    change = edit_manifest(edit, also=lambda n, d: None if n in drop else d)
    bad = tmp_path / "bad.zip"
    rewrite(path, bad, change)
    assert verify_pack(bad).where == "manifest.sig"
    rewrite(path, bad, change, resign=_signer(app))  # even the key holder cannot drop an item quietly
    result = verify_pack(bad)
    assert not result.ok and "items" in result.problem

    def edit_count(m):
        edit(m)
        m["item_count"] -= 1
    rewrite(path, bad, edit_manifest(edit_count, also=lambda n, d: None if n in drop else d), resign=_signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where in ("dispute.json", "chain", MANIFEST_OR_CHAIN), result.problem


MANIFEST_OR_CHAIN = "manifest.json"


def test_duplicate_and_case_colliding_names_are_rejected(stamped_pack, tmp_path):
    path, manifest, _ = stamped_pack
    target = _first(manifest, "capture")["path"]
    with zipfile.ZipFile(path) as zf:
        genuine = zf.read(target)
    # The first copy forged, the second genuine: `unzip -n` would extract the forged one.
    bad = tmp_path / "dup.zip"
    rewrite(path, bad, lambda n, d: b"<html>forged</html>" if n == target else d, extra=[(target, genuine)])
    result = verify_pack(bad)
    assert not result.ok and result.where == target and "twice" in result.problem
    rewrite(path, bad, extra=[("Report.html", b"<html>other</html>")])
    result = verify_pack(bad)
    assert not result.ok and result.where == "Report.html" and "case" in result.problem
    for name in ("../evil.html", "/etc/passwd", "captures\\x.html"):
        rewrite(path, bad, extra=[(name, b"x")])
        result = verify_pack(bad)
        assert not result.ok and result.where == name


# --- tokens ----------------------------------------------------------------------------------------
def _swap_token(path, manifest, out, reply, resign, chain_pem=None):
    stamp = manifest["timestamps"]["stamps"][0]
    token_path = stamp["tokens"][0]["path"]
    chain_path = stamp["tokens"][0]["chain_path"]

    def edit(m):
        rehash(m, token_path, reply)
        if chain_pem is not None:
            rehash(m, chain_path, chain_pem)

    def also(n, d):
        if n == token_path:
            return reply
        if n == chain_path and chain_pem is not None:
            return chain_pem
        return d
    rewrite(path, out, edit_manifest(edit, also=also), resign=resign)
    return token_path


def test_token_for_another_hash_is_rejected(stamped_pack, tsa, tmp_path):
    from server.evidence.timestamp import request_token

    path, manifest, app = stamped_pack
    reply, _ = request_token(tsa.url, bytes.fromhex("11" * 32))
    bad = tmp_path / "bad.zip"
    token_path = _swap_token(path, manifest, bad, reply, _signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where == token_path and "not " + manifest["timestamps"]["stamps"][0][
        "chain_hash"] in result.problem


def test_token_from_another_tsa_is_rejected(stamped_pack, tsa, other_tsa, tmp_path):
    from server.evidence.timestamp import request_token

    path, manifest, app = stamped_pack
    head = bytes.fromhex(manifest["timestamps"]["stamps"][0]["chain_hash"])
    reply, _ = request_token(other_tsa.url, head)
    bad = tmp_path / "bad.zip"
    token_path = _swap_token(path, manifest, bad, reply, _signer(app))
    result = verify_pack(bad)
    assert not result.ok and result.where == token_path and "Other TSA" in result.problem
    # Every token from the other TSA, with its own chain put in too: only a pinned root (or the
    # TSA's name, which verify prints) tells them apart.
    chain_pem = other_tsa.ca["chain"].read_bytes()
    replies = {t["path"]: request_token(other_tsa.url, bytes.fromhex(s["chain_hash"]))[0]
               for s in manifest["timestamps"]["stamps"] for t in s["tokens"]}
    chain_paths = {t["chain_path"] for s in manifest["timestamps"]["stamps"] for t in s["tokens"]}

    def edit(m):
        for name, data in replies.items():
            rehash(m, name, data)
        for name in chain_paths:
            rehash(m, name, chain_pem)
    rewrite(path, bad, edit_manifest(edit, also=lambda n, d: replies.get(n, chain_pem if n in chain_paths else d)),
            resign=_signer(app))
    swapped = verify_pack(bad)
    assert swapped.ok and {t.get("tsa") for t in swapped.checked["times"] if t["stamped"]} == {
        "CN=Other TSA,O=KaDun test"}
    from server.evidence.timestamp import load_pem_chain

    pinned = verify_pack(bad, tsa_roots=load_pem_chain(tsa.ca["root"].read_bytes()))
    assert not pinned.ok and pinned.where == token_path and "pinned root" in pinned.problem


# --- zip bomb --------------------------------------------------------------------------------------
def _bomb(path, out, target, size=1 << 30, lie=False):
    """``target`` replaced by ``size`` zero bytes (deflated to about 1 MB); with ``lie`` the ZIP's
    own size fields claim the original size, so only the bounded read can catch it."""
    with zipfile.ZipFile(path) as zin:
        entries = [(i, zin.read(i.filename)) for i in zin.infolist()]
        comment = zin.comment
    with zipfile.ZipFile(out, "w") as zout:
        zout.comment = comment
        for info, data in entries:
            if info.filename != target:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            bomb = zipfile.ZipInfo(target)
            bomb.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(bomb, "w", force_zip64=False) as handle:
                zero = bytes(1 << 20)
                for _ in range(size >> 20):
                    handle.write(zero)
            original = len(data)
    if lie:
        blob = bytearray(out.read_bytes())
        name = target.encode()
        real = struct_pack(size)
        fake = struct_pack(original)
        for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = blob.find(sig)
            while at >= 0:
                name_at = at + (30 if sig == b"PK\x03\x04" else 46)
                if blob[name_at:name_at + len(name)] == name and blob[at + offset:at + offset + 4] == real:
                    blob[at + offset:at + offset + 4] = fake
                at = blob.find(sig, at + 4)
        out.write_bytes(bytes(blob))


def struct_pack(value):
    import struct

    return struct.pack("<I", value)


@pytest.mark.parametrize("lie", [False, True], ids=["honest-sizes", "lying-sizes"])
def test_zip_bomb_is_rejected_in_bounded_memory(stamped_pack, tmp_path, lie):
    path, manifest, _ = stamped_pack
    target = _first(manifest, "capture")["path"]
    bad = tmp_path / "bomb.zip"
    _bomb(path, bad, target, lie=lie)
    assert bad.stat().st_size < 3 * 1024 * 1024  # a small file that inflates to 1 GiB
    code = ("import json, resource, sys\n"
            "from server.evidence.verify import verify_pack\n"
            "r = verify_pack(sys.argv[1])\n"
            "hwm = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
            "print(json.dumps({'ok': r.ok, 'where': r.where, 'problem': r.problem, 'rss_kb': hwm}))\n")
    run = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, cwd=ROOT,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert not out["ok"] and out["where"] == target, out
    # Peak resident memory of the whole verifying process (VmHWM: ru_maxrss would carry the
    # forking pytest's figure over the exec), interpreter and libraries included.
    assert out["rss_kb"] < 64 * 1024, f"verify used {out['rss_kb'] // 1024} MiB"
    _ = resource


# --- the same bytes saved twice: one item, two sightings, each receipt checked ------------------
def _twice_saved_pack(app, tmp_path):
    from tests.disputes.scenario import open_dispute, store_fixture

    from .conftest import export

    store_fixture(app, "u_twice", "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    store_fixture(app, "u_twice", "xingchen-km-terms", "2026-11-24T10:07:00.000+08:00")
    store_fixture(app, "u_twice", "xingchen-km-order", "2026-11-25T09:00:00.000+08:00")  # the same bytes again
    d = open_dispute(app, "u_twice", "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-25T08:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    path = tmp_path / "twice.zip"
    return path, export(app, "u_twice", d["id"], path)


def test_a_page_saved_twice_is_one_item_whose_sightings_all_verify(app, tmp_path):
    path, manifest = _twice_saved_pack(app, tmp_path)
    orders = [i for i in manifest["items"] if i["type"] == "capture" and len(i.get("sightings") or []) == 2]
    assert len(orders) == 1, [i.get("sightings") for i in manifest["items"]]
    result = verify_pack(path)
    assert result.ok, result.problem
    assert result.checked["receipts"] == len(manifest["items"]) + 1  # the second sighting's receipt too


def test_a_forged_sighting_is_rejected(app, tmp_path):
    path, manifest = _twice_saved_pack(app, tmp_path)
    item = next(i for i in manifest["items"] if len(i.get("sightings") or []) == 2)
    other = next(s for s in item["sightings"] if s["snapshot_id"] != item["id"])

    def forge(m):  # the second sighting moved to another time, as a forger would
        entry = next(i for i in m["items"] if i["id"] == item["id"])
        sighting = next(s for s in entry["sightings"] if s["snapshot_id"] == other["snapshot_id"])
        sighting["received_at"] = "2026-11-24T10:06:30.000+08:00"

    forged = tmp_path / "forged.zip"
    rewrite(path, forged, edit_manifest(forge), resign=_signer(app))
    result = verify_pack(forged)
    assert not result.ok and other["snapshot_id"] in result.problem, result.problem
