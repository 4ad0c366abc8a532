"""Readers that do not care about layout (issue 12, class 4): each named example is a small page of
one markup shape the fixtures lack, and the one fact it must give."""
from __future__ import annotations

import pytest

import scrapers
from scrapers.facts import Contact, Money


def page(body: str, head: str = "", title: str = "T") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def facts(body: str, url: str, **kw):
    return scrapers.extract(page(body, **kw), url)


MARKET_OFFER = """
<header><a class="navbar-brand" href="/">KeyNest</a></header>
<h1 class="offer-title">Elden Ring Steam Key (EU)</h1><div class="price">€ 39,99</div><button>Buy now</button>
<aside class="card"><h3>Seller</h3><div class="stats">
<div class="stat"><b>4.9</b><span>Rating</span></div><div class="stat"><b>98,412</b><span>Sales</span></div>
<div class="stat"><b>2019</b><span>Joined</span></div></div>
<a href="/seller/nordkeys">NordKeys</a></aside>
<footer>© 2026 KeyNest Digital Services Ltd. All rights reserved. Sell on KeyNest</footer>"""


def test_stat_tiles_read_the_number_above_the_caption():
    got = facts(MARKET_OFFER, "https://www.keynest.gg/offer/elden-ring-eu-88123")
    assert got.seller.sales == 98412


def test_a_box_headed_seller_names_the_seller_and_rating_is_no_name():
    got = facts(MARKET_OFFER, "https://www.keynest.gg/offer/elden-ring-eu-88123")
    assert got.seller.name == "NordKeys"


def test_the_footers_legal_entity_is_not_the_site_name_when_a_brand_shows():
    got = facts(MARKET_OFFER, "https://www.keynest.gg/offer/elden-ring-eu-88123")
    assert got.platform.name == "KeyNest"
    assert got.product.price == Money("39.99", "EUR")


def test_number_first_inline_sales():
    body = ('<div class="seller-card"><a class="seller-name" href="/shop/77">PixelPeak</a><span>98,412 sales</span></div>'
            '<h1>Valorant 1000 VP</h1><button>Buy now</button><p>Sell on PixelMart</p>')
    got = facts(body, "https://pixelmart.gg/offer/valorant-vp-1000")
    assert got.seller.sales == 98412 and got.seller.name == "PixelPeak"


ENGLISH_ORDER = """
<header><a class="logo" href="/">KeyNest</a></header>
<h1>Order #KN-20261124-8812</h1><span class="badge bg-success">Paid</span>
<h2>Items</h2><div class="item-row"><span class="item-name">Elden Ring Steam Key (EU) × 1</span><span>€39.99</span></div>
<dl><dt>Service fee</dt><dd>€1.20</dd><dt>Total</dt><dd>€41.19</dd><dt>Payment method</dt><dd>PayPal</dd>
<dt>Order date</dt><dd>Nov 24, 2026, 9:05 PM UTC</dd></dl>
<h3>Your keys</h3><textarea readonly>7Q2XK-9MBNR-4TZ8W</textarea>
<footer>© 2026 KeyNest Digital Services Ltd.</footer>"""


def test_an_english_marketplace_order():
    got = facts(ENGLISH_ORDER, "https://www.keynest.gg/account/orders/KN-20261124-8812")
    assert got.page_kind == "order"
    assert got.order.order_no == "KN-20261124-8812"
    assert got.order.item == "Elden Ring Steam Key (EU)"
    assert got.order.amount == Money("41.19", "EUR")  # fees included
    assert got.order.payment_method == "paypal"
    assert got.order.card_codes == ["7Q2XK-9MBNR-4TZ8W"]
    assert got.order.status == "delivered"  # (codes shown: paid and delivered)
    assert [(t.role, t.at) for t in got.timestamps] == [("ordered", "2026-11-24T21:05:00+00:00")]


def test_a_checkout_item_table_with_a_td_header_row():
    body = ('<h2>确认订单</h2><div>订单号：DD20261124093011</div><table><tr><td>商品</td><td>单价</td><td>数量</td></tr>'
            '<tr><td>爱奇艺黄金会员月卡 x 2</td><td>¥19.80</td><td>2</td></tr></table>'
            '<div>应付金额：¥39.60</div><button>立即支付</button>')
    got = facts(body, "https://ka.example.cn/pay/DD20261124093011")
    assert got.page_kind == "checkout"
    assert got.order.item == "爱奇艺黄金会员月卡" and got.order.quantity == 2
    assert got.order.amount == Money("39.60", "CNY") and got.order.status == "unpaid"


def test_option_chips_give_the_chosen_variants_price_and_stock():
    body = ('<h1>ChatGPT Plus 成品号</h1><div class="sku-list"><span class="sku">周卡 ¥39.00 (12)</span>'
            '<span class="sku active">月卡 ¥129.00 (37)</span><span class="sku">季卡 ¥359.00 (5)</span></div>'
            '<button>立即购买</button>')
    got = facts(body, "https://shop.example.cn/item/77")
    assert got.product.price == Money("129.00", "CNY") and got.product.stock == 37


def test_order_facts_in_a_sentence_and_a_status_badge():
    body = ('<div class="result"><p>订单#XC20261124103322 已支付，请耐心等待发货。</p></div>'
            '<div>商品名称：Spotify 家庭组 一年</div><div>实付：¥66.00</div>')
    got = facts(body, "https://ka.example.cn/query")
    assert got.order.order_no == "XC20261124103322"
    assert got.order.status == "paid"


def test_a_status_badge_and_not_the_filter_tabs():
    body = ('<ul class="tabs"><li class="tab">全部</li><li class="tab">待付款</li><li class="tab">已完成</li></ul>'
            '<div class="order"><div>订单编号：KM20261124000187</div><span class="layui-badge">已支付</span>'
            '<div>订单金额：¥15.00</div></div>')
    got = facts(body, "https://www.km-example.com/user/order/KM20261124000187")
    assert got.order.status == "paid"


def test_codes_in_a_textarea_with_labels():
    body = ('<div>订单号：QK20261124221501</div><div>订单状态：已完成</div><div>卡密信息</div>'
            '<textarea readonly>卡密：QKV8-22MN-7TTR-K3LZ\n卡密：QKV8-91XA-0PWE-M6Q2</textarea>')
    got = facts(body, "https://ka.example.cn/detail/QK20261124221501")
    assert got.order.card_codes == ["QKV8-22MN-7TTR-K3LZ", "QKV8-91XA-0PWE-M6Q2"]


CONTACTS = [
    ("telegram-url-in-text", '<h1>商品</h1><button>立即购买</button><div class="notice">售后请联系 TG：https://t.me/yunka_kefu</div>',
     Contact("telegram", "@yunka_kefu")),
    ("mixed-case-email", '<h1>商品</h1><button>立即购买</button><p>客服邮箱：Service@YunKa-Shop.COM</p>',
     Contact("email", "service@yunka-shop.com")),
    ("email-address-label", '<h1>Item</h1><button>Buy now</button><dl><dt>E-mail address</dt><dd>Help@NordKeys.io</dd></dl>',
     Contact("email", "help@nordkeys.io")),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in CONTACTS], ids=[c[0] for c in CONTACTS])
def test_shop_contacts(body, expected):
    got = facts(body, "https://shop.example.cn/item/12")
    assert expected in got.seller.contacts


def test_the_buyers_own_qq_in_the_order_rows_is_not_the_sellers():
    body = ('<header class="header">客服QQ：3300112233</header><table><tr><th>订单号</th><td>CH20261124552211</td></tr>'
            '<tr><th>QQ</th><td>1987654321</td></tr><tr><th>邮箱</th><td>buyer.zhang@qq.com</td></tr>'
            '<tr><th>订单金额</th><td>¥20.00</td></tr></table>')
    got = facts(body, "https://ka.example.cn/order/CH20261124552211")
    assert got.seller.contacts == [Contact("qq", "3300112233")]


def test_traditional_labels_and_values():
    body = ('<div>訂單編號：TW20261124000912</div><div>商品名稱：遊戲點數卡 1000點</div><div>訂單金額：NT$300</div>'
            '<div>付款方式：信用卡</div><div>訂單狀態：已發貨</div><div>下單時間：2026/11/24 下午3:06</div>')
    got = facts(body, "https://www.tw-card.example.tw/order/TW20261124000912")
    assert got.order.order_no == "TW20261124000912"
    assert got.order.item == "遊戲點數卡 1000點"  # the page's own characters
    assert got.order.amount == Money("300.00", "TWD")
    assert got.order.payment_method == "card" and got.order.status == "delivered"
    assert [(t.role, t.label, t.at) for t in got.timestamps] == [("ordered", "下單時間", "2026-11-24T15:06:00+08:00")]


BUY_BOX_OFFER = """
<header><a class="logo" href="/">Lootnest</a></header>
<main><h1>Fortnite 1,000 V-Bucks Gift Card (Global)</h1><p>Instant delivery Region: Global</p>
<dl><dt>In stock</dt><dd>1,204</dd><dt>Offer ID</dt><dd>OF-5518</dd></dl>
<p>Official gift card code, redeem at the publisher's site.</p>
<div><h2>Recent reviews</h2><ul><li><span>m***k</span><p>Code worked, lifetime customer now lol</p></li>
<li><span>J***n</span><p>Fast and legit.</p></li></ul></div></main>
<aside><div><span>€7,49</span><span>incl. VAT</span></div><label>Quantity</label><input type="number" value="1">
<button>Buy now</button><div><p>Get a full refund from Lootnest if your order isn't delivered.</p></div></aside>"""


def test_a_buy_box_price_with_a_tax_note_before_the_buy_button():
    got = facts(BUY_BOX_OFFER, "https://www.lootnest.example/offer/OF-5518")
    assert got.product.price == Money("7.49", "EUR")


def test_a_box_headed_reviews_holds_buyers_words_and_a_platform_refund_is_no_promise():
    got = facts(BUY_BOX_OFFER, "https://www.lootnest.example/offer/OF-5518")
    assert {p.kind for p in got.promises} == {"auto_delivery", "as_described"}


ORDER_WITH_CHAT = """
<nav><a class="navbar-brand" href="/">Gamehive</a></nav>
<h1>Order #QHZ7M2KD <span class="label">Completed</span></h1>
<div class="param-item"><h5>Seller</h5><a href="/users/55/">NordKeys</a><div>★ 4.9 · Sales: 1 874</div></div>
<div class="param-item"><h5>Payment method</h5><div>PayPal</div></div>
<div class="param-item"><h5>Total</h5><div>24,98 €</div></div>
<div class="param-item"><h5>Opened</h5><div>Dec 3, 2026, 9:07 PM UTC</div></div>
<div class="param-item"><h5>Paid</h5><div>Dec 3, 2026, 9:08 PM UTC</div></div>
<div class="param-item"><h5>Delivered</h5><div>Dec 3, 2026, 9:08 PM UTC</div></div>
<p>Confirm only after checking: once confirmed, the order can no longer be refunded.</p>
<div class="chat"><div class="chat-msg-item"><b>NordKeys</b><div class="chat-msg-text">Thanks!</div></div>
<div class="chat-msg-item"><b>lena</b><div class="chat-msg-text">Does it expire?</div></div>
<div class="chat-msg-item"><b>NordKeys</b><div class="chat-msg-text">No.</div></div></div>"""


def test_an_order_page_with_its_chat_beside_it_and_a_short_order_id_from_its_address():
    got = facts(ORDER_WITH_CHAT, "https://gamehive.example/en/orders/QHZ7M2KD/")
    assert got.page_kind == "order" and got.order.order_no == "QHZ7M2KD"
    assert [(t.role, t.at) for t in got.timestamps] == [
        ("ordered", "2026-12-03T21:07:00+00:00"), ("paid", "2026-12-03T21:08:00+00:00"),
        ("delivered", "2026-12-03T21:08:00+00:00")]
    assert [p.kind for p in got.policies] == ["no_refund"]


def test_thousands_grouped_by_spaces():
    got = facts(ORDER_WITH_CHAT, "https://gamehive.example/en/orders/QHZ7M2KD/")
    assert got.seller.sales == 1874


def test_a_chat_on_a_page_without_an_order_address_is_a_chat_and_a_chatgpt_slug_is_not():
    assert facts(ORDER_WITH_CHAT, "https://gamehive.example/en/chat/?node=55").page_kind == "chat"
    shop_item = "<h1>ChatGPT Plus 成品号 30天</h1><p>价格：¥159.00</p><button>立即购买</button>"
    assert facts(shop_item, "https://www.x.example/products/cm7q2x-chatgpt-plus-30d").page_kind == "product"


def test_a_status_banner_above_the_order_number():
    body = ('<div class="_1q3OZ"><div class="_9xk">订单详情</div><div class="_2ab">充值成功</div></div>'
            "<p>实付 ¥97.50</p><p>订单编号： 261203-428819273650114</p><p>下单时间： 2026-12-03 09:41:07</p>"
            '<nav><a href="/a">全部</a><a href="/b">待付款</a><a href="/c">已完成</a></nav>')
    assert facts(body, "https://m.example.com/order.html?order_sn=261203-428819273650114").order.status == "delivered"
    waiting = "<p>当前状态：<span>等待卖家交付</span></p><p>订单编号：QD2026120220143917652</p>"
    assert facts(waiting, "https://www.example.com/user/order/detail?orderNo=QD2026120220143917652").order.status == "paid"


def test_codes_under_their_heading_after_a_note_and_a_copy_button():
    body = ('<h1>支付成功</h1><p>ChatGPT Plus 成品号 · 订单号 AM20261205093318427</p><div><div>账号信息</div>'
            "<div>共 1 条，请妥善保存。建议保存订单号和查询密码以便日后查询。</div><button>一键复制全部卡密（1 条）</button>"
            "<ul><li><span>lucas.m7731@outlook.com----Qw8#tR2m!pLx</span></li></ul></div>")
    got = facts(body, "https://www.example.shop/orders/AM20261205093318427")
    assert got.order.card_codes == ["lucas.m7731@outlook.com----Qw8#tR2m!pLx"] and got.order.status == "delivered"


def test_an_invoice_description_column_names_the_item_and_a_line_total_is_no_unit_price():
    body = ("<h1>Order #DKH1047</h1><h2>Order summary</h2><table><thead><tr><th><span>Product image</span></th>"
            "<th>Description</th><th>Quantity</th><th>Price</th></tr></thead><tbody><tr>"
            '<td><img alt="Windows 11 Pro Retail Key"><span>2</span></td><th scope="row"><p>Windows 11 Pro Retail Key</p>'
            "<p>1 PC</p></th><td>2</td><td>€49,98</td></tr></tbody></table>"
            "<div><span>Subtotal</span><span>€49,98</span></div><div><strong>Total</strong><span>€52,78</span></div>")
    got = facts(body, "https://shop.example/checkouts/c/abc/thank-you")
    assert got.order.item == "Windows 11 Pro Retail Key" and got.product.title == "Windows 11 Pro Retail Key"
    assert got.product.price is None


def test_an_order_cards_caption_is_no_item_and_its_goods_row_is():
    body = ('<div class="im-msg">…</div><aside><div class="im-order-card"><p class="im-order-card__title">订单信息</p>'
            '<div class="im-order-card__goods"><img alt=""><p>【永劫无间】Steam 国服 金色阔刀</p></div>'
            "<ul><li><span>订单号</span><span>QD2026120220143917652</span></li><li><span>状态</span>"
            '<span class="el-tag">待交付</span></li></ul></div></aside>')
    got = facts(body, "https://www.example.com/im/group?orderNo=QD2026120220143917652")
    assert got.page_kind == "chat" and got.order.item == "【永劫无间】Steam 国服 金色阔刀" and got.order.status == "paid"


def test_an_emphasised_name_above_the_items_labelled_rows_and_a_form_heading_is_no_title():
    body = ('<div class="card"><strong class="pro-desc">腾讯视频VIP会员 月卡 激活码</strong><br>'
            "<p>商品编号: 1024</p><p>商品库存: 56份</p><p>售价: 15.8 元</p></div>"
            '<h4 class="sub-title">购买信息</h4><label>联系QQ</label><input name="qq"><button>购买</button>')
    got = facts(body, "https://www.shop.example/?mod=shop&gid=1024", title="小店 - 影视会员卡密自助下单平台")
    assert got.product.title == "腾讯视频VIP会员 月卡 激活码"


def test_a_seller_card_in_bem_classes_with_a_bare_id_and_a_deposit_badge():
    body = ("<a href='/user/seller/publish'>我要卖</a><h1>【永劫无间】Steam 国服 金色阔刀</h1><p>价格：¥1,650.00</p>"
            "<button>立即购买</button><aside class='seller-card'><div class='seller-card__head'>"
            "<p class='seller-card__name'>暮雪清风</p><p class='seller-card__meta'>ID：88120457</p></div>"
            "<ul class='seller-card__stats'><li><b>1286</b><span>成交笔数</span></li></ul>"
            "<div class='seller-card__badges'><span>实名认证</span> <span>已缴保证金 ¥2,000.00</span></div></aside>")
    got = facts(body, "https://www.q.example.com/goods/QY20261129101204377")
    assert (got.seller.name, got.seller.id, got.seller.deposit) == ("暮雪清风", "88120457", Money("2000.00", "CNY"))


def test_a_seller_tagged_in_a_chat_and_a_shop_with_its_door():
    chat = ('<div class="im-msg"><p class="im-msg__name">暮雪清风 <span class="el-tag">卖家</span></p>'
            '<div class="im-msg__bubble">刚下班</div></div><div class="im-msg"><p>我</p><div>在吗</div></div>'
            '<div class="im-msg"><p class="im-msg__name">小鱼 <span class="el-tag">官方</span></p><div>您好</div></div>')
    assert facts(chat, "https://www.q.example.com/im/group?orderNo=QD2026120220143917652").seller.name == "暮雪清风"
    h5 = ("<div>充值成功</div><div><span>速充通讯专营店</span> <a href='/mall?id=1'>进店</a></div>"
          "<p>订单编号： 261203-428819273650114</p>")
    assert facts(h5, "https://m.example.com/order.html?order_sn=261203-428819273650114").seller.name == "速充通讯专营店"


def test_a_grid_whose_header_and_body_are_two_tables():
    body = ("<p>订单编号：QD2026120220143917652</p><div class='uc-card__title'>商品信息</div><div class='el-table'>"
            "<div><table><thead><tr><th>商品</th><th>单价</th><th>数量</th><th>小计</th></tr></thead></table></div>"
            "<div><table><tbody><tr><td><a class='goods-cell__name' href='/goods/1'>【永劫无间】Steam 国服</a></td>"
            "<td>¥1,650.00</td><td>3</td><td>¥4,950.00</td></tr></tbody></table></div></div>")
    got = facts(body, "https://www.q.example.com/user/buyer/order/detail?orderNo=QD2026120220143917652")
    assert (got.order.item, got.order.quantity) == ("【永劫无间】Steam 国服", 3)


@pytest.mark.parametrize("line,expected", [
    ("<p>¥98.50 ×1</p>", 1), ("<p>付款金额： 14.8元 15.8元 × 2份</p>", 2), ("<p>共2件商品 合计：￥185.00</p>", 2),
    ("<p>iPhone 15 x 1 台</p>", None)], ids=["price-times", "struck-price-then-count", "sum-of-pieces", "no-price"])
def test_a_quantity_carried_by_a_price_line(line, expected):
    body = f"<p>订单编号：261203428819273650114</p><p>商品：话费充值 100元</p>{line}"
    assert facts(body, "https://m.example.com/order?order_sn=261203428819273650114").order.quantity == expected


def test_numbered_code_labels():
    body = "<p>订单单号：202612041322459917</p><p>订单状态： 已完成</p><p>卡1：TXSP7K2MQW9E44XR</p><p>卡2：TXSP9A3LMN4PQ72Z</p>"
    got = facts(body, "https://ka.example.cn/?mod=query&id=202612041322459917")
    assert got.order.card_codes == ["TXSP7K2MQW9E44XR", "TXSP9A3LMN4PQ72Z"]


def test_the_item_named_before_the_order_number_on_one_line():
    body = "<h1>支付成功</h1><p>ChatGPT Plus 成品号 美区 独享 30天 · 订单号 AM20261205093318427</p>"
    got = facts(body, "https://www.example.shop/orders/AM20261205093318427")
    assert got.order.item == "ChatGPT Plus 成品号 美区 独享 30天"


def test_a_goods_cards_name_above_its_spec_and_its_price_with_a_count():
    body = ("<div><span>速充通讯专营店</span><span>进店</span></div><div><img alt=''><div>"
            "<div>中国移动 话费充值 100元 全国通用</div><div>面值：100元</div><div><span>¥98.50</span><span>×1</span></div>"
            "</div></div><div><span>实付</span><span>¥97.50</span></div><p>订单编号： 261203-428819273650114</p>")
    got = facts(body, "https://m.example.com/order.html?order_sn=261203-428819273650114")
    assert (got.order.item, got.order.quantity) == ("中国移动 话费充值 100元 全国通用", 1)


def test_a_marketplaces_own_price_column_names_the_items_price():
    body = ("<p>订单：298471650321</p><h3>商品清单</h3><table><thead><tr><th>商品</th><th>京东价</th><th>商品数量</th>"
            "<th>操作</th></tr></thead><tbody><tr><td>腾讯QQ币 100个Q币</td><td>¥100.00</td><td>1</td><td>再次购买</td></tr>"
            "</tbody></table><p>应付总额： ¥99.50</p>")
    got = facts(body, "https://details.example.com/normal/item.action?orderid=298471650321")
    assert got.product.price == Money("100.00", "CNY") and got.order.item == "腾讯QQ币 100个Q币"


@pytest.mark.parametrize("line,expected", [
    ("<p>¥159.00 仅剩 3 件，手慢无！</p>", 3), ("<p>庫存不足：剩下 3 件</p>", 3), ("<p>Only 4 left</p>", 4)],
    ids=["only-n-left-cn", "low-stock-traditional", "only-n-left-en"])
def test_stock_said_in_a_sentence(line, expected):
    body = f"<h1>ChatGPT Plus 成品号 美区 独享 30天</h1>{line}<button>立即购买</button>"
    assert facts(body, "https://www.example.shop/products/chatgpt-plus-30d").product.stock == expected


def test_a_latin_channel_name_with_a_chinese_role_word_labels_a_contact():
    body = "<h1>PSN 儲值卡</h1><p>價格：HK$468.00</p><button>立即購買</button><p>WhatsApp 客服：+852 6123 4567（星期一至六）</p>"
    got = facts(body, "https://hk.example.com/products/psn-500")
    assert [(c.type, c.value) for c in got.seller.contacts] == [("phone", "85261234567")]


def test_a_warning_in_a_later_clause_leaves_the_promise_before_it():
    body = "<h1>腾讯视频VIP会员 月卡</h1><p>售价：15.8 元</p><button>购买</button><p>本站只售正版激活码，谨防低价盗版！</p>"
    got = facts(body, "https://ka.example.cn/?mod=shop&gid=1")
    assert [p.kind for p in got.promises] == ["as_described"]
    quoted = "<h1>腾讯视频VIP会员 月卡</h1><p>售价：15.8 元</p><button>购买</button><p>谨防“永久稳定”“秒发”等话术，本站只售正版</p>"
    assert facts(quoted, "https://ka.example.cn/?mod=shop&gid=1").promises == []


@pytest.mark.parametrize("value,hours", [("Guaranteed within 1 hour", 1.0), ("Within 30 minutes", 0.5), ("usually in 2 days", 48.0),
                                         ("Instant", None), ("Refund within 7 days if unused", None)],
                         ids=["guaranteed", "within-minutes", "usually-days", "no-number", "a-sentence-is-no-field-value"])
def test_a_delivery_fields_value_alone_states_the_window(value, hours):
    body = (f"<h1>Fortnite 1,000 V-Bucks Gift Card</h1><dl><dt>Delivery</dt><dd>{value}</dd></dl>"
            "<div>€7,49</div><button>Buy now</button>")
    got = facts(body, "https://www.lootnest.example/offer/OF-5518")
    assert [p.hours for p in got.promises if p.kind == "delivery_window"] == ([hours] if hours is not None else [])


def test_a_marketplace_orders_short_description_names_the_item():
    body = ("<h1>Order #QHZ7M2KD Completed</h1><div class='param-item'><h5>Short description</h5>"
            "<div>Minecraft: Java &amp; Bedrock Edition for PC — Key (Global) x 2</div></div>")
    got = facts(body, "https://gamehive.example/en/orders/QHZ7M2KD/")
    assert got.order.item == "Minecraft: Java & Bedrock Edition for PC — Key (Global)"


def test_a_reviews_heading_among_the_pages_sections_silences_only_a_box_it_heads():
    flat = ("<h1>Windows 11 Pro Key</h1><div>€24.99</div><button>Buy now</button><section><h2>Description</h2>"
            "<p>Instant delivery by e-mail.</p><h2>Reviews</h2><p>Great, lifetime customer</p></section>")
    got = facts(flat, "https://keys.example/products/win11")
    assert {p.kind for p in got.promises} == {"auto_delivery"}


KAMENG_ORDER_TABLE = """
<div class="header"><a href="/" class="logo">星河卡盟</a></div>
<table class="table order-info">
<tr><th>订单编号</th><td>KM20261201123456</td></tr><tr><th>商品名称</th><td>王者荣耀 点券 1000</td></tr>
<tr><th>店铺名称</th><td>蓝鲸游戏专营店</td></tr><tr><th>购买数量</th><td>1</td></tr>
<tr><th>实付金额</th><td>¥98.00</td></tr><tr><th>下单时间</th><td>2026-12-01 12:30:11</td></tr></table>"""


def test_a_shop_name_row_in_an_order_table_names_the_seller_apart_from_the_site():
    """A 店铺名称 row beside the order's own rows: the site hosts shops, and this one sold it."""
    got = facts(KAMENG_ORDER_TABLE, "https://www.xinghe-km.com/user/order/detail?id=KM20261201123456",
                title="订单详情 - 星河卡盟")
    assert got.page_kind == "order" and got.order.order_no == "KM20261201123456"
    assert got.seller.name == "蓝鲸游戏专营店" and got.platform.name == "星河卡盟"


@pytest.mark.parametrize("name", ["黑神话：悟空 豪华版 Steam激活码", "Office 2021: Professional Plus 密钥", "原神：创世结晶 6480"])
def test_an_item_name_with_a_colon_of_its_own_is_the_whole_value(name):
    """A value that has its own colon right after its label (订单名称：黑神话：悟空 …) is one value:
    the colon inside a name does not start a new "黑神话" row (reported by the buyer-scenarios round)."""
    body = f"""<div class="card"><h5>订单详情 <small>订单号：4KQ8ZP2M7XH3N9TD</small></h5>
<div class="mb-1"><label>订单名称：</label><span>{name} x 1</span></div>
<div class="mb-1"><label>购买数量：</label><span>1</span></div>
<div class="mb-1"><label>实际支付价格：</label><span>¥98.00</span></div></div>"""
    got = facts(body, "https://faka.example-shop.top/detail-order-sn/4KQ8ZP2M7XH3N9TD", title="订单详情")
    assert got.order.item == name


def test_two_known_labels_with_empty_values_stay_two_rows():
    """The value-with-a-colon rule leaves two known labels on one line apart ("卡密： 状态：已发货")."""
    body = """<div class="card"><h5>订单详情</h5><p>订单号：KD2026120100001</p>
<p>商品名称：王者荣耀 点券 1000</p><p>卡密： 订单状态：已发货</p></div>"""
    got = facts(body, "https://faka.example-shop.top/order/KD2026120100001", title="订单详情")
    assert got.order.status == "delivered" and got.order.item == "王者荣耀 点券 1000"
