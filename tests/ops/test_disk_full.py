"""A full disk under the real ``kadun serve``: clear 507s, never a 201 for data not stored, nothing lost.

The data directory is a small tmpfs in a mount namespace of its own (``unshare --mount``, with a
user namespace when not root), so the disk really fills: redis-server's appends and our statvfs
see the same ENOSPC a full disk gives. Before the room check, the first append that did not fit
made redis-server exit ("Can't recover from AOF write error when the AOF fsync policy is
'always'"): every user got 503s while it was restarted again and again, and a clean stop waited
15 s for a SHUTDOWN that refused to save.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

from tests.api.test_durability import ServeProcess, _assert_intact, pid_alive

MIB = 1024 * 1024
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class SmallDisk:
    """A tmpfs of ``size`` bytes at ``mountpoint``, seen only by programs started in its namespace."""

    def __init__(self, mountpoint: Path, size: int):
        self.mountpoint = Path(mountpoint)
        self.mountpoint.mkdir(parents=True, exist_ok=True)
        self.root = os.geteuid() == 0
        user = [] if self.root else ["--map-root-user"]
        self.holder = subprocess.Popen(
            ["unshare", "--mount", *user, "sh", "-c",
             'mount -t tmpfs -o size="$1" kadun-small-disk "$0" && echo ready && exec cat',
             str(self.mountpoint), str(size)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        line = self.holder.stdout.readline()
        if line.strip() != b"ready":
            error = self.holder.stderr.read().decode(errors="replace")
            self.holder.kill()
            raise RuntimeError(f"cannot mount a small tmpfs in a mount namespace: {error.strip()}")

    def prefix(self) -> list[str]:
        """A command prefix that runs a program in the namespace (where the tmpfs is)."""
        user = [] if self.root else ["--user", "--preserve-credentials"]
        return ["nsenter", "--target", str(self.holder.pid), "--mount", *user]

    def path(self, path: Path) -> Path:
        """``path`` under the mountpoint, as this process can reach it (through the holder's root)."""
        return Path(f"/proc/{self.holder.pid}/root") / Path(path).relative_to("/")

    def free(self) -> int:
        info = os.statvfs(self.path(self.mountpoint))
        return info.f_bavail * info.f_frsize

    def close(self) -> None:
        self.holder.stdin.close()
        self.holder.wait(30)


def _page(n: int, size: int) -> str:
    # Random hex: zstd halves it at best, so each capture really takes room.
    return f"<html><head><title>卡密 {n}</title></head><body><p>{os.urandom(size // 2).hex()}</p></body></html>"


def _capture(n: int, size: int) -> dict:
    return {"client_id": str(uuid.uuid4()), "url": f"https://shop.example/item/{n}", "title": f"item {n}",
            "captured_at": "2026-11-24T10:03:30+08:00", "trigger": "manual", "html": _page(n, size),
            "extension_version": "0.1.0"}


def _assert_full(status: int, body) -> None:
    assert status == 507, (status, body)
    assert body["error"] == "storage_full" and "磁盘" in body["messages"]["zh"] and body["messages"]["en"], body


def _kill_all(server: ServeProcess, redis_pid: int) -> None:
    """kill -9 of the master (its workers leave with it) and of the embedded redis-server."""
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(30)
    os.kill(redis_pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while pid_alive(redis_pid):
        assert time.monotonic() < deadline, "redis-server outlived kill -9"
        time.sleep(0.02)


def test_a_full_disk_gives_507_and_loses_nothing_acknowledged(tmp_path):
    disk = SmallDisk(tmp_path / "disk", 12 * MIB)
    data_dir = tmp_path / "disk" / "kadun"
    env = {"KADUN_DISK_RESERVE_BYTES": str(1 * MIB)}
    server = ServeProcess(data_dir, workers=2, env=env, prefix=disk.prefix())
    try:
        server.start()
        token, _ = server.pair()
        public_key = server.request("GET", "/v1/keys")[1]["keys"][0]
        first_redis = server.redis_pid
        # Another program's file on the same disk (removed in step 3).
        other = disk.path(tmp_path / "disk" / "other-program.log")
        other.write_bytes(os.urandom(4 * MIB))

        # 1. Our own uploads fill the disk: every answer is 201 until the first 507, and nothing
        # acknowledged is missing afterwards.
        acknowledged, refused = [], None
        for n in range(200):
            body = _capture(n, 600_000)
            status, answer = server.request("POST", "/v1/snapshots", body, token)
            if status == 201:
                acknowledged.append(answer)
                continue
            _assert_full(status, answer)
            refused = body
            break
        assert refused is not None and len(acknowledged) >= 3, "the disk never filled"
        assert disk.free() > 0
        # The storage stayed up: the same redis-server answers reads, the list and the chain.
        assert pid_alive(first_redis) and int(server.path(data_dir / "redis.pid").read_text()) == first_redis
        _assert_intact(server, token, acknowledged, public_key)

        # 2. Another program takes the rest of the disk: still 507 (not 500, not 503 forever
        # while redis-server is restarted), and still the same redis-server.
        filler = _fill(disk.path(tmp_path / "disk" / "filler"))
        for body in (refused, _capture(900, 2_000), _capture(901, 200)):
            _assert_full(*server.request("POST", "/v1/snapshots", body, token))
        assert server.request("GET", "/healthz")[0] == 200
        assert pid_alive(first_redis)

        # 3. Room again: the refused capture (still queued in the extension) goes in as new.
        filler.unlink()
        other.unlink()
        status, answer = server.request("POST", "/v1/snapshots", refused, token)
        assert status == 201, answer
        acknowledged.append(answer)
        _assert_intact(server, token, acknowledged, public_key)

        # 4. kill -9 of everything right after the acknowledgements; a new start on the same disk
        # has every acknowledged capture, chained and verifiable.
        _kill_all(server, first_redis)
        again = ServeProcess(data_dir, workers=1, env=env, prefix=disk.prefix()).start()
        try:
            _assert_intact(again, token, acknowledged, public_key)
            assert again.stop() == 0
            assert not pid_alive(again.redis_pid)
        finally:
            if again.process.poll() is None:
                again.process.kill()
                again.process.wait(30)
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait(30)
        if server.redis_pid and pid_alive(server.redis_pid):
            os.kill(server.redis_pid, signal.SIGKILL)
        disk.close()


def _fill(path):
    """Write zeros to ``path`` until the disk under it is full (to the last block); the path."""
    with open(path, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return path


def test_a_pack_built_on_a_full_disk_is_507_not_an_internal_error(app, tmp_path):
    """A pack is built in scratch files: on a full disk the write fails (ENOSPC) and the answer was
    500 internal; now 507 storage_full, and the same request works once there is room."""
    from server.storage import scratch
    from tests.hosted.world import act, join

    person = act(app, join(app, "alice"))
    client = app.test_client()
    url = f"/v1/disputes/{person.dispute_ids[0]}/pack"
    disk = SmallDisk(tmp_path / "small", 1 * MIB)
    saved = scratch._ROOT[0]
    try:
        scratch._ROOT[0] = disk.path(tmp_path / "small")
        filler = _fill(disk.path(tmp_path / "small" / "filler"))
        refused = client.get(url, headers=person.auth)
        assert refused.status_code == 507, refused.data[:300]
        assert refused.get_json()["error"] == "storage_full" and refused.get_json()["messages"]["zh"]
        filler.unlink()
        built = client.get(url, headers=person.auth)
        assert built.status_code == 200 and built.data[:2] == b"PK"
    finally:
        scratch._ROOT[0] = saved
        disk.close()
