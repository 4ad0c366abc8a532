"""Attack round d on the evidence pack's container: bytes outside the entries and entries outside
the manifest. A pack that verifies must be exactly the ZIP the server wrote, entry for entry and
byte for byte around them: nothing before the first entry, between entries, or after the header."""
from __future__ import annotations

import struct
import zipfile

from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.verify import verify_pack

from .packtools import rewrite


def test_the_untouched_pack_verifies(stamped_pack):
    path, _, _ = stamped_pack
    assert verify_pack(path).ok


def test_directory_entries_of_any_name_are_refused(stamped_pack, tmp_path):
    """The server writes no directory entries; one added (an absolute or climbing path that an
    unzip tool would create, or one that clashes with a file) is an entry the manifest does not
    list and is refused, naming it."""
    path, _, _ = stamped_pack
    for name in ("../../evil/", "/abs/", "a\\b/", "manifest.json/", "captures/x/", "c:/x/", "extra/"):
        bad = tmp_path / "dir.zip"
        rewrite(path, bad, extra=[(name, b"")])
        result = verify_pack(bad)
        assert not result.ok and result.where == name, (name, result)


def test_bytes_before_after_or_between_entries_are_refused(stamped_pack, tmp_path):
    """A polyglot (a script or program in front of the ZIP), bytes after the header, or bytes
    hidden between two entries: the files all still hash right, yet the pack is not what the
    server wrote."""
    path, _, _ = stamped_pack
    data = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = sorted(zf.infolist(), key=lambda i: i.header_offset)
    second = infos[1].header_offset
    # hide 16 bytes between the first and second entries, moving every later offset along
    gap = b"HIDDEN-PAYLOAD!!"
    hidden = bytearray(data[:second] + gap + data[second:])
    eocd = hidden.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", hidden[eocd + 12:eocd + 20])
    cd_offset += len(gap)
    hidden[eocd + 16:eocd + 20] = struct.pack("<I", cd_offset)
    at = cd_offset
    while hidden[at:at + 4] == b"PK\x01\x02":
        n, e, c = struct.unpack("<HHH", hidden[at + 28:at + 34])
        (offset,) = struct.unpack("<I", hidden[at + 42:at + 46])
        if offset >= second:
            hidden[at + 42:at + 46] = struct.pack("<I", offset + len(gap))
        at += 46 + n + e + c
    for label, forged in (("prefix", b"<script>alert(1)</script>\n" + data),
                          ("suffix", data + b"MZ trailing bytes"),
                          ("gap", bytes(hidden))):
        bad = tmp_path / f"{label}.zip"
        bad.write_bytes(forged)
        with zipfile.ZipFile(bad) as zf:  # still a ZIP whose every member reads
            assert all(zf.read(i) is not None for i in zf.infolist())
        result = verify_pack(bad)
        assert not result.ok, label
        assert "byte" in result.problem, (label, result.problem)
        answer = CliRunner().invoke(kadun, ["verify", str(bad)])
        assert answer.exit_code == 1 and answer.output.startswith("FAILED: "), (label, answer.output)


def test_a_pack_rewritten_entry_for_entry_still_verifies(stamped_pack, tmp_path):
    """The counter-example: the same entries in another order or compression are the same files
    (each checked against the signed manifest), and the layout check allows it."""
    path, _, _ = stamped_pack
    for order, compression in ((reversed, zipfile.ZIP_DEFLATED), (list, zipfile.ZIP_STORED)):
        again = tmp_path / "again.zip"
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(again, "w", compression) as zout:
            zout.comment = zin.comment
            for info in order(zin.infolist()):
                zout.writestr(info.filename, zin.read(info.filename))
        assert verify_pack(again).ok
    # re-zipped by a tool that adds modification times and owners (Info-ZIP's zip: fields 0x5455
    # and 0x7875) to every entry: the same files, accepted
    timed = tmp_path / "timed.zip"
    times = struct.pack("<HHBI", 0x5455, 5, 1, 1764000000) + struct.pack("<HHBBIBI", 0x7875, 11, 1, 4, 1000, 4, 1000)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(timed, "w", zipfile.ZIP_DEFLATED) as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type, copy.extra = zipfile.ZIP_DEFLATED, times
            zout.writestr(copy, zin.read(info.filename))
    assert verify_pack(timed).ok


def test_a_streamed_pack_with_data_descriptors_verifies(stamped_pack, tmp_path):
    """Written to a pipe, a ZIP carries a data descriptor after each entry: still one tiling."""
    path, _, _ = stamped_pack

    class Unseekable:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            return self.handle.write(data)

        def flush(self):
            self.handle.flush()

        def tell(self):
            raise OSError("not seekable")

        def seekable(self):
            return False

    streamed = tmp_path / "streamed.zip"
    with zipfile.ZipFile(path) as zin, open(streamed, "wb") as raw:
        with zipfile.ZipFile(Unseekable(raw), "w", zipfile.ZIP_DEFLATED) as zout:
            zout.comment = zin.comment
            for info in zin.infolist():
                with zout.open(info.filename, "w") as dest:
                    dest.write(zin.read(info.filename))
    with zipfile.ZipFile(streamed) as zf:
        assert all(i.flag_bits & 0x08 for i in zf.infolist())
    assert verify_pack(streamed).ok


# What a terminal acts on (see tests/api/test_hostile_d.py): C0 but tab and newline, DEL, C1,
# bidirectional controls, lone surrogates.
UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def test_kadun_verify_shows_what_a_forged_pack_says_and_never_lets_it_drive_the_terminal(stamped_pack, tmp_path):
    """A forger writes what `kadun verify` quotes (the key id in manifest.sig, an entry's name):
    an ESC sequence there could erase the FAILED line and print a fake OK, a CR overwrite it,
    U+202E reverse it. The line says FAILED and shows those characters as escapes."""
    import json
    import re

    path, _, _ = stamped_pack
    fake_ok = "\x1b[1A\x1b[2K\r\x9bKOK: 13 files, 6 receipts, 6 chain links\x1b]0;verified\x07"

    def forged_sig(name, data):
        if name != "manifest.sig":
            return data
        signature = json.loads(data)
        signature["key_id"] = fake_ok
        return json.dumps(signature).encode()

    for label, change, extra in (("signature", forged_sig, None),
                                 ("name", None, [("captures/\u202etxt.exe", b"x")])):
        bad = tmp_path / f"{label}.zip"
        rewrite(path, bad, change=change, extra=extra)
        assert not verify_pack(bad).ok
        answer = CliRunner().invoke(kadun, ["verify", str(bad)])
        assert answer.exit_code == 1 and answer.output.startswith("FAILED: "), (label, answer.output)
        assert not re.search(UNSAFE, answer.output), (label, repr(answer.output))
        assert "\\u001b" in answer.output or "\\u202e" in answer.output, answer.output  # shown, not acted on


def _stream_read(data: bytes) -> dict[str, bytes]:
    """What an unzipper that reads a ZIP front to back by its entry headers (a streaming reader, as
    Java's ZipInputStream or bsdtar read a pipe) takes out of ``data``; stored and deflated only."""
    import zlib

    out, at = {}, 0
    while data[at:at + 4] == b"PK\x03\x04":
        method, crc, csize, usize, n, e = struct.unpack("<H4xIIIHH", data[at + 8:at + 30])
        name = data[at + 30:at + 30 + n].decode()
        body = data[at + 30 + n + e:at + 30 + n + e + csize]
        out[name] = body if method == 0 else zlib.decompress(body, -15)
        at += 30 + n + e + csize
    return out


def test_entry_headers_that_disagree_with_the_directory_are_refused(stamped_pack, tmp_path):
    """Each entry is described twice: in its own header and in the central directory. Python's
    zipfile (and so the checks) read the directory; a streaming unzipper reads the headers. One
    entry whose header says "stored" (with the CRC and size of its deflated bytes) unzips to the
    compressed bytes there, not to the file the manifest hashed: refused."""
    path, _, _ = stamped_pack
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        target = next(i for i in zf.infolist() if i.compress_type == zipfile.ZIP_DEFLATED
                      and not i.flag_bits & 0x08 and i.compress_size < 0xFFFFFFFF and i.filename == "dispute.json")
        original = zf.read(target)
    at = target.header_offset
    n, e = struct.unpack("<HH", data[at + 26:at + 30])
    raw = bytes(data[at + 30 + n + e:at + 30 + n + e + target.compress_size])
    assert _stream_read(bytes(data))["dispute.json"] == original
    data[at + 8:at + 10] = struct.pack("<H", zipfile.ZIP_STORED)
    data[at + 14:at + 26] = struct.pack("<III", zlib_crc(raw), len(raw), len(raw))
    bad = tmp_path / "two-faced.zip"
    bad.write_bytes(bytes(data))
    assert _stream_read(bytes(data))["dispute.json"] == raw != original  # what a streaming reader gets
    with zipfile.ZipFile(bad) as zf:
        assert zf.read("dispute.json") == original  # what the directory says
    result = verify_pack(bad)
    assert not result.ok and "dispute.json" in result.problem and "header" in result.problem, result


def zlib_crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data) & 0xFFFFFFFF


def test_json_nested_past_the_recursion_limit_is_a_clear_failure(stamped_pack, tmp_path):
    """manifest.json, manifest.sig or dispute.json made of nothing but "[": "not valid", never
    a crash of `kadun verify` (these are read before, or whatever, the signature says)."""
    path, _, _ = stamped_pack
    for name, deep in (("manifest.json", b"[" * 200_000), ("manifest.sig", b"[" * 60_000),
                       ("dispute.json", b"[" * 200_000)):
        bad = tmp_path / "deep.zip"
        rewrite(path, bad, change=lambda n, data, name=name, deep=deep: deep if n == name else data)
        result = verify_pack(bad)
        assert not result.ok and result.where == name, (name, result)
        answer = CliRunner().invoke(kadun, ["verify", str(bad)])
        assert answer.exit_code == 1 and answer.output.startswith("FAILED: "), (name, answer.output[-300:])


def _with_unicode_path(src, dst, target: str, shown: str) -> None:
    """Copy the pack, giving entry ``target`` an Info-ZIP Unicode Path extra field (0x7075) that
    names it ``shown``: Python's zipfile ignores the field, Info-ZIP's unzip extracts by it."""
    import zlib

    field_data = b"\x01" + struct.pack("<I", zlib.crc32(target.encode()) & 0xFFFFFFFF) + shown.encode()
    extra = struct.pack("<HH", 0x7075, len(field_data)) + field_data
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            if info.filename == target:
                copy.extra = extra
            zout.writestr(copy, zin.read(info.filename))


def test_an_extra_field_that_renames_an_entry_for_other_unzippers_is_refused(stamped_pack, tmp_path):
    """An Info-ZIP Unicode Path field on dispute.json naming it report.html: every file still
    hashes right for zipfile, but `unzip` writes the dispute's JSON over the report (or anywhere
    the field says). Only the extra fields a ZIP writer adds for sizes and times are accepted."""
    import shutil
    import subprocess

    path, _, _ = stamped_pack
    bad = tmp_path / "renamed.zip"
    _with_unicode_path(path, bad, "dispute.json", "report.html")
    with zipfile.ZipFile(bad) as zf:
        assert "dispute.json" in zf.namelist()
    if shutil.which("unzip"):
        out = tmp_path / "unzipped"
        subprocess.run(["unzip", "-o", "-q", str(bad), "-d", str(out)], check=False, capture_output=True)
        assert not (out / "dispute.json").exists()  # what another unzipper makes of the pack
    result = verify_pack(bad)
    assert not result.ok and result.where == "dispute.json" and "extra field" in result.problem, result
