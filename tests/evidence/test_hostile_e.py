"""Attack round e on the evidence pack's container: the mode bits of its entries. The signature
covers each file's bytes, not the attributes the ZIP gives it; an unzipper may still make an entry
a symbolic link, a folder or a set-uid program from them. The server writes plain files with no
mode (0): a pack whose entry says it is anything but a plain file is refused naming it, whichever
system the entry claims to come from (unzip, bsdtar and 7-Zip read those bits differently), and
an executable mark, which a re-zip on a FAT or NTFS disk can add innocently, is reported."""
from __future__ import annotations

import stat
import zipfile

import pytest
from click.testing import CliRunner

from server.cli import main as kadun
from server.evidence.verify import verify_pack


def _remode(src, dst, target: str, create_system: int, external_attr: int) -> None:
    """Copy the pack entry for entry (same bytes, same compression), giving ``target`` other attributes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            if info.filename == target:
                copy.create_system, copy.external_attr = create_system, external_attr
            zout.writestr(copy, zin.read(info.filename))


def _member(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return next(n for n in zf.namelist() if n.startswith("captures/"))


UNIX, FAT, MACOS, BEOS = 3, 0, 19, 16


@pytest.mark.parametrize(("system", "attr", "words"), [
    (UNIX, (stat.S_IFLNK | 0o777) << 16, "symbolic link"),
    (FAT, (stat.S_IFLNK | 0o777) << 16 | 0x20, "symbolic link"),     # PKZip for Unix marks entries FAT
    (MACOS, (stat.S_IFLNK | 0o777) << 16, "symbolic link"),
    (BEOS, (stat.S_IFLNK | 0o777) << 16, "symbolic link"),
    (UNIX, (stat.S_IFDIR | 0o755) << 16, "folder"),
    (UNIX, (stat.S_IFCHR | 0o666) << 16, "device"),
    (UNIX, (stat.S_IFBLK | 0o666) << 16, "device"),
    (UNIX, (stat.S_IFIFO | 0o666) << 16, "pipe"),
    (UNIX, (stat.S_IFREG | stat.S_ISUID | 0o755) << 16, "set-user-id"),
    (UNIX, (stat.S_IFREG | stat.S_ISGID | 0o755) << 16, "set-group-id"),
    (UNIX, (stat.S_IFREG | stat.S_ISVTX | 0o644) << 16, "sticky"),
    (FAT, 0x10, "folder"),                                          # the MS-DOS directory attribute
    (FAT, 0x08, "volume label"),
], ids=["unix-link", "fat-link", "macos-link", "beos-link", "dir", "chardev", "blockdev", "fifo", "setuid", "setgid",
        "sticky", "dos-dir", "dos-label"])
def test_an_entry_whose_mode_makes_it_anything_but_a_plain_file_is_refused(stamped_pack, tmp_path, system, attr, words):
    """Its bytes still hash right (a stored capture whose text is "../../.ssh/id_rsa" would unzip to
    a link to the reader's key): refused, naming the entry and what it would become."""
    path, _, _ = stamped_pack
    target = _member(path)
    bad = tmp_path / "moded.zip"
    _remode(path, bad, target, system, attr)
    result = verify_pack(bad)
    assert not result.ok and result.where == target, result
    assert words in result.problem and "not a plain file" in result.problem, result.problem
    answer = CliRunner().invoke(kadun, ["verify", str(bad)])
    assert answer.exit_code == 1 and answer.output.startswith("FAILED: ") and words in answer.output


@pytest.mark.parametrize(("system", "attr"), [
    (UNIX, (stat.S_IFREG | 0o644) << 16), (UNIX, (stat.S_IFREG | 0o600) << 16), (UNIX, 0),
    (FAT, 0x20), (FAT, 0x01 | 0x20), (FAT, 0), (MACOS, (stat.S_IFREG | 0o644) << 16)],
    ids=["unix-644", "unix-600", "unix-none", "fat-archive", "fat-readonly", "fat-none", "macos-644"])
def test_a_pack_re_zipped_with_ordinary_file_modes_verifies_without_a_note(stamped_pack, tmp_path, system, attr):
    path, _, _ = stamped_pack
    again = tmp_path / "again.zip"
    _remode(path, again, _member(path), system, attr)
    result = verify_pack(again)
    assert result.ok and not result.checked.get("executable"), result
    answer = CliRunner().invoke(kadun, ["verify", str(again)])
    assert answer.exit_code == 0 and "executable" not in answer.output


def test_an_executable_mark_verifies_but_is_reported(stamped_pack, tmp_path):
    """A re-zip from a FAT or NTFS disk marks every file 0755: the files are still the signed ones,
    but the mark is not covered by the signature, and the reader is told not to run them."""
    path, _, _ = stamped_pack
    target = _member(path)
    marked = tmp_path / "exec.zip"
    _remode(path, marked, target, UNIX, (stat.S_IFREG | 0o755) << 16)
    result = verify_pack(marked)
    assert result.ok and result.checked["executable"] == [target]
    answer = CliRunner().invoke(kadun, ["verify", str(marked)])
    assert answer.exit_code == 0 and target in answer.output and "executable" in answer.output
