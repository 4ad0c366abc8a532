"""Private data: the data directory is 0700 and every file in it 0600 (the append-only file, the
RDB, the Redis config, log and pid file, the lock, the socket, the signing key), for a fresh
directory and for one left readable by an older version, which start-up fixes."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.api.test_durability import ServeProcess, _store_some
from tests.conftest import capture_body


def modes(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (itself as ".") → its permission bits in octal."""
    out = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(base) / name
            out[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return out


def assert_private(root: Path) -> None:
    found = modes(root)
    wrong = {}
    for name, mode in found.items():
        path = root / name
        want = "0o700" if path.is_dir() and not path.is_symlink() else "0o600"
        if mode != want:
            wrong[name] = mode
    assert not wrong, f"not private: {wrong} (all: {found})"


def test_fresh_data_directory_of_kadun_serve_is_private(tmp_path):
    data = tmp_path / "kadun data"
    server = ServeProcess(data).start()
    try:
        token, _ = server.pair()
        _store_some(server, token, 0, 3)
        # Files Redis writes later (a snapshot, a rewritten AOF) are private too.
        from server.storage.redis import EmbeddedRedis, connect

        client = connect(EmbeddedRedis(data).url)
        client.bgsave()
        client.bgrewriteaof()
        _wait_for(lambda: (data / "kadun.rdb").exists()
                  and client.info("persistence")["aof_rewrite_in_progress"] == 0
                  and client.info("persistence")["rdb_bgsave_in_progress"] == 0)
        client.close()
        names = set(modes(data))
        assert {"kadun.aof", "kadun.rdb", "redis.conf", "redis.log", "signing_key.pem"} <= names, names
        assert_private(data)
    finally:
        server.stop()
    assert_private(data)


def test_start_up_makes_an_existing_readable_directory_private(tmp_path):
    data = tmp_path / "old"
    first = ServeProcess(data).start()
    token, _ = first.pair()
    _store_some(first, token, 0, 2)
    assert first.stop() == 0
    # As an older version left it: everything readable by other local users.
    data.chmod(0o755)
    for path in data.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert modes(data)["kadun.aof"] == "0o644"
    second = ServeProcess(data).start()
    try:
        assert_private(data)
        status, body = second.request("POST", "/v1/snapshots", capture_body("acg-faka-item.html", "https://a.cn/x"),
                                      token)
        assert status == 201, body
    finally:
        second.stop()


def test_create_app_makes_its_data_directory_private(tmp_path, redis_client):
    """gunicorn run directly (``server:create_app()``) fixes the directory too."""
    from server import create_app

    data = tmp_path / "direct"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "notes.txt").write_text("left by a user")
    (data / "notes.txt").chmod(0o644)
    create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data), "RATELIMIT_ENABLED": False})
    assert_private(data)


def test_embedded_redis_creates_private_files(tmp_path):
    from server.storage.redis import EmbeddedRedis, connect

    data = tmp_path / "embedded"
    server = EmbeddedRedis(data)
    old_umask = os.umask(0o022)  # what a user's shell usually has
    try:
        client = connect(server.start())
        client.set("k", "v")
        client.save()
        client.close()
    finally:
        os.umask(old_umask)
        server.stop()
    assert_private(data)


def _wait_for(predicate, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
