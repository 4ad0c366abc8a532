"""A loopback-only network namespace for the Firefox tests (when running as root).

Firefox, the fixture proxy and ``kadun serve`` all live in one fresh namespace whose only interface
is ``lo``: whatever Firefox tries to look up on its own (settings, telemetry, captive portal …) has
nowhere to go, so the run is offline by construction, not only by preferences.

The namespace is held open by a small process started with ``unshare --net``; programs join it
with ``nsenter``; the test process itself stays outside and opens its sockets inside through one
thread that has joined the namespace with ``setns(2)`` (a socket keeps the namespace it was made
in, so it can then be used from any thread). Without root everything runs on the machine's own
loopback instead, with the same preferences keeping Firefox quiet.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1

# Brings lo up (SIOCSIFFLAGS with IFF_UP | IFF_LOOPBACK | IFF_RUNNING), says so, and keeps the
# namespace alive until its stdin closes (the test process ended, however it ended).
_HOLDER = r"""
import fcntl, socket, struct, sys
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", 0x1 | 0x8 | 0x40))
print("ready", flush=True)
sys.stdin.read()
"""


def _die_with_parent() -> None:
    """In a child before exec: be killed when the test process goes (no stray Firefox)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class LoopbackNamespace:
    """One loopback-only network namespace (root), or the host's loopback (not root)."""

    def __init__(self) -> None:
        self.isolated = os.geteuid() == 0
        self._holder: subprocess.Popen | None = None
        self._executor: ThreadPoolExecutor | None = None
        if not self.isolated:
            return
        self._holder = subprocess.Popen(["unshare", "--net", sys.executable, "-c", _HOLDER],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        preexec_fn=_die_with_parent)
        line = self._holder.stdout.readline()
        if line.strip() != b"ready":
            error = self._holder.stderr.read().decode(errors="replace")
            self._holder.kill()
            raise RuntimeError(f"cannot make a loopback-only network namespace (unshare --net): {error.strip()}")
        self.path = f"/proc/{self._holder.pid}/ns/net"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netns",
                                            initializer=self._enter)

    def _enter(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(self.path, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                errno = ctypes.get_errno()
                raise OSError(errno, f"setns({self.path}): {os.strerror(errno)}")
        finally:
            os.close(fd)

    def call(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run ``fn`` where its sockets reach the namespace's loopback, and return its result."""
        if self._executor is None:
            return fn(*args, **kwargs)
        return self._executor.submit(fn, *args, **kwargs).result()

    def popen(self, args: list[str], **kwargs) -> subprocess.Popen:
        """Start a program inside the namespace (its own process group, gone with the test)."""
        prefix = ["nsenter", f"--net={self.path}", "--"] if self.isolated else []
        return subprocess.Popen(prefix + list(args), start_new_session=True, preexec_fn=_die_with_parent,
                                **kwargs)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._holder is not None:
            self._holder.stdin.close()
            try:
                self._holder.wait(10)
            except subprocess.TimeoutExpired:
                self._holder.kill()
                self._holder.wait()
            self._holder.stdout.close()
            self._holder.stderr.close()
            self._holder = None


def stop_process(process: subprocess.Popen | None, timeout: float = 30.0) -> None:
    """SIGTERM a program's process group, then SIGKILL it if it has not gone in ``timeout``."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()
