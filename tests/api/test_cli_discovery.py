"""`kadun export` and `kadun verify` find the server's data as `kadun serve` left it (its config
file in the data directory, noted under $XDG_CONFIG_HOME), or KADUN_DATA_DIR, and say where they
looked when they cannot."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.api.test_durability import KADUN, ServeProcess
from tests.conftest import ROOT, capture_body

ORDER_URL = "https://www.xingchen-km.com/order/detail?order_no=KM2026112409551"


def run(*args: str, **env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KADUN_REDIS_URL", "KADUN_DATA_DIR")}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    for name in [k for k, v in env_changes.items() if v is None]:
        env.pop(name, None)
    return subprocess.run([KADUN, *args], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def server_with_a_dispute(tmp_path_factory):
    data = tmp_path_factory.mktemp("served") / "somewhere else"
    server = ServeProcess(data).start()
    token, _ = server.pair()
    status, capture = server.request("POST", "/v1/snapshots", capture_body("xingchen-km-order.html", ORDER_URL), token)
    assert status == 201
    status, dispute = server.request("POST", "/v1/disputes", {
        "snapshot_ids": [capture["id"]], "problem": "invalid_code", "occurred_at": "2026-11-24T12:00:00+08:00"}, token)
    assert status == 201, dispute
    yield server, dispute["id"]
    server.stop()


def test_serve_writes_its_config_file_privately(server_with_a_dispute):
    server, _ = server_with_a_dispute
    config_file = server.data_dir / "kadun-server.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    assert config["data_dir"] == str(server.data_dir.resolve())
    assert config["url"] == f"http://127.0.0.1:{server.port}"
    assert config["signing_key"].endswith("signing_key.pem") and config["storage_url"].startswith("unix://")
    assert config_file.stat().st_mode & 0o077 == 0


def test_export_and_verify_find_the_data_of_serve_without_flags(server_with_a_dispute, tmp_path):
    server, dispute_id = server_with_a_dispute
    pack = tmp_path / "pack.zip"
    # No --data-dir, no KADUN_DATA_DIR, an empty default: the data of the running `kadun serve`.
    exported = run("export", dispute_id, "-o", str(pack), XDG_DATA_HOME=str(tmp_path / "empty"))
    assert exported.returncode == 0, exported.stderr
    verified = run("verify", str(pack), XDG_DATA_HOME=str(tmp_path / "empty"))
    assert verified.returncode == 0 and verified.stdout.startswith("OK"), verified.stdout + verified.stderr
    assert f"this is the key of the backend whose data is in {server.data_dir.resolve()}" in verified.stdout
    # KADUN_DATA_DIR names the same data just as well (and wins over the note).
    by_env = run("export", dispute_id, "-o", str(tmp_path / "env.zip"), KADUN_DATA_DIR=str(server.data_dir))
    assert by_env.returncode == 0, by_env.stderr
    # --data-dir pins the receipts to that backend's key.
    pinned = run("verify", str(pack), "--data-dir", str(server.data_dir))
    assert pinned.returncode == 0, pinned.stdout + pinned.stderr


def test_without_any_data_they_say_where_they_looked(server_with_a_dispute, tmp_path):
    server, dispute_id = server_with_a_dispute
    elsewhere = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run("export", dispute_id, "-o", str(tmp_path / "x.zip"), **elsewhere)
    assert result.returncode == 2 and result.stdout == ""
    error = json.loads(result.stderr.strip().splitlines()[-1])
    assert error["error"] == "not_found"
    for place in ("KADUN_DATA_DIR", str(tmp_path / "config" / "kadun" / "data-dir"), str(tmp_path / "data" / "kadun")):
        assert place in error["message"], error["message"]
    assert "--data-dir" in error["message"]
    # An explicit directory without a key is named as such, and verify refuses to pin to nothing.
    empty = tmp_path / "not-a-data-dir"
    empty.mkdir()
    named = run("export", dispute_id, "-o", str(tmp_path / "y.zip"), "--data-dir", str(empty), **elsewhere)
    assert named.returncode == 2 and str(empty) in json.loads(named.stderr.strip().splitlines()[-1])["message"]
    pack = tmp_path / "pack.zip"
    assert run("export", dispute_id, "-o", str(pack), "--data-dir", str(server.data_dir)).returncode == 0
    refused = run("verify", str(pack), "--data-dir", str(empty), **elsewhere)
    assert refused.returncode == 1 and "looked in" in refused.stderr and str(empty) in refused.stderr
    # Without a backend on this machine a good pack still verifies, saying there was nothing to compare.
    alone = run("verify", str(pack), **elsewhere)
    assert alone.returncode == 0 and "no backend's data on this machine" in alone.stdout, alone.stdout


def test_verify_tells_a_pack_of_another_backend(server_with_a_dispute, tmp_path):
    server, dispute_id = server_with_a_dispute
    pack = tmp_path / "pack.zip"
    assert run("export", dispute_id, "-o", str(pack), "--data-dir", str(server.data_dir)).returncode == 0
    other = tmp_path / "other-backend"
    other.mkdir()
    from server.evidence.receipts import Signer

    Signer.load_or_create(other / "signing_key.pem")
    compared = run("verify", str(pack), KADUN_DATA_DIR=str(other))
    assert compared.returncode == 0 and "NOT the key of the backend" in compared.stdout, compared.stdout
    pinned = run("verify", str(pack), "--data-dir", str(other))
    assert pinned.returncode == 1 and pinned.stdout.startswith("FAILED"), pinned.stdout


def test_python_dash_m_runs_this_checkouts_command(tmp_path):
    """``python -m server.cli`` is the ``kadun`` command of the code beside it (a worktree's own,
    not the installed checkout's): same verbs, same answers."""
    import sys

    page = ROOT / "tests" / "fixtures" / "pages" / "xingchen-km-order.html"
    done = subprocess.run([sys.executable, "-m", "server.cli", "parse", str(page), "--url", ORDER_URL],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["order"]["order_no"] == json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["order"]["order_no"]
    listed = subprocess.run([sys.executable, "-m", "server.cli", "--help"], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert listed.returncode == 0 and "Usage: kadun" in listed.stdout
    assert all(verb in listed.stdout for verb in ("serve", "parse", "verify", "export"))
