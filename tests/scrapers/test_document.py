"""Parse once: visible text, label/value pairs in every shape the issue names, header-row tables,
and the registry of site modules with their fingerprints."""
from __future__ import annotations

import pytest

import scrapers
from scrapers.document import Document
from scrapers.sites import REGISTRY, pick

from .helpers import FIXTURES, labelled_pages


def doc(body: str, url: str = "https://shop.example.com/") -> Document:
    return Document(f"<html><head><title>T</title></head><body>{body}</body></html>", url)


def test_visible_text_skips_scripts_templates_and_hidden_elements():
    d = doc('<p>看得见</p><script>var a="脚本"</script><style>.x{}</style><template><p>模板</p></template>'
            '<noscript>无脚本</noscript><div style="display: none">隐藏</div><div hidden>也隐藏</div>'
            '<div style="DISPLAY:NONE"><p>大写隐藏</p></div>尾巴<!-- 注释 -->')
    assert d.text == "看得见 尾巴"


def test_text_after_a_hidden_element_still_counts():
    d = doc('<div><span hidden>藏</span>露出</div>')
    assert d.text == "露出"


PAIRS = [
    ("label-span", '<div><label>下单时间：</label><span>2026-11-24 10:03:22</span></div>', "下单时间", "2026-11-24 10:03:22"),
    ("dt-dd", '<dl><dt>付款方式</dt><dd>支付宝</dd></dl>', "付款方式", "支付宝"),
    ("th-td", '<table><tr><th>订单号</th><td>HY20261124103322</td></tr></table>', "订单号", "HY20261124103322"),
    ("td-td", '<table><tr><td>订单金额</td><td>￥38.00</td></tr></table>', "订单金额", "￥38.00"),
    ("strong", '<p><strong>订单编号:</strong> K2026112410032258</p>', "订单编号", "K2026112410032258"),
    ("key-value-line", '<p>开店时间：2024-03-15</p>', "开店时间", "2024-03-15"),
    ("two-pairs-one-line", '<p><span>订单金额：</span>¥188.00　<span>订单状态：</span>已发货</p>', "订单状态", "已发货"),
    ("br-split-label", '<table><tr><td>１、订<br>单<br>号：<td>HY2026</table>', "订单号", "HY2026"),
    ("br-split-two-words", '<table><tr><td>６、下单<br>时间：<td>2026/11/24 10:33:22</table>', "下单时间", "2026/11/24 10:33:22"),
    ("no-colon-known-label", '<div><span>库存</span> <span>342</span></div>', "库存", "342"),
    ("spaced-label", '<div><span>价　格</span><span>¥188.00</span></div>', "价格", "¥188.00"),
    ("english-dt", '<dl><dt>Order time</dt><dd>2026-11-24 02:03:22</dd></dl>', "ordertime", "2026-11-24 02:03:22"),
    ("after-full-stop", '<p>下单前请阅读说明。售后客服QQ：1769023345</p>', "售后客服qq", "1769023345"),
]


@pytest.mark.parametrize("html,label,value", [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_label_value_pairs(html, label, value):
    pairs = {p.label: p.value for p in doc(html).pairs}
    assert pairs.get(label) == value, pairs


def test_header_row_table_gives_rows_by_column():
    d = doc('<table><thead><tr><th>订单ID</th><th>金额</th></tr></thead><tbody>'
            '<tr class="info"><td>20261124103358217</td><td>8.80</td></tr>'
            '<tr><td>20261120214507436</td><td>3.50</td></tr></tbody></table>')
    [table] = d.tables
    assert table.header == ["订单ID", "金额"]
    assert [tr.get("class") for tr, _ in table.rows] == ["info", None]


def test_every_shop_system_of_the_issue_has_a_registered_module():
    systems = {cls.system for cls in REGISTRY}
    assert {"dujiaoka", "acg-faka", "qs-faka", "zfaka", "card-system", "caihong", "generic"} <= systems
    assert REGISTRY[-1].system == "generic"


@pytest.mark.parametrize("name,html_path,url,expected", labelled_pages(FIXTURES),
                         ids=[c[0] for c in labelled_pages(FIXTURES)])
def test_fingerprint_picks_the_labelled_system(name, html_path, url, expected):
    assert pick(Document(html_path.read_text(encoding="utf-8"), url)).system == expected["system"]


def test_registered_domain_is_offline_and_uses_the_public_suffix_list():
    assert scrapers.registered_domain("https://shop.example-km.com/order") == "example-km.com"
    assert scrapers.registered_domain("https://a.b.example.com.cn/x") == "example.com.cn"
    assert scrapers.registered_domain("http://127.0.0.1:5000/") == "127.0.0.1"
    assert scrapers.registered_domain("not a url") == ""


def test_several_orders_with_none_in_focus_fill_no_order():
    html = ('<div class="list">' + "".join(
        f'<div class="o"><p>订单号：JN2026112409301{i}</p><p>下单时间：2026-11-2{i} 09:30:15</p><p>订单类型：自动发货</p></div>'
        for i in range(3)) + "</div>")
    facts = scrapers.extract(f"<html><body>{html}</body></html>", "https://km.example.com/user/orders")
    assert facts.order.order_no is None and facts.timestamps == [] and facts.promises == []


def test_the_order_named_in_the_url_is_the_focus():
    html = "".join(f'<div class="o"><p>订单号：JN2026112409301{i}</p><p>订单状态：已完成</p></div>' for i in range(3))
    facts = scrapers.extract(f"<html><body>{html}</body></html>", "https://km.example.com/q?no=JN20261124093011")
    assert facts.page_kind == "order" and facts.order.order_no == "JN20261124093011"


def test_an_article_quoting_phrases_states_nothing():
    html = ('<html><head><meta property="og:type" content="article"></head><body><h1>卡盟骗局调查</h1>'
            '<p>发布时间：2026-11-20 08:30:00 来源：某网</p><p>商家宣称“先行赔付”“保证金制度”“秒发”“永久稳定”，虚拟商品一经售出概不退换。</p>'
            '<p>© 2013-2026 某网</p></body></html>')
    facts = scrapers.extract(html, "https://news.example.cn/article/1.html")
    assert facts.page_kind == "other"
    assert facts.promises == [] and facts.policies == []
    assert facts.platform.deposit_system is None and facts.platform.advance_compensation is None


def test_a_page_name_in_the_title_is_not_the_platform_name():
    html = "<html><head><title>订单详情</title></head><body><p>订单编号：A1B2C3D4E5F6</p></body></html>"
    assert scrapers.extract(html, "https://x.example.com/order/detail").platform.name is None


def test_the_brand_before_a_company_after_the_rights_words_is_the_platform_name():
    """The company a notice names after 版权所有 is not the holder's; a buyer-centre title part and a
    logout link (class link-logout) are not the site's name either."""
    html = ("<html><head><title>订单详情 - 买家中心 - Q游宝游戏交易平台</title></head><body>"
            '<a class="link-logout" href="/logout">退出</a><p>订单编号：QD2026120220143917652</p>'
            "<p>Copyright © 2019-2026 Q游宝（qyoubao.com） 版权所有 杭州青游网络科技有限公司</p></body></html>")
    assert scrapers.extract(html, "https://www.q.example.com/user/buyer/order/detail").platform.name == "Q游宝"
    html = ('<html><head><title>订单详情 - 我的京东</title></head><body><a class="link-logout" href="/x">退出</a>'
            "<p>订单号：300123456789</p></body></html>")
    assert scrapers.extract(html, "https://details.example.com/normal/item.action").platform.name != "退出"


def test_buyer_email_on_an_order_page_is_not_a_seller_contact():
    html = ("<html><body><p>订单号：A1B2C3D4E5F6</p><p>邮箱：buyer@example.com</p><p>订单邮箱：b2@example.com</p>"
            "<p>客服邮箱：Help@Shop.example</p></body></html>")
    facts = scrapers.extract(html, "https://x.example.com/detail-order-sn/A1B2C3D4E5F6")
    assert [(c.type, c.value) for c in facts.seller.contacts] == [("email", "help@shop.example")]


def test_platform_denying_advance_compensation_is_false():
    html = '<html><body><h1>用户协议</h1><p>本平台不提供先行赔付，商家需缴纳保证金。</p>' + "<p>条款。</p>" * 300 + "</body></html>"
    facts = scrapers.extract(html, "https://km.example.com/help/agreement.html")
    assert facts.page_kind == "terms"
    assert facts.platform.advance_compensation is False and facts.platform.deposit_system is True


def test_a_shop_rules_page_dressed_as_an_article_is_terms():
    html = ('<html><head><title>法律条款 - 云商发卡</title></head><body><nav><a href="/order">订单查询</a>'
            '<a href="/merchant">商户中心</a></nav><h1>法律条款</h1><p>发布时间：2026-01-05 10:00:00 作者：管理员</p>'
            '<p>虚拟商品一经售出不退不换。</p><p>© 2022-2026 云商发卡</p></body></html>')
    facts = scrapers.extract(html, "https://www.yunshang-ka.cn/article/1")
    assert facts.page_kind == "terms"
    assert [p.kind for p in facts.policies] == ["no_refund"]


def test_a_payment_serial_beside_the_order_number_is_the_same_order():
    html = ("<html><body><h2>订单详情</h2><p>订单号：K2026112410032258</p><p>交易流水号：2026112422001456781234567890</p>"
            "<p>实付金额：¥30.00</p></body></html>")
    facts = scrapers.extract(html, "https://x.example.com/order/detail")
    assert facts.order.order_no == "K2026112410032258"
    assert facts.order.amount.amount == "30.00"


def test_a_storefront_with_buy_buttons_on_every_card_is_a_shop():
    cards = "".join(f'<div class="card"><h5>商品{i} 永久会员</h5><p class="price">￥{i}.00</p><button>购买</button></div>'
                    for i in range(1, 7))
    facts = scrapers.extract(f'<html><body><div class="row">{cards}</div></body></html>', "https://shop.example.com/category/2")
    assert facts.page_kind == "shop" and facts.promises == []


def test_a_company_holder_yields_to_the_brand():
    html = ('<html><head><title>商品详情 - 青柠发卡</title></head><body><a class="navbar-brand">青柠发卡</a>'
            '<p>Copyright © 2021-2026 杭州青柠网络科技有限公司 版权所有</p></body></html>')
    platform = scrapers.extract(html, "https://x.qingning.cn/").platform
    assert platform.name == "青柠发卡" and platform.copyright_years == [2021, 2026]


def test_a_menu_link_is_not_a_label():
    html = '<html><body><nav><a href="/shop">Shop</a><a href="/deals">Deals</a></nav><a href="/sell">Sell on X</a></body></html>'
    assert scrapers.extract(html, "https://x.example.com/").seller.name is None


def _two_acg_orders() -> str:
    import re

    html = (FIXTURES / "acg-faka-order.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="order-item">.*?<div class="card-display">.*?</div></div>', html, re.S).group(0)
    other = block.replace("261124153208774512", "261120101010101010").replace("7QK4M", "AAAAA").replace("25.60", "99.00")
    return html.replace(block, other + block + "</div></div>", 1)


def test_acg_faka_query_listing_two_orders_fills_no_order():
    facts = scrapers.extract(_two_acg_orders(), "https://www.qiyu-shop.cn/user/index/query")
    assert facts.page_kind == "order" and facts.order.order_no is None and facts.timestamps == []


def test_acg_faka_query_with_the_searched_number_fills_that_order_only():
    facts = scrapers.extract(_two_acg_orders(), "https://www.qiyu-shop.cn/user/index/query?tradeNo=261124153208774512")
    assert facts.order.order_no == "261124153208774512"
    assert facts.order.amount.amount == "25.60"
    assert facts.order.card_codes == ["7QK4M-2XJ9P-LT8V3", "H3N6R-9WZ2C-8FJ5K"]
