"""Every ``kadun`` verb with bad arguments: missing files, directories for files, devices, junk,
paths under missing folders, empty or malformed values. Each says what is wrong in one line (or
click's short usage error) and exits non-zero: never a traceback, never a new empty backend made
from a mistyped --data-dir.

The table is checked against the verbs ``kadun`` has, so a new verb must bring its bad cases."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from server.cli import main as kadun


def _cases(tmp: str) -> dict[str, list[list[str]]]:
    missing, folder, junk, html, nowhere = (f"{tmp}/missing.html", f"{tmp}/folder", f"{tmp}/junk.bin",
                                            f"{tmp}/page.html", f"{tmp}/no/such/folder")
    return {
        "parse": [[missing, "--url", "https://a.cn/"], [folder, "--url", "https://a.cn/"],
                  [junk, "--url", "https://a.cn/"], ["/dev/null", "--url", "https://a.cn/"],
                  [html, "--url", "http://[::1"], [html, "--url", "ftp://a.cn/"], [html, "--url", ""], [html]],
        "score": [[missing, "--url", "https://a.cn/"], [folder, "--url", "https://a.cn/"],
                  [junk, "--url", "https://a.cn/"], [html, "--url", "http://[::1"], [html, "--url", "a.cn"],
                  [html, "--url", "https://a.cn/", "--at", "yesterday"], [html, "--url", "https://a.cn/", "--facts", junk]],
        "verify": [[missing], [folder], [junk], ["/dev/null"], [junk, "--tsa-root", junk], [junk, "--key", "!!!"],
                   [junk, "--data-dir", nowhere]],
        "export": [["dsp_x", "-o", f"{nowhere}/x.zip", "--data-dir", nowhere], ["dsp_x", "-o", folder], ["dsp_x"]],
        "export-user": [["nobody", "-o", f"{tmp}/x.zip", "--data-dir", nowhere], ["nobody", "-o", folder], ["nobody"]],
        "backup": [["-o", ""], ["-o", f"{nowhere}/b.zip", "--data-dir", nowhere], ["-o", folder, "--data-dir", nowhere],
                   ["--data-dir", junk, "-o", f"{tmp}/b.zip"]],
        "restore": [[missing], [folder], [junk], ["/dev/null"], [junk, "--data-dir", junk]],
        "devices": [["--data-dir", nowhere], ["--data-dir", junk], ["--bogus"]],
        "revoke": [["dev_x", "--data-dir", nowhere], [], ["dev_x", "--data-dir", junk]],
        "quota": [["nobody", "--data-dir", nowhere], ["--data-dir", junk]],
        "delete-user": [["nobody", "--data-dir", nowhere], [], ["nobody", "--yes", "--data-dir", nowhere]],
        "pair": [["--data-dir", junk], ["--qr", "--url", "http://[::1"], ["--qr", "--url", "ftp://a.cn"], ["--bogus"]],
        "serve": [["--data-dir", "/dev/null"], ["--data-dir", f"/proc/{os.getpid()}/no-such"], ["--data-dir", junk],
                  ["--port", "99999"], ["--port", "-1"], ["--workers", "0"]],
    }


@pytest.fixture
def place(tmp_path, monkeypatch):
    for name in ("REDIS_URL", "KADUN_REDIS_URL", "KADUN_DATA_DIR", "KADUN_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "folder").mkdir()
    (tmp_path / "junk.bin").write_bytes(os.urandom(3000))
    (tmp_path / "page.html").write_text("<html><body>卡密</body></html>", encoding="utf-8")
    return tmp_path


def test_every_verb_has_bad_cases(place):
    assert set(_cases(str(place))) == set(kadun.commands), "a verb without bad-argument cases here"


def test_every_verb_refuses_bad_arguments_in_a_line_without_a_traceback(place):
    problems = []
    runner = CliRunner()
    for verb, cases in _cases(str(place)).items():
        for args in cases:
            result = runner.invoke(kadun, [verb, *args])
            said = result.output
            lines = [line for line in said.splitlines() if line.strip()]
            if result.exit_code == 0:
                problems.append(f"kadun {verb} {args}: exit 0 ({said[:200]!r})")
            elif result.exception is not None and not isinstance(result.exception, SystemExit):
                problems.append(f"kadun {verb} {args}: raised {result.exception!r:.200}")
            elif "Traceback" in said or not lines or len(lines) > 4 or len(lines[-1]) > 600:
                problems.append(f"kadun {verb} {args}: not one clear line: {said[:300]!r}")
    assert not problems, "\n".join(problems)
    assert not (place / "no").exists(), "a mistyped --data-dir was created"


def test_a_damaged_or_hand_made_backup_is_refused_in_one_line(place):
    """backup.json of the right format and version but the wrong shape, entries that are missing or
    not zstd: `kadun restore` says the backup is damaged, before anything is written."""
    import json
    import zipfile

    good = {"format": "kadun-backup", "version": 1, "created_at": "2026-12-07T00:00:00+08:00", "keys": 1,
            "signing_key_id": "abc", "dump": {"path": "redis.kdump.zst", "sha256": "0" * 64},
            "files": [{"path": "keys/signing_key.pem", "sha256": "0" * 64}]}
    shapes = [[], 5, {**good, "files": [1]}, {**good, "files": 3}, {**good, "files": [{"path": 5}]},
              {**good, "dump": None}, {k: v for k, v in good.items() if k != "dump"}, {**good, "keys": "x"},
              good]  # the last: well formed, but its entries are missing
    runner = CliRunner()
    data_dir = place / "restore-here"
    for number, manifest in enumerate(shapes):
        backup = place / f"backup-{number}.zip"
        with zipfile.ZipFile(backup, "w") as zf:
            zf.writestr("backup.json", json.dumps(manifest))
            if number == len(shapes) - 1:
                zf.writestr("redis.kdump.zst", b"not zstd at all")
        result = runner.invoke(kadun, ["restore", str(backup), "--data-dir", str(data_dir)])
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code != 0 and (result.exception is None or isinstance(result.exception, SystemExit)), \
            (manifest, result.output, result.exception)
        assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert not (data_dir / "signing_key.pem").exists()
