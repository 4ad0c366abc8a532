"""Server capture against extension capture of the same page: does the promise text the backend
fetched itself (a shared link) match what the buyer's extension saved? This answers "the
extension forged it": the server's copy came from the shop directly, not through the buyer's
browser.

Pure: the captures come from ``gather`` (which gathers the other source's capture of every page
of the evidence); the summary texts from disputes.toml (``[cross_checks]``).
"""
from __future__ import annotations

import difflib

from .. import rules
from ..facts import PageFacts
from ..storage.captures import Capture
from .gather import Item, OrderEvidence, page_key


def promise_lines(facts: PageFacts | None) -> list[str]:
    """The page's promises and policies as quoted lines (what a complaint relies on), sorted."""
    if facts is None:
        return []
    lines = [p.quote for p in facts.promises if p.quote] + [p.quote for p in facts.policies if p.quote]
    return sorted(dict.fromkeys(lines))


def compare(server: Capture, server_facts: PageFacts | None, extension: Capture,
            extension_facts: PageFacts | None) -> dict:
    """The comparison of two captures of one page (the ``cross_checks`` entry of a dispute)."""
    theirs, ours = promise_lines(server_facts), promise_lines(extension_facts)
    diff = list(difflib.unified_diff(ours, theirs, fromfile=f"extension {extension.id}", tofile=f"server {server.id}",
                                     lineterm="", n=0))
    same = ours == theirs
    same_bytes = server.sha256 == extension.sha256
    only_server = [q for q in theirs if q not in ours]
    only_extension = [q for q in ours if q not in theirs]
    if same:
        summary = rules.text("cross_checks", "match", server_at=server.received_at, extension_at=extension.received_at,
                             same_bytes=rules.texts("cross_checks", "same_bytes") if same_bytes else {"zh": "", "en": ""})
    else:
        summary = rules.text("cross_checks", "differ", server_at=server.received_at,
                             extension_at=extension.received_at, only_extension=len(only_extension),
                             only_server=len(only_server))
    return {"url": server.url, "match": same, "same_bytes": same_bytes,
            "server": {"snapshot_id": server.id, "received_at": server.received_at, "sha256": server.sha256,
                       "fetch": server.fetch},
            "extension": {"snapshot_id": extension.id, "received_at": extension.received_at,
                          "sha256": extension.sha256},
            "only_server": only_server, "only_extension": only_extension, "diff": diff, "summary": summary}


def cross_checks(ev: OrderEvidence) -> list[dict]:
    """One comparison per server capture of a page of the evidence that the extension also
    captured, against the extension's capture nearest to it on the chain; page by page."""
    sides: dict[str, dict[str, list[tuple[Capture, Item]]]] = {}
    for item in ev.captures():
        for capture in item.captures:
            side = "server" if capture.source == "server" else "extension"
            sides.setdefault(page_key(capture.url), {"server": [], "extension": []})[side].append((capture, item))
    out = []
    for key in sorted(sides):
        servers, extensions = sides[key]["server"], sides[key]["extension"]
        if not servers or not extensions:
            continue
        for server, server_item in sorted(servers, key=lambda pair: pair[0].chain_index):
            extension, extension_item = min(extensions, key=lambda pair: abs(pair[0].chain_index - server.chain_index))
            out.append(compare(server, server_item.facts, extension, extension_item.facts))
    return out
