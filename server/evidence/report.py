"""report.html of an evidence pack: self-contained, printable, and inert.

No scripts, no external requests: a strict Content-Security-Policy meta (``default-src 'none'``;
images only as ``data:`` URIs; inline styles only), screenshots inlined as data URIs, every page
text escaped. The captured pages themselves are not embedded (they are files in ``captures/``),
so nothing the shop wrote can run when the report is opened.
"""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
       "frame-src 'none'; object-src 'none'")
CSS = Path(__file__).with_name("report.css").read_text(encoding="utf-8")
# Screenshots above this size are not inlined (the file in screenshots/ is named instead).
INLINE_LIMIT = 3 * 1024 * 1024

PHASE_NAMES = {"transaction": "交易 Transaction", "delivery": "交付 Delivery", "problem": "问题发生 Problem",
               "negotiation": "协商 Negotiation"}
STEP_NAMES = {"seller": "联系商家 Seller", "platform": "平台介入 Platform", "regulator": "12315 / 监管 Regulator",
              "consumer_association": "消费者协会 Consumer association", "police": "报警 Police",
              "chargeback": "信用卡拒付 Chargeback"}
LETTER_NAMES = STEP_NAMES
FINDING_NAMES = {"promise_broken": "承诺未兑现 Promise broken", "description_changed": "描述被修改 Description changed",
                 "unfair_term": "不公平格式条款 Unfair term", "no_refund_claim": "“不退换”说法 No-refund claim",
                 "off_platform_payment": "平台外付款 Off-platform payment"}


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _both(text: dict | None) -> str:
    if not text:
        return ""
    return f'<span lang="zh-CN">{_e(text.get("zh"))}</span><br><span lang="en" class="en">{_e(text.get("en"))}</span>'


def _data_uri(item) -> str | None:
    if not item.screenshot or len(item.screenshot) > INLINE_LIMIT:
        return None
    mime = "image/jpeg" if item.screenshot.startswith(b"\xff\xd8\xff") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(item.screenshot).decode('ascii')}"


def _order(dispute: dict) -> str:
    order = dispute.get("order") or {}
    rows = [("平台 Platform", order.get("platform")), ("商家 Seller", order.get("seller")),
            ("订单编号 Order no.", order.get("order_no")), ("网站 Domain", order.get("domain")),
            ("商品 Item", order.get("item") or order.get("product")),
            ("金额 Amount", _amount(order)),
            ("跨境 Cross-border", "是 yes" if order.get("cross_border") else "否 no"),
            ("问题 Problem", (dispute.get("problem_name") or {}).get("zh", dispute.get("problem"))),
            ("发生时间 Occurred at", dispute.get("occurred_at")), ("描述 Description", dispute.get("description")),
            ("发起时间 Opened at", dispute.get("created_at")), ("计算时间 Computed at", dispute.get("computed_at"))]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<section><h2>订单 Order</h2><table class="kv">{body}</table></section>'


def _received(ev: dict) -> str:
    """When the item was received; for bytes saved several times, every sighting."""
    times = [s.get("received_at") for s in ev.get("sightings") or [] if isinstance(s, dict)]
    if len(times) > 1:
        return "<br>".join(_e(t) for t in times) + f"<br><span class='en'>（同一内容保存{len(times)}次 saved {len(times)} times）</span>"
    return _e(ev["received_at"])


def _evidence(dispute: dict, items_by_id: dict) -> str:
    rows = []
    for ev in dispute.get("evidence") or []:
        item = items_by_id.get(ev["id"])
        where = item.path if item else ""
        rows.append(f"<tr><td>{ev['no']}</td><td>{_e(ev['title']['zh'])}<br><span class='en'>{_e(ev['title']['en'])}"
                    f"</span></td><td class='url'>{_e(ev.get('url') or ev.get('filename'))}</td>"
                    f"<td>{_received(ev)}</td><td><code>{_e(where)}</code><br><code class='hash'>"
                    f"{_e(ev['sha256'])}</code></td></tr>")
    return ("<section><h2>证据清单 Evidence</h2><table><thead><tr><th>#</th><th>类型 Type</th><th>来源 Source</th>"
            "<th>服务器接收时间 Received</th><th>文件与 SHA-256 File and SHA-256</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></section>")


def _timeline(dispute: dict, items_by_id: dict) -> str:
    out, shown = [], set()
    for phase in ("transaction", "delivery", "problem", "negotiation"):
        events = [e for e in dispute.get("timeline") or [] if e["phase"] == phase]
        if not events:
            continue
        out.append(f"<h3>{_e(PHASE_NAMES[phase])}</h3><ol class='timeline'>")
        for event in events:
            item_id = next(iter(event["source"].values()))
            item = items_by_id.get(item_id)
            picture = ""
            if item is not None and item.id not in shown and item.screenshot:
                shown.add(item.id)
                uri = _data_uri(item)
                picture = (f"<figure><img alt='screenshot of evidence {item.no}' src='{uri}'><figcaption>"
                           f"{_e(item.screenshot_path)}</figcaption></figure>") if uri else (
                    f"<p class='en'>screenshot: <code>{_e(item.screenshot_path)}</code></p>")
            stated = f" · 页面时间 page time {_e(event.get('stated_at'))}" if event.get("stated_at") else ""
            out.append(f"<li><p class='when'><b>{_e(event['at'])}</b> · 证据 item {_e(event.get('evidence_no'))} · "
                       f"接收 received {_e(event.get('received_at'))}{stated}</p><p>{_both(event['summary'])}</p>"
                       f"<p class='hash'>SHA-256 {_e(event['sha256'])}</p>{picture}</li>")
        out.append("</ol>")
    return "<section><h2>时间线 Timeline</h2>" + "".join(out) + "</section>"


def _findings(dispute: dict) -> str:
    out = []
    for finding in dispute.get("findings") or []:
        quotes = "".join(f"<li>{_e(e.get('quote'))} <span class='en'>({_e(e.get('snapshot_id'))}, "
                         f"{_e(e.get('seen_at'))})</span></li>" for e in finding.get("evidence") or [])
        diff = ""
        if finding.get("diff"):
            lines = []
            for line in finding["diff"].get("lines") or []:
                cls = "del" if line.startswith("-") and not line.startswith("---") else (
                    "ins" if line.startswith("+") and not line.startswith("+++") else "")
                lines.append(f"<span class='{cls}'>{_e(line)}</span>")
            diff = "<pre class='diff'>" + "\n".join(lines) + "</pre>"
        out.append(f"<article class='finding'><h3>{_e(FINDING_NAMES.get(finding['code'], finding['code']))}："
                   f"「{_e(finding.get('quote'))}」</h3>"
                   f"<p>{_both(finding.get('explanation'))}</p><ul>{quotes}</ul>{diff}</article>")
    return "<section><h2>发现 Findings</h2>" + ("".join(out) or "<p>无 none</p>") + "</section>"


STATE_MARKS = {"present": "✔", "partial": "◐", "missing": "✘"}
AMOUNT_SOURCES = {"page": "页面显示 as the page shows", "buyer": "买家填写 as the buyer stated",
                  "product_price": "商品页价格 the product page's price"}


def _amount(order: dict) -> str | None:
    amount = order.get("amount") or {}
    if not amount:
        return None
    source = AMOUNT_SOURCES.get(order.get("amount_source") or "")
    return f"{amount.get('amount')} {amount.get('currency')}" + (f"（{source}）" if source else "")


def _checklist_state(row: dict) -> str:
    """A checklist row's state by its name (已有 / 部分 / 缺少), never its code."""
    state = row.get("state") or ("present" if row.get("present") else "missing")
    names = row.get("state_name") or {}
    return f"{STATE_MARKS.get(state, '')} {_e(names.get('zh'))} {_e(names.get('en'))}"


def _checklist(dispute: dict) -> str:
    rows = []
    for row in dispute.get("checklist") or []:
        state = row.get("state") or ("present" if row.get("present") else "missing")
        how = _both(row.get("complete")) if row.get("complete") else ""
        rows.append(f"<tr class='{'ok' if state == 'present' else state}'><td>{_both(row.get('name'))}</td>"
                    f"<td>{_checklist_state(row)}</td><td>{_e(', '.join(row['evidence']))}</td><td>{how}</td></tr>")
    return ("<section><h2>证据检查 Checklist</h2><table><thead><tr><th>项目 Item</th><th>状态 State</th>"
            "<th>证据 Evidence</th><th>如何补充 How to get it</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></section>")


def _plan(dispute: dict) -> str:
    rows = []
    for number, step in enumerate(dispute.get("escalation") or [], start=1):
        deadline = _e(step.get("deadline") or "—")
        if step.get("overdue"):
            deadline += " <b class='overdue'>已逾期 overdue</b>"
        advice = f"<p>{_both(step.get('advice'))}</p>" if step.get("advice") else ""
        fields = ""
        if step.get("fields"):
            fields = "<table class='kv'>" + "".join(
                f"<tr><th>{_e(k)}</th><td>{'<br>'.join(_e(x) for x in v) if isinstance(v, list) else _e(v)}</td></tr>"
                for k, v in step["fields"].items()) + "</table>"
        rows.append(f"<li><h3>{number}. {_e(STEP_NAMES.get(step['step'], step['step']))}</h3><p>{_e(step.get('channel'))}"
                    f" <span class='en'>{_e(step.get('channel_en'))}</span></p><p>期限 Deadline: {deadline}</p>"
                    f"<p>{_both(step.get('basis'))}</p>{advice}{fields}</li>")
    return "<section><h2>维权步骤 Escalation plan</h2><ol class='plan'>" + "".join(rows) + "</ol></section>"


def _windows(dispute: dict) -> str:
    """The order's time windows (from its judgement): what each is, its rule, start, deadline."""
    rows = []
    for window in dispute.get("windows") or []:
        basis = window.get("basis") or {}
        quote = f"「{_e(basis.get('quote'))}」" if basis.get("quote") else ""
        late = " <b class='overdue'>已逾期 overdue</b>" if window.get("overdue") else ""
        rows.append(f"<tr><td>{_both(window.get('name'))}</td><td>{_both(basis.get('rule'))}<br>{quote}</td>"
                    f"<td>{_e(window.get('start') or '—')}<br>{_both(basis.get('start_basis'))}</td>"
                    f"<td>{_e(window.get('deadline') or '—')}{late}</td><td>{_both(window.get('action'))}</td></tr>")
    if not rows:
        return ""
    return ("<section><h2>期限 Windows</h2><table><thead><tr><th>期限 Window</th><th>规则 Rule</th><th>起算 Start</th>"
            "<th>截止 Deadline</th><th>截止前要做的 Before it closes</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></section>")


def _letters(dispute: dict) -> str:
    out = []
    for name, letter in (dispute.get("letters") or {}).items():
        out.append(f"<article class='letter'><h3>{_e(LETTER_NAMES.get(name, name))}</h3>"
                   f"<pre lang='zh-CN'>{_e(letter.get('zh'))}</pre>"
                   + (f"<pre lang='en'>{_e(letter.get('en'))}</pre>" if letter.get("en") else "") + "</article>")
    return "<section><h2>投诉信 Letters</h2>" + "".join(out) + "</section>"


def _verification(public_key: dict | None) -> str:
    key = public_key or {}
    return ("<section><h2>如何核验 How to verify</h2><p>本证据包中的每个文件都在 manifest.json 中列出 SHA-256；每件证据带有服务器的 "
            "Ed25519 签名回执，并位于用户的哈希链中。运行 <code>kadun verify 证据包.zip</code> 可离线校验。<br><span class='en'>"
            "Every file of this pack is listed with its SHA-256 in manifest.json; every item carries the server's Ed25519 "
            "signed receipt and sits in the user's hash chain. Run <code>kadun verify PACK.zip</code> to check it offline."
            f"</span></p><p>公钥 Public key ({_e(key.get('algorithm'))}, key_id {_e(key.get('key_id'))}): "
            f"<code class='hash'>{_e(key.get('public_key'))}</code></p></section>")


def render_report(dispute: dict, items: list, public_key: dict | None = None) -> str:
    """The whole report as one HTML string."""
    items_by_id = {item.id: item for item in items}
    order = dispute.get("order") or {}
    title = f"卡盾证据报告 {order.get('order_no') or ''} · {dispute.get('id')}"
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='referrer' content='no-referrer'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>卡盾 KaDun 维权证据报告 · evidence report</p></header>"
        + _order(dispute) + _evidence(dispute, items_by_id) + _timeline(dispute, items_by_id) + _findings(dispute)
        + _checklist(dispute) + _plan(dispute) + _letters(dispute) + _windows(dispute) + _verification(public_key)
        + "</body></html>")
