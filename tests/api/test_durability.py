"""Durability through the real ``kadun serve`` process (gunicorn + embedded redis-server).

Captures are stored over HTTP, the app and its embedded Redis are stopped (cleanly with SIGTERM,
and once by kill -9 of redis-server right after the acknowledgements: ``appendfsync always``
means acknowledged = on disk), the server is started again on the same data directory, and every
acknowledged capture, sighting, the chain, the receipts and the signing key are still there.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.conftest import ROOT, capture_body, fixture_index

KADUN = str(Path(sys.executable).with_name("kadun"))
CODE_LINE = re.compile(r"pairing code: ([0-9A-Z]{8})\s*$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class ServeProcess:
    """``kadun serve`` on a free port with its own data directory, as a user would run it."""

    def __init__(self, data_dir: Path, workers: int = 2, env: dict | None = None, prefix: list[str] | None = None):
        self.data_dir, self.workers = Path(data_dir), workers
        self.prefix = list(prefix or [])  # a command that runs kadun serve (e.g. in a mount namespace)
        self.env = dict(env or {})  # more settings for kadun serve
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = self.data_dir.parent / f"serve-{self.port}.log"
        self.code: str | None = None
        self.redis_pid: int | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> ServeProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KADUN_REDIS_URL", "KADUN_DATA_DIR")}
        env.update(self.env)
        self.process = subprocess.Popen(
            [*self.prefix, KADUN, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
             "--workers", str(self.workers)],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kadun serve exited {self.process.returncode}: {self.output()}")
            match = CODE_LINE.search(self.output())
            if match and self._healthy():
                self.code = match.group(1)
                self.redis_pid = int(self.path(self.data_dir / "redis.pid").read_text())
                return self
            time.sleep(0.05)
        raise AssertionError(f"kadun serve did not come up: {self.output()}")

    def path(self, path: Path) -> Path:
        """``path`` as the server sees it (through its mount namespace when it has its own)."""
        if not self.prefix:
            return Path(path)
        return Path(f"/proc/{self.process.pid}/root") / Path(path).relative_to("/")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def _healthy(self) -> bool:
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        kind = response.getheader("Content-Type", "")
        return response.status, (json.loads(raw) if kind.startswith("application/json") else raw)

    def pair(self, code: str | None = None) -> tuple[str, str]:
        status, body = self.request("POST", "/v1/pair", {"code": code or self.code, "device": "durability test"})
        assert status == 201, body
        return body["token"], body["user"]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        self.process.send_signal(sig)
        code = self.process.wait(timeout)
        deadline = time.monotonic() + 15
        while pid_alive(self.redis_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        return code


@pytest.fixture
def serve_dir(tmp_path):
    return tmp_path / "kadun data"  # a space in the path, as in a user's home


def _screenshot(seed: int) -> str:
    from tests.api.test_captures import data_url, png_bytes

    return data_url(png_bytes(seed=seed))


def _store_some(server: ServeProcess, token: str, start: int, count: int) -> list[dict]:
    pages = fixture_index()
    acknowledged = []
    for n in range(start, start + count):
        page = pages[n % 3]  # few pages, so the same bytes are seen several times (sightings)
        extra = {"screenshot": _screenshot(n)} if n % 2 else {}
        status, body = server.request("POST", "/v1/snapshots", capture_body(page["file"], page["url"], **extra), token)
        assert status == 201, body
        acknowledged.append(body)
    return acknowledged


def _assert_intact(server: ServeProcess, token: str, acknowledged: list[dict], public_key: dict) -> None:
    status, keys_body = server.request("GET", "/v1/keys")
    assert status == 200 and keys_body["keys"] == [public_key], "the signing key changed across restarts"
    verifier = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key["public_key"]))
    status, chain = server.request("GET", "/v1/chain", token=token)
    assert chain == {"length": len(acknowledged), "head": acknowledged[-1]["chain_hash"], "valid": True,
                     "first_bad_index": None}
    by_sha: dict[str, list[str]] = {}
    for out in acknowledged:
        by_sha.setdefault(out["sha256"], []).append(out["id"])
    for index, out in enumerate(acknowledged):
        assert out["chain_index"] == index
        status, detail = server.request("GET", f"/v1/snapshots/{out['id']}", token=token)
        assert status == 200, detail
        assert (detail["receipt"], detail["chain_hash"], detail["received_at"]) == (
            out["receipt"], out["chain_hash"], out["received_at"])
        assert [s["snapshot_id"] for s in detail["sightings"]] == by_sha[out["sha256"]]
        verifier.verify(base64.b64decode(out["receipt"]["signature"]), out["receipt"]["payload"].encode())
        status, html = server.request("GET", f"/v1/snapshots/{out['id']}/html", token=token)
        assert status == 200 and hashlib.sha256(html).hexdigest() == out["sha256"]
        shot_sha = json.loads(out["receipt"]["payload"])["screenshot_sha256"]
        if shot_sha:
            status, png = server.request("GET", f"/v1/snapshots/{out['id']}/screenshot", token=token)
            assert status == 200 and hashlib.sha256(png).hexdigest() == shot_sha
    status, listing = server.request("GET", "/v1/snapshots?limit=500", token=token)
    assert [item["id"] for item in listing["items"]] == [out["id"] for out in reversed(acknowledged)]


def test_acknowledged_captures_survive_restarts_and_a_redis_crash(serve_dir):
    first = ServeProcess(serve_dir).start()
    assert " " in str(serve_dir) and Path(str(serve_dir / "redis.sock")).exists()
    token, user = first.pair()
    acknowledged = _store_some(first, token, 0, 12)
    public_key = first.request("GET", "/v1/keys")[1]["keys"][0]

    # 1. A clean stop: the app and its redis-server both go away.
    assert first.stop() == 0
    assert not pid_alive(first.redis_pid), "kadun serve left its redis-server running"
    aof = (serve_dir / "kadun.aof").read_bytes()
    assert token.encode() not in aof and first.code.encode() not in aof  # only digests reach the disk

    second = ServeProcess(serve_dir).start()
    assert second.redis_pid != first.redis_pid
    _assert_intact(second, token, acknowledged, public_key)  # the token survived too
    acknowledged += _store_some(second, token, 12, 9)

    # 2. A crash of the storage right after the acknowledgements: kill -9 redis-server. kadun serve
    # starts it again on the same files, and everything acknowledged is there.
    os.kill(second.redis_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pid_alive(second.redis_pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not pid_alive(second.redis_pid)
    deadline = time.monotonic() + 30
    while not second._healthy():
        assert time.monotonic() < deadline, "the embedded Redis was not restarted"
        time.sleep(0.05)
    restarted = int((serve_dir / "redis.pid").read_text())
    assert restarted != second.redis_pid and pid_alive(restarted)
    _assert_intact(second, token, acknowledged, public_key)
    assert "restarted (pid" in second.output()
    assert second.stop() == 0
    assert not pid_alive(restarted), "kadun serve left its restarted redis-server running"

    third = ServeProcess(serve_dir).start()
    _assert_intact(third, token, acknowledged, public_key)
    status, body = third.request("GET", "/v1/chain", token=token)
    assert body["length"] == 21
    # The chain goes on from where it was.
    more = _store_some(third, token, 21, 1)[0]
    assert more["chain_index"] == 21
    assert json.loads(more["receipt"]["payload"])["user"] == user
    assert third.stop(signal.SIGINT) == 0
    assert not pid_alive(third.redis_pid)


def test_a_killed_app_leaves_storage_that_the_next_start_reuses(serve_dir):
    first = ServeProcess(serve_dir, workers=1).start()
    token, _ = first.pair()
    acknowledged = _store_some(first, token, 0, 4)
    public_key = first.request("GET", "/v1/keys")[1]["keys"][0]
    first.process.kill()  # kill -9 of the app: its redis-server (own session) keeps running
    first.process.wait(30)
    second = ServeProcess(serve_dir, workers=1).start()
    try:
        _assert_intact(second, token, acknowledged, public_key)
    finally:
        assert second.stop() == 0
    assert not pid_alive(second.redis_pid)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = ServeProcess(tmp_path_factory.mktemp("live") / "data").start()
    server.token, server.user = server.pair()
    yield server
    server.stop()


def test_oversize_body_is_refused_before_it_is_sent(live):
    """A raw client announces 100 MB, sends a few bytes, and gets 413 at once (nothing is read)."""
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     + f"Authorization: Bearer {live.token}\r\n".encode()
                     + b"Content-Length: 100000000\r\n\r\n{\"html\": \"")
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            assert chunk, "connection closed without an answer"
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
        while len(body) < length:  # the body may come in a later packet than the headers
            chunk = sock.recv(4096)
            assert chunk, "connection closed in the middle of the answer"
            body += chunk
        assert time.monotonic() - started < 5
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert json.loads(body)["error"] == "too_large"


def test_html_over_8_mib_is_413_through_the_server(live):
    html = "<html><body>" + "x" * (8 * 1024 * 1024) + "</body></html>"
    status, body = live.request("POST", "/v1/snapshots", capture_body("acg-faka-item.html", "https://a.cn/", html=html),
                                live.token)
    assert status == 413 and body["error"] == "too_large" and body["field"] == "html"


def test_risk_url_limit_is_exact_through_the_server(live):
    """The longest badge URL the schema admits (300 non-ASCII characters after the host, nine bytes
    each percent-encoded) fits gunicorn's request line and reaches the app; one more character is
    the app's JSON 400 naming the field, never gunicorn's HTML page."""
    from urllib.parse import quote

    head = "https://a.cn/"
    for tail, status in (("卡" * 300, 200), ("卡" * 301, 400)):
        code, body = live.request("GET", "/v1/risk?url=" + quote(head + tail, safe=""), token=live.token)
        assert code == status, (len(tail), code, body if isinstance(body, dict) else body[:200])
        assert isinstance(body, dict) and (status == 200 or body["field"] == "url"), body
    # A request line past gunicorn's 8190 bytes is refused before the app, in the contract's JSON too.
    code, body = live.request("GET", "/v1/risk?url=" + quote(head + "卡" * 1000, safe=""), token=live.token)
    assert code == 400 and isinstance(body, dict) and body["error"] == "bad_request", body


def test_served_html_is_sandboxed_through_the_server(live):
    status, out = live.request("POST", "/v1/snapshots", capture_body("acg-faka-item.html", "https://a.cn/"), live.token)
    assert status == 201
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.request("GET", f"/v1/snapshots/{out['id']}/html", headers={"Authorization": f"Bearer {live.token}"})
    response = conn.getresponse()
    response.read()
    assert response.getheader("Content-Security-Policy").split(";")[0] == "sandbox"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Type").startswith("text/html")


def test_embedded_redis_in_deep_and_odd_data_directories(tmp_path):
    """Paths with spaces, quotes and Chinese work; a socket path too long for sockaddr_un (counted
    in bytes) moves to a private per-user directory."""
    from server.storage.redis import EmbeddedRedis, connect

    odd = tmp_path / 'a "quoted" dir with spaces'
    deep = tmp_path / ("数据目录" * 8)  # 32 characters, 96 bytes in UTF-8
    for data_dir in (odd, deep):
        server = EmbeddedRedis(data_dir)
        url = server.start()
        try:
            assert len(os.fsencode(server.socket_path)) <= 100
            client = connect(url)
            client.set("k", "v")
            assert client.get("k") == b"v"
            assert client.config_get("appendfsync")["appendfsync"] == "always"
            assert client.config_get("appendonly")["appendonly"] == "yes"
            assert Path(client.config_get("dir")["dir"]) == data_dir.resolve()
            client.close()
        finally:
            server.stop()
        assert not server.ping()
    assert EmbeddedRedis(deep).socket_path.parent.name == f"kadun-{os.getuid()}"
    assert oct(EmbeddedRedis(deep).socket_path.parent.stat().st_mode & 0o777) == "0o700"
    assert EmbeddedRedis(odd).socket_path.parent == odd.resolve()
    # Restarted on the same directory, the data is there (append-only file).
    again = EmbeddedRedis(deep)
    try:
        assert connect(again.start()).get("k") == b"v"
    finally:
        again.stop()


def test_oversize_chunked_body_is_413(live):
    """Without a Content-Length the body is read up to the cap (24 MiB) and refused there."""
    with socket.create_connection(("127.0.0.1", live.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     + f"Authorization: Bearer {live.token}\r\n".encode() + b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * (1 << 20)
        try:
            for _ in range(40):
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server stops reading at the cap and may close the connection
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 413"), head[:300]


def _raw_exchange(port: int, request: bytes) -> tuple[bytes, dict | None]:
    """Send ``request`` as is; (status line, JSON body or None) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)  # a body cut off here: the server sees the end of the stream
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return head.split(b"\r\n", 1)[0], parsed


@pytest.mark.parametrize("route,content_type", [("/v1/snapshots", "application/json"),
                                                 ("/v1/pair", "application/json"),
                                                 ("/v1/screenshots", "multipart/form-data; boundary=b")])
@pytest.mark.parametrize("body", [b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\n{\"a\":", b"5;x=\x01\r\nabcde\r\n0\r\n\r\n",
                                  b"3\r\nabcXX"])
def test_a_malformed_or_cut_off_chunked_body_is_400_not_500(live, route, content_type, body):
    """Bad chunk sizes, a body that stops mid-chunk or misses its terminator: the client's fault,
    a JSON 400 (or the connection closed by gunicorn before the app), never a 500."""
    request = (f"POST {route} HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\nAuthorization: Bearer {live.token}\r\n"
               f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    status, answer = _raw_exchange(live.port, request + body)
    assert status == b"" or status.startswith(b"HTTP/1.1 400"), (status, answer)
    if status:
        assert isinstance(answer, dict) and answer["error"] == "bad_request", answer
    # The worker is still serving.
    assert live.request("GET", "/healthz")[0] == 200


def test_clients_that_stop_mid_request_do_not_hold_the_backend(tmp_path):
    """Slowloris: more half-sent requests (headers cut off, or a body announced and never sent)
    than the backend has threads. Each is ended after the idle timeout (2 s here), and others are
    answered meanwhile; without the timeout every thread waited on them and nobody was answered."""
    server = ServeProcess(tmp_path / "data", workers=1, env={"KADUN_CLIENT_IDLE_SECONDS": "2"}).start()
    stalled = []
    try:
        for n in range(12):  # 1 worker x 4 threads, three times over
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
            if n % 2:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            else:
                sock.sendall(b"POST /v1/pair HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100\r\n\r\n{")
            stalled.append(sock)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
        # A slow reader is not an idle one: a 5.6 MB page read in pieces over more than the idle
        # time arrives whole (Python's sendall would count the timeout over the whole page).
        token, _ = server.pair()
        html = "<html><body>" + "卡密 " * (800 * 1024) + "</body></html>"
        status, made = server.request("POST", "/v1/snapshots", capture_body("acg-faka-item.html", "https://a.cn/",
                                                                               html=html), token)
        assert status == 201, made
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
        slow.settimeout(60)
        slow.connect(("127.0.0.1", server.port))
        slow.sendall(f"GET /v1/snapshots/{made['id']}/html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n".encode())
        received, started = b"", time.monotonic()
        while chunk := slow.recv(256 * 1024):
            received += chunk
            if time.monotonic() - started < 4:  # stretch the reading past the 2 s idle limit
                time.sleep(0.25)
        slow.close()
        assert received.startswith(b"HTTP/1.1 200") and received.endswith(html.encode()[-200:]), received[:200]
        assert len(received) > len(html.encode())
        for n, sock in enumerate(stalled):  # each stalled connection was ended by the server
            sock.settimeout(60)
            answer = b""
            try:
                while chunk := sock.recv(4096):
                    answer += chunk
            except ConnectionResetError:
                pass
            if answer:  # a body that never came: the app's 400 (then EOF: gunicorn cannot drain the rest)
                assert n % 2 == 0 and answer.startswith(b"HTTP/1.1 400"), answer[:200]
    finally:
        for sock in stalled:
            sock.close()
        assert server.stop() == 0
    assert "Traceback" not in server.output(), server.output()[-2000:]


def test_a_data_directory_restored_from_its_snapshot_file_keeps_every_capture(tmp_path):
    """The README's file-copy restore: BGSAVE, copy ``kadun.rdb`` and the key files into an empty
    data directory, start ``kadun serve`` there. With appendonly on, redis-server reads only the
    AOF: it started empty (every capture gone, the token refused), and its next snapshot
    overwrote the restored one. Now it starts from the snapshot, writes the AOF from it, and later
    starts (and a kill -9) keep everything."""
    import redis as redis_py

    source_dir, restored_dir = tmp_path / "source", tmp_path / "restored"
    first = ServeProcess(source_dir, workers=1).start()
    token, _ = first.pair()
    acknowledged = _store_some(first, token, 0, 5)
    public_key = first.request("GET", "/v1/keys")[1]["keys"][0]
    live = redis_py.Redis(unix_socket_path=str(source_dir / "redis.sock"))
    before = live.lastsave()
    live.bgsave()
    deadline = time.monotonic() + 30
    while live.lastsave() == before:
        assert time.monotonic() < deadline, "BGSAVE did not finish"
        time.sleep(0.02)
    live.close()
    restored_dir.mkdir()
    for name in ("kadun.rdb", "signing_key.pem", "wacz_signing_key.pem", "wacz_signing_cert.pem"):
        (restored_dir / name).write_bytes((source_dir / name).read_bytes())
    assert first.stop() == 0

    second = ServeProcess(restored_dir, workers=1).start()
    _assert_intact(second, token, acknowledged, public_key)
    assert (restored_dir / "kadun.aof").stat().st_size > 0
    assert "appendonly yes" in (restored_dir / "redis.conf").read_text()
    acknowledged += _store_some(second, token, 5, 2)
    os.kill(second.redis_pid, signal.SIGKILL)  # acknowledged after the restore: in the AOF
    second.process.kill()
    second.process.wait(30)
    deadline = time.monotonic() + 15
    while pid_alive(second.redis_pid):
        assert time.monotonic() < deadline
        time.sleep(0.02)

    third = ServeProcess(restored_dir, workers=1).start()
    try:
        _assert_intact(third, token, acknowledged, public_key)
    finally:
        assert third.stop() == 0
