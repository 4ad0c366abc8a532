"""Ed25519 receipts and the server's signing key (created once, kept, published)."""
from __future__ import annotations

import base64
import json
import multiprocessing
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from server.evidence.hashing import canonical_json
from server.evidence.receipts import RECEIPT_FIELDS, Receipt, Signer, key_id_of, verify_receipt

FIELDS = {"id": "snp_1", "user": "usr_1", "url": "https://shop.example.com/order/1", "sha256": "ab" * 32, "screenshot_sha256": None,
          "received_at": "2026-11-24T10:03:30.000+08:00", "chain_index": 3, "chain_hash": "cd" * 32}


def test_canonical_json_is_sorted_compact_and_keeps_utf8():
    assert canonical_json({"b": 1, "a": "中", "c": [1, {"z": 0, "y": None}]}) == '{"a":"中","b":1,"c":[1,{"y":null,"z":0}]}'


def test_key_is_created_once_with_mode_0600_and_reloaded(tmp_path):
    path = tmp_path / "keys" / "signing_key.pem"
    first = Signer.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Signer.load_or_create(path)
    assert again.public_raw == first.public_raw and again.key_id == first.key_id
    assert first.key_id == key_id_of(first.public_raw) and len(first.key_id) == 16
    assert list(tmp_path.joinpath("keys").iterdir()) == [path]  # no temporary file left behind


def _disk_calls(monkeypatch, naming: str) -> list[tuple[str, int]]:
    """The real os.fsync and os.<naming> (link or replace), noted in order with the inode each
    touched: ("fsync-file"|"fsync-dir"|naming, inode)."""
    events: list[tuple[str, int]] = []
    real_fsync, real_name = os.fsync, getattr(os, naming)

    def fsync(fd):
        info = os.fstat(fd)
        events.append(("fsync-dir" if stat.S_ISDIR(info.st_mode) else "fsync-file", info.st_ino))
        return real_fsync(fd)

    def name(src, dst, *args, **kwargs):
        real_name(src, dst, *args, **kwargs)
        events.append((naming, os.stat(dst).st_ino))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, naming, name)
    return events


def test_new_key_files_reach_the_disk_before_they_are_used(tmp_path, monkeypatch):
    """The receipt key and the WACZ key and certificate are fsynced, then given their names, then
    their directory is fsynced: before, a power cut after the first receipts could leave an empty
    or missing key (nothing signed by it verifiable again). The real fsync runs; this only notes
    which files it was called on, and in which order with the link."""
    from server.evidence.wacz_signing import WaczSigner

    events = _disk_calls(monkeypatch, "link")
    keys = tmp_path / "keys"
    path = keys / "signing_key.pem"
    Signer.load_or_create(path)
    directory = keys.stat().st_ino
    inode = path.stat().st_ino
    assert events == [("fsync-file", inode), ("link", inode), ("fsync-dir", directory)]
    events.clear()
    WaczSigner.load_or_create(keys)
    key_inode, cert_inode = (keys / "wacz_signing_key.pem").stat().st_ino, (keys / "wacz_signing_cert.pem").stat().st_ino
    assert events == [("fsync-file", key_inode), ("link", key_inode), ("fsync-dir", directory),
                      ("fsync-file", cert_inode), ("fsync-dir", directory)]
    assert sorted(p.name for p in keys.iterdir()) == ["signing_key.pem", "wacz_signing_cert.pem", "wacz_signing_key.pem"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in keys.iterdir()} == {0o600}


def test_a_finished_backup_or_pack_is_on_disk_before_it_has_its_name(tmp_path, monkeypatch):
    """kadun backup and the pack/export verbs renamed their finished file without an fsync: after a
    power cut the backup the operator was told about could be empty (durable_replace now)."""
    from server.storage.private import durable_replace

    events = _disk_calls(monkeypatch, "replace")
    part = tmp_path / "kadun.backup.part"
    part.write_bytes(b"PK backup")
    inode = part.stat().st_ino
    durable_replace(part, tmp_path / "kadun.backup")
    assert events == [("fsync-file", inode), ("replace", inode), ("fsync-dir", tmp_path.stat().st_ino)]
    assert (tmp_path / "kadun.backup").read_bytes() == b"PK backup" and not part.exists()


def _load_key_id(path: str, queue) -> None:
    queue.put(Signer.load_or_create(path).key_id)


def test_racing_workers_end_with_one_key(tmp_path):
    path = str(tmp_path / "signing_key.pem")
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_load_key_id, args=(path, queue)) for _ in range(6)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    ids = {queue.get(timeout=5) for _ in procs}
    assert len(ids) == 1 and ids == {Signer.load_or_create(path).key_id}


def test_a_key_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "signing_key.pem"
    path.write_bytes(generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(ValueError):
        Signer.load_or_create(path)


def test_receipt_signs_exactly_the_contract_fields(tmp_path):
    signer = Signer.load_or_create(tmp_path / "k.pem")
    receipt = signer.sign({**FIELDS, "extra": "ignored"})
    payload = json.loads(receipt.payload)
    assert tuple(sorted(payload)) == tuple(sorted(RECEIPT_FIELDS)) and payload == FIELDS
    assert receipt.payload == canonical_json(FIELDS)
    assert verify_receipt(receipt, signer.public_key_b64())
    assert verify_receipt(receipt.as_dict(), signer.key_info()["public_key"])
    assert Receipt.from_dict(receipt.as_dict()) == receipt
    assert signer.key_info() == {"key_id": signer.key_id, "algorithm": "Ed25519",
                                 "public_key": base64.b64encode(signer.public_raw).decode()}


def test_receipts_before_the_url_was_signed_are_rebuilt_in_their_own_format(tmp_path):
    from server.evidence.receipts import RECEIPT_FIELDS_V1, receipt_payload
    from server.storage.captures import Capture, _dump, decode_record

    signer = Signer.load_or_create(tmp_path / "k.pem")
    old = {name: FIELDS[name] for name in RECEIPT_FIELDS_V1}
    payload = receipt_payload(old, 1)
    assert "url" not in json.loads(payload)
    legacy = {"payload": payload, "signature": base64.b64encode(signer._key.sign(payload.encode())).decode(),
              "key_id": signer.key_id}
    base = dict(FIELDS, title=None, domain="example.com", page_kind="order", order_no=None, seller_id=None,
                html_size=1, screenshot_size=None, captured_at=None, clock_offset_seconds=None, trigger="auto",
                extension_version=None, client_id="c1", facts_id="f")
    for receipt in (legacy, signer.sign(FIELDS).as_dict()):
        stored = decode_record(_dump(Capture.from_dict(dict(base, receipt=receipt))))
        assert "receipt" not in stored  # only the signature is kept, and the format it was made in
        again = Capture.from_dict(dict(stored, user=FIELDS["user"]))
        assert again.receipt == receipt and verify_receipt(again.receipt, signer.public_key_b64())


def test_any_change_breaks_the_receipt(tmp_path):
    signer = Signer.load_or_create(tmp_path / "k.pem")
    other = Signer.load_or_create(tmp_path / "other.pem")
    receipt = signer.sign(FIELDS).as_dict()
    changed_payload = dict(receipt, payload=receipt["payload"].replace('"chain_index":3', '"chain_index":4'))
    sig = bytearray(base64.b64decode(receipt["signature"]))
    sig[0] ^= 1
    changed_signature = dict(receipt, signature=base64.b64encode(bytes(sig)).decode())
    assert not verify_receipt(changed_payload, signer.public_key_b64())
    assert not verify_receipt(changed_signature, signer.public_key_b64())
    assert not verify_receipt(receipt, other.public_key_b64())
    for broken in ({}, {"payload": "x"}, dict(receipt, signature="not base64!"), dict(receipt, signature=None)):
        assert not verify_receipt(broken, signer.public_key_b64())
    assert not verify_receipt(receipt, "AAAA")  # not a 32-byte key
