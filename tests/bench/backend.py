"""The backend a benchmark runs against in-process: the embedded Redis in a fresh temporary
directory, emptied, and a test-mode app on it (rate limits off). Stopped on the way out."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def bench_backend(**config) -> Iterator[tuple]:
    """(app, redis client, temporary directory); ``config`` adds to or overrides the app's."""
    from server import create_app
    from server.storage.redis import EmbeddedRedis, connect

    tmp = Path(tempfile.mkdtemp(prefix="kadun-bench-"))
    redis_server = EmbeddedRedis(tmp / "redis")
    r = connect(redis_server.start())
    try:
        r.flushall()
        app = create_app({"TESTING": True, "REDIS": r, "DATA_DIR": str(tmp / "data"), "RATELIMIT_ENABLED": False,
                          **config})
        yield app, r, tmp
    finally:
        r.close()
        redis_server.stop()
