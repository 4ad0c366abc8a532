"""Pages the reminder tests capture: a card shop's order page that states its times and a 24-hour
reporting rule, its terms page, and an order page of account goods. Each is built for chosen times
(the tests drive the clock), as a shop would print them (China time, no offset)."""
from __future__ import annotations

from datetime import datetime, timedelta

from server.clock import CHINA

SHOP = "www.chenxing-faka.cn"
DOMAIN = "chenxing-faka.cn"
RULE = "如卡密有问题，请在交付后24小时内联系客服反馈，逾期不予处理。"
# The moments the order page states (the reporting window runs 24 hours from the delivery).
ORDERED = datetime(2026, 12, 1, 9, 0, 0, tzinfo=CHINA)
PAID = ORDERED + timedelta(seconds=30)
DELIVERED = ORDERED + timedelta(minutes=1)
DEADLINE = DELIVERED + timedelta(hours=24)


def _t(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def order_url(order_no: str, shop: str = SHOP) -> str:
    return f"https://{shop}/order/detail?no={order_no}"


def terms_url(shop: str = SHOP) -> str:
    return f"https://{shop}/help/after-sales.html"


def order_page(order_no: str, *, item: str = "Steam 充值卡 100元", rule: bool = True, ordered: datetime = ORDERED,
               shop_name: str = "晨星发卡") -> str:
    """An order page: number, item, amount, Alipay, delivered codes, the three times, the rule."""
    paid, delivered = ordered + (PAID - ORDERED), ordered + (DELIVERED - ORDERED)
    notice = f'<p class="notice">售后须知：{RULE}</p>' if rule else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情 - {shop_name}</title></head>
<body>
<header><a href="/">{shop_name}</a> <a href="/order/query">订单查询</a></header>
<h1>订单详情</h1>
<table>
<tr><th>订单号</th><td>{order_no}</td></tr>
<tr><th>商品名称</th><td>{item}</td></tr>
<tr><th>实付金额</th><td>¥98.00</td></tr>
<tr><th>付款方式</th><td>支付宝</td></tr>
<tr><th>订单状态</th><td>已发货</td></tr>
<tr><th>下单时间</th><td>{_t(ordered)}</td></tr>
<tr><th>付款时间</th><td>{_t(paid)}</td></tr>
<tr><th>发货时间</th><td>{_t(delivered)}</td></tr>
<tr><th>卡密</th><td>CARD-{order_no[-6:]}-KEY</td></tr>
</table>
{notice}
<footer>© 2026 {shop_name}</footer>
</body></html>
"""


def terms_page(shop_name: str = "晨星发卡") -> str:
    """The shop's after-sales rules page, stating the same 24-hour rule."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>售后规则 - {shop_name}</title></head>
<body>
<header><a href="/">{shop_name}</a> <a href="/order/query">订单查询</a></header>
<h1>售后规则</h1>
<ol><li>虚拟商品发货后请及时查看。</li><li>{RULE}</li></ol>
<footer>© 2026 {shop_name}</footer>
</body></html>
"""
