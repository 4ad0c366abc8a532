"""Shared helpers of the operations tests (not fixtures: plain functions)."""
from __future__ import annotations

import base64
import socket
import struct
import zlib


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png()
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


def assert_error_shape(response, code: str | None = None) -> dict:
    """The contract's error body: ``{"error": <code>, "message": <text>}`` as JSON."""
    assert response.is_json, (response.status_code, response.content_type, response.get_data()[:200])
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str), body
    assert isinstance(body.get("message"), str) and body["message"], body
    if code is not None:
        assert body["error"] == code, body
    return body


def fill_rule(rule, ids: dict, default: str = "snp_00000000000000000000000") -> str:
    """A concrete path for a werkzeug rule, taking each argument from ``ids`` (else ``default``)."""
    values = {name: ids.get(name, default) for name in rule.arguments}
    return rule.rule if not values else _build(rule.rule, values)


def _build(template: str, values: dict) -> str:
    import re

    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), template)


def all_redis_bytes(r) -> bytes:
    """Every key name and value in the database, concatenated (to look for secrets in it)."""
    out = []
    for key in r.scan_iter(count=1000):
        out.append(key)
        kind = r.type(key)
        if kind == b"string":
            out.append(r.get(key) or b"")
        elif kind == b"hash":
            for field, value in r.hgetall(key).items():
                out.extend((field, value))
        elif kind == b"set":
            out.extend(r.smembers(key))
        elif kind == b"list":
            out.extend(r.lrange(key, 0, -1))
        elif kind == b"zset":
            out.extend(member for member, _ in r.zrange(key, 0, -1, withscores=True))
    return b"\n".join(out)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
