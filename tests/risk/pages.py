"""Small hand-written pages with their contract facts, for scenarios no fixture covers."""
from __future__ import annotations

import copy

EMPTY = {
    "url": None, "domain": None, "page_kind": "other", "system": "generic",
    "platform": {"name": None, "icp": None, "copyright_years": None, "deposit_system": None,
                 "advance_compensation": None, "dispute_channel": None},
    "seller": {"name": None, "id": None, "contacts": [], "deposit": None, "opened_on": None, "sales": None},
    "product": {"title": None, "price": None, "stock": None},
    "order": {"order_no": None, "amount": None, "quantity": None, "payment_method": None, "status": None,
              "card_codes": []},
    "timestamps": [], "promises": [], "policies": [],
}


def facts(url: str, domain: str, **parts) -> dict:
    out = copy.deepcopy(EMPTY)
    out.update(url=url, domain=domain)
    for key, value in parts.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


UNFAIR_TERMS_URL = "https://www.tianma-ka.com/help/rules.html"
UNFAIR_TERMS_HTML = """<!DOCTYPE html><html><head><title>用户协议 - 天马卡铺</title></head><body>
<header><h1>天马卡铺</h1></header>
<main><h2>用户协议</h2>
<p>1. 本站出售的商品均为虚拟商品，虚拟商品一经售出概不退换。</p>
<p>2. 用户下单即视为同意本协议全部条款。</p>
<p>3. 本协议最终解释权归本平台所有。</p>
<div hidden><p>本站实行保证金制度</p></div>
</main>
<footer><p>© 2020-2026 天马卡铺 版权所有</p><p>闽ICP备20008812号-1</p></footer>
</body></html>"""
UNFAIR_TERMS_FACTS = facts(
    UNFAIR_TERMS_URL, "tianma-ka.com", page_kind="terms",
    platform={"name": "天马卡铺", "icp": "闽ICP备20008812号-1", "copyright_years": [2020, 2026]},
    policies=[{"kind": "no_refund", "quote": "虚拟商品一经售出概不退换", "hours": None},
              {"kind": "final_interpretation", "quote": "最终解释权归本平台所有", "hours": None}])

QR_URL = "https://www.baiyu-km.com/goods/5521"
QR_HTML = """<!DOCTYPE html><html><head><title>原神 代充 - 白羽卡盟</title></head><body>
<div class="goods"><h1>原神 648创世结晶 代充</h1><p class="price">¥ 328.00</p>
<p>卖家：云起代充（店铺ID 90412）</p>
<p class="notice">近期平台通道不稳定，请扫个人收款码付款，到账后秒充。</p>
<p>承诺：<b>10分钟内到账</b></p></div>
<footer>© 2016-2026 白羽卡盟 版权所有 粤ICP备16023344号-2</footer>
</body></html>"""
QR_FACTS = facts(
    QR_URL, "baiyu-km.com", page_kind="product",
    platform={"name": "白羽卡盟", "icp": "粤ICP备16023344号-2", "copyright_years": [2016, 2026]},
    seller={"name": "云起代充", "id": "90412"},
    product={"title": "原神 648创世结晶 代充", "price": {"amount": "328.00", "currency": "CNY"}},
    promises=[{"kind": "delivery_window", "quote": "10分钟内到账", "hours": 0.17}],
    policies=[{"kind": "off_platform", "quote": "扫个人收款码", "hours": None}])

BLANK_URL = "https://blank.example-nothing.net/"
BLANK_HTML = "<!DOCTYPE html><html><head><title>Loading</title></head><body><div id='app'></div></body></html>"
BLANK_FACTS = facts(BLANK_URL, "example-nothing.net")
