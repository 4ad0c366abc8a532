"""Classes found on the blind corpus set d (systems new to every corpus): each named example is a small
page of one way real shops say or lay something out, and the fact it must give (or must not)."""
from __future__ import annotations

import scrapers
from scrapers.facts import Money


def page(body: str, lang: str = "") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<html{attr}><head><title>T</title></head><body>{body}</body></html>"


def facts(body: str, url: str, lang: str = ""):
    return scrapers.extract(page(body, lang), url)


JAPANESE_PRODUCT = """
<header><div class="cart-navi"><span class="badge">0</span><div class="cartNavi__price">￥0</div></div>
<p>現在カート内に商品はございません。</p></header>
<h2 class="product-title">ゲームソフト ダウンロードキー（日本国内版）</h2>
<div class="priceRegular"><span class="priceRegularPrice">通常価格：<span class="price01-default">￥4,980</span></span></div>
<div class="product-price"><span class="price02-default">￥4,280</span><span>税込</span></div>
<div>在庫数： 12</div><button>カートに入れる</button>
<p>ご決済完了後、マイページにキーを自動配信いたします。お客様都合による返品・返金はお受けできません。</p>"""


def test_a_japanese_pages_yen_sign_is_yen_and_neither_the_cart_total_nor_the_regular_price_is_the_price():
    got = facts(JAPANESE_PRODUCT, "https://www.keyshop.example.jp/products/detail/412", lang="ja")
    assert got.product.price == Money("4280.00", "JPY")
    assert got.product.stock == 12


def test_a_bare_dollar_on_a_taiwanese_page_is_the_new_taiwan_dollar():
    body = ('<h1 class="item-title">遊戲點數卡 1000點 自動發卡</h1><ul><li class="item-price"><span>直購價</span>'
            '<strong>$ 950</strong></li><li>剩餘數量 37</li></ul><button>直接購買</button><p>點數卡屬虛擬商品，恕不退換。</p>')
    got = facts(body, "https://www.market.example.com.tw/item/21945617736122", lang="zh-Hant-TW")
    assert got.product.price == Money("950.00", "TWD")


def test_an_amount_paid_in_a_token_names_no_yuan_from_the_network_and_pays_in_usdt():
    body = ("<h1>订单 #TG20261207024119066 <span class='badge'>已发货</span></h1>"
            "<dl><dt>商品</dt><dd>ChatGPT Plus 成品号</dd><dt>数量</dt><dd>1</dd><dt>订单金额</dt><dd>¥89.00</dd>"
            "<dt>实付</dt><dd>12.4132 USDT <small>(TRC20)</small></dd>"
            "<dt>交付内容</dt><dd><pre>rowan.blake7724@outlook.com----Gp4$wX9qLm2t</pre></dd></dl>")
    got = facts(body, "https://cardbot.example/order/TG20261207024119066?token=9f2c")
    assert got.order.amount == Money("89.00", "CNY")
    assert got.order.payment_method == "usdt"
    assert got.order.card_codes == ["rowan.blake7724@outlook.com----Gp4$wX9qLm2t"]
    assert got.order.status == "delivered"


SOFTWARE_RECEIPT = """
<header><a class="site-title" href="/">Pixelforge</a></header>
<h1>Purchase Confirmation</h1>
<table><tr><th>Order:</th><td>#PF-1294</td></tr><tr><th>Order Status:</th><td>Completed</td></tr>
<tr><th>Payment Method:</th><td>Credit Card</td></tr><tr><th>Total:</th><td>$90.30</td></tr></table>
<p>Includes 1 year of updates &amp; priority support.</p>
<p>Not happy? Every license comes with a 30-day money-back guarantee — just reply to your receipt e-mail.</p>
<footer>© 2019–2026 Pixelforge Labs OÜ · Tallinn, Estonia</footer>"""


def test_a_single_shops_money_back_guarantee_is_its_refund_promise_not_a_platform_paying_first():
    got = facts(SOFTWARE_RECEIPT, "https://pixelforge.dev/checkout/purchase-confirmation/?payment_key=c8f1b27e4d9a")
    assert got.platform.advance_compensation is None
    assert {(p.kind, p.hours) for p in got.promises} == {("refund", None), ("warranty", 8760.0)}


def test_a_refund_window_is_no_delivery_window():
    body = ("<h1>Order #1042-3381</h1><span class='badge'>Paid</span><div>Total $34.51</div>"
            "<p>Need help? Contact Cobalt Apps. Cobalt Apps offers refunds within 14 days of purchase.</p>")
    got = facts(body, "https://app.lemonsqueezy.example/my-orders/1042-3381")
    assert [(p.kind, p.hours) for p in got.promises] == [("refund", None)]


IM_CHAT = """
<aside><div class="im-session is-active"><p class="im-session__name">提瓦特杂货铺</p></div></aside>
<section class="im-main"><div class="im-order"><p>【原神】天空岛 60级 满命雷神</p><p>订单号：YO2026120709315527</p>
<p>实付：¥1,416.80</p><span class="tag">待确认收货</span></div>
<div class="im-msg im-msg--left"><div class="im-msg__bubble">号已经换绑到您的手机了，麻烦确认收货哈</div></div>
<div class="im-msg im-msg--right"><div class="im-msg__bubble">你之前说“永久不找回”是吧？</div></div>
<div class="im-msg im-msg--left"><div class="im-msg__bubble">对，自己一手号</div></div></section>"""


def test_an_im_route_is_a_chat_and_the_buyers_quote_of_a_promise_is_none():
    got = facts(IM_CHAT, "https://www.yiyou.example/im?to=7318820&order=YO2026120709315527")
    assert got.page_kind == "chat"
    assert [p.kind for p in got.promises] == ["original_owner"]
    assert got.order.status == "delivered"


def _contacts(got):
    return sorted((c.type, c.value) for c in got.seller.contacts)


def test_the_account_a_recharge_went_to_is_the_buyers_not_a_seller_contact():
    body = ('<div class="status-header"><h1>充值成功</h1><div class="status-header__desc">已充值到账号 QQ 1067723851，请登录查看</div></div>'
            '<div>订单编号 6939201487715530462</div><div>实付款 ¥15.90</div>')
    got = facts(body, "https://shop.example.com/trade/detail/index.html?order_id=6939201487715530462")
    assert _contacts(got) == []


def test_a_bot_and_a_notice_channel_are_no_seller_contacts_and_the_support_handle_is():
    body = ('<header><a href="https://t.me/NovaCardBot">在 Telegram 中打开</a></header><h1>订单 #TG20261207024119066</h1>'
            '<ul><li>售后请带订单号联系客服 <a href="https://t.me/nova_cs">t.me/nova_cs</a>，频道 '
            '<a href="https://t.me/novacard_notice">@novacard_notice</a></li></ul>')
    got = facts(body, "https://cardbot.example/order/TG20261207024119066")
    assert _contacts(got) == [("telegram", "@nova_cs")]


def test_a_platforms_company_qq_is_not_the_sellers_and_add_qq_in_the_usage_note_is():
    body = ('<table><tr><th>订单号</th><th>卡密</th></tr><tr><td>T2026120621471385302</td><td>a@b.com----pw123456</td></tr></table>'
            '<p>使用方法：登录不上请带订单号加QQ 2850417736 处理。</p>'
            '<footer><ul><li>联系电话 0571-86920153</li><li>企业QQ<a href="tencent://message/?uin=800158266">：800158266</a></li></ul></footer>')
    got = facts(body, "https://www.fakaplatform.example/orderquery.htm?st=orderid&kw=T2026120621471385302")
    assert ("qq", "2850417736") in _contacts(got) and ("qq", "800158266") not in _contacts(got)


def test_a_number_after_a_shops_support_label_and_a_q_group_are_qq():
    body = ('<div class="shop-head"><h2>鲸落游戏CDK</h2><span>普通商户</span><p>商家客服：1974306652</p></div>'
            '<div class="notice">新店开业，激活失败包换。售后Q群：735120488，进群备注订单号。</div>'
            '<p>本平台仅提供自动发卡服务，并非销售商，不负责商品相关售后问题。</p>')
    got = facts(body, "https://www.fakaplatform.example/links/8E5B27D4")
    assert _contacts(got) == [("qq", "1974306652"), ("qq", "735120488")]
    assert "auto_delivery" not in {p.kind for p in got.promises}


WOO_RECEIVED = """
<header class="site-header"><div class="site-branding"><a class="site-title" href="/">KeyHaven</a></div></header>
<h1>Checkout</h1><p>Thank you. Your order has been received.</p>
<ul class="order_details"><li class="order">Order number: <strong>48213</strong></li>
<li class="email">Email: <strong>J.Meier.Home@gmx.de</strong></li>
<li class="total">Total: <strong>41,18 €</strong></li><li class="method">Payment method: <strong>PayPal</strong></li></ul>
<table class="order_details"><thead><tr><th>Product</th><th>Total</th></tr></thead>
<tbody><tr><td>Windows 11 Pro – Retail Key (Global) <strong>× 1</strong></td><td>39,98 €</td></tr></tbody></table>
<p>Activation problem? Our team replaces the key or refunds you in full.</p>
<footer><p>E-mail: <a href="mailto:Support@KeyHaven.eu">Support@KeyHaven.eu</a></p></footer>"""


def test_a_checkouts_confirmation_step_is_an_order_with_a_short_number_the_address_names():
    got = scrapers.extract(f"<html><head><title>Checkout – KeyHaven</title></head><body class='page right-sidebar'>"
                           f"{WOO_RECEIVED}</body></html>",
                           "https://keyhaven.example/checkout/order-received/48213/?key=wc_order_Xk2P9")
    assert got.page_kind == "order" and got.order.order_no == "48213"
    assert got.order.amount == Money("41.18", "EUR") and got.order.payment_method == "paypal"
    assert got.product.title == got.order.item == "Windows 11 Pro – Retail Key (Global)"
    assert got.product.price == Money("39.98", "EUR")  # (one piece: the line's total is its price)
    # the buyer's e-mail under a body whose layout class says "sidebar" is still the buyer's
    assert [(c.type, c.value) for c in got.seller.contacts] == [("email", "support@keyhaven.eu")]
    assert {p.kind for p in got.promises} == {"replacement", "refund"}


def test_order_facts_in_a_sentence_with_a_short_number():
    body = ('<p>Order #<mark class="order-number">47760</mark> was placed on <mark>28 November 2026</mark> and is currently '
            '<mark class="order-status">Completed</mark>.</p>')
    got = facts(body, "https://keyhaven.example/my-account/view-order/47760/")
    assert got.page_kind == "order" and got.order.order_no == "47760" and got.order.status == "delivered"


def test_a_footers_estonian_company_yields_to_the_brand():
    got = facts(SOFTWARE_RECEIPT, "https://pixelforge.dev/checkout/purchase-confirmation/?payment_key=c8f1b27e4d9a")
    assert got.platform.name == "Pixelforge"
    assert got.page_kind == "order"


def test_a_thead_without_a_row_heads_an_items_table_whose_name_column_names_the_item():
    body = ('<h1>Purchase Confirmation</h1><p>Order: #PF-1294</p><p>Order Status: Completed</p>'
            '<p>Total: $90.30</p><h3>Products</h3><table><thead><th>Name</th><th>Price</th></thead>'
            '<tbody><tr><td><div>Pixelforge Pro — Agency (unlimited sites)</div><div><p>Includes updates.</p></div></td>'
            '<td>$129.00</td></tr></tbody></table>')
    got = facts(body, "https://pixelforge.example/checkout/purchase-confirmation/?payment_key=c8f1b27e")
    assert got.order.item == "Pixelforge Pro — Agency (unlimited sites)"


def test_report_and_complaint_entries_are_a_dispute_channel_and_name_a_marketplace():
    cases = [
        ("<h1>MyCard 1000點</h1><div>直購價 $ 950</div><div>賣家所在地：台中市</div><a>檢舉此商品</a>",
         "https://www.ruten.example.com.tw/item/21945617736122"),
        ("<h1>Order #1042-3381</h1><p>Total $34.51</p><p>For billing questions or to <a>report a problem with a seller</a>, "
         "contact support.</p>", "https://app.payments.example/my-orders/1042-3381"),
        ("<h1>订单编号：JB2612061506338810</h1><p>如对本次交易有疑问，可在交易成功后15天内<a>发起投诉</a>。</p>",
         "https://www.goldcity.example/order/detail?id=JB2612061506338810"),
    ]
    for body, url in cases:
        assert facts(body, url).platform.dispute_channel is True, url


def test_a_sellers_name_in_an_order_row_on_a_trading_platform():
    body = ('<div class="nav"><a>我是买家</a><a>我是卖家</a><a>我卖出的</a></div><div>订单编号：JB2612061506338810</div>'
            '<table><tr><th>商品名称</th><th>单价</th><th>数量</th></tr><tr><td>梦幻西游 游戏币 3000万<p>卖家：长安老王金币店</p></td>'
            '<td>¥42.60</td><td>2</td></tr></table>')
    got = facts(body, "https://www.goldcity.example/order/detail?id=JB2612061506338810")
    assert got.seller.name == "长安老王金币店"


def test_a_page_marked_up_as_one_product_is_a_product_and_its_title_names_no_site():
    html = ('<html><head><title>Notion Freelancer OS — client CRM, invoices &amp; time tracker</title>'
            '<meta property="og:site_name" content="Gumroad"><meta property="product:price:amount" content="24.0"></head>'
            '<body><h1>Notion Freelancer OS — client CRM, invoices &amp; time tracker</h1><div class="price">$24+</div>'
            '<a class="button">I want this!</a><p>No refunds allowed</p><footer>Powered by Gumroad</footer></body></html>')
    got = scrapers.extract(html, "https://mirachen.gumroad.example/l/freelancer-os")
    assert got.page_kind == "product" and got.platform.name == "Gumroad"
    assert got.product.price == Money("24.00", "USD")
    assert [p.kind for p in got.policies] == ["no_refund"]


def test_a_shops_buy_form_with_one_item_chosen_is_that_items_page():
    form = ('<div class="shop"><h2>阿七影音小铺</h2><span>金牌商户</span></div><form><h1>选择商品</h1>'
            '<div><label>商品名称</label><span>{name}</span></div>'
            '<div><label>商品单价</label><span><span class="price">{price}</span> 元</span></div>'
            '<div><label>购买数量</label><input name="quantity" value="1"><span>库存27张</span></div></form>')
    chosen = facts(form.format(name="Netflix 奈飞 4K 高级会员 1个月", price="25.80"), "https://www.faka.example/links/8E5B27D4")
    assert chosen.page_kind == "product" and chosen.product.title == "Netflix 奈飞 4K 高级会员 1个月"
    assert chosen.product.price == Money("25.80", "CNY") and chosen.product.stock == 27
    empty = facts(form.format(name="请选择商品", price="0.00"), "https://www.faka.example/links/8E5B27D4")
    assert empty.page_kind == "shop"


def test_a_payment_gateways_cashier_names_the_shop_paid_the_item_the_amount_and_the_method():
    body = ('<h1 class="mod-title"><span class="ico-wechat"></span><span class="text">微信支付</span></h1>'
            '<div class="amount">￥52.50</div><dl class="detail-ct"><dt>商家</dt><dd>星野数卡</dd><dt>购买物品</dt>'
            '<dd>Steam钱包充值卡 港区 HK$50 (自动发卡)</dd><dt>商户订单号</dt><dd>2026120710224518957</dd></dl>'
            '<p>请使用微信扫一扫</p><p>付款后请勿关闭本页，支付成功将自动跳回商户网站</p>')
    got = facts(body, "https://pay.gateway.example/pay/wxpay/2026120710224518957/")
    assert got.page_kind == "checkout" and got.seller.name == "星野数卡"
    assert got.order.item == "Steam钱包充值卡 港区 HK$50 (自动发卡)"
    assert got.order.amount == Money("52.50", "CNY") and got.order.payment_method == "wechat"


def test_a_name_over_its_merchant_level_is_the_seller_and_platform_disclaimers_are_policies():
    body = ('<h1>鲸落游戏CDK</h1><h2>普通商户</h2><p>商家客服：1974306652</p>'
            '<p>请务必购买当天22点之前投诉，逾期不支持退款。</p><p>如产生交易纠纷请与商家自行协商处理，与 <b>千岛发卡</b> 平台无关！</p>')
    got = facts(body, "https://www.faka.example/links/8E5B27D4")
    assert got.seller.name == "鲸落游戏CDK"
    assert {(p.kind, p.hours) for p in got.policies} >= {("feedback_window", None), ("liability_disclaimer", None)}


def test_a_key_in_a_read_only_field_and_a_time_in_a_dotted_line():
    body = ('<h1>Cobalt Apps</h1><p>Order #1042-3381 · Placed Dec 6, 2026, 9:05 PM GMT+1</p><span>Paid</span>'
            '<section><h2>License key</h2><input readonly class="font-mono" value="C0B4LT-7D2E9F41-8A3B-4C6D-9E1F-2A7B5C0D3E84">'
            '<button>Copy</button></section>')
    got = facts(body, "https://app.payments.example/my-orders/1042-3381")
    assert got.order.card_codes == ["C0B4LT-7D2E9F41-8A3B-4C6D-9E1F-2A7B5C0D3E84"]
    assert [(t.role, t.label, t.at) for t in got.timestamps] == [("ordered", "Placed", "2026-12-06T21:05:00+01:00")]


def test_an_order_steps_row_without_a_time_word_is_a_time():
    body = ('<div>订单编号：JB2612061506338810</div><div>下单时间：2026年12月6日 下午3:06</div>'
            '<div>确认收货：2026年12月6日 下午3:40</div>')
    got = facts(body, "https://www.goldcity.example/order/detail?id=JB2612061506338810")
    assert [(t.role, t.at) for t in got.timestamps] == [("ordered", "2026-12-06T15:06:00+08:00"),
                                                        ("other", "2026-12-06T15:40:00+08:00")]


def test_a_japanese_shops_promises_and_policies():
    got = facts(JAPANESE_PRODUCT.replace("<button>", "<p>即時発送</p><button>") +
                "<p>万が一キーが認証できない場合は、新しいキーと無償で交換いたします。</p>"
                "<p>正規代理店から仕入れた正規品です。不具合のお問い合わせは、ご購入日から７日以内にお願いいたします。</p>",
                "https://www.keyshop.example.jp/products/detail/412", lang="ja")
    assert {(p.kind, p.hours) for p in got.promises} == {("delivery_window", 0.0), ("auto_delivery", None), ("replacement", None),
                                                         ("as_described", None)}
    assert {(p.kind, p.hours) for p in got.policies} == {("no_refund", None), ("feedback_window", 168.0)}


def test_a_guaranteed_delivery_field_with_a_bare_duration():
    body = ('<h1 class="offer-title">WoW Gold 100k EU</h1><div class="price">€ 12,99</div><button>Buy now</button>'
            '<dl><dt>Guaranteed delivery</dt><dd>1 h</dd></dl><p>14 days account warranty</p>')
    got = facts(body, "https://www.golddrake.example/offer/88123")
    assert {(p.kind, p.hours) for p in got.promises} == {("delivery_window", 1.0), ("warranty", 336.0)}


def test_a_second_title_names_the_site_when_the_first_names_only_the_page_and_a_company_yields_to_it():
    html = ('<html><head><title>订单查询</title><title>订单查询 - 千岛发卡 - 自动发卡平台,卡密寄售平台</title></head><body>'
            '<p>订单号 T2026120621471385302</p><footer>版权2026-2025年 杭州千岛网络科技有限公司 版权所有</footer></body></html>')
    got = scrapers.extract(html, "https://www.faka.example/orderquery.htm?st=orderid&kw=T2026120621471385302")
    assert got.platform.name == "千岛发卡" and got.platform.copyright_years == [2025, 2026]


def test_a_seller_asking_to_be_added_on_wechat_names_the_id_and_a_platforms_own_pay_is_other():
    chat = ('<div class="im-msg im-msg--left"><div class="im-msg__bubble">以后要号可以直接加我微信 tiwate_shop ，私下转账给你便宜一百</div></div>'
            '<div class="im-msg im-msg--right"><div class="im-msg__bubble">我还是走平台吧</div></div>'
            '<div class="im-msg im-msg--left"><div class="im-msg__bubble">好的</div></div>')
    got = facts(chat, "https://www.yiyou.example/im?to=7318820")
    assert ("wechat", "tiwate_shop") in _contacts(got)
    order = facts("<div>订单编号 6939201487715530462</div><div>实付款 ¥15.90</div><div>支付方式 抖音支付</div>",
                  "https://shop.example.com/trade/detail/index.html?order_id=6939201487715530462")
    assert order.order.payment_method == "other"


def test_an_order_rows_payment_table_below_it_and_a_rules_pages_last_update():
    body = ('<table><tr><th>订单时间</th><th>订单号</th><th>订单金额</th><th>订单状态</th></tr>'
            '<tr><td>2026-12-06 21:47:13</td><td>T2026120621471385302</td><td>51.60</td><td>订单完成</td></tr></table>'
            '<h3>订单支付详情</h3><table><tr><th>支付时间</th><th>支付类型</th><th>支付状态</th></tr>'
            '<tr><td>2026-12-06 21:47:52</td><td>支付宝</td><td>成功</td></tr></table>')
    got = facts(body, "https://www.faka.example/orderquery.htm?st=orderid&kw=T2026120621471385302")
    assert got.order.payment_method == "alipay"
    assert [(t.role, t.at) for t in got.timestamps] == [("ordered", "2026-12-06T21:47:13+08:00"), ("paid", "2026-12-06T21:47:52+08:00")]
    rules = facts("<h1>账号交易规则</h1><p>最近更新：2026-10-15 16:30</p><p>" + "买家确认收货后平台不再受理退款申请。" * 40 + "</p>",
                  "https://www.yiyou.example/help/rules")
    assert [(t.role, t.label) for t in rules.timestamps] == [("updated", "最近更新")]


def test_the_open_conversation_of_a_messenger_names_the_seller_and_a_tag_in_the_order_card_its_status():
    got = facts(IM_CHAT.replace('</aside>', '<div class="im-session"><p class="im-session__name">官方客服</p></div></aside>')
                .replace('<span class="tag">待确认收货</span>', '<span>实付：¥1,416.80</span><span class="el-tag">待确认收货</span>'),
                "https://www.yiyou.example/im?to=7318820&order=YO2026120709315527")
    assert got.seller.name == "提瓦特杂货铺"
    assert got.order.status == "delivered"


def test_a_terms_paragraph_with_a_later_sentence_on_fraud_keeps_its_promise_and_a_telegram_handle_in_prose():
    body = ('<h1>Terms of Service</h1><h2>2. Delivery</h2><p>Orders are delivered automatically to the invoice page as soon as '
            'the payment is confirmed. PayPal and card payments may be held for a short manual fraud check.</p>'
            '<h2>6. Contact</h2><p>Support is handled on Telegram (@NordlichtSupport) and in our Discord server.</p>'
            '<footer>© 2026 Nordlicht Keys</footer>')
    got = facts(body, "https://shop.nordlicht.example/terms")
    assert got.page_kind == "terms" and [p.kind for p in got.promises] == ["auto_delivery"]
    assert _contacts(got) == [("telegram", "@NordlichtSupport")]
