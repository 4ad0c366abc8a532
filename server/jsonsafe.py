"""JSON from outside (request bodies, uploads, packs, files given to the CLI), read safely.

``json.loads`` raises ``RecursionError``, not ``ValueError``, for arrays or objects nested past
the interpreter's recursion limit ("[" repeated 200,000 times is a few hundred kilobytes), so
every ``except ValueError`` around it let such input through as a crash: a 500 for an upload, a
traceback from ``kadun verify``. :func:`loads` is the one reader of outside JSON: anything it
cannot read is a ``ValueError``.
"""
from __future__ import annotations

import json


def loads(data: str | bytes | bytearray):
    """``json.loads(data)``; ValueError (not RecursionError) when it is nested too deeply."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None


__all__ = ["loads"]
