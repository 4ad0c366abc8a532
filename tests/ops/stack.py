"""The production stack for the load, fault and shutdown tests: the embedded redis-server and
``kadun serve`` (gunicorn) on one data directory, each killable with -9 and restartable. The
redis-server is started by ``kadun serve`` (which then restarts it when it dies), or beforehand by
the test with ``start_redis``."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """The embedded redis-server and ``kadun serve`` on one data directory, killable."""

    def __init__(self, data_dir: Path, workers: int, port: int | None = None, env: dict | None = None):
        from server.storage.redis import EmbeddedRedis

        self.data_dir = data_dir
        self.workers = workers
        self.port = port or _free_port()
        self.redis = EmbeddedRedis(data_dir)
        self.env = dict(env or {})  # more KADUN_* settings for kadun serve (e.g. hosted mode)
        self.app: subprocess.Popen | None = None
        self.log = open(data_dir / "app.log", "ab")  # noqa: SIM115 (lives as long as the stack)

    def client(self):
        from server.storage.redis import connect

        return connect(self.redis.url)

    def start_redis(self) -> None:
        self.redis.start()

    def start_app(self, timeout: float = 60.0) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KADUN_REDIS_URL")}
        # Pairing many load users from one address must not trip the guessing limit.
        env.update(PYTHONUNBUFFERED="1", KADUN_JSON_LOGS="1", KADUN_PAIR_RATE_LIMIT="1000 per minute")
        env.update(self.env)
        self.app = subprocess.Popen(
            [sys.executable, "-c", "from server.cli import main; main()", "serve", "--port", str(self.port),
             "--data-dir", str(self.data_dir), "--workers", str(self.workers)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True)  # its own process group: kill -9 takes master and workers
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.app.poll() is not None:
                raise RuntimeError(f"kadun serve exited with {self.app.returncode}; see {self.data_dir / 'app.log'}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("kadun serve did not answer /healthz in time")

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Until /healthz answers 200 (the app and its storage are back)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"/healthz did not answer 200 within {timeout} s; see {self.data_dir / 'app.log'}")

    def kill_app(self) -> None:
        if self.app is not None:
            try:
                os.killpg(self.app.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.app.wait()
            self.app = None

    def kill_redis(self) -> None:
        self.redis.kill()

    def stop(self) -> None:
        if self.app is not None:
            try:
                os.killpg(self.app.pid, signal.SIGTERM)
                self.app.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill_app()
            self.app = None
        self.redis.stop()
        self.log.close()
