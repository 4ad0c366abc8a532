"""Pages the browser tests write themselves: a shop page whose scripts attack the extension, and a
fixture order-query page at a URL of its own (a test that captures it again leaves the fixture's own
URL to the test that counts one capture per fixture page)."""
from __future__ import annotations

from .detection_pages import DETECTION_PAGES
from .harness import FIXTURES, fixture_pages
from .hostile_pages import HOSTILE_PAGES

HOSTILE_URL = "https://www.heike-faka.cn/order.php?orderid=HK20261124000001"
PASSWORD_ATTR_SECRET = "attr-secret-9f3a"
PASSWORD_TYPED_SECRET = "typed-secret-71c2"
FAKE_MARKER = "FAKE-CAPTURE-FROM-PAGE-7d1e"

# The page learns the extension's id and origin from #ext= and #origin= (the worst case: an attacker
# who knows them; Firefox's moz-extension:// host is even a per-profile secret).
_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - 黑客发卡网</title></head>
<body>
<h1>订单详情</h1>
<table>
  <tr><th>订单号</th><td>HK20261124000001</td></tr>
  <tr><th>下单时间</th><td>2026-11-24 10:00:00</td></tr>
  <tr><th>卡密</th><td>AAAA-BBBB-CCCC</td></tr>
</table>
<form><label>查询密码：<input id="pw1" type="password" value="{{attr}}"></label>
<input id="pw2" type="password"></form>
<script>
(function () {
  var probe = window.__probe = {messages: [], errors: [], fetches: {}, done: false};
  document.getElementById("pw2").value = "{{typed_a}}" + "{{typed_b}}";
  window.addEventListener("message", function (event) {
    if (event.data && event.data.__fromPage) return;
    probe.messages.push(JSON.stringify(event.data));
  });
  var types = ["cs:hello", "cs:state", "cs:capture", "cs:capture-timing", "cs:capture-skipped", "cs:get-risk", "ui:status", "ui:paired",
               "ui:drain", "bg:capture-stored"];
  types.forEach(function (type) {
    window.postMessage({__fromPage: true, type: type, html: "<html><body>" + "{{fake_a}}" + "{{fake_b}}</body></html>",
                        url: location.href}, "*");
  });
  probe.chromeRuntime = typeof (window.chrome && window.chrome.runtime && window.chrome.runtime.sendMessage);
  var hash = new URLSearchParams(location.hash.slice(1));
  var ext = hash.get("ext"), origin = hash.get("origin");
  try {
    chrome.runtime.sendMessage(ext, {type: "ui:status"}, function (reply) {
      probe.sendMessageReply = reply === undefined ? null : JSON.stringify(reply);
    });
  } catch (error) { probe.errors.push("sendMessage: " + error.name); }
  try {
    var port = chrome.runtime.connect(ext);
    port.onMessage.addListener(function (m) { probe.messages.push("port:" + JSON.stringify(m)); });
  } catch (error) { probe.errors.push("connect: " + error.name); }
  var pending = 0;
  ["manifest.json", "options.html", "src/shared/messages.js", "src/background/worker.js"].forEach(function (path) {
    pending++;
    fetch(origin + "/" + path).then(function (r) { return r.text(); })
      .then(function (text) { probe.fetches[path] = "read " + text.length; },
            function (error) { probe.fetches[path] = "blocked"; })
      .finally(function () { pending--; });
  });
  var timer = setInterval(function () {
    var badge = document.querySelector("kadun-badge, #kadun-badge");
    if (!badge || pending) return;
    clearInterval(timer);
    probe.badgeShadow = badge.shadowRoot === null ? null : "open";
    probe.badgeText = badge.textContent;
    probe.globals = [typeof window.KadunCS, typeof window.KadunMessages];
    probe.done = true;
  }, 50);
})();
</script>
</body></html>
"""

# The secrets and the fake page are assembled at run time so that they are not in the page source.

_VALUES = {"attr": PASSWORD_ATTR_SECRET, "typed_a": PASSWORD_TYPED_SECRET[:6], "typed_b": PASSWORD_TYPED_SECRET[6:],
           "fake_a": FAKE_MARKER[:5], "fake_b": FAKE_MARKER[5:]}
HOSTILE_HTML = _TEMPLATE
for _name, _value in _VALUES.items():
    HOSTILE_HTML = HOSTILE_HTML.replace("{{" + _name + "}}", _value)

# Two pages of one shop that nothing else visits, each with a clock ticking every 100 ms: the page
# never falls quiet, so the capture's settle wait runs to its limit (4 s after load) while the badge,
# which does not share that wait, is already there. The third is the second at a URL far longer than
# GET /v1/risk's url may be (the extension cuts it to fit). A script of the page notes every attribute
# it ever sees on the badge's host (data-badge-seen on <html>): the page must learn no level from it.
TICK_ORDER_URL = "https://www.dida-kashop.cn/order/detail/DD2026120611220033"
TICK_PRODUCT_URL = "https://www.dida-kashop.cn/goods/118"
TICK_LONG_URL = TICK_PRODUCT_URL + "?from=" + "campaign-2026-" * 240 + "#reviews"
_TICKING = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 滴答卡铺</title>
<script>(function () {{ var seen = {{}}; new MutationObserver(function () {{
  var badge = document.querySelector("kadun-badge");
  if (!badge) return;
  badge.getAttributeNames().forEach(function (name) {{ seen[name + "=" + badge.getAttribute(name)] = 1; }});
  var text = Object.keys(seen).sort().join(" ");
  if (document.documentElement.getAttribute("data-badge-seen") !== text) document.documentElement.setAttribute("data-badge-seen", text);
}}).observe(document, {{childList: true, subtree: true, attributes: true}}); }})();</script></head>
<body><div class="nav"><a href="/">滴答卡铺</a> <a href="/query">订单查询</a></div>
<div class="box">{body}<div class="now">当前时间 <span id="clock"></span></div></div>
<div class="footer">© 2025-2026 滴答卡铺 联系客服 QQ 3311992</div>
<script>setInterval(function () {{ document.getElementById("clock").textContent = new Date().toISOString(); }}, 100);</script>
</body></html>"""
TICK_ORDER = _TICKING.format(title="订单详情", body="""<h2>订单详情</h2>
<table><tr><th>订单号</th><td>DD2026120611220033</td></tr><tr><th>下单时间</th><td>2026-12-06 11:22:00</td></tr>
<tr><th>商品</th><td>QQ音乐 豪华绿钻 月卡</td></tr><tr><th>实付金额</th><td>¥12.00</td></tr>
<tr><th>卡密</th><td>QQM8-3KD9-ZT27-LW5X</td></tr></table>""")
TICK_PRODUCT = _TICKING.format(title="QQ音乐 豪华绿钻 月卡", body="""<h1>QQ音乐 豪华绿钻 月卡</h1>
<div class="price">售价 <b>¥12.00</b></div><form action="/goods/118/buy" method="post">
<label>购买数量 <input type="number" name="num" value="1"></label><label>联系方式 <input name="contact"></label>
<button type="submit">立即购买</button></form>""")

FOLLOW_UP_URL = fixture_pages()["caihong-query.html"] + "&tab=2"
TEST_PAGES = {HOSTILE_URL: HOSTILE_HTML,
              # (bytes of their own too: the extension queues the same bytes once per session)
              FOLLOW_UP_URL: (FIXTURES / "caihong-query.html").read_text(encoding="utf-8").replace(
                  "</body>", "<p>第二页</p></body>")}
TEST_PAGES.update({TICK_ORDER_URL: TICK_ORDER, TICK_PRODUCT_URL: TICK_PRODUCT, TICK_LONG_URL: TICK_PRODUCT})
TEST_PAGES.update(DETECTION_PAGES)  # shops in unseen layouts, and pages about shops that are none
TEST_PAGES.update(HOSTILE_PAGES)  # pages attacking the content script from the main world (hostile_pages.py)
