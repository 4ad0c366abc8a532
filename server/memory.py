"""How a long-running worker keeps its memory flat (issue 20).

A capture brings a page of up to 8 MiB and a screenshot into the worker several times over (the
request body, the decoded HTML, its UTF-8 bytes, the compressed blob, the parsed tree); they are
all freed when the answer is made. glibc's malloc serves blocks of 128 KiB and more with their own
``mmap`` (returned to the system on free) but raises that threshold to the size of each such block
it frees, up to 32 MiB: after the first large page every later one is carved from the heap
instead, four request threads interleave them with small long-lived objects, and the freed space
can be kept as holes between long-lived objects, so a worker's RSS ratchets up with the largest
pages it has seen. Fixing the threshold keeps every large, short-lived buffer out of the heap
(``tests/bench/bench_memory.py`` shows the workers flat; README "Memory").

Nothing here is needed for correctness: on a C library without ``mallopt`` (musl, macOS) this is a
no-op.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("kadun.memory")

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers (malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, kept from then on

_libc = None


def _c_library():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        except OSError:
            _libc = False
    return _libc or None


def tune_allocator(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Keep malloc's mmap threshold at ``threshold`` bytes in this process (see the module
    docstring); True when the C library took it. Call once, in each worker process."""
    libc = _c_library()
    mallopt = getattr(libc, "mallopt", None) if libc else None
    if mallopt is None:
        return False
    ok = bool(mallopt(M_MMAP_THRESHOLD, int(threshold)))
    if not ok:
        log.warning("mallopt(M_MMAP_THRESHOLD) refused; worker memory may grow with large pages")
    return ok

