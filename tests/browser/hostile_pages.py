"""Shop pages that attack the content script from the main world (tests/browser/test_hostile_pages.py).

Each is a plain order page (the extension must capture it) plus one attack. The pages note what
their own scripts could observe in ``window.__seen`` (read by the test from the main world)."""
from __future__ import annotations

ORDER_NO = "LH2026120712000088"
_ORDER = """<div class="nav"><a href="/">灵狐卡铺</a> <a href="/query">订单查询</a></div>
<h2>订单详情</h2><table><tr><th>订单号</th><td>{no}</td></tr><tr><th>下单时间</th><td>2026-12-07 12:00:00</td></tr>
<tr><th>商品</th><td>腾讯视频 VIP 月卡</td></tr><tr><th>实付金额</th><td>¥15.00</td></tr><tr><th>订单状态</th><td>已发货</td></tr>
<tr><th>卡密</th><td>TXV9-KD3M-77QA-PL0Z</td></tr></table>
<div class="footer">© 2024-2026 灵狐卡铺 联系客服 QQ 2233445</div>"""

# DOM clobbering: the HTML spec lets <img name>, <form name>, <embed name>, <object name>, <iframe
# name> shadow the Document's own members (Document is [LegacyOverrideBuiltIns]); the named
# property is part of the DOM object, so an isolated world sees it as well as the page does.
CLOBBERED = ["documentElement", "title", "readyState", "body", "doctype", "addEventListener", "querySelector",
             "querySelectorAll", "createElement", "createTreeWalker", "contains", "getElementsByTagName", "head",
             "defaultView", "location", "cookie", "URL", "visibilityState", "hidden", "activeElement"]
CLOBBER_URL = f"https://www.linghu-kapu.cn/order/detail/{ORDER_NO}"
CLOBBER_HTML = ("""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - 灵狐卡铺</title></head>
<body>""" + "".join(f'<img name="{n}" src="data:,"><form name="{n}"></form>' for n in CLOBBERED)
                + _ORDER.format(no=ORDER_NO) + "</body></html>")

# The page's own globals and prototypes redefined before any content script could run (an inline
# script in <head> runs after document_start scripts, so they are replaced before DOMContentLoaded,
# well before the capture). The content script's world has its own copies of every one.
PROTOTYPES_NO = "LH2026120712000099"
PROTOTYPES_URL = f"https://www.linghu-kapu.cn/order/detail/{PROTOTYPES_NO}"
PROTOTYPES_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - 灵狐卡铺</title>
<script>
(function () {
  var bad = function () { throw new Error("clobbered by the page"); };
  JSON.stringify = bad; JSON.parse = bad;
  Array.prototype.some = bad; Array.prototype.map = bad; Array.prototype.join = bad; Array.prototype.filter = bad;
  Array.prototype.push = bad; Array.from = bad; Object.entries = bad; Object.keys = bad;
  String.prototype.slice = bad; String.prototype.replace = bad; String.prototype.toLowerCase = bad;
  RegExp.prototype.test = bad; RegExp.prototype.exec = bad; Promise.prototype.then = bad;
  window.MutationObserver = bad; window.requestIdleCallback = bad; window.requestAnimationFrame = bad;
  window.setTimeout = bad; window.performance = {now: bad}; window.chrome = {runtime: {sendMessage: bad}};
  Node.prototype.appendChild = bad; Node.prototype.contains = bad; Element.prototype.append = bad;
  Element.prototype.attachShadow = bad; Element.prototype.setAttribute = bad; Element.prototype.querySelector = bad;
  Document.prototype.querySelector = bad; Document.prototype.querySelectorAll = bad; Document.prototype.createElement = bad;
  Object.defineProperty(Element.prototype, "outerHTML", {get: bad});
  Object.defineProperty(Node.prototype, "textContent", {get: bad});
  EventTarget.prototype.addEventListener = bad;
  window.__seen = {prototypes: "replaced"};
})();
</script></head><body>""" + _ORDER.format(no=PROTOTYPES_NO) + "</body></html>"

# A page that changes itself for ever: every 20 ms a new order row (order text, which the follow-up
# watcher looks for). Follow-up captures are bounded; the page gets its first capture all the same.
SPAM_NO = "LH2026120712000077"
SPAM_URL = f"https://www.linghu-kapu.cn/order/detail/{SPAM_NO}"
SPAM_HTML = ("""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - 灵狐卡铺</title></head>
<body>""" + _ORDER.format(no=SPAM_NO) + """<div id="rows"></div><script>
var n = 0; setInterval(function () { n++; var p = document.createElement("p");
  p.textContent = "订单号：LH" + (2026120800000000 + n) + " 订单状态：已发货 " + "x".repeat(n % 7);
  document.getElementById("rows").appendChild(p); }, 20);
</script></body></html>""")

HOSTILE_PAGES = {CLOBBER_URL: CLOBBER_HTML, PROTOTYPES_URL: PROTOTYPES_HTML, SPAM_URL: SPAM_HTML}

# A page against the badge: its style sheet hides <kadun-badge> every way CSS can, its script covers
# the page with a white sheet at the highest z-index (appended after the badge, so it would paint
# over it), removes the badge once, and watches the host's attributes to learn when the tab is
# photographed (the badge steps aside for the screenshot) or which level it shows.
BADGE_NO = "LH2026120712000066"
BADGE_URL = f"https://www.linghu-kapu.cn/order/detail/{BADGE_NO}"
BADGE_HTML = ("""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - 灵狐卡铺</title>
<style>kadun-badge, kadun-badge:popover-open { display: none !important; visibility: hidden !important;
  opacity: 0 !important; transform: translateX(99999px) !important; clip-path: inset(50%) !important;
  width: 0 !important; height: 0 !important; overflow: hidden !important; }</style>
<script>
window.__seen = {removed: false, attributes: [], covered: false};
new MutationObserver(function (records) {
  var badge = document.querySelector("kadun-badge");
  records.forEach(function (r) {
    if (r.type === "attributes" && r.target.localName === "kadun-badge") window.__seen.attributes.push(r.attributeName);
  });
  if (badge && !window.__seen.removed) {
    window.__seen.removed = true;
    badge.remove();
  }
  if (badge && badge.isConnected) {
    var box = badge.getBoundingClientRect();
    window.__seen.sizes = window.__seen.sizes || {};
    window.__seen.sizes[Math.round(box.width) + "x" + Math.round(box.height)] = 1;
  }
  if (badge && !window.__seen.covered) {
    window.__seen.covered = true;
    var sheet = document.createElement("div");
    sheet.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:#fff";
    document.documentElement.appendChild(sheet);
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
</script></head><body>""" + _ORDER.format(no=BADGE_NO) + "</body></html>")

HOSTILE_PAGES[BADGE_URL] = BADGE_HTML
