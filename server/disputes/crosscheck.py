"""Server capture against extension capture of the same URL: does the promise text the backend
fetched itself match what the buyer's extension saved? This answers "the extension forged it":
the server's copy came from the shop directly, not through the buyer's browser."""
from __future__ import annotations

import difflib
from urllib.parse import urlsplit, urlunsplit

from ..storage import captures as capture_store
from .collect import DOMAIN_SCAN, Collection


def _url_key(url: str | None) -> str:
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return url or ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _promise_lines(facts: dict) -> list[str]:
    """The page's promises and policies as quoted lines (what a complaint relies on)."""
    lines = [p.get("quote") for p in facts.get("promises") or [] if p.get("quote")]
    lines += [p.get("quote") for p in facts.get("policies") or [] if p.get("quote")]
    return sorted(dict.fromkeys(lines))


def build_cross_checks(r, coll: Collection) -> list[dict]:
    """One comparison per server capture in the dispute that has an extension capture of the
    same URL (the extension capture nearest in time), and per extension capture in the dispute
    whose URL the server also fetched."""
    user = coll.record.user
    in_dispute = coll.captures()
    domains = {e.capture.domain for e in in_dispute if e.capture and e.capture.domain}
    pool = {}
    for domain in domains:
        ids = [sid for sid, _ in capture_store.ids_newest_first(r, user, domain=domain, limit=DOMAIN_SCAN)]
        for capture in capture_store.get_many(r, user, ids):
            pool[capture.id] = capture
    for item in in_dispute:
        pool[item.id] = item.capture
    by_url: dict[str, dict[str, list]] = {}
    for capture in pool.values():
        side = "server" if capture.source == "server" else "extension"
        by_url.setdefault(_url_key(capture.url), {"server": [], "extension": []})[side].append(capture)
    wanted = {_url_key(e.capture.url) for e in in_dispute}
    facts_cache: dict[str, dict] = {}

    def facts_of(capture) -> dict:
        if capture.facts_id not in facts_cache:
            facts_cache[capture.facts_id] = capture_store.get_facts(r, user, capture) or {}
        return facts_cache[capture.facts_id]

    out = []
    for url in sorted(wanted):
        sides = by_url.get(url) or {}
        if not sides.get("server") or not sides.get("extension"):
            continue
        for server in sorted(sides["server"], key=lambda c: c.chain_index):
            nearest = min(sides["extension"], key=lambda c: abs(c.chain_index - server.chain_index))
            out.append(compare(server, facts_of(server), nearest, facts_of(nearest)))
    return out


def compare(server, server_facts: dict, extension, extension_facts: dict) -> dict:
    """The comparison of two captures of one URL (pure)."""
    theirs, ours = _promise_lines(server_facts), _promise_lines(extension_facts)
    diff = list(difflib.unified_diff(ours, theirs, fromfile=f"extension {extension.id}", tofile=f"server {server.id}",
                                     lineterm="", n=0))
    same = ours == theirs
    same_bytes = server.sha256 == extension.sha256
    if same:
        zh = (f"卡盾服务器于 {server.received_at} 直接从商家网站取得的同一页面，承诺与条款文字与扩展保存的页面"
              f"（{extension.received_at}）一致" + ("，且页面内容逐字节相同" if same_bytes else "") + "：证据并非由买家浏览器伪造。")
        en = (f"The page KaDun's server fetched itself from the shop at {server.received_at} states the same promises "
              f"and terms as the extension's capture ({extension.received_at})"
              + (", byte for byte" if same_bytes else "") + ": the evidence was not forged in the buyer's browser.")
    else:
        zh = (f"服务器于 {server.received_at} 取得的页面与扩展保存的页面（{extension.received_at}）承诺文字不同："
              f"仅扩展页面有 {len(set(ours) - set(theirs))} 条，仅服务器页面有 {len(set(theirs) - set(ours))} 条"
              "（商家可能在两次保存之间修改了页面，见差异）。")
        en = (f"The page the server fetched at {server.received_at} differs from the extension's capture "
              f"({extension.received_at}) in its promises: {len(set(ours) - set(theirs))} only in the extension's, "
              f"{len(set(theirs) - set(ours))} only in the server's (the shop may have changed the page in between; "
              "see the diff).")
    return {"url": server.url, "match": same, "same_bytes": same_bytes,
            "server": {"snapshot_id": server.id, "received_at": server.received_at, "sha256": server.sha256},
            "extension": {"snapshot_id": extension.id, "received_at": extension.received_at,
                          "sha256": extension.sha256},
            "only_server": [q for q in theirs if q not in ours], "only_extension": [q for q in ours if q not in theirs],
            "diff": diff, "summary": {"zh": zh, "en": en}}
