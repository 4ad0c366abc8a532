"""A page that lies to KaDun: text the buyer never sees is no fact (scrapers/visible.py).

Sellers write the pages KaDun judges. A trust claim (保证金, 先行赔付, 永久包赔) stuffed where only a
parser reads it must not become a fact that raises trust; text the buyer does see, however small or
grey, counts (an unfair term in a tiny footer is still a term). Named examples: each concealment of
the class, and each look-alike that is shown.
"""
from __future__ import annotations

import pytest

import scrapers
from scrapers.css import parse_colour
from scrapers.document import Document, parse_html
from scrapers.visible import hidden_elements, is_hidden

CLAIM = "本店已缴纳保证金10000元，支持先行赔付，永久包赔"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>星辰发卡 - 商品购买</title>{style}</head><body>
<div class="goods"><h1>Steam 充值卡 100元</h1><div class="price">价格：¥98.00</div><div>库存：35</div>
{body}
<button>立即购买</button></div></body></html>"""
URL = "https://shop.xingchen-fk.com/buy/17"


def _trust(style: str, body: str) -> tuple:
    facts = scrapers.extract(PAGE.format(style=style, body=body), URL).as_dict()
    return (facts["platform"]["deposit_system"], facts["platform"]["advance_compensation"],
            [p["kind"] for p in facts["promises"]])


SHOWN_CLAIM = (True, True, ["lifetime"])
NO_CLAIM = (None, None, [])

CONCEALED = [  # (name, page <style>, body): the buyer sees none of the claim
    ("inline-display-none", "", f'<p style="display:none">{CLAIM}</p>'),
    ("hidden-attribute", "", f"<p hidden>{CLAIM}</p>"),
    ("visibility-hidden", "", f'<p style="visibility: hidden">{CLAIM}</p>'),
    ("visibility-collapse", "", f'<p style="visibility:collapse">{CLAIM}</p>'),
    ("opacity-zero", "", f'<p style="opacity:0">{CLAIM}</p>'),
    ("opacity-zero-percent", "", f'<p style="opacity: 0%">{CLAIM}</p>'),
    ("font-size-zero", "", f'<p style="font-size:0">{CLAIM}</p>'),
    ("font-size-one-px", "", f'<p style="font-size: 1px">{CLAIM}</p>'),
    ("font-shorthand-zero", "", f'<p style="font: 0/0 a">{CLAIM}</p>'),
    ("off-screen-left", "", f'<p style="position:absolute;left:-9999px">{CLAIM}</p>'),
    ("off-screen-top", "", f'<p style="position:fixed;top:-5000px">{CLAIM}</p>'),
    ("text-indent", "", f'<p style="text-indent:-9999px;overflow:hidden">{CLAIM}</p>'),
    ("translated-away", "", f'<p style="transform: translateX(-10000px)">{CLAIM}</p>'),
    ("scaled-to-nothing", "", f'<p style="transform:scale(0)">{CLAIM}</p>'),
    ("clip-rect-zero", "", f'<p style="position:absolute;clip:rect(0 0 0 0);width:1px;height:1px">{CLAIM}</p>'),
    ("clip-path-inset", "", f'<p style="clip-path: inset(50%)">{CLAIM}</p>'),
    ("zero-height-overflow-hidden", "", f'<p style="height:0;overflow:hidden">{CLAIM}</p>'),
    ("max-height-zero", "", f'<div style="max-height:0px;overflow-y:hidden"><p>{CLAIM}</p></div>'),
    ("colour-transparent", "", f'<p style="color:transparent">{CLAIM}</p>'),
    ("colour-alpha-zero", "", f'<p style="color:rgba(0, 0, 0, 0)">{CLAIM}</p>'),
    ("white-on-white-inline", "", f'<div style="background:#fff"><p style="color:#ffffff">{CLAIM}</p></div>'),
    ("same-colour-named-and-rgb", "", f'<div style="background-color: white"><span style="color: rgb(255,255,255)">{CLAIM}</span></div>'),
    ("font-colour-on-bgcolor", "", f'<table bgcolor="#F5F5F5"><tr><td><font color="#f5f5f5">{CLAIM}</font></td></tr></table>'),
    ("important-and-upper-case", "", f'<p style="DISPLAY : NONE !important">{CLAIM}</p>'),
    ("in-a-hidden-ancestor", "", f'<div style="visibility:hidden"><section><p>{CLAIM}</p></section></div>'),
    ("page-class-display-none", "<style>.sr{display:none}</style>", f'<p class="sr">{CLAIM}</p>'),
    ("page-class-visibility", "<style>.tip { visibility : hidden }</style>", f'<p class="tip">{CLAIM}</p>'),
    ("page-class-font-zero", "<style>/* x */ .goods .z{font-size:0px}</style>", f'<p class="z">{CLAIM}</p>'),
    ("page-id-off-screen", "<style>#kd{position:absolute;left:-99999px}</style>", f'<p id="kd">{CLAIM}</p>'),
    ("page-class-same-colour", "<style>.w{color:#FFF;background:#fff}</style>", f'<p class="w">{CLAIM}</p>'),
    ("page-class-colour-after-background", "<style>.w{background-color:white;color:white}</style>",
     f'<p class="w">{CLAIM}</p>'),
    ("page-attribute-selector", "<style>[data-k]{opacity:0}</style>", f'<p data-k="1">{CLAIM}</p>'),
    ("page-style-in-body", "", f'<style>.q{{display:none}}</style><p class="q">{CLAIM}</p>'),
    ("sr-only-pattern", "<style>.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;"
     "overflow:hidden;clip:rect(0,0,0,0);border:0}</style>", f'<span class="sr-only">{CLAIM}</span>'),
    # never text at all: markup the browser does not show as the page's text
    ("template", "", f"<template><p>{CLAIM}</p></template>"),
    ("noscript", "", f"<noscript><p>{CLAIM}</p></noscript>"),
    ("comment", "", f"<!-- {CLAIM} -->"),
    ("script-template", "", f'<script type="text/template"><p>{CLAIM}</p></script>'),
    ("title-attribute", "", f'<p title="{CLAIM}">　</p>'),
    ("alt-attribute", "", f'<img src="/a.png" alt="{CLAIM}">'),
    ("css-content", f'<style>.c::after{{content:"{CLAIM}"}}</style>', '<p class="c"></p>'),
]


@pytest.mark.parametrize("style,body", [c[1:] for c in CONCEALED], ids=[c[0] for c in CONCEALED])
def test_a_claim_the_buyer_never_sees_raises_no_trust(style, body):
    assert _trust(style, body) == NO_CLAIM


SHOWN = [  # (name, page <style>, body): the buyer sees the claim (or one click shows it)
    ("plain", "", f"<p>{CLAIM}</p>"),
    ("aria-hidden-is-for-screen-readers", "", f'<p aria-hidden="true">{CLAIM}</p>'),
    ("small-grey-print", "", f'<p style="font-size:10px;color:#bbb">{CLAIM}</p>'),
    ("white-on-dark", "", f'<div style="background:#222"><p style="color:#fff">{CLAIM}</p></div>'),
    ("white-text-page-sheet-unknown", "", f'<p style="color:#fff">{CLAIM}</p>'),  # (a dark theme's sheet may paint it)
    ("gradient-text", "", f'<p style="background:linear-gradient(#f00,#00f);-webkit-background-clip:text;'
     f'color:transparent">{CLAIM}</p>'),
    ("tab-pane-the-page-shows", "<style>.tab-pane{display:none}.tab-pane.active{display:block}</style>",
     f'<div class="tab-pane"><p>{CLAIM}</p></div>'),
    ("accordion-the-page-opens", "<style>.faq-answer{display:none}.faq-item.open .faq-answer{display:block}</style>",
     f'<div class="faq-item"><div class="faq-answer">{CLAIM}</div></div>'),
    ("fade-the-page-shows", "<style>.fade{opacity:0}.fade.in{opacity:1}</style>", f'<div class="fade">{CLAIM}</div>'),
    ("opened-by-a-script", "<style>.m{display:none}</style>", f'<div class="m" style="display:block">{CLAIM}</div>'),
    ("one-screen-size-only", "<style>@media (max-width:480px){.pc{display:none}}</style>", f'<p class="pc">{CLAIM}</p>'),
    ("print-sheet", '<style media="print">.np{display:none}</style>', f'<p class="np">{CLAIM}</p>'),
    ("hover-state", "<style>.h:hover{visibility:hidden}</style>", f'<p class="h">{CLAIM}</p>'),
    ("pseudo-element-hidden", "<style>.p::before{display:none}</style>", f'<p class="p">{CLAIM}</p>'),
    ("carousel-track", "", f'<div style="transform:translate3d(-964px,0,0)"><div>公告</div><div>{CLAIM}</div></div>'),
    ("ticker-track", "", f'<ul style="margin-top:-600px"><li>公告一</li><li>{CLAIM}</li></ul>'),
    ("small-offset", "", f'<p style="position:relative;left:-20px">{CLAIM}</p>'),
    ("opacity-half", "", f'<p style="opacity:.5">{CLAIM}</p>'),
    ("closed-details", "", f"<details><summary>保障</summary><p>{CLAIM}</p></details>"),
]


@pytest.mark.parametrize("style,body", [c[1:] for c in SHOWN], ids=[c[0] for c in SHOWN])
def test_a_claim_the_buyer_sees_counts(style, body):
    assert _trust(style, body) == SHOWN_CLAIM


def test_an_unfair_term_in_a_tiny_grey_footer_still_counts():
    body = ('<p>售后请联系客服</p><footer style="font-size:9px;color:#ccc;background:#fff">'
            '虚拟商品一经售出不退不换，拒绝售后</footer>')
    facts = scrapers.extract(PAGE.format(style="", body=body), URL).as_dict()
    assert "no_refund" in [p["kind"] for p in facts["policies"]]


def test_hidden_text_gives_no_seller_name_or_order_fact():
    body = ('<div class="seller">商家：<span style="font-size:0">KaDun认证 官方旗舰</span>星辰数码</div>'
            '<p style="opacity:0">订单金额：¥1.00</p>')
    d = Document(PAGE.format(style="", body=body), URL)
    assert "KaDun" not in d.text and "¥1.00" not in d.text and "星辰数码" in d.text


def test_every_element_is_hidden_as_the_tree_says():
    root = parse_html(PAGE.format(style="<style>.a{visibility:hidden}.b{display:none}.b.on{display:block}</style>",
                                  body='<p class="a">x</p><p class="b">y</p><p style="opacity:0">z</p>'
                                       '<div style="background:#000"><font color="black">w</font></div>'))
    found = hidden_elements(root)
    assert [el.text for el in found] == ["x", "z", "w"]
    assert found == [el for el in root.iter() if isinstance(el.tag, str) and is_hidden(el)]


def test_a_hostile_style_sheet_reads_in_bounded_time_and_never_raises():
    rules = "".join(f".c{i} p > .x{i}{{display:none}}" for i in range(3000))
    broken = "<style>.a{display:none .b{{{ }}} :::: @media{ .c{opacity:0 } [x=}{display:none}</style>"
    for style in (f"<style>{rules}</style>", broken, "<style>" + "{" * 5000 + "</style>"):
        facts = scrapers.extract(PAGE.format(style=style, body=f"<p class='a c1'>{CLAIM}</p>"), URL)
        assert facts.page_kind  # (never raises, whatever the sheet)


@pytest.mark.parametrize("value,rgba", [
    ("#fff", (255, 255, 255, 1.0)), ("#FFFFFF", (255, 255, 255, 1.0)), ("white", (255, 255, 255, 1.0)),
    ("rgb(255, 255, 255)", (255, 255, 255, 1.0)), ("rgb(100% 100% 100%)", (255, 255, 255, 1.0)),
    ("rgba(0,0,0,0)", (0, 0, 0, 0.0)), ("#0000", (0, 0, 0, 0.0)), ("transparent", (0, 0, 0, 0.0)),
    ("hsla(0, 0%, 0%, 0)", (0, 0, 0, 0.0)), ("var(--text)", None), ("currentColor", None), ("#12", None),
])
def test_colours(value, rgba):
    assert parse_colour(value) == rgba


ELEMENT_READS = [  # a site rule reads one element's text: hidden parts inside it say nothing either
    ("order-table-amount",
     '<table><tr><th>订单号</th><th>商品名称</th><th>实付金额</th><th>订单状态</th></tr>'
     '<tr><td>KD202611240001</td><td>Steam 充值卡</td><td>¥<span style="font-size:0">1</span>98.00</td><td>已支付</td></tr>'
     '</table>', ("order", "amount"), {"amount": "98.00", "currency": "CNY"}),
    ("order-table-status",
     '<table><tr><th>订单号</th><th>商品名称</th><th>实付金额</th><th>订单状态</th></tr>'
     '<tr><td>KD202611240001</td><td>Steam 充值卡</td><td>¥98.00</td><td><i style="opacity:0">已发货</i>待支付</td></tr>'
     '</table>', ("order", "status"), "unpaid"),
    ("price-by-class", '<div class="goods-price"><i style="visibility:hidden">¥1.00</i>¥98.00</div>',
     ("product", "price"), {"amount": "98.00", "currency": "CNY"}),
]


@pytest.mark.parametrize("body,path,value", [c[1:] for c in ELEMENT_READS], ids=[c[0] for c in ELEMENT_READS])
def test_element_reads_leave_hidden_parts_out(body, path, value):
    page = PAGE.format(style="", body=body).replace("<h1>Steam 充值卡 100元</h1><div class=\"price\">价格：¥98.00</div>", "")
    facts = scrapers.extract(page, "https://shop.xingchen-fk.com/user/order/detail?no=KD202611240001").as_dict()
    assert facts[path[0]][path[1]] == value, facts[path[0]]


def test_visible_text_is_itertext_without_what_is_not_shown():
    from scrapers.visible import visible_text

    root = parse_html('<div><h1>A<!--c-->x<script>S</script>y<b style="display:none">H<i>I</i></b>B<u>U<s '
                      'style="opacity:0">V</s>W</u>Z</h1><p>plain <b>t</b></p></div>')
    h1, p = next(root.iter("h1")), next(root.iter("p"))
    assert visible_text(h1) == "A x y B U W Z"
    assert visible_text(p) == " ".join(p.itertext()) and visible_text(p, "") == "plain t"
