"""A pack or export build killed half-way leaves no copy of the buyer's evidence behind.

Builds (the WARC and WACZ of a pack or an account export) write temporary files. A worker killed
with SIGKILL mid-build left them in the system's /tmp for good, where "delete my account" never
reaches. Now they live in a per-data-directory scratch directory (private), and an app start or
the next build removes what a killed build left once it is older than any build runs.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from server.storage import scratch
from tests.conftest import ROOT

# A build killed half-way: it writes a page's bytes into its scratch directory and is killed.
_KILLED_BUILD = r"""
import os, signal, sys
from server.storage import scratch
scratch.configure(sys.argv[1])
holder = scratch.directory("kadun-export-")
tmp = holder.__enter__()
with open(os.path.join(tmp, "captures.warc.gz"), "wb") as handle:
    handle.write(b"delivered card code KM-7731-SECRET")
print(tmp, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_build(data_dir: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return Path(done.stdout.strip())


def test_a_killed_builds_files_are_private_and_swept(redis_client, data_dir):
    from server import create_app

    left = _killed_build(data_dir)
    assert left.is_dir() and (left / "captures.warc.gz").read_bytes().startswith(b"delivered")
    assert not str(left).startswith(str(Path("/tmp") / "kadun-export-"))  # not loose in the shared /tmp
    root = left.parent
    assert root.name.startswith("scratch-") and oct(root.stat().st_mode & 0o777) == "0o700"
    assert oct(root.parent.stat().st_mode & 0o777) == "0o700"

    # A build still running (recent) is left alone by a new app's start; a stale one is removed.
    running = _killed_build(data_dir)
    hours_ago = time.time() - 2 * scratch.STALE_SECONDS
    os.utime(left, (hours_ago, hours_ago))
    create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False})
    assert not left.exists() and running.is_dir()
    # ... and by the next build, once it is stale too.
    os.utime(running, (hours_ago, hours_ago))
    with scratch.directory("kadun-wacz-") as fresh:
        assert Path(fresh).parent == root
        assert not running.exists()
    assert list(root.iterdir()) == []


def test_another_data_directorys_builds_are_not_touched(redis_client, data_dir, tmp_path):
    from server import create_app

    other = tmp_path / "other data"
    other.mkdir()
    theirs = _killed_build(other)
    hours_ago = time.time() - 2 * scratch.STALE_SECONDS
    os.utime(theirs, (hours_ago, hours_ago))
    create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False})
    assert theirs.is_dir() and theirs.parent != scratch.configure(data_dir)
    scratch.configure(other)
    assert not theirs.exists()
    scratch.configure(data_dir)
