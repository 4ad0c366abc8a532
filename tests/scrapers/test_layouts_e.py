"""Classes found on the blind corpus set e (OpenCart, WHMCS, a 盼之-style account market, Russian and
Korean marketplaces, an H5 recharge order, Payhip, a Fanatical-style bundle store): each named example
is a small page of one way real shops say or lay something out, and the fact it must give (or not)."""
from __future__ import annotations

import scrapers
from scrapers.facts import Money
from scrapers.text.site import copyright_notice


def page(body: str, lang: str = "", title: str = "T") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<html{attr}><head><title>{title}</title></head><body>{body}</body></html>"


def facts(body: str, url: str, lang: str = "", title: str = "T"):
    return scrapers.extract(page(body, lang, title), url)


OPENCART_ORDER = """
<h2>Order Information</h2>
<table class="table"><thead><tr><td colspan="2">Order Details</td></tr></thead><tbody><tr><td>
<b>Order ID:</b> #10482<br/><b>Date Added:</b> 03/12/2026</td><td><b>Payment Method:</b> PayPal Express Checkout</td></tr>
</tbody></table>
<table class="table"><thead><tr><td>Product Name</td><td>Model</td><td>Quantity</td><td>Price</td><td>Total</td></tr></thead>
<tbody><tr><td>Microsoft Office 2021 Home &amp; Business – Bind Key (PC)</td><td>MS-OHB21</td><td>2</td><td>34.90€</td>
<td>69.80€</td></tr></tbody>
<tfoot><tr><td colspan="3"></td><td><b>Sub-Total</b></td><td>58.66€</td></tr>
<tr><td colspan="3"></td><td><b>Total</b></td><td>71.30€</td></tr></tfoot></table>"""


def test_a_short_order_id_the_query_names_and_a_total_header_over_the_item_name_is_no_amount():
    got = facts(OPENCART_ORDER, "https://www.shop.example.eu/index.php?route=account/order/info&order_id=10482")
    assert got.page_kind == "order"
    assert got.order.order_no == "10482"
    assert got.order.amount == Money("71.30", "EUR")  # (not 2021, the year in the item's name)


def test_a_short_number_the_query_does_not_name_is_no_order():
    got = facts(OPENCART_ORDER, "https://www.shop.example.eu/index.php?route=account/order/info&order_id=99")
    assert got.order.order_no is None


def test_a_latin_brand_of_several_words_before_the_copyright_sign():
    assert copyright_notice("Powered By OpenCart\nKeylane Software © 2026")[1] == "Keylane Software"
    assert copyright_notice("Powered By OpenCart 點卡苑 © 2026")[1] == "點卡苑"
    assert copyright_notice("快卡小站 © 2024-2026")[1] == "快卡小站"


OPENCART_PRODUCT = """
<div id="content"><div class="row"><div class="col-sm-8"><ul class="nav nav-tabs"><li><a href="#tab-description">Description</a></li></ul>
<div class="tab-content"><div class="tab-pane active" id="tab-description">
<p>If a key does not activate, write to us within 14 days of delivery and we will replace it.</p></div></div></div>
<div class="col-sm-4"><h1>ESET NOD32 Antivirus – 1 Device / 1 Year</h1>
<ul class="list-unstyled"><li>Availability: 42</li></ul>
<ul class="list-unstyled"><li><span style="text-decoration: line-through;">29.90€</span></li><li><h2>19.49€</h2></li></ul>
<button type="button" id="button-cart" class="btn btn-primary">Add to Cart</button></div></div>
<h3>Related Products</h3>
<div class="row"><div class="product-thumb"><h4><a href="/p/58">ESET Smart Security Premium</a></h4>
<p>Lifetime support from ESET.</p><p class="price">59.90€ <span class="price-tax">Ex Tax: 50.34€</span></p></div></div></div>"""


def test_a_related_products_section_below_the_item_is_other_goods_not_its_price_or_promises():
    got = facts(OPENCART_PRODUCT, "https://www.shop.example.eu/index.php?route=product/product&product_id=57")
    assert got.page_kind == "product"
    assert got.product.price == Money("19.49", "EUR")
    assert "lifetime" not in {p.kind for p in got.promises}
    assert "replacement" in {p.kind for p in got.promises}  # the item's own description still counts
    assert got.product.stock == 42  # "Availability: 42"


def test_a_price_box_holding_the_struck_original_price_gives_the_current_one():
    body = ('<h1 class="product-title">ClipNotes Pro – Lifetime Licence</h1><div class="product-price-wrap">'
            '<span class="product-price-original">€39</span><span class="product-price js-product-price">€29</span>'
            '<span class="coupon-badge">BLACKFRIDAY applied</span></div><a class="btn payhip-buy-button">Buy Now</a>')
    got = facts(body, "https://payhip.com/b/Kx7Qe")
    assert got.product.price == Money("29.00", "EUR")


def test_a_price_struck_through_by_its_style_is_the_old_one():
    body = ('<h1>ESET NOD32 Antivirus</h1><ul><li><span style="text-decoration: line-through;">29.90€</span></li>'
            '<li><h2>19.49€</h2></li></ul><button class="btn">Add to Cart</button>')
    got = facts(body, "https://www.shop.example.eu/index.php?route=product/product&product_id=57")
    assert got.product.price == Money("19.49", "EUR")


def test_availability_with_a_number_is_the_stock_and_in_stock_words_are_none():
    got = facts("<h1>Item X</h1><ul><li>Availability: In Stock</li><li><h2>19.49€</h2></li></ul><button>Add to Cart</button>",
                "https://www.shop.example.eu/index.php?route=product/product&product_id=57")
    assert got.product.stock is None


def test_a_badge_inside_the_items_heading_is_not_its_name():
    body = ('<h1 class="goods-title"><span class="el-tag el-tag--danger">官方验号</span>【原神】天空岛 满命雷神 58级 初始号</h1>'
            '<div class="price-row"><span class="label">售　价</span><span class="price"><em>¥</em>2680</span></div>'
            '<button class="el-button">立即购买</button>')
    got = facts(body, "https://www.market.example.com/goods/SH2026120519304417")
    assert got.product.title == "【原神】天空岛 满命雷神 58级 初始号"


def test_an_account_trades_rebinding_completed_time_is_its_delivery():
    body = ("<div>订单编号：DD20261206211508731964</div><div>创建时间：2026-12-06 21:15:08</div>"
            "<div>付款时间：2026-12-06 21:16:44</div><div>换绑完成时间：2026-12-06 22:41:19</div><div>订单状态：交易完成</div>")
    got = facts(body, "https://www.market.example.com/user/order/detail?orderNo=DD20261206211508731964")
    assert [(t.role, t.label) for t in got.timestamps] == [("ordered", "创建时间"), ("paid", "付款时间"), ("delivered", "换绑完成时间")]


def test_a_markets_rules_about_its_sellers_keep_its_footer_phone_out_of_the_seller_contacts():
    body = ("<h1>包赔说明</h1><p>在本站出售账号的卖家须缴纳不低于500元的保证金；卖家违规时平台有权扣除。</p>"
            "<p>交易完成后如账号被找回，由平台先行赔付，再由平台向卖家追偿。</p>"
            "<footer class='footer'><p>杭州拾号网络科技有限公司 客服电话：0571-8672 0033（9:00-24:00）</p></footer>")
    got = facts(body, "https://www.market.example.com/help/baopei")
    assert got.page_kind == "terms"
    assert got.seller.contacts == []


def test_the_latest_delivery_time_binds_and_the_usual_one_does_not():
    body = ("<div class='order-no'>订单号：KS2612061830291741</div><div>订单状态：充值成功</div>"
            "<p>2. 一般1分钟内到账，高峰期最迟2小时内到账，超时未到账可申请退款。</p>")
    got = facts(body, "https://app.example.com/order/detail?orderId=KS2612061830291741")
    assert [(p.kind, p.hours) for p in got.promises if p.kind == "delivery_window"] == [("delivery_window", 2)]
    alone = facts("<h1>网易云音乐黑胶VIP 年卡</h1><div class='price'>¥158.00</div><p>一般1分钟内到账。</p><button>立即购买</button>",
                  "https://shop.example.com/item/77")
    assert [(p.kind, p.hours) for p in alone.promises if p.kind == "delivery_window"] == [("delivery_window", 0.02)]


def test_a_payment_deadline_for_store_codes_is_no_delivery_window():
    body = ("<h1>MyCard 點數卡 1000點</h1><h2>NT$960</h2><button>加入購物車</button>"
            "<p>發貨方式：付款完成後系統自動發送卡號及密碼。超商代碼繳費者，請於２小時內完成繳費，逾時訂單自動取消。</p>")
    got = facts(body, "https://www.shop.example.com.tw/index.php?route=product/product&product_id=88", lang="zh-TW")
    assert not [p for p in got.promises if p.kind == "delivery_window"]


def test_one_delivered_key_says_nothing_of_the_quantity_and_a_times_one_in_the_name_cell_does():
    receipt = ("<h2>Order PH-8817-2046</h2><div>Status: Completed</div><h3>Items</h3><div class='item-name'>ClipNotes Pro</div>"
               "<div>€29.00</div><label>Licence key</label><input readonly value='CNP2-7F4K-QM9X-31RD-B8WZ'>")
    got = facts(receipt, "https://payhip.com/order/PH-8817-2046")
    assert got.order.card_codes == ["CNP2-7F4K-QM9X-31RD-B8WZ"]
    assert got.order.quantity is None
    woo = ("<h2>Order #48213</h2><table><thead><tr><th>Product</th><th>Total</th></tr></thead><tbody><tr><td><a href='/p/n'>"
           "Norton 360 Deluxe</a> <strong class='product-quantity'>&times;&nbsp;1</strong></td><td>17,49 €</td></tr></tbody></table>"
           "<p>Key: N36D-EU-4Q7KX-P2MWT-9HRVC</p>")
    assert facts(woo, "https://keys.example.eu/my-account/view-order/48213/").order.quantity == 1


RU_ITEM = """
<h1 class="item__title">Steam Wallet 1000 руб. (Россия) ⚡ Автовыдача</h1>
<div class="item__price"><span class="item__price-value">1\u202f049\u00a0₽ <small>≈ 10,92 $ · 10,34 €</small></span></div>
<button class="btn btn--buy">Купить</button>
<aside class="seller"><a class="seller__name" href="/seller/gamepoint/">GamePoint</a></aside>
<p>Вы покупаете код пополнения кошелька Steam на 1000 рублей. Продавец отвечает в течение часа.</p>"""


def test_a_russian_item_page_with_its_buy_button_prices_in_roubles_with_spaced_thousands():
    got = facts(RU_ITEM, "https://klyuchrynok.example.ru/itm/steam-wallet-1000-rub/4183927", lang="ru")
    assert got.page_kind == "product"
    assert got.product.title == "Steam Wallet 1000 руб. (Россия) ⚡ Автовыдача"
    assert got.product.price == Money("1049.00", "RUB")


RU_PURCHASE = """
<h1>Спасибо за покупку!</h1>
<p class="lead">Заказ № 93021774 оплачен 06.12.2026 в 23:48:05 (МСК).</p>
<table><tr><th>Товар</th><td><a href="/itm/4183927">Steam Wallet 1000 руб.</a></td></tr>
<tr><th>Продавец</th><td><a href="/seller/gamepoint/">GamePoint</a></td></tr><tr><th>Количество</th><td>2 шт.</td></tr>
<tr><th>Оплачено</th><td>2 143,60 ₽ (в т.ч. комиссия платёжной системы 45,60 ₽)</td></tr>
<tr><th>Способ оплаты</th><td>СБП</td></tr></table>"""


def test_a_russian_purchase_page_names_its_order_in_a_sentence_and_labels_the_rest():
    got = facts(RU_PURCHASE, "https://klyuchrynok.example.ru/purchase/info?uniquecode=A7F3C19E0B2D4E58", lang="ru")
    assert got.page_kind == "order"
    assert got.order.order_no == "93021774"
    assert got.order.item == "Steam Wallet 1000 руб."
    assert got.order.amount == Money("2143.60", "RUB")
    assert got.order.quantity == 2
    assert got.order.payment_method == "other"  # СБП: a bank's fast transfer
    assert got.seller.name == "GamePoint"


KO_TRADE = """
<h3 class="tit_sub">거래정보</h3>
<table><tr><th>거래번호</th><td>T2026120715120388</td></tr><tr><th>물품제목</th><td>메이플스토리 스카니아 메소 10억 팝니다</td></tr>
<tr><th>구매수량</th><td>2건 (20억 메소)</td></tr><tr><th>결제금액</th><td><strong class="price">64,000원 (마일리지 결제)</strong></td></tr>
<tr><th>구매신청일</th><td>2026-12-07 15:12:03</td></tr><tr><th>결제완료일</th><td>2026-12-07 15:12:09</td></tr></table>"""


def test_a_korean_trade_page_in_won_paid_with_mileage():
    got = facts(KO_TRADE, "https://www.itemplaza.example.kr/myroom/buy/view.html?trade_no=T2026120715120388", lang="ko")
    assert got.page_kind == "order"
    assert got.order.order_no == "T2026120715120388"
    assert got.order.amount == Money("64000.00", "KRW")
    assert got.order.quantity == 2
    assert [t.role for t in got.timestamps] == ["ordered", "paid"]


def test_a_korean_listing_with_a_buy_link_classed_as_one_and_an_afternoon_clock():
    body = ("<h1>메이플스토리 메소 10억 팝니다</h1><table><tr><th>등록일</th><td>2026.12.07 오후 2:55</td></tr>"
            "<tr><th>판매금액</th><td><strong>32,000 원 (1억당 3,200원)</strong></td></tr></table>"
            "<dl><dt>판매자</dt><dd>별빛상점</dd></dl><a href='/sell/buy_form.html?trade_id=1' class='btn_buy'>구매신청</a>")
    got = facts(body, "https://www.itemplaza.example.kr/sell/view.html?trade_id=2026120714553102", lang="ko")
    assert got.page_kind == "product"
    assert got.product.price == Money("32000.00", "KRW")
    assert [(t.role, t.at) for t in got.timestamps] == [("listed", "2026-12-07T14:55:00+08:00")]


def test_the_pages_own_access_token_is_no_code_and_numbered_keys_in_a_textarea_are():
    body = RU_PURCHASE + ("<table><tr><th>Уникальный код</th><td><code>A7F3C19E0B2D4E58</code></td></tr></table>"
                          "<textarea class='goods-text' readonly>Код 1: 7QX4M-ZK9R2-BT6PN\nКод 2: H3VWD-8LC5J-QF2ZY</textarea>")
    got = facts(body, "https://klyuchrynok.example.ru/purchase/info?uniquecode=A7F3C19E0B2D4E58", lang="ru")
    assert got.order.card_codes == ["7QX4M-ZK9R2-BT6PN", "H3VWD-8LC5J-QF2ZY"]
    assert got.order.status == "delivered"


def test_the_paid_time_in_the_sentence_that_names_the_order():
    got = facts(RU_PURCHASE, "https://klyuchrynok.example.ru/purchase/info?uniquecode=A7F3C19E0B2D4E58", lang="ru")
    assert [(t.role, t.label, t.at) for t in got.timestamps] == [("paid", "оплачен", "2026-12-06T23:48:05+03:00")]


def test_an_icon_badge_before_a_listings_heading_is_not_its_title():
    body = ("<h2 class='tit_trade'><span class='ico_safe'>안전거래</span> 메이플스토리 스카니아 메소 10억 팝니다</h2>"
            "<table><tr><th>판매금액</th><td><strong>32,000 원</strong></td></tr></table><a class='btn_buy' href='/b'>구매신청</a>")
    got = facts(body, "https://www.itemplaza.example.kr/sell/view.html?trade_id=2026120714553102", lang="ko")
    assert got.product.title == "메이플스토리 스카니아 메소 10억 팝니다"


def test_a_bundles_own_page_is_a_product_priced_at_its_chosen_tier():
    body = ("<h1 class='pnm-title'>Build your own Winter Indie Bundle</h1><div class='pnm-tiers' role='radiogroup'>"
            "<button class='pnm-tier' role='radio' aria-checked='false'><span class='tier-count'>3 games</span>"
            "<span class='tier-price'>£4.99</span></button><button class='pnm-tier selected' role='radio' aria-checked='true'>"
            "<span class='tier-count'>5 games</span><span class='tier-price'>£7.49</span></button>"
            "<button class='pnm-tier' role='radio' aria-checked='false'><span class='tier-count'>7 games</span>"
            "<span class='tier-price'>£9.99</span></button></div><button class='btn'>Pick 2 more games</button>")
    got = facts(body, "https://www.keystack.example.co.uk/en/bundle/build-your-own-winter-indie-bundle")
    assert got.page_kind == "product"
    assert got.product.title == "Build your own Winter Indie Bundle"
    assert got.product.price == Money("7.49", "GBP")


def test_a_phone_icon_link_beside_its_number_in_a_single_shops_top_bar():
    body = ("<nav id='top'><ul class='list-inline'><li><a href='/index.php?route=information/contact'><i class='fa fa-phone'></i></a>"
            " <span class='hidden-xs'>(02) 2771-3086</span></li></ul></nav><h1>MyCard 點數卡 1000點</h1><h2>NT$960</h2>"
            "<button>加入購物車</button>")
    got = facts(body, "https://www.shop.example.com.tw/index.php?route=product/product&product_id=212", lang="zh-TW")
    assert [(c.type, c.value) for c in got.seller.contacts] == [("phone", "0227713086")]


def test_an_invoice_items_table_of_description_and_amount_names_the_first_item_and_its_totals_are_no_items():
    body = ("<h3>Invoice #27193</h3><span class='label paid'>Paid</span><table><thead><tr><td><strong>Description</strong></td>"
            "<td><strong>Amount</strong></td></tr></thead><tbody><tr><td>cPanel Premier Licence - VPS</td><td>€18.90 EUR</td></tr>"
            "<tr><td class='total-row'><strong>Sub Total</strong></td><td>€18.90 EUR</td></tr>"
            "<tr><td class='total-row'><strong>Total</strong></td><td>€18.90 EUR</td></tr></tbody></table>")
    got = facts(body, "https://billing.example.com/viewinvoice.php?id=27193")
    assert got.order.order_no == "27193"
    assert got.order.item == "cPanel Premier Licence - VPS"
    assert got.order.amount == Money("18.90", "EUR")


def test_a_goods_cards_title_and_its_count_on_the_line_after_its_price():
    body = ("<div class='status-card__title'>充值成功</div><div class='shop-card'><span class='shop-card__name'>影音会员直充旗舰店</span></div>"
            "<div class='goods-item'><div class='goods-item__info'><div class='goods-item__title'>网易云音乐黑胶VIP 12个月年卡</div></div>"
            "<div class='goods-item__price'><div>¥148.00</div><div class='goods-item__num'>x1</div></div></div>"
            "<div class='info-row'><span class='info-row__label'>订单编号</span><span>2612061830295107</span></div>"
            "<div><span>实付款</span><span>¥135.00</span></div>")
    got = facts(body, "https://app.example.com/page/buyer-order-detail?orderId=2612061830295107")
    assert got.order.item == "网易云音乐黑胶VIP 12个月年卡"
    assert got.order.quantity == 1


def test_a_bare_date_in_an_orders_summary_is_when_it_was_placed_and_your_games_heads_its_items():
    body = ("<h1 class='order-title'>Order 8F2K-93QX-TT71</h1><div class='summary-label'>Date</div>"
            "<div class='summary-value'>7 Dec 2026, 08:14</div><div class='summary-label'>Total</div><div class='summary-value'>£7.49</div>"
            "<p>All times are shown in UK time (GMT).</p><h2 class='order-section-title'>Your games</h2>"
            "<div class='order-bundle-name'>Build your own Winter Indie Bundle – 5 games</div><div class='game-name'>Hollow Pines</div>"
            "<span class='key-value'>5JQ7W-KX2MN-0B9RT</span><div class='game-name'>Tidebound</div><button>Reveal key</button>"
            "<p>Problem with a key? Open a support ticket and our team will look into it, usually within a day. Keys are "
            "redeemed on Steam; a revealed key cannot be returned, so please check the region of your account first.</p>")
    got = facts(body, "https://www.keystack.example.co.uk/en/account/orders/8F2K-93QX-TT71")
    assert [(t.role, t.label, t.at) for t in got.timestamps] == [("ordered", "Date", "2026-12-07T08:14:00+00:00")]
    assert got.order.item == "Build your own Winter Indie Bundle – 5 games"
    assert got.product.title is None  # several items


def test_stock_in_russian_and_the_sites_balance_named_beside_the_amount():
    got = facts(RU_ITEM + "<div class='item__qty'>Количество: в наличии: 1\u202f213 шт.</div>",
                "https://klyuchrynok.example.ru/itm/steam-wallet-1000-rub/4183927", lang="ru")
    assert got.product.stock == 1213
    assert facts(KO_TRADE, "https://www.itemplaza.example.kr/myroom/buy/view.html?trade_no=T2026120715120388",
                 lang="ko").order.payment_method == "balance"


def test_the_current_step_after_the_done_ones_is_the_status_and_filter_tabs_are_not():
    steps = ("<div class='trade_step'><ol><li class='done'>구매신청</li><li class='done'>결제완료</li><li class='on'>인계대기</li>"
             "<li>인수확인</li><li>거래완료</li></ol></div>")
    got = facts(steps + KO_TRADE, "https://www.itemplaza.example.kr/myroom/buy/view.html?trade_no=T2026120715120388", lang="ko")
    assert got.order.status == "paid"
    tabs = ("<ul class='tabs'><li>全部</li><li class='active'>待付款</li><li>已完成</li></ul>"
            "<div>订单号：DD20261206211508731964</div><div>实付款：¥30.00</div>")
    assert facts(tabs, "https://shop.example.com/user/order/detail?orderNo=DD20261206211508731964").order.status is None


def test_a_billing_mailbox_in_an_invoices_pay_to_block_is_the_shops_and_the_buyers_address_is_not():
    body = ("<h3>Invoice #27193</h3><strong>Pay To</strong><address class='small-text'>Northbeam Licensing OÜ<br/>Estonia<br/>"
            "billing@northbeam-licensing.com</address><strong>Invoiced To</strong><address class='small-text'>Mirohost s.r.o."
            "<br/>tomas.novak@mirohost.example</address><table><thead><tr><td><strong>Description</strong></td>"
            "<td><strong>Amount</strong></td></tr></thead><tbody><tr><td>cPanel Licence</td><td>€18.90 EUR</td></tr></tbody></table>")
    got = facts(body, "https://billing.northbeam-licensing.com/viewinvoice.php?id=27193")
    assert [(c.type, c.value) for c in got.seller.contacts] == [("email", "billing@northbeam-licensing.com")]


def test_an_offers_end_is_a_labelled_time_without_a_time_word():
    body = ("<h1 class='pnm-title'>Build your own Winter Indie Bundle</h1><div class='pnm-countdown'><span class='label'>Offer ends</span>"
            " <span class='time'>Dec 9, 2026, 4:00 PM GMT</span></div><div class='pnm-total'><span>Your bundle</span> <strong>£7.49</strong></div>")
    got = facts(body, "https://www.keystack.example.co.uk/en/bundle/build-your-own-winter-indie-bundle")
    assert [(t.role, t.label, t.at) for t in got.timestamps] == [("other", "Offer ends", "2026-12-09T16:00:00+00:00")]


# Reported by the buyer-scenarios round 3 (classes, not its pages).
MARKET_CHAT = """<div class="nav"><a href="/">锦鱼卡盟</a> <a href="/seller/join">商家入驻</a></div>
<div class="chat"><div class="chat-head">与 老K游戏号 的对话 · 订单编号：JY202612041000001</div>
<div class="chat-body"><div class="msg other"><span class="name">老K游戏号</span><span class="time">2026-12-04 10:00</span>
<div class="bubble">稍等，马上给你发号</div></div>
<div class="msg me"><span class="name">我</span><span class="time">2026-12-04 10:20</span><div class="bubble">好的</div></div>
<div class="msg other"><span class="name">老K游戏号</span><span class="time">2026-12-04 10:21</span><div class="bubble">已发</div></div>
</div></div>"""


def test_a_chats_heading_names_the_other_party_not_the_item():
    got = facts(MARKET_CHAT, "https://www.jinyu-km.com/user/chat/JY202612041000001")
    assert got.page_kind == "chat" and got.order.order_no == "JY202612041000001"
    assert got.order.item is None  # (was "与 老K游戏号 的对话")
    assert got.seller.name == "老K游戏号"  # a marketplace's chat: the party is its seller
    english = MARKET_CHAT.replace("与 老K游戏号 的对话", "Chat with KeyHub").replace("订单编号：", "Order #")
    assert facts(english, "https://www.keys.example/messages/JY202612041000001").order.item is None


def test_an_order_in_progress_is_paid():
    body = ("<h2>订单详情</h2><table><tr><td>订单号</td><td>202612070001</td></tr><tr><td>订单状态</td><td>{}</td></tr>"
            "<tr><td>商品名称</td><td>王者荣耀 代练 钻石到星耀</td></tr><tr><td>实付金额</td><td>￥30.00</td></tr></table>")
    for status in ("进行中", "代练中", "服务中"):
        assert facts(body.format(status), "https://dl.example.cn/order/202612070001").order.status == "paid", status


def test_a_window_for_the_automatic_delivery_and_an_after_sales_term_are_read_with_their_periods():
    body = "<h1>王者荣耀 点券 648</h1><div class='price'>￥58.00</div><p>10分钟内自动发货</p><p>售后30天</p><p>售后3天内处理</p>"
    got = facts(body, "https://xinghai-fk.cn/item/12")
    kinds = {(p.kind, p.quote, p.hours) for p in got.promises}
    assert ("delivery_window", "10分钟内自动发货", 0.17) in kinds
    assert ("warranty", "售后30天", 720.0) in kinds
    assert not [p for p in got.promises if "3天内处理" in p.quote]
