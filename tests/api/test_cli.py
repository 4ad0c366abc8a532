"""The ``kadun`` console script: serve, pair and parse, run as a user runs them."""
from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import jsonschema
import pytest

from tests.api.test_durability import KADUN, ServeProcess, pid_alive
from tests.conftest import FIXTURES, ROOT, fixture_index

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{8}$")


def kadun(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    import os

    full_env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KADUN_REDIS_URL", "KADUN_DATA_DIR")}
    full_env.update(env or {})
    return subprocess.run([KADUN, *args], capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT)


def test_console_script_is_installed_in_the_venv():
    assert Path(KADUN).is_file() and Path(KADUN).parent == ROOT / ".venv" / "bin"
    result = kadun("--help")
    assert result.returncode == 0
    for verb in ("serve", "pair", "parse"):
        assert re.search(rf"^\s+{verb}\b", result.stdout, re.M), result.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = ServeProcess(tmp_path_factory.mktemp("cli") / "data").start()
    yield server
    server.stop()


def test_serve_prints_url_pairing_code_and_extension_folder(served):
    out = served.output()
    assert f"http://127.0.0.1:{served.port}" in out
    assert str(served.data_dir) in out
    folder = re.search(r"extension:\s+(\S+)", out).group(1)
    assert Path(folder) == ROOT / "extension"
    assert CODE.match(served.code)
    served.pair()  # the printed code works


def test_pair_prints_the_code_alone_on_its_last_line(served):
    result = kadun("pair", "--data-dir", str(served.data_dir))
    assert result.returncode == 0, result.stderr
    code = result.stdout.rstrip("\n").splitlines()[-1]
    assert CODE.match(code), result.stdout
    token, user = served.pair(code)
    default_token, default_user = served.pair(kadun("pair", "--data-dir", str(served.data_dir)).stdout.split()[-1])
    assert user == default_user  # devices of one backend are one user by default
    new = kadun("pair", "--data-dir", str(served.data_dir), "--new-user")
    assert new.returncode == 0 and CODE.match(new.stdout.splitlines()[-1])
    _, other_user = served.pair(new.stdout.splitlines()[-1])
    assert other_user != user
    # The same code cannot be used twice.
    status, body = served.request("POST", "/v1/pair", {"code": code})
    assert status == 404 and body["error"] == "not_found"


def test_pair_ttl_comes_from_the_environment(served):
    result = kadun("pair", "--data-dir", str(served.data_dir), env={"KADUN_PAIRING_CODE_TTL": "1"})
    code = result.stdout.splitlines()[-1]
    time.sleep(1.5)
    status, _ = served.request("POST", "/v1/pair", {"code": code})
    assert status == 404


def test_pair_without_a_running_server_starts_and_stops_the_storage(tmp_path):
    data = tmp_path / "offline"
    result = kadun("pair", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    code = result.stdout.splitlines()[-1]
    assert CODE.match(code)
    pid_file = data / "redis.pid"
    assert not (data / "redis.sock").exists() and not pid_file.exists(), "kadun pair left redis-server running"
    server = ServeProcess(data).start()  # the code was persisted and works once the backend runs
    try:
        server.pair(code)
    finally:
        server.stop()
    assert not pid_alive(server.redis_pid)


def test_parse_prints_facts_that_match_the_contract_schema():
    schema = json.loads((ROOT / "docs" / "contract" / "page-facts.schema.json").read_text(encoding="utf-8"))
    page = fixture_index()[0]
    result = kadun("parse", str(FIXTURES / page["file"]), "--url", page["url"])
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    jsonschema.validate(facts, schema)
    assert facts["url"] == page["url"] and facts["domain"]


@pytest.mark.parametrize("name,content", [
    ("missing.html", None), ("dir", "DIR"), ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
    ("plain.txt", b"just words, no markup"), ("empty.html", b""),
], ids=["missing", "directory", "binary", "plain-text", "empty"])
def test_parse_refuses_unreadable_or_non_html_files_with_exit_2(tmp_path, name, content):
    path = tmp_path / name
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    result = kadun("parse", str(path), "--url", "https://a.cn/x")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    error = json.loads(lines[0])
    assert error["error"] in ("bad_request", "unprocessable") and str(path.name) in error["message"]


def test_parse_needs_a_url():
    result = kadun("parse", str(FIXTURES / fixture_index()[0]["file"]))
    assert result.returncode == 2 and "--url" in result.stderr


def test_serve_on_a_busy_port_fails_fast_and_leaves_no_storage_running(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kadun("serve", "--port", str(port), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 1
    assert "pairing code" not in result.stdout
    error = json.loads(result.stderr.strip().splitlines()[-1])
    assert error["error"] == "unavailable" and str(port) in error["message"]
    assert not (tmp_path / "d" / "redis.pid").exists()


def test_serve_never_prints_a_redis_password():
    from server.cli.serve import redact

    assert redact("redis://:s3cret@db:6379/0") == "redis://:***@db:6379/0"
    assert redact("redis+cluster://app:pw@node:7000") == "redis+cluster://app:***@node:7000"
    assert redact("unix:///tmp/kadun.sock") == "unix:///tmp/kadun.sock"
