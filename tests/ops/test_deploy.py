"""The deployment kit, run as far as this machine can (no docker needed): gunicorn loads
gunicorn.conf.py, `kadun serve` reads it too, and the command lines of the systemd unit and of
compose.yaml (parsed from the files) start the real server, which pairs, stores a capture, answers
/readyz and stops cleanly on SIGTERM."""
from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, capture_body
from tests.ops.helpers import free_port

VENV_BIN = Path(sys.executable).parent
CODE_LINE = re.compile(r"pairing code: ([0-9A-Z]{8})\s*$", re.M)


def _request(port: int, method: str, path: str, body=None, token: str | None = None, host: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Host": host or f"127.0.0.1:{port}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, (json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json")
                             else raw)


class Running:
    """A server process started from a parsed command line."""

    def __init__(self, argv: list[str], env: dict, port: int, log: Path, cwd: Path = ROOT):
        self.port, self.log = port, log
        self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"exited {self.process.returncode}: {self.output()}"
            try:
                if _request(self.port, "GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"not ready in time: {self.output()}")

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                raise
        return self.process.returncode


def _use_it(server: Running, code: str) -> str:
    status, body = _request(server.port, "POST", "/v1/pair", {"code": code, "device": "deploy test"})
    assert status == 201, body
    token = body["token"]
    status, body = _request(server.port, "POST", "/v1/snapshots",
                            capture_body("xingchen-km-order.html", "https://www.xingchen-km.com/order/1"), token)
    assert status == 201, body
    assert _request(server.port, "GET", "/v1/chain", token=token)[1]["valid"] is True
    return token


def _base_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KADUN_") and k not in ("REDIS_URL", "HOME", "XDG_DATA_HOME")}
    env.update(PYTHONUNBUFFERED="1", HOME=str(tmp_path / "home"))
    return env


# --- gunicorn.conf.py -----------------------------------------------------------------------------
def test_gunicorn_loads_the_config_file(tmp_path, redis_url):
    port = free_port()
    env = _base_env(tmp_path)
    env.update(KADUN_BIND=f"127.0.0.1:{port}", KADUN_WORKERS="1", KADUN_DATA_DIR=str(tmp_path / "data"),
               REDIS_URL=redis_url)
    check = subprocess.run([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--check-config"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    server = Running([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py"], env, port, tmp_path / "gunicorn.log")
    try:
        server.wait_ready()
        # The worker class the file names answers gunicorn's own refusals as JSON.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/v1/risk?url=" + "a" * 9000, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        assert response.status == 400 and response.getheader("Content-Type") == "application/json"
        assert "request line too long" in json.loads(response.read())["message"]
        assert _request(port, "GET", "/healthz", host="attacker.example")[0] == 400
    finally:
        assert server.stop() == 0, server.output()


def test_kadun_serve_reads_the_same_config_file(tmp_path):
    conf = tmp_path / "gunicorn.conf.py"
    text = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    conf.write_text(text.replace("limit_request_line = 8190", "limit_request_line = 300"), encoding="utf-8")
    port = free_port()
    env = _base_env(tmp_path)
    env["KADUN_GUNICORN_CONF"] = str(conf)
    server = Running([str(VENV_BIN / "kadun"), "serve", "--port", str(port), "--data-dir", str(tmp_path / "d")],
                     env, port, tmp_path / "serve.log")
    try:
        server.wait_ready()
        status, body = _request(port, "GET", "/v1/risk?url=" + "b" * 400)
        assert status == 400 and "request line too long" in body["message"]  # the file's limit, not the default
    finally:
        assert server.stop() == 0, server.output()
    conf.write_text("this is not python(", encoding="utf-8")
    broken = subprocess.run([str(VENV_BIN / "kadun"), "serve", "--port", str(free_port()), "--data-dir",
                             str(tmp_path / "d")], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert broken.returncode == 1 and str(conf) in json.loads(broken.stderr.strip().splitlines()[-1])["message"]


# --- systemd --------------------------------------------------------------------------------------
def _unit() -> dict:
    service, section = {"Environment": []}, None
    for raw in (ROOT / "deploy" / "kadun.service").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        if section == "Service":
            if key == "Environment":
                service["Environment"].append(value)
            else:
                service[key] = value
    return service


def test_the_systemd_units_command_line_starts_the_server(tmp_path):
    unit = _unit()
    assert unit["User"] != "root" and unit["KillSignal"] == "SIGTERM" and unit["UMask"] == "0077"
    argv = shlex.split(unit["ExecStart"])
    assert argv[0] == f"{unit['WorkingDirectory']}/.venv/bin/kadun" and argv[1] == "serve"
    data, port = tmp_path / "var-lib-kadun", free_port()

    def local(value: str) -> str:
        return value.replace("/var/lib/kadun", str(data)).replace(unit["WorkingDirectory"], str(ROOT))

    argv = [local(a) for a in argv]
    argv[argv.index("--port") + 1] = str(port)
    env = _base_env(tmp_path)
    for assignment in unit["Environment"]:
        name, _, value = assignment.partition("=")
        env[name] = local(value)
    data.mkdir(mode=0o700)  # StateDirectory=
    server = Running(argv, env, port, tmp_path / "unit.log", cwd=Path(local(unit["WorkingDirectory"])))
    try:
        server.wait_ready()
        _use_it(server, CODE_LINE.search(server.output()).group(1))
        redis_pid = int((data / "redis.pid").read_text())
    finally:
        code = server.stop(timeout=float(unit["TimeoutStopSec"]))
    assert code == 0, server.output()
    assert (data / "kadun.aof").exists() or (data / "appendonlydir").exists()
    with pytest.raises(ProcessLookupError):  # the embedded Redis was shut down with the service
        os.kill(redis_pid, 0)


# --- Docker and compose ---------------------------------------------------------------------------
def _dockerfile() -> dict:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict = {"ENV": {}}
    for line in text.splitlines():
        word, _, rest = line.strip().partition(" ")
        if word == "ENV":
            found["ENV"].update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
        elif word in ("FROM", "USER", "CMD", "HEALTHCHECK"):
            found[word] = rest.strip()
    return found


def test_the_dockerfile_is_slim_non_root_and_runs_what_compose_runs():
    docker = _dockerfile()
    assert docker["FROM"].endswith("-slim")
    assert docker["USER"] not in ("root", "0")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert json.loads(docker["CMD"]) == compose["services"]["kadun"]["command"]
    assert "/readyz" in docker["HEALTHCHECK"]
    assert docker["ENV"]["KADUN_GUNICORN_CONF"] == "/app/gunicorn.conf.py"
    assert docker["ENV"]["KADUN_SIGNING_KEY_PATH"].startswith("/keys/")


def test_compose_runs_the_app_on_redis_with_an_append_only_file(tmp_path):
    from server.storage.redis import redis_server_binary

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    redis_service, app = compose["services"]["redis"], compose["services"]["kadun"]
    # Volumes for Redis, the data and the signing key.
    assert {v.split(":")[1] for v in app["volumes"]} == {"/data", "/keys"}
    assert [v.split(":")[1] for v in redis_service["volumes"]] == ["/data"]
    redis_argv = list(redis_service["command"])
    assert redis_argv[0] == "redis-server" and redis_argv[redis_argv.index("--appendonly") + 1] == "yes"
    assert redis_service["image"].startswith("redis:7")
    redis_dir, data, keys = tmp_path / "redis-data", tmp_path / "kadun-data", tmp_path / "kadun-keys"
    for path in (redis_dir, data, keys):
        path.mkdir()
    # The compose network is loopback here: the same arguments, on a free local port.
    redis_port = free_port()
    redis_argv = [redis_server_binary(), *[str(redis_dir) if a == "/data" else a for a in redis_argv[1:]],
                  "--port", str(redis_port), "--bind", "127.0.0.1"]
    redis = subprocess.Popen(redis_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    port = free_port()
    env = _base_env(tmp_path)
    for name, value in app["environment"].items():
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
        value = value.replace("redis://redis:6379", f"redis://127.0.0.1:{redis_port}")
        env[name] = value.replace("/data", str(data)).replace("/keys", str(keys))
    argv = [str(VENV_BIN / "kadun") if a == "kadun" else a for a in app["command"]]
    argv = [str(data) if a == "/data" else a for a in argv]
    container_port = app["ports"][0].rsplit(":", 1)[1]
    argv[argv.index("--port") + 1] = str(port)
    assert container_port == "8765" and "0.0.0.0" in argv
    server = Running(argv, env, port, tmp_path / "compose.log")
    try:
        server.wait_ready()
        _use_it(server, CODE_LINE.search(server.output()).group(1))
        assert (keys / "signing_key.pem").is_file() and not (data / "signing_key.pem").exists()
        # Not the embedded Redis: the capture is in the compose Redis's append-only file.
        assert not (data / "redis.pid").exists()
        aof = list(redis_dir.rglob("kadun.aof*"))
        assert aof and sum(p.stat().st_size for p in aof) > 10_000, aof
    finally:
        code = server.stop()
        redis.terminate()
        redis.wait(30)
    assert code == 0, server.output()
