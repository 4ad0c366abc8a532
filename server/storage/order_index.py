"""The write side of the orders and search indexes (see ``server.storage.orders``): the commands
each capture adds to its own MULTI. Kept apart from the read side, which reads capture records, so
that ``captures`` (which writes through this module) and ``orders`` (which reads captures) do not
import each other.
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator

from . import keys

SEP = "\n"  # between domain and order number in a member (neither contains a newline)


def member(domain: str, order_no: str) -> str:
    return f"{domain.lower()}{SEP}{order_no}"


def split(value) -> tuple[str, str]:
    text = value.decode() if isinstance(value, bytes) else str(value)
    domain, _, order_no = text.partition(SEP)
    return domain, order_no


def index_capture(pipe, user: str, snapshot_id: str, index: int, domain, order_no) -> None:
    """Queue one capture's index writes (idempotent, order-free; see the module docstring).

    Facts are the scrapers' (or, in older records, anyone's): values are taken as text, so an
    odd one (a number, say) is indexed as such and never fails the capture."""
    domain = str(domain).strip().lower() if domain not in (None, "") else ""
    order_no = str(order_no).strip() if order_no not in (None, "") else ""
    if not domain or SEP in domain:
        return
    pipe.sadd(keys.user_domains(user), domain)
    if order_no and SEP not in order_no:
        pipe.zadd(keys.orders(user), {member(domain, order_no): index}, gt=True)
        pipe.zadd(keys.snapshots_by_shop_order(user, domain, order_no), {snapshot_id: index})


def merged_ids(r, sources: list[str], before: int | None = None, batch: int = 200) -> Iterator[tuple[str, int]]:
    """(snapshot id, chain index) from several index sorted sets, newest first, each id once.

    Each set is read in batches below the cursor; a chain index belongs to one capture, so equal
    indexes from two sets are the same capture."""
    if not sources:
        return
    top0 = f"({before}" if before is not None else "+inf"

    def rows_of(raw) -> list[tuple[str, int]]:
        return [(m.decode(), int(s)) for m, s in raw]

    pipe = r.pipeline(transaction=False)
    for key in sources:
        pipe.zrevrangebyscore(key, top0, "-inf", start=0, num=batch, withscores=True)
    buffers = [rows_of(raw) for raw in pipe.execute()]
    positions = [0] * len(sources)
    heap = [(-rows[0][1], n, rows[0][0]) for n, rows in enumerate(buffers) if rows]
    heapq.heapify(heap)
    last = None
    while heap:
        negative, n, snapshot_id = heapq.heappop(heap)
        if -negative != last:
            last = -negative
            yield snapshot_id, last
        positions[n] += 1
        if positions[n] >= len(buffers[n]):
            if len(buffers[n]) < batch:
                continue  # that set has nothing older
            buffers[n] = rows_of(r.zrevrangebyscore(sources[n], f"({buffers[n][-1][1]}", "-inf", start=0,
                                                    num=batch, withscores=True))
            positions[n] = 0
            if not buffers[n]:
                continue
        snapshot_id, index = buffers[n][positions[n]]
        heapq.heappush(heap, (-index, n, snapshot_id))
