"""report.html of an account export ("export everything"): an index of every capture, attachment and
dispute the user stored, inert like the dispute report (no scripts, nothing fetched, every text
escaped), Chinese first with English beside it."""
from __future__ import annotations

from html import escape

from .report import CSP, CSS
from .report_proof import what_is_proven as verification
from .report_words import table, when

PAGE_KINDS = {"product": "商品页 Product", "checkout": "下单页 Checkout", "order": "订单页 Order", "shop": "店铺页 Shop",
              "terms": "规则页 Terms", "chat": "聊天页 Chat", "other": "其它 Other"}
ATTACHMENT_KINDS = {"payment_proof": "付款凭证 Payment proof", "chat_log": "聊天记录 Chat log",
                    "error_screenshot": "错误截图 Error screenshot", "other": "其它 Other"}


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _captures(evidence: list[dict]) -> str:
    rows = []
    for item in evidence:
        if item["type"] != "capture":
            continue
        shot = f"<br><code>{_e(item['screenshot_path'])}</code>" if item.get("screenshot_path") else ""
        rows.append([str(item["no"]), when(item.get("received_at"), exact=True),
                     _e(PAGE_KINDS.get(item.get("page_kind") or "other", "其它 Other")),
                     f"{_e(item.get('title'))}<br><span class='url'>{_e(item.get('url'))}</span>",
                     f"<code>{_e(item['path'])}</code>{shot}<br><code class='hash'>{_e(item['sha256'])}</code>"])
    if not rows:
        return "<section><h2>存证 Captures</h2><p>没有存证。 No captures.</p></section>"
    return ("<section><h2>存证 Captures</h2>" + table(["#", "服务器接收时间 Received", "页面类型 Kind",
                                                    "标题与网址 Title and URL", "文件与 SHA-256 File and SHA-256"], rows)
            + "</section>")


def _attachments(evidence: list[dict]) -> str:
    rows = []
    for item in evidence:
        if item["type"] != "attachment":
            continue
        rows.append([str(item["no"]), when(item.get("received_at"), exact=True),
                     _e(ATTACHMENT_KINDS.get(item.get("kind") or "other", "其它 Other")),
                     f"{_e(item.get('filename'))}<br><code>{_e(item.get('dispute_id'))}</code>",
                     f"<code>{_e(item['path'])}</code><br><code class='hash'>{_e(item['sha256'])}</code>"])
    if not rows:
        return ""
    return ("<section><h2>补充材料 Attachments</h2>" + table(["#", "服务器接收时间 Received", "类型 Kind",
                                                          "文件名与所属维权 File name and dispute",
                                                          "文件与 SHA-256 File and SHA-256"], rows) + "</section>")


def _disputes(disputes: list[dict]) -> str:
    if not disputes:
        return "<section><h2>维权 Disputes</h2><p>没有维权记录。 No disputes.</p></section>"
    rows = []
    for d in disputes:
        order = d.get("order") or {}
        name = d.get("problem_name") or {}
        problem = (f"{_e(name['zh'])}<br><span class='en'>{_e(name.get('en'))}</span>" if name.get("zh")
                   else "其他问题<br><span class='en'>Other problem</span>")  # never the problem's code
        rows.append([f"<code>{_e(d['id'])}</code>", when(d.get("created_at")), problem,
                     f"{_e(order.get('domain'))} {_e(order.get('order_no'))}", f"<code>{_e(d['path'])}</code>"])
    return ("<section><h2>维权 Disputes</h2><p>每起维权的完整内容（时间线、证据清单、维权步骤、投诉信）在所列 JSON 文件中；"
            "需要单独提交的证据包请在扩展或网页中对该维权点“导出证据包”。<br><span class='en'>Each dispute in full "
            "(timeline, checklist, escalation plan, letters) is in the JSON file listed; for a pack to hand in, "
            "export that dispute's evidence pack.</span></p>"
            + table(["编号 Id", "发起时间 Opened", "问题 Problem", "订单 Order", "文件 File"], rows) + "</section>")


def _folders(evidence: list[dict]) -> set:
    """The folders the export's items are in (captures, screenshots, attachments)."""
    paths = [i.get("path") for i in evidence] + [i.get("screenshot_path") for i in evidence]
    return {p.split("/", 1)[0] for p in paths if p and "/" in p}


def render_account_report(account: dict, disputes: list[dict], trust: dict) -> str:
    """The export's report.html: who and when, then every capture, attachment and dispute, then
    what the signature and the time stamps prove (the same words as a dispute's report)."""
    evidence = account["evidence"]
    captures = sum(1 for i in evidence if i["type"] == "capture")
    title = f"卡盾数据导出 KaDun data export · {account['generated_at'][:10]}"
    summary = (f"<section><h2>概要 Summary</h2><table class='kv'>"
               f"<tr><th>用户 User</th><td><code>{_e(account['user'])}</code></td></tr>"
               f"<tr><th>导出时间 Exported at</th><td>{when(account['generated_at'], exact=True)}</td></tr>"
               f"<tr><th>存证 Captures</th><td>{captures}</td></tr>"
               f"<tr><th>补充材料 Attachments</th><td>{len(evidence) - captures}</td></tr>"
               f"<tr><th>维权 Disputes</th><td>{len(disputes)}</td></tr></table>"
               "<p>这是你在卡盾后端保存的全部数据（《个人信息保护法》第四十五条：查阅、复制）。原始页面在 captures/ 中以 "
               ".html.txt 保存（打开时显示为源代码，不会运行）；可用 archive.wacz 在 ReplayWeb.page 中回放。"
               "<br><span class='en'>This is everything you stored on this KaDun backend (PIPL art. 45: access and "
               "copy). Captured pages are in captures/ as .html.txt (they open as source, never run); replay them from "
               "archive.wacz in ReplayWeb.page.</span></p></section>")
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
            "<meta name='referrer' content='no-referrer'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1></header>"
            + summary + _captures(evidence) + _attachments(evidence) + _disputes(disputes)
            + verification(trust.get("public_key"), trust, {i["id"]: i["no"] for i in evidence}, _folders(evidence))
            + "</body></html>")
