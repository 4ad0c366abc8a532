"""A dispute's evidence pack: the dispute computed now, its captures' and attachments' bytes from
storage, the chain segment holding them (up to the stamped heads that cover them), the stamps,
written and signed by server/evidence/pack.py."""
from __future__ import annotations

from collections.abc import Callable

from .. import clock
from ..errors import NotFound
from ..evidence.pack import PackItem, write_pack
from ..evidence.report import render_report
from ..storage import blobs
from ..storage import chain as chain_store
from ..storage import stamps as stamp_store
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


def covering_stamps(r, user: str, items: list[PackItem]) -> list:
    """For each item the first stamp of a head at or after it; the distinct ones, oldest first."""
    if not items:
        return []
    chosen: dict[int, object] = {}
    candidates = stamp_store.all_from(r, user, min(i.chain_index for i in items))
    for item in items:
        stamp = next((s for s in candidates if s.chain_index >= item.chain_index), None)
        if stamp is not None:
            chosen[stamp.chain_index] = stamp
    return [chosen[k] for k in sorted(chosen)]


def sightings(ev) -> list[dict]:
    """Every capture of an item's bytes in the dispute (the same bytes saved twice are one item):
    each with its own receipt and chain link, so each sighting can be checked too."""
    return [{"snapshot_id": c.id, "received_at": c.received_at, "url": c.url, "chain_index": c.chain_index,
             "chain_hash": c.chain_hash, "receipt": c.receipt} for c in ev.captures]


def chain_segment(r, user: str, items: list[PackItem], stamps: list | None = None) -> list[dict]:
    """The consecutive links from the first item (or sighting) to the last item, sighting or
    stamped head, so the verifier can follow them (and see each item reach the head a token stamps)."""
    if not items:
        return []
    indexes = [i.chain_index for i in items] + [s["chain_index"] for i in items for s in i.extra.get("sightings", [])]
    lo = min(indexes)
    hi = max(indexes + [s.chain_index for s in stamps or []])
    return [link.as_dict() for link in chain_store.links(r, user, lo, hi)]


def _wacz_tsa(stamp_config):
    """A TSA call for the WACZ's timeSignature (first TSA that answers), or None."""
    if not (stamp_config and stamp_config.enabled):
        return None
    from ..evidence import timestamp

    def call(digest: bytes):
        for url in stamp_config.tsa_urls:
            try:
                reply, token = timestamp.request_token(url, digest, stamp_config.timeout)
                chain = timestamp.complete_chain(token, stamp_config.ca_bundle)
                timestamp.verify_token(reply, digest, chain)
                return reply, chain
            except timestamp.TimestampError:
                continue
        return None
    return call


def export_pack(r, user: str, dispute_id: str, signer, out, *,
                progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None,
                tsa_configured: bool = False, wacz_signer=None, stamp_config=None) -> dict:
    """Write the pack of ``dispute_id`` to ``out``; returns the manifest."""
    built = get_built(r, user, dispute_id)
    items = pack_items(r, user, built)
    if on_total:
        on_total(len(items) + 3)
    key = signer.key_info()
    stamps = covering_stamps(r, user, items)
    chains = stamp_store.chains(r, user, {t.chain for s in stamps for t in s.tokens})
    timestamps = {"configured": tsa_configured or bool(stamps), "stamps": [s.as_dict() for s in stamps],
                  "chains": chains}
    wacz_sign = None
    if wacz_signer is not None:
        tsa = _wacz_tsa(stamp_config)
        wacz_sign = lambda digest, created: wacz_signer.sign(digest, created, tsa)  # noqa: E731
    return write_pack(out, dispute=built.dispute, items=items, chain_links=chain_segment(r, user, items, stamps),
                      public_key=key, user=user, generated_at=clock.now_iso(),
                      render_report=lambda dispute, its, trust: render_report(dispute, its, key, trust),
                      sign_manifest=signer.sign_bytes, timestamps=timestamps, wacz_sign=wacz_sign,
                      wacz_info=wacz_signer.info() if wacz_signer is not None else None, progress=progress)
