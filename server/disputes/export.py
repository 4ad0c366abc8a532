"""A dispute's evidence pack: the dispute computed now, its captures' and attachments' bytes from
storage, the chain segment holding them, written by server/evidence/pack.py."""
from __future__ import annotations

from collections.abc import Callable

from .. import clock
from ..errors import NotFound
from ..evidence.pack import PackItem, write_pack
from ..evidence.report import render_report
from ..storage import blobs
from ..storage import chain as chain_store
from .service import Built, get_built


def pack_items(r, user: str, built: Built) -> list[PackItem]:
    """Every numbered evidence item with its bytes (and screenshot), in item-number order."""
    items = []
    for ev in sorted(built.collection.all(), key=lambda e: e.no):
        data = blobs.get(r, user, ev.sha256)
        if data is None:
            raise NotFound(f"the bytes of {ev.id} are missing from storage", item_id=ev.id)
        if ev.capture is not None:
            cap = ev.capture
            shot = blobs.get(r, user, cap.screenshot_sha256) if cap.screenshot_sha256 else None
            items.append(PackItem(no=ev.no, id=cap.id, type="capture", data=data, sha256=cap.sha256,
                                  received_at=cap.received_at, chain_index=cap.chain_index,
                                  chain_hash=cap.chain_hash, receipt=cap.receipt, url=cap.url,
                                  screenshot=shot, screenshot_sha256=cap.screenshot_sha256 if shot else None,
                                  title=cap.title, extra={"page_kind": cap.page_kind, "sightings": sightings(ev)}))
        else:
            att = ev.attachment
            items.append(PackItem(no=ev.no, id=att.id, type="attachment", data=data, sha256=att.sha256,
                                  received_at=att.received_at, chain_index=att.chain_index,
                                  chain_hash=att.chain_hash, receipt=att.receipt, filename=att.filename,
                                  extra={"kind": att.kind, "content_type": att.content_type}))
    return items


def sightings(ev) -> list[dict]:
    """Every capture of an item's bytes in the dispute (the same bytes saved twice are one item):
    each with its own receipt and chain link, so each sighting can be checked too."""
    return [{"snapshot_id": c.id, "received_at": c.received_at, "url": c.url, "chain_index": c.chain_index,
             "chain_hash": c.chain_hash, "receipt": c.receipt} for c in ev.captures]


def chain_segment(r, user: str, items: list[PackItem]) -> list[dict]:
    """The consecutive links from the first to the last item (and sighting), so the verifier can
    follow them."""
    if not items:
        return []
    indexes = [i.chain_index for i in items] + [s["chain_index"] for i in items for s in i.extra.get("sightings", [])]
    lo, hi = min(indexes), max(indexes)
    return [link.as_dict() for link in chain_store.links(r, user, lo, hi)]


def export_pack(r, user: str, dispute_id: str, signer, out, *,
                progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None) -> dict:
    """Write the pack of ``dispute_id`` to ``out``; returns the manifest."""
    built = get_built(r, user, dispute_id)
    items = pack_items(r, user, built)
    if on_total:
        on_total(len(items) + 3)
    key = signer.key_info()
    return write_pack(out, dispute=built.dispute, items=items, chain_links=chain_segment(r, user, items),
                      public_key=key, user=user, generated_at=clock.now_iso(),
                      render_report=lambda dispute, its: render_report(dispute, its, key), progress=progress)
