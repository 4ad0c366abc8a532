"""Captured pages: metadata, facts, sightings and indexes (reads and writes, no judgement).

Stored compactly, because a page captured again and again costs only its metadata: the receipt
keeps its signature (the payload is rebuilt from the capture's own fields), ``facts_id`` is
derived, empty fields are left out, warnings are stored once per distinct list, and a sighting
is the snapshot id alone.
"""
from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

from . import blobs, chain, keys, order_index
from .records import receipt_payload, sha256_hex


def new_id(prefix: str) -> str:
    """Time-ordered, unguessable ids: ``snp_`` + ms timestamp (hex) + 12 random hex digits."""
    return f"{prefix}_{int(time.time() * 1000):011x}{secrets.token_hex(6)}"


def facts_id_for(sha256: str, url: str, version: str = "") -> str:
    """Facts depend on the bytes, the URL and the scraper code that read them (``version``), so
    identical captures share one facts record until the scrapers change. ``version=""`` gives the
    ids of records written before versions were kept."""
    return sha256_hex((f"{sha256}\n{url}\n{version}" if version else f"{sha256}\n{url}").encode())


@dataclass
class Capture:
    """What the backend knows about one capture besides its bytes."""

    id: str
    user: str
    url: str
    title: str | None
    domain: str
    page_kind: str
    order_no: str | None
    seller_id: str | None
    sha256: str
    screenshot_sha256: str | None
    html_size: int
    screenshot_size: int | None
    received_at: str
    captured_at: str | None
    clock_offset_seconds: float | None
    trigger: str
    extension_version: str | None
    client_id: str
    chain_index: int
    chain_hash: str
    facts_id: str
    receipt: dict
    warnings: list = field(default_factory=list)
    # True from the chain write until the warnings are stored: a concurrent duplicate upload
    # waits for them (see settled), so every answer for one client_id is the same.
    pending: bool = False
    # The scraper code that parsed the facts (part of ``facts_id``; None for records made before)
    facts_version: str | None = None
    # Who captured it: None (the browser extension) or "server" (a shared link the backend
    # fetched itself), and for server captures how it was fetched (final URL, hops, addresses).
    source: str | None = None
    fetch: dict | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Capture:
        names = {f.name for f in fields(cls)}
        values = {name: None for name in names}
        values.update({k: v for k, v in data.items() if k in names})
        values["warnings"] = values["warnings"] or []
        values["trigger"] = values["trigger"] or "auto"
        if not values["facts_id"]:
            values["facts_id"] = facts_id_for(values["sha256"], values["url"], values["facts_version"] or "")
        if not values["receipt"] and "sig" in data:
            # "rv": the receipt format the signature was made over (absent: version 1, no URL).
            values["receipt"] = {"payload": receipt_payload(values, int(data.get("rv") or 1)), "signature": data["sig"],
                                 "key_id": data.get("key_id")}
        return cls(**values)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> dict:
        """The item shape of GET /v1/snapshots."""
        return {"id": self.id, "url": self.url, "title": self.title, "domain": self.domain,
                "page_kind": self.page_kind, "received_at": self.received_at, "sha256": self.sha256,
                "order_no": self.order_no}


def cached_facts(r, user: str, html: bytes, url: str, version: str = "") -> dict | None:
    """Facts already parsed for these exact bytes at this URL by scraper code ``version`` (repeat
    captures skip parsing)."""
    raw = r.get(keys.facts(user, facts_id_for(sha256_hex(html), url, version)))
    return json.loads(raw) if raw else None


def find_by_client_id(r, user: str, client_id: str) -> Capture | None:
    snapshot_id = r.hget(keys.client_ids(user), client_id)
    return get(r, user, snapshot_id.decode()) if snapshot_id else None


def store(r, user: str, *, client_id: str, html: bytes, screenshot: bytes | None, url: str,
          title: str | None, captured_at: str | None, clock_offset_seconds_of: Callable[[str], float | None],
          trigger: str, extension_version: str | None, facts: dict, now: Callable[[], str],
          sign: Callable[[dict], dict], facts_version: str = "", source: str | None = None,
          fetch: dict | None = None, bytes_limit: int | None = None) -> tuple[Capture, bool]:
    """Store one capture exactly once; returns (capture, created).

    Blobs and facts are content-addressed and written NX before the chain transaction (an orphan
    left by a crash is harmless and is reused by the retry). The metadata, the client_id mapping,
    the sighting, the indexes and the chain link are written in one MULTI, so a capture is either
    fully there and chained, or not there at all. With ``bytes_limit``, new bytes that would take
    the user's stored bytes past it raise :class:`blobs.OverQuota` before anything is chained.
    """
    existing = find_by_client_id(r, user, client_id)
    if existing:
        return existing, False
    sha = sha256_hex(html)
    shot_sha = sha256_hex(screenshot) if screenshot else None
    fid = facts_id_for(sha, url, facts_version)
    pre = r.pipeline(transaction=False)
    if not blobs.exists(r, user, sha):
        blobs.put(pre, user, sha, html, bytes_limit)
    if screenshot and not blobs.exists(r, user, shot_sha):
        blobs.put(pre, user, shot_sha, screenshot, bytes_limit)
    pre.set(keys.facts(user, fid), json.dumps(facts, ensure_ascii=False, separators=(",", ":")), nx=True)
    if blobs.REFUSED in pre.execute()[:-1]:
        raise blobs.OverQuota(user)

    snapshot_id = new_id("snp")
    order = facts.get("order") or {}
    seller = facts.get("seller") or {}
    domain = (facts.get("domain") or "").lower()
    holder: dict = {}

    def write(pipe, link, received_at):
        receipt = sign({"id": snapshot_id, "user": user, "url": url, "sha256": sha, "screenshot_sha256": shot_sha,
                        "received_at": received_at, "chain_index": link.index, "chain_hash": link.chain_hash})
        capture = Capture(
            id=snapshot_id, user=user, url=url, title=title, domain=domain,
            page_kind=facts.get("page_kind") or "other", order_no=order.get("order_no"),
            seller_id=seller.get("id"), sha256=sha, screenshot_sha256=shot_sha, html_size=len(html),
            screenshot_size=len(screenshot) if screenshot else None, received_at=received_at,
            captured_at=captured_at, clock_offset_seconds=clock_offset_seconds_of(received_at),
            trigger=trigger, extension_version=extension_version, client_id=client_id,
            chain_index=link.index, chain_hash=link.chain_hash, facts_id=fid, facts_version=facts_version or None,
            receipt=receipt, source=source, fetch=fetch,
            pending=True)
        holder["capture"] = capture
        pipe.set(keys.snapshot(user, snapshot_id), _dump(capture))
        pipe.hset(keys.client_ids(user), client_id, snapshot_id)
        pipe.rpush(keys.sightings(user, sha), snapshot_id)  # received_at and url are in the metadata
        score = {snapshot_id: link.index}
        pipe.zadd(keys.snapshots_all(user), score)
        if domain:
            pipe.zadd(keys.snapshots_by_domain(user, domain), score)
        if capture.order_no:
            pipe.zadd(keys.snapshots_by_order(user, capture.order_no), score)
        pipe.zadd(keys.snapshots_by_kind(user, capture.page_kind), score)
        if domain and capture.seller_id:
            pipe.zadd(keys.snapshots_by_seller(user, domain, capture.seller_id), score)
        order_index.index_capture(pipe, user, snapshot_id, link.index, domain, capture.order_no)

    try:
        chain.append(r, user, snapshot_id, sha, now, write, guard_key=keys.client_ids(user), guard_field=client_id)
    except chain.GuardTripped:
        # The same client_id was stored by a concurrent request: answer with that one.
        return find_by_client_id(r, user, client_id), False
    return holder["capture"], True


# Warnings quote the capture they were given for (its id and time); stored with these two values
# as placeholders, the warnings of repeat captures of one page are one document. A NUL cannot
# appear unescaped in JSON text, so the placeholders never collide with real content.
_SELF_ID, _SELF_AT = '"\\u0000id"', '"\\u0000at"'


def _warnings_doc(capture: Capture) -> str:
    text = json.dumps(capture.warnings, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text:
        return text  # real NULs in a message: store as is
    return text.replace(json.dumps(capture.id), _SELF_ID).replace(json.dumps(capture.received_at), _SELF_AT)


def _warnings_of(doc: str, data: dict) -> list:
    doc = doc.replace(_SELF_ID, json.dumps(data["id"])).replace(_SELF_AT, json.dumps(data["received_at"]))
    return json.loads(doc)


def _warnings_id(doc: str) -> str:
    return sha256_hex(doc.encode())[:32]


def _dump(capture: Capture) -> bytes:
    """The stored form: no derived or empty fields, the receipt as its signature alone."""
    # A shallow copy (dataclasses.asdict deep-copies the warnings, a hot-path cost for nothing).
    data = {f.name: getattr(capture, f.name) for f in fields(capture)}
    data.pop("facts_id")
    receipt = data.pop("receipt")
    if receipt.get("payload") == receipt_payload(data, 2):
        data["sig"], data["key_id"], data["rv"] = receipt["signature"], receipt["key_id"], 2
    elif receipt.get("payload") == receipt_payload(data, 1):
        data["sig"], data["key_id"] = receipt["signature"], receipt["key_id"]
    else:  # signed over something else (an older format): keep it whole
        data["receipt"] = receipt
    data.pop("user")  # the key says whose it is
    if data.pop("warnings"):
        data["warnings_id"] = _warnings_id(_warnings_doc(capture))
    if not data.get("pending"):
        data.pop("pending")
    if data.get("trigger") == "auto":
        data.pop("trigger")
    return blobs.pack_record(json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False,
                                        separators=(",", ":")))


def decode_record(raw) -> dict:
    """A stored capture record as a dict (ValueError for anything else)."""
    data = json.loads(blobs.unpack_record(raw))
    if not isinstance(data, dict):
        raise ValueError("a capture record is a JSON object")
    return data


RECORD_BATCH = 500


def user_records(r, user: str, batch: int = RECORD_BATCH):
    """Every stored capture record of ``user`` as (capture id, record dict), read ``batch`` at a
    time with one non-transactional pipeline each (any slots: Redis Cluster too). Records that are
    gone or unreadable are left out."""
    ids = [m.decode() if isinstance(m, bytes) else str(m) for m in r.zrange(keys.snapshots_all(user), 0, -1)]
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        pipe = r.pipeline(transaction=False)
        for sid in chunk:
            pipe.get(keys.snapshot(user, sid))
        for sid, raw in zip(chunk, pipe.execute(), strict=True):
            if not raw:
                continue
            try:
                yield sid, decode_record(raw)
            except ValueError:
                continue


def settled(r, user: str, capture: Capture, wait: float = 5.0, stale_after: float = 30.0) -> Capture:
    """``capture`` once its warnings are stored (a concurrent upload of the same client_id is
    still judging it). Gives up after ``wait`` seconds, or at once for a capture whose judging
    was interrupted long ago (a crash between the chain write and the warnings)."""
    from datetime import datetime

    deadline = time.monotonic() + wait
    while capture.pending and time.monotonic() < deadline:
        received = datetime.fromisoformat(capture.received_at)
        if (datetime.now(received.tzinfo) - received).total_seconds() > stale_after:
            break
        time.sleep(0.01)
        capture = get(r, user, capture.id) or capture
    return capture


def set_warnings(r, user: str, capture: Capture, warnings: list) -> None:
    """Remember the warnings given with a capture, so a retried upload gets the same answer;
    this also marks the capture as settled."""
    capture.warnings = warnings
    capture.pending = False
    pipe = r.pipeline(transaction=True)
    if warnings:
        doc = _warnings_doc(capture)
        pipe.set(keys.warnings(user, _warnings_id(doc)), doc, nx=True)
    pipe.set(keys.snapshot(user, capture.id), _dump(capture))
    pipe.execute()


def _load(r, user: str, raws: list) -> list[Capture]:
    """Captures from stored JSON, their shared warnings fetched in one round trip."""
    datas = [decode_record(raw) for raw in raws if raw]
    wanted = sorted({d["warnings_id"] for d in datas if d.get("warnings_id")})
    found = dict(zip(wanted, _mget(r, [keys.warnings(user, w) for w in wanted]), strict=True)) if wanted else {}
    out = []
    for data in datas:
        data.setdefault("user", user)
        if data.get("warnings_id"):
            raw = found.get(data["warnings_id"])
            data["warnings"] = _warnings_of(raw.decode(), data) if raw else []
        out.append(Capture.from_dict(data))
    return out


def _mget(r, names: list[str]) -> list:
    return r.mget(names) if not _is_cluster(r) else [r.get(name) for name in names]


def get(r, user: str, snapshot_id: str) -> Capture | None:
    found = _load(r, user, [r.get(keys.snapshot(user, snapshot_id))])
    return found[0] if found else None


def get_many(r, user: str, snapshot_ids: list[str]) -> list[Capture]:
    """The captures of ``snapshot_ids`` that exist, in the same order."""
    if not snapshot_ids:
        return []
    return _load(r, user, _mget(r, [keys.snapshot(user, sid) for sid in snapshot_ids]))


def _is_cluster(r) -> bool:
    return r.__class__.__name__ == "RedisCluster"


def get_facts(r, user: str, capture: Capture) -> dict | None:
    raw = r.get(keys.facts(user, capture.facts_id))
    return json.loads(raw) if raw else None


def get_facts_many(r, user: str, facts_ids: list[str]) -> dict[str, dict | None]:
    """facts_id → the stored facts (None when missing), in one round trip."""
    wanted = list(dict.fromkeys(facts_ids))
    if not wanted:
        return {}
    raws = _mget(r, [keys.facts(user, fid) for fid in wanted])
    return {fid: (json.loads(raw) if raw else None) for fid, raw in zip(wanted, raws, strict=True)}


def sightings(r, user: str, sha256: str) -> list[dict]:
    """Every time these bytes were seen: ``{snapshot_id, received_at, url}``, oldest first."""
    entries = [raw.decode() for raw in r.lrange(keys.sightings(user, sha256), 0, -1)]
    ids = [e for e in entries if not e.startswith("{")]
    by_id = {c.id: c for c in get_many(r, user, ids)}
    out = []
    for entry in entries:
        if entry.startswith("{"):  # a full record (older captures, or written by other evidence)
            out.append(json.loads(entry))
        elif entry in by_id:
            out.append({"snapshot_id": entry, "received_at": by_id[entry].received_at, "url": by_id[entry].url})
    return out


def _index_key(user: str, domain: str | None, order_no: str | None, page_kind: str | None,
               seller_id: str | None) -> str:
    """The most selective index for these filters."""
    if order_no:
        return keys.snapshots_by_order(user, order_no)
    if domain and seller_id:
        return keys.snapshots_by_seller(user, domain, seller_id)
    if domain:
        return keys.snapshots_by_domain(user, domain)
    if page_kind:
        return keys.snapshots_by_kind(user, page_kind)
    return keys.snapshots_all(user)


def ids_newest_first(r, user: str, *, domain: str | None = None, order_no: str | None = None,
                     page_kind: str | None = None, seller_id: str | None = None,
                     before_index: int | None = None, limit: int = 50) -> list[tuple[str, int]]:
    """Snapshot ids (with chain index) from the most selective index, newest first."""
    key = _index_key(user, domain, order_no, page_kind, seller_id)
    top = f"({before_index}" if before_index is not None else "+inf"
    rows = r.zrevrangebyscore(key, top, "-inf", start=0, num=limit, withscores=True)
    return [(member.decode(), int(score)) for member, score in rows]


def list_captures(r, user: str, *, domain: str | None = None, order_no: str | None = None,
                  page_kind: str | None = None, seller_id: str | None = None, since: str | None = None,
                  limit: int = 50, cursor: int | None = None,
                  sources: list[str] | None = None) -> tuple[list[Capture], int | None]:
    """A page of captures matching every filter, newest first, and the cursor of the next page.

    The cursor is the chain index of the last capture returned (indexes are unique per user and
    only grow), so pages never repeat or skip a capture even while new ones arrive. A cursor is
    given only when at least one more matching capture exists. ``sources`` (index keys, see
    orders.search_sources) limits the captures to those in any of them (a search).
    """
    from datetime import datetime
    from itertools import islice

    since_at = datetime.fromisoformat(since) if since else None
    out: list[Capture] = []
    batch_size = min(max(limit + 1, 100), 1000)
    if sources is None:
        sources = [_index_key(user, domain, order_no, page_kind, seller_id)]
    ids = order_index.merged_ids(r, sources, before=cursor, batch=batch_size)
    while True:
        batch = list(islice(ids, batch_size))
        if not batch:
            return out, None
        for capture in get_many(r, user, [sid for sid, _ in batch]):
            if since_at and _received(capture) < since_at:
                # Newest first (chain order is server-time order): everything after is older still.
                return out, None
            if not _matches(capture, domain, order_no, page_kind, seller_id):
                continue
            if len(out) == limit:
                return out, out[-1].chain_index  # one more match exists
            out.append(capture)


def _received(capture: Capture):
    from datetime import datetime

    return datetime.fromisoformat(capture.received_at)


def _matches(capture: Capture, domain, order_no, page_kind, seller_id) -> bool:
    return ((not domain or capture.domain == domain.lower())
            and (not order_no or capture.order_no == order_no)
            and (not page_kind or capture.page_kind == page_kind)
            and (not seller_id or capture.seller_id == seller_id))


def count(r, user: str) -> int:
    return int(r.zcard(keys.snapshots_all(user)))
