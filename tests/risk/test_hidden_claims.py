"""The risk badge and a page that lies to it: trust claims the buyer never sees lower nothing.

The scrapers and risk's page text share one visibility rule (scrapers/visible.py): a 保证金 or 先行赔付
claim concealed in the markup gives neither a fact nor a quote, so the badge scores the page as if
the claim were absent, while the same claim shown to the buyer lowers the risk as before.
"""
from __future__ import annotations

import pytest

from scrapers.document import parse_html
from server.cli.score import score_pages
from server.facts import extract_facts
from server.risk.pagetext import page_lines, walk_lines

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>星辰发卡 - 商品购买</title>{style}</head><body>
<div class="goods"><h1>Steam 充值卡 100元</h1><div class="price">价格：¥98.00</div><div>库存：35</div>
<p>商家：星辰数码</p>{body}<button>立即购买</button></div>
<footer>© 2019-2026 星辰发卡 闽ICP备20008812号-1</footer></body></html>"""
CLAIM = "本店已缴纳保证金10000元，支持先行赔付，平台担保交易，永久包赔。"
URL = "https://shop.xingchen-fk.com/buy/17"
AT = "2026-11-24T10:10:00+08:00"


def _badge(style: str, body: str) -> tuple:
    html = PAGE.format(style=style, body=body)
    facts = extract_facts(html, URL)
    risk = score_pages([("page.html", html, facts, URL, AT)], now=AT)["platform"]
    return risk["level"], risk["score"], sorted(s["code"] for s in risk["signals"])


HIDDEN = [
    ("", f'<p style="opacity:0">{CLAIM}</p>'),
    ("", f'<p style="font-size:0">{CLAIM}</p>'),
    ("", f'<div style="background:#fff"><p style="color:#fff">{CLAIM}</p></div>'),
    ("", f'<p style="position:absolute;left:-9999px">{CLAIM}</p>'),
    ("<style>.kd-note{visibility:hidden}</style>", f'<p class="kd-note">{CLAIM}</p>'),
    ("<style>.x{display:none}</style>", f'<div class="x"><p>{CLAIM}</p></div>'),
]


@pytest.mark.parametrize("style,body", HIDDEN, ids=["opacity", "font-size", "white-on-white", "off-screen",
                                                    "page-class-visibility", "page-class-display"])
def test_hidden_trust_claims_do_not_lower_the_risk(style, body):
    shown = _badge("", f"<p>{CLAIM}</p>")
    assert {"deposit_system", "advance_compensation"} <= set(shown[2])  # (the claim shown counts)
    assert _badge(style, body) == _badge("", "")  # hidden, it is as if it were not there


@pytest.mark.parametrize("style,body", HIDDEN[:2] + HIDDEN[4:])
def test_risk_text_quotes_nothing_hidden_by_either_walk(style, body):
    html = PAGE.format(style=style, body=body)
    for lines in (page_lines(html), walk_lines(parse_html(html))):
        assert lines and not any("保证金" in line for line in lines)
