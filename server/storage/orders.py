"""Orders and search indexes: every order (shop domain + order number) a user has captures of,
and the domains they have captures of (reads and writes, no judgement).

Written with each capture, in the capture's own MULTI, by commands that can be replayed in any
order (``ZADD … GT``, ``ZADD``, ``SADD``): captures stored before these indexes existed are
indexed once per user by replaying them (``ensure_indexed``), at the same time as new captures
arrive, without a lock. They let the pickers reach every order: ``GET /v1/orders`` pages through
the orders newest first, and a search by order number or domain reads the indexes of the orders
and domains it matches instead of every capture.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import captures, erasure, keys
from .order_index import SEP, index_capture, member, merged_ids, split  # noqa: F401  (re-exported)

BATCH = 500


def ensure_indexed(r, user: str) -> None:
    """Index the user's captures made before the orders and domains indexes existed (once).

    A read can write here, so it may race the user's deletion (the captures read before it, the
    index written after): when the user is gone at the end, what was written is erased again. The
    check comes after the last write, so a deletion that lands later sweeps the writes itself."""
    if r.exists(keys.search_indexed(user)):
        return
    was_member = erasure.user_exists(r, user)
    top = "+inf"
    while True:
        rows = r.zrevrangebyscore(keys.snapshots_all(user), top, "-inf", start=0, num=BATCH, withscores=True)
        if not rows:
            break
        pipe = r.pipeline(transaction=False)
        for capture in captures.get_many(r, user, [m.decode() for m, _ in rows]):
            index_capture(pipe, user, capture.id, capture.chain_index, capture.domain, capture.order_no)
        pipe.execute()
        top = f"({int(rows[-1][1])}"
    r.set(keys.search_indexed(user), 1)
    erasure.purge_if_gone(r, user, was_member)


@dataclass
class Query:
    """A search: ``text`` (lower-cased) found in an order number or a domain, or ``domain`` (the
    registered domain of a host or URL that was searched for) equal to a capture's domain."""

    text: str
    domain: str | None = None

    def matches_domain(self, domain: str) -> bool:
        return self.text in domain or (self.domain is not None and domain == self.domain)

    def matches_order(self, domain: str, order_no: str) -> bool:
        return self.matches_domain(domain) or self.text in order_no.lower()


def list_orders(r, user: str, *, query: Query | None = None, limit: int = 50,
                cursor: int | None = None) -> tuple[list[dict], int | None]:
    """A page of the user's orders, newest first (the order of their newest capture), matching
    ``query``; and the cursor of the next page (the newest-capture index of the last order given)."""
    ensure_indexed(r, user)
    found: list[tuple[str, str, int]] = []
    top = f"({cursor}" if cursor is not None else "+inf"
    while len(found) <= limit:
        rows = r.zrevrangebyscore(keys.orders(user), top, "-inf", start=0, num=BATCH, withscores=True)
        if not rows:
            break
        for value, score in rows:
            domain, order_no = split(value)
            if query is None or query.matches_order(domain, order_no):
                found.append((domain, order_no, int(score)))
                if len(found) > limit:
                    break
        top = f"({int(rows[-1][1])}"
    more = len(found) > limit
    found = found[:limit]
    return _describe(r, user, found), (found[-1][2] if more and found else None)


def _describe(r, user: str, found: list[tuple[str, str, int]]) -> list[dict]:
    pipe = r.pipeline(transaction=False)
    for domain, order_no, _ in found:
        key = keys.snapshots_by_shop_order(user, domain, order_no)
        pipe.zcard(key)
        pipe.zrevrange(key, 0, 0)
    answers = pipe.execute() if found else []
    counts, newest = answers[0::2], [ids[0].decode() if ids else None for ids in answers[1::2]]
    latest = {c.id: c for c in captures.get_many(r, user, [sid for sid in newest if sid])}
    items = []
    for (domain, order_no, _), count, sid in zip(found, counts, newest, strict=True):
        capture = latest.get(sid)
        items.append({"domain": domain, "order_no": order_no, "captures": int(count),
                      "latest_snapshot_id": sid, "latest_at": capture.received_at if capture else None,
                      "title": capture.title if capture else None,
                      "page_kind": capture.page_kind if capture else None})
    return items


def all_orders(r, user: str) -> list[tuple[str, str]]:
    """Every order (domain, order number) the user has captures of."""
    return [split(m) for m in r.zrange(keys.orders(user), 0, -1)]


def search_sources(r, user: str, query: Query) -> list[str]:
    """The index keys whose captures match ``query``: each matching domain's, and each matching
    order's whose domain did not match already."""
    ensure_indexed(r, user)
    domains = sorted(d for d in (m.decode() for m in r.smembers(keys.user_domains(user))) if query.matches_domain(d))
    sources = [keys.snapshots_by_domain(user, d) for d in domains]
    matched = set(domains)
    for value in r.zrange(keys.orders(user), 0, -1):
        domain, order_no = split(value)
        if domain not in matched and query.text in order_no.lower():
            sources.append(keys.snapshots_by_shop_order(user, domain, order_no))
    return sources


