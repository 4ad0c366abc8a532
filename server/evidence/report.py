"""report.html of an evidence pack: self-contained, printable, and inert.

No scripts, no external requests: a strict Content-Security-Policy meta (``default-src 'none'``;
images only as ``data:`` URIs; inline styles only), screenshots inlined as data URIs, every page
text escaped. The captured pages themselves are not embedded (they are files in ``captures/``),
so nothing the shop wrote can run when the report is opened.
"""
from __future__ import annotations

import base64
from pathlib import Path

from .. import rules
from .report_proof import what_is_proven
from .report_words import both as _both
from .report_words import esc as _e
from .report_words import item_names as _item_names
from .report_words import named as _named
from .report_words import table as _table
from .report_words import when as _when

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
FINDING_NAMES = {"promise_broken": "承诺未兑现 Promise broken", "partial_delivery": "部分未交付 Partly delivered",
                 "partial_refund": "部分退款 Partly refunded",
                 "minor_purchase": "未成年人消费 A minor's purchase",
                 "description_changed": "描述被修改 Description changed",
                 "unfair_term": "不公平格式条款 Unfair term", "no_refund_claim": "“不退换”说法 No-refund claim",
                 "off_platform_payment": "平台外付款 Off-platform payment",
                 "refund_fee_scam": "先付费才退款（诈骗） Pay-to-refund scam",
                 "no_reason_return": "不想要了（无理由退货） No longer wanted (no-reason return)",
                 "unused_term": "服务中途停止 Service stopped part-way",
                 "short_top_up": "充值到账不足 Top-up arrived short",
                 "surcharge_demand": "付款后要求补差价 Asked to pay more after paying",
                 "confirm_before_delivery": "交付前被要求确认收货 Asked to confirm receipt before delivery",
                 "price_above_listing": "实付高于标价 Paid more than the listed price",
                 "refund_not_received": "显示已退款但未到账 Marked refunded, never received",
                 "platform_compensation": "平台承诺先行赔付 The platform's promise to compensate first",
                 "delivery_not_due": "交付期限尚未到 Delivery not due yet",
                 "shown_delivered": "订单页显示已交付 The order page shows a delivery",
                 "duplicate_charge": "一个订单被扣款两次 One order charged twice",
                 "fake_compensation": "商家承诺假一赔N A fake, and the seller's promise to pay a multiple",
                 "paypal_personal": "PayPal好友付款（无买家保障） PayPal Friends and Family (no buyer protection)",
                 "refund_to_balance": "退到余额而非原路退款 Refunded as a balance, not money",
                 "personal_documents": "被索要身份证件/人脸信息 Asked for ID documents or face data",
                 "resold": "一码多卖 The same code or account sold to several buyers",
                 "price_rise_cancel": "付款后因涨价取消订单 Cancelled after payment because the price rose",
                 "review_for_refund": "以改评价换退款 A refund tied to the buyer's review",
                 "account_frozen": "账户余额被冻结 The buyer's balance or account frozen",
                 "livestream_promise": "直播间承诺 A promise made in a livestream",
                 "withdraw_for_refund": "要求撤销投诉才退款 A refund tied to withdrawing the complaint",
                 "pay_again_demand": "已付款仍被要求重新付款 Asked to pay again for a paid order"}
UNNAMED_FINDING = "其他发现 Other finding"  # a code this table does not know is never shown raw


def _data_uri(item) -> str | None:
    if not item.screenshot or len(item.screenshot) > INLINE_LIMIT:
        return None
    mime = "image/jpeg" if item.screenshot.startswith(b"\xff\xd8\xff") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(item.screenshot).decode('ascii')}"


def _order(dispute: dict) -> str:
    order = dispute.get("order") or {}
    cross = "是 yes" if order.get("cross_border") else "否 no"
    rows = [("平台 Platform", _e(order.get("platform"))), ("商家 Seller", _e(order.get("seller"))),
            ("订单编号 Order no.", _e(order.get("order_no"))), ("网站 Domain", _e(order.get("domain"))),
            ("商品 Item", _e(order.get("item") or order.get("product"))),
            ("金额 Amount", _e(_amount(order))), ("跨境 Cross-border", cross),
            ("问题 Problem", _problem(dispute)),
            ("发生时间 Occurred at", _when(dispute.get("occurred_at"))),
            ("描述 Description", _e(dispute.get("description"))),
            ("发起时间 Opened at", _when(dispute.get("created_at"))),
            ("计算时间 Computed at", _when(dispute.get("computed_at")))]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<section><h2>订单 Order</h2><table class="kv">{body}</table></section>'


def _problem(dispute: dict) -> str:
    """The problem by its name (zh with en), never its code."""
    name = dispute.get("problem_name") or {}
    if name.get("zh"):
        return f"{_e(name['zh'])}" + (f" <span class='en' lang='en'>{_e(name.get('en'))}</span>" if name.get("en") else "")
    return "其他问题 <span class='en' lang='en'>Other problem</span>" if dispute.get("problem") else ""


def _received(ev: dict) -> str:
    """When the item was received; for bytes saved several times, every sighting."""
    times = [s.get("received_at") for s in ev.get("sightings") or [] if isinstance(s, dict)]
    if len(times) > 1:
        return "<br>".join(_when(t, exact=True) for t in times) + (
            f"<br><span class='en'>（同一内容保存{len(times)}次 saved {len(times)} times）</span>")
    return _when(ev["received_at"], exact=True)


READING_LABELS = {"amount": "金额 amount", "time": "时间 time", "payee": "收款方 payee",
                  "transaction_no": "交易单号 transaction no."}


def _origin(ev: dict) -> str:
    """How an item came to the server: fetched by the server itself (where from, through which
    address), or what OCR read from a screenshot."""
    fetch = ev.get("fetch") if ev.get("source") in ("server", "both") else None
    if isinstance(fetch, dict):
        words = rules.texts("cross_checks", "fetched")
        hops = " → ".join(f"{_e(h.get('url'))} ({_e(h.get('address'))}, HTTP {_e(h.get('status'))})"
                          for h in fetch.get("hops") or [] if isinstance(h, dict))
        return (f"<br><span class='fetch'>{_e(words['zh'])} <span class='en'>{_e(words['en'])}</span>"
                f" {_when(fetch.get('started_at'))}: {hops}</span>")
    ocr = ev.get("ocr") if isinstance(ev.get("ocr"), dict) else {}
    reading = ocr.get("reading") if isinstance(ocr.get("reading"), dict) else {}
    if not reading:
        return ""
    shown = [f"{label} {_e(reading.get(k))}" for k, label in READING_LABELS.items() if reading.get(k)]
    problem = reading.get("problem") if isinstance(reading.get("problem"), dict) else {}
    if problem.get("message"):
        shown.append(f"「{_e(problem['message'])}」 {_e(problem.get('at') or '')}")
    return f"<br><span class='en'>截图识别 read by OCR: {' · '.join(shown)}</span>" if shown else ""


def _evidence(dispute: dict, items_by_id: dict) -> str:
    rows = []
    for ev in dispute.get("evidence") or []:
        item = items_by_id.get(ev["id"])
        where = item.path if item else ""
        rows.append([str(ev["no"]), f"{_e(ev['title']['zh'])}<br><span class='en'>{_e(ev['title']['en'])}</span>",
                     f"<span class='url'>{_e(ev.get('url') or ev.get('filename'))}</span>{_origin(ev)}",
                     _received(ev), f"<code>{_e(where)}</code><br><code class='hash'>{_e(ev['sha256'])}</code>"])
    return ("<section><h2>证据清单 Evidence</h2>"
            + _table(["#", "类型 Type", "来源 Source", "服务器接收时间 Received", "文件与 SHA-256 File and SHA-256"], rows)
            + "</section>")


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
                picture = (f"<figure><img alt='证据{item.no}截图 screenshot of item {item.no}' src='{uri}'><figcaption>"
                           f"截图 screenshot <code>{_e(item.screenshot_path)}</code></figcaption></figure>") if uri else (
                    f"<p class='en'>截图 screenshot: <code>{_e(item.screenshot_path)}</code></p>")
            stated = f" · 页面时间 page time {_when(event.get('stated_at'))}" if event.get("stated_at") else ""
            out.append(f"<li><p class='when'><b>{_when(event['at'])}</b><br>证据 item {_e(event.get('evidence_no'))} · "
                       f"服务器接收 received {_when(event.get('received_at'))}{stated}</p><p>{_both(event['summary'])}</p>"
                       f"<p class='hash'>SHA-256 {_e(event['sha256'])}</p>{picture}</li>")
        out.append("</ol>")
    return "<section><h2>时间线 Timeline</h2>" + "".join(out) + "</section>"


def _findings(dispute: dict) -> str:
    out = []
    names = _item_names(dispute)
    for finding in dispute.get("findings") or []:
        quotes = "".join(f"<li>{_e(e.get('quote'))} <span class='en'>({_named(names, e.get('snapshot_id'))}, "
                         f"{_when(e.get('seen_at'))})</span></li>" for e in finding.get("evidence") or [])
        diff = _diff(finding["diff"].get("lines")) if isinstance(finding.get("diff"), dict) else ""
        out.append(f"<article class='finding'><h3>{_e(FINDING_NAMES.get(finding['code'], UNNAMED_FINDING))}："
                   f"「{_e(finding.get('quote'))}」</h3>"
                   f"<p>{_both(finding.get('explanation'))}</p><ul>{quotes}</ul>{diff}</article>")
    return "<section><h2>发现 Findings</h2>" + ("".join(out) or "<p>无 none</p>") + "</section>"


def _diff(lines: list) -> str:
    out = []
    for line in lines or []:
        line = str(line)
        cls = "del" if line.startswith("-") and not line.startswith("---") else (
            "ins" if line.startswith("+") and not line.startswith("+++") else "")
        out.append(f"<span class='{cls}'>{_e(line)}</span>")
    return "<pre class='diff'>" + "\n".join(out) + "</pre>" if out else ""


def _cross_checks(dispute: dict) -> str:
    """Pages the server fetched itself (shared links) against the extension's capture of the same
    page: do the promises match (the answer to "the extension forged it")?"""
    checks = [c for c in dispute.get("cross_checks") or [] if isinstance(c, dict)]
    if not checks:
        return ""
    heading = rules.texts("cross_checks", "heading")
    names = _item_names(dispute)
    out = []
    for check in checks:
        server, extension = check.get("server") or {}, check.get("extension") or {}
        mark = "✔ 一致 same" if check.get("match") else "✘ 不同 different"
        out.append(f"<article class='finding'><h3>{_e(mark)} · <span class='url'>{_e(check.get('url'))}</span></h3>"
                   f"<p>{_both(check.get('summary'))}</p><p class='en'>服务器获取 server fetch: "
                   f"{_named(names, server.get('snapshot_id'))} ({_when(server.get('received_at'))}) · "
                   f"扩展保存 extension capture: {_named(names, extension.get('snapshot_id'))} "
                   f"({_when(extension.get('received_at'))})</p>{_diff(check.get('diff'))}</article>")
    return f"<section id='cross-checks'><h2>{_e(heading['zh'])} {_e(heading['en'])}</h2>" + "".join(out) + "</section>"


STATE_MARKS = {"present": "✔", "partial": "◐", "missing": "✘"}
AMOUNT_SOURCES = {"page": "页面显示 as the page shows", "buyer": "买家填写 as the buyer stated",
                  "product_price": "商品页价格 the product page's price",
                  "payment_record": "付款截图显示 as the payment record shows"}


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
    rows, classes = [], []
    names = _item_names(dispute)
    for row in dispute.get("checklist") or []:
        state = row.get("state") or ("present" if row.get("present") else "missing")
        how = _both(row.get("complete")) if row.get("complete") else ""
        rows.append([_both(row.get("name")), _checklist_state(row),
                     "、".join(_named(names, i) for i in row["evidence"]), how])
        classes.append("ok" if state == "present" else state)
    return ("<section><h2>证据检查 Checklist</h2>"
            + _table(["项目 Item", "状态 State", "证据 Evidence", "如何补充 How to get it"], rows, classes) + "</section>")


def _payment_channel(dispute: dict, step: dict) -> str:
    """The payment app's bill complaint that rides on the platform step: where it is, why, and its
    ready-to-file form's fields (zh, with en; copied as they are, to be pasted into the form)."""
    pay = step.get("payment_channel")
    if not pay:
        return ""
    form = next((c for c in dispute.get("complaints") or [] if c.get("form") == pay.get("form")), None)
    fields = ""
    if form:
        fields = ("<table class='kv'>" + "".join(
            f"<tr><th>{_both(f.get('label'))}</th><td>{_both(f.get('value'), times=False)}</td></tr>"
            for f in form["fields"]) + "</table>")
    return (f"<div class='beside'><h4>同时：支付渠道投诉 Alongside: payment app complaint</h4>"
            f"<p>{_e(pay.get('channel'))} <span class='en'>{_e(pay.get('channel_en'))}</span></p>"
            f"<p>{_both(pay.get('basis'))}</p>{fields}</div>")


def _plan(dispute: dict) -> str:
    rows = []
    for number, step in enumerate(dispute.get("escalation") or [], start=1):
        deadline = _when(step.get("deadline"))
        if step.get("overdue"):
            deadline += " <b class='overdue'>已逾期 overdue</b>"
        advice = f"<p>{_both(step.get('advice'))}</p>" if step.get("advice") else ""
        fields = ""
        if step.get("fields"):  # a complaint form's fields: copied as they are
            fields = "<table class='kv'>" + "".join(
                f"<tr><th>{_e(k)}</th><td>{'<br>'.join(_e(x) for x in v) if isinstance(v, list) else _e(v)}</td></tr>"
                for k, v in step["fields"].items()) + "</table>"
        rows.append(f"<li><h3>{number}. {_e(_step_name(step))}</h3><p>{_e(step.get('channel'))}"
                    f" <span class='en'>{_e(step.get('channel_en'))}</span></p><p>期限 Deadline: {deadline}</p>"
                    f"<p>{_both(step.get('basis'))}</p>{advice}{fields}{_payment_channel(dispute, step)}</li>")
    return "<section><h2>维权步骤 Escalation plan</h2><ol class='plan'>" + "".join(rows) + "</ol></section>"


def _windows(dispute: dict) -> str:
    """The order's time windows (from its judgement): what each is, its rule, start, deadline."""
    rows = []
    for window in dispute.get("windows") or []:
        basis = window.get("basis") or {}
        quote = f"「{_e(basis.get('quote'))}」" if basis.get("quote") else ""
        late = " <b class='overdue'>已逾期 overdue</b>" if window.get("overdue") else ""
        rows.append([_both(window.get("name")), f"{_both(basis.get('rule'))}<br>{quote}",
                     f"{_when(window.get('start'))}<br>{_both(basis.get('start_basis'))}",
                     f"{_when(window.get('deadline'))}{late}", _both(window.get("action"))])
    if not rows:
        return ""
    return ("<section><h2>期限 Windows</h2>"
            + _table(["期限 Window", "规则 Rule", "起算 Start", "截止 Deadline", "截止前要做的 Before it closes"], rows)
            + "</section>")


def _step_name(step: dict) -> str:
    """The step's own name (where it really goes: econsumer.gov, a PayPal dispute), else the generic one."""
    name = step.get("name")
    if isinstance(name, dict) and name.get("zh"):
        return f"{name['zh']} {name.get('en') or ''}".strip()
    return STEP_NAMES.get(step["step"], "其他途径 Another route")


def _letters(dispute: dict) -> str:
    out = []
    steps = {s.get("letter"): s for s in dispute.get("escalation") or []}
    for name, letter in (dispute.get("letters") or {}).items():
        title = _step_name(steps[name]) if name in steps else LETTER_NAMES.get(name, "投诉信 Letter")
        out.append(f"<article class='letter'><h3>{_e(title)}</h3>"
                   f"<pre lang='zh-CN'>{_e(letter.get('zh'))}</pre>"
                   + (f"<pre lang='en'>{_e(letter.get('en'))}</pre>" if letter.get("en") else "") + "</article>")
    return "<section><h2>投诉信 Letters</h2>" + "".join(out) + "</section>"


def _folders(items: list) -> set:
    """The folders this pack's items are in (captures, screenshots, attachments)."""
    paths = [item.path for item in items] + [item.screenshot_path for item in items if item.screenshot]
    return {path.split("/", 1)[0] for path in paths if path and "/" in path}


def render_report(dispute: dict, items: list, public_key: dict | None = None, trust: dict | None = None) -> str:
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
        + _cross_checks(dispute)
        + _checklist(dispute) + _plan(dispute) + _letters(dispute) + _windows(dispute)
        + what_is_proven(public_key, trust, _item_names(dispute), _folders(items))
        + "</body></html>")
