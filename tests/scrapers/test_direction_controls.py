"""A page that lies with bidirectional controls: a U+202E (right-to-left override) in an item or
seller name shows reversed text on the page and would reverse whatever a letter or a report puts
after the name on the same line (an amount "¥98.00" read as "00.89¥"). Names and values come out
without direction controls; quotes stay the page's verbatim text."""
from __future__ import annotations

import scrapers

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
PAGE = f"""<html><head><title>订单详情 - 星辰{RLO}发卡</title></head><body>
<div class="nav"><a href="/">星辰{RLO}发卡</a> <a href="/query">订单查询</a></div>
<table><tr><th>订单号</th><td>KD2026112400001</td></tr><tr><th>商品名称</th><td>Steam 充值卡{RLO} 元001</td></tr>
<tr><th>实付金额</th><td>¥98.00</td></tr><tr><th>订单状态</th><td>已发货</td></tr>
<tr><th>商家名称</th><td>{LRI}星辰数码{PDI}{RLO}</td></tr><tr><th>客服QQ</th><td>{RLO}3311992</td></tr></table>
<p>付款后24小时内{RLO}发货{PDF}</p></body></html>"""


def test_names_and_values_carry_no_direction_controls():
    facts = scrapers.extract(PAGE, "https://shop.xingchen-fk.com/order/detail/KD2026112400001").as_dict()
    values = [facts["order"]["item"], facts["platform"]["name"], facts["seller"]["name"],
              *[c["value"] for c in facts["seller"]["contacts"]]]
    assert facts["order"]["item"] == "Steam 充值卡 元001"
    for value in filter(None, values):
        assert not any(c in value for c in (RLO, PDF, LRI, PDI)), value
    # a quote is the page's own text, verbatim
    assert [p["quote"] for p in facts["promises"] if p["kind"] == "delivery_window"] == [f"24小时内{RLO}发货"]
