"""Classes found on the blind corpus set f (PrestaShop, Magento 2 Luma, BOOTH, a Polish and a Brazilian key
marketplace, an itemku-style Indonesian market, Codashop-style top-ups in Vietnamese and Thai, 交易猫- and
淘手游-style account markets): each named example is a small page of one way real shops say or lay something
out, and the fact it must give (or not), with a counter-example where a naive rule would misfire."""
from __future__ import annotations

import scrapers
from scrapers.facts import Money
from scrapers.text.money import parse_money
from scrapers.text.site import is_legal_entity


def page(body: str, lang: str = "", title: str = "T") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<html{attr}><head><title>{title}</title></head><body>{body}</body></html>"


def facts(body: str, url: str, lang: str = "", title: str = "T"):
    return scrapers.extract(page(body, lang, title), url)


# ---- wrong facts ------------------------------------------------------------------------------

PRESTASHOP_PRODUCT = """
<h1 class="h1">Cyberpunk 2077 - Clé Steam PC (Europe)</h1>
<div class="product-prices"><span class="regular-price">59,99&nbsp;€</span>
<div class="current-price"><span class="current-price-value">19,99&nbsp;€</span></div></div>
<button class="btn add-to-cart">Ajouter au panier</button>
<section class="product-accessories clearfix"><p class="h5 text-uppercase">Vous aimerez aussi</p>
<div class="products row"><article class="product-miniature"><h2 class="h3 product-title"><a href="/87-witcher.html">The Witcher 3 GOTY - Clé GOG</a></h2>
<span class="price">9,99&nbsp;€</span></article></div></section>"""


def test_a_related_card_product_title_is_not_the_items_name():
    got = facts(PRESTASHOP_PRODUCT, "https://www.cle-jeux.fr/jeux-pc/142-cyberpunk-2077-cle-steam.html", "fr")
    assert got.page_kind == "product"
    assert got.product.title == "Cyberpunk 2077 - Clé Steam PC (Europe)"


def test_the_items_own_product_title_class_still_names_it():
    body = ('<div class="crumbs">Accueil</div><h2 class="product-title">Hades II – Clé Steam</h2><span class="price">24,99&nbsp;€</span>'
            '<button>Ajouter au panier</button><section class="product-accessories"><p>Vous aimerez aussi</p>'
            '<h2 class="product-title"><a href="/9-celeste.html">Celeste</a></h2></section>')
    assert facts(body, "https://www.cle-jeux.fr/jeux-pc/8-hades-2.html", "fr").product.title == "Hades II – Clé Steam"


def test_money_after_the_number_in_zloty_dong_baht_and_rupiah_before_it():
    assert parse_money("149,99\u202fzł", None) == Money("149.99", "PLN")
    assert parse_money("12\u00a0431,00 zł", None) == Money("12431.00", "PLN")
    assert parse_money("Rp 78.500", None) == Money("78500.00", "IDR")  # a dot groups rupiah thousands
    assert parse_money("200.000 ₫", None) == Money("200000.00", "VND")
    assert parse_money("1.000.000 ₫", None) == Money("1000000.00", "VND")
    assert parse_money("฿ 299.00", None) == Money("299.00", "THB")


def test_a_dot_in_money_with_cents_stays_a_decimal_and_rp_inside_a_word_is_no_rupiah():
    assert parse_money("€ 35.10", None) == Money("35.10", "EUR")
    assert parse_money("Corp 2024", None) is None
    assert parse_money("¥1.50", None) == Money("1.50", "CNY")


def test_an_offer_priced_in_zloty_beside_another_in_euro_keeps_its_zloty():
    body = ('<h1>Elden Ring (PC) Klucz Steam GLOBAL</h1><div class="offer-price"><span class="price">149,99\u202fzł</span></div>'
            '<button class="btn-buy">Kup teraz</button><table><tr><th>Sprzedawca</th><th>Cena</th></tr>'
            '<tr><td>KeyZone</td><td>€&nbsp;35,10</td></tr><tr><td>CDK24</td><td>154,99&nbsp;zł</td></tr></table>')
    got = facts(body, "https://klucznik.pl/pl/elden-ring-pc-klucz-steam-global", "pl")
    assert got.product.price == Money("149.99", "PLN")


MAGENTO_PAYMENT = """
<h1>Checkout</h1><div class="payment-group"><div class="step-title">Payment Method</div>
<div class="payment-method"><input type="radio" name="payment[method]" class="radio" id="braintree" value="braintree"/>
<label class="label" for="braintree"><span>Credit or Debit Card</span></label></div>
<div class="payment-method _active"><input type="radio" name="payment[method]" class="radio" id="paypal_express" value="paypal_express" {checked}/>
<label class="label" for="paypal_express"><span>PayPal</span></label></div></div>
<div class="opc-block-summary"><span class="title">Order Summary</span><table><tr><th>Order Total</th><td>£89.99</td></tr></table></div>"""


def test_the_checked_payment_method_is_the_one_chosen_not_the_first_listed():
    got = facts(MAGENTO_PAYMENT.format(checked='checked="checked"'), "https://www.pixelvault.co.uk/checkout/#payment", "en-GB")
    assert got.page_kind == "checkout"
    assert got.order.payment_method == "paypal"


def test_with_no_method_checked_the_radio_chooses_nothing():
    got = facts(MAGENTO_PAYMENT.format(checked=""), "https://www.pixelvault.co.uk/checkout/#payment", "en-GB")
    assert got.order.payment_method != "paypal"


ACCOUNT_TRADE = """<div class="order-info"><h3>订单信息</h3><ul><li>订单编号：JYM2611241735228815</li>
<li>下单时间：2026-11-24 17:35:22</li><li>付款时间：2026-11-24 17:35:51</li>{delivery}
<li>完成时间：2026-11-25 10:12:40</li><li>实付金额：￥693.00</li><li>订单状态：交易完成</li></ul></div>"""


def test_completion_beside_a_separate_delivery_time_is_another_step():
    got = facts(ACCOUNT_TRADE.format(delivery="<li>交号时间：2026-11-24 17:58:03</li>"),
                "https://www.haomaotrade.com/user/order/detail?orderNo=JYM2611241735228815")
    roles = {t.label: t.role for t in got.timestamps}
    assert roles["交号时间"] == "delivered"
    assert roles["完成时间"] == "other"


def test_completion_alone_is_the_delivery():
    got = facts(ACCOUNT_TRADE.format(delivery=""), "https://www.haomaotrade.com/user/order/detail?orderNo=JYM2611241735228815")
    assert {t.label: t.role for t in got.timestamps}["完成时间"] == "delivered"


ORDER_LIST = """<table class="order-table"><thead><tr><th>商品信息</th><th>单价</th><th>实付款</th><th>订单状态</th></tr></thead><tbody>
<tr class="o-head"><td colspan="4">订单号：SYT20261125203311057　下单时间：2026-11-25 20:33:11</td></tr>
<tr><td><a href="/goods/772810.html">和平精英 安卓QQ 全套 一手号</a></td><td>￥1,350.00</td><td>￥1,350.00</td><td>待验号</td></tr>
<tr class="o-head"><td colspan="4">订单号：SYT20261108121840233　下单时间：2026-11-08 12:18:40</td></tr>
<tr><td><a href="/goods/760015.html">原神 官服 60级 雷神满命 永久稳定</a></td><td>￥2,180.00</td><td>￥2,150.00</td><td>交易完成</td></tr>
</tbody></table><div class="tips-box"><h4>购买须知</h4><p>账号类商品交易完成后不支持退款，请验号后再确认。</p></div>"""


def test_the_item_rows_under_each_orders_header_row_are_that_orders_not_promises():
    got = facts(ORDER_LIST, "https://www.shouyoutao.com/user/buyorder.html")
    assert got.page_kind == "order"
    assert not {"lifetime", "original_owner"} & {p.kind for p in got.promises}
    assert "no_refund" in {p.kind for p in got.policies}  # (the page's own rules below the list still count)


CHAT_HEADER = """<div class="chat-room"><div class="room-header"><div class="peer"><b>RajaDiamond Official</b>
<span class="badge-official">Official Store</span> <span class="online">Online</span></div></div>
<div class="goods"><span class="tag">{tag}</span></div></div>"""


def test_a_store_status_badge_beside_the_name_is_no_claim_of_official_goods():
    got = facts(CHAT_HEADER.format(tag="Proses Cepat"), "https://www.itemkita.id/chat/RajaDiamondOfficial", "id")
    assert "as_described" not in {p.kind for p in got.promises}


def test_a_badge_that_states_a_promise_alone_still_counts():
    got = facts(CHAT_HEADER.format(tag="Official top-up"), "https://www.itemkita.id/chat/RajaDiamondOfficial", "id")
    assert "as_described" in {p.kind for p in got.promises}


def test_an_indonesian_company_in_the_copyright_line_yields_to_the_brand():
    assert is_legal_entity("PT Item Kita Digital")
    assert not is_legal_entity("Pt shop")  # (lower-case: a word, no company form)
    body = ('<header><a href="/" class="brand"><img src="/img/logo-itemkita.svg" alt="itemkita"></a></header>'
            '<h1>344 Diamonds Mobile Legends</h1><span class="price">Rp 78.500</span><button>Beli Sekarang</button>'
            '<footer>© 2021 - 2026 PT Item Kita Digital</footer>')
    got = facts(body, "https://www.itemkita.id/mobile-legends/diamond/344-diamonds", "id", "344 Diamonds | itemkita")
    assert got.platform.name == "itemkita"


def test_an_instant_delivery_timed_in_its_own_line_is_the_window_only():
    body = ('<h1>Checkout</h1><p>Instant delivery: your key arrives by email within 5 minutes of payment.</p>'
            '<table><tr><th>Order Total</th><td>£89.99</td></tr></table>')
    got = facts(body, "https://www.pixelvault.co.uk/checkout/", "en-GB")
    kinds = {p.kind for p in got.promises}
    assert "delivery_window" in kinds and "auto_delivery" not in kinds


def test_an_instant_delivery_badge_alone_is_auto_delivery():
    body = '<h1>Elden Ring Steam Key</h1><span class="badge">Instant delivery</span><span class="price">$39.99</span><button>Buy now</button>'
    got = facts(body, "https://www.keys.example/offer/elden-ring-123", "en")
    assert "auto_delivery" in {p.kind for p in got.promises}


TOPUP = """<main class="product"><h1>Liên Quân Mobile</h1>
<div class="sku-grid"><label class="sku sku--selected"><input type="radio" name="sku" checked><span>1.000 Quân Huy</span>
<span class="pr">200.000 ₫</span></label><label class="sku"><input type="radio" name="sku"><span>40 Quân Huy</span><span class="pr">10.000 ₫</span></label></div>
<button class="btn-buy">Mua ngay</button>
<div class="modal modal-confirm{state}" role="dialog"><div class="modal-box"><h3>Xác nhận đơn hàng</h3>
<table class="confirm"><tr><th>Vật phẩm</th><td>1.000 Quân Huy</td></tr><tr><th>Phương thức thanh toán</th><td>Ví MoMo</td></tr>
<tr class="total"><th>Tổng thanh toán</th><td>200.000 ₫</td></tr></table><button class="btn-primary">Thanh toán</button></div></div></main>"""


def test_an_open_order_confirmation_dialog_makes_the_page_a_checkout():
    got = facts(TOPUP.format(state=" is-open"), "https://napgame.vn/vi-vn/lien-quan-mobile", "vi")
    assert got.page_kind == "checkout"
    assert got.product.title is None
    assert got.order.item == "1.000 Quân Huy"
    assert got.order.amount == Money("200000.00", "VND")
    assert got.order.payment_method == "other"  # (a MoMo wallet)
    assert got.order.status == "unpaid"


def test_a_closed_confirmation_dialog_leaves_the_items_page():
    got = facts(TOPUP.format(state='" style="display:none'), "https://napgame.vn/vi-vn/lien-quan-mobile", "vi")
    assert got.page_kind == "product"


def test_a_marketplace_seller_named_in_polish_with_its_rating_after_it():
    body = ('<h1>Elden Ring (PC) Klucz Steam</h1><div class="offer-seller">Sprzedawca: <a href="/pl/sprzedawca/gamehub-eu">GameHub_EU</a> '
            '<span>98,7% pozytywnych</span></div><span class="price">149,99 zł</span><button>Kup teraz</button>'
            '<footer>Pomoc: pomoc@klucznik.pl</footer>')
    got = facts(body, "https://klucznik.pl/pl/elden-ring-pc-klucz-steam", "pl")
    assert got.seller.name == "GameHub_EU"
    assert "pomoc@klucznik.pl" not in {c.value for c in got.seller.contacts}  # (the marketplace's own help desk)


# ---- order pages in French, Japanese and Portuguese --------------------------------------------

PRESTASHOP_ORDER = """<p>Toutes les heures affichées sont à l'heure de Paris (UTC+1).</p>
<div><strong>Référence de commande ZQKXBHMTW - passée le 24/11/2026</strong></div>
<ul><li><strong>Moyen de paiement</strong> Carte bancaire (Stripe)</li></ul>
<table class="table"><thead><tr><th>Date</th><th>État</th></tr></thead><tbody>
<tr><td>24/11/2026 21:14</td><td><span class="label">Livré</span></td></tr>
<tr><td>24/11/2026 21:13</td><td><span class="label">Paiement accepté</span></td></tr>
<tr><td>24/11/2026 21:12</td><td><span class="label">En attente de paiement par carte</span></td></tr></tbody></table>
<table class="table"><thead><tr><th>Produit</th><th>Quantité</th><th>Prix unitaire</th><th>Prix total</th></tr></thead>
<tbody><tr><td>Cyberpunk 2077 - Clé Steam PC (Europe)</td><td>2</td><td>19,99&nbsp;€</td><td>39,98&nbsp;€</td></tr></tbody>
<tfoot><tr><td colspan="3">Total</td><td>34,98&nbsp;€</td></tr></tfoot></table>
<h3>Vos clés d'activation</h3><table><thead><tr><th>Produit</th><th>Clé</th></tr></thead><tbody>
<tr><td>Cyberpunk 2077 - Clé Steam PC (Europe)</td><td><code>4HZ7Q-NB2KX-9VRTL</code></td></tr>
<tr><td>Cyberpunk 2077 - Clé Steam PC (Europe)</td><td><code>R8MFD-3YJ6W-QP0KC</code></td></tr></tbody></table>"""


def test_a_french_order_detail_with_its_state_history_and_keys_table():
    got = facts(PRESTASHOP_ORDER, "https://www.cle-jeux.fr/index.php?controller=order-detail&id_order=4821", "fr")
    assert got.page_kind == "order"
    assert got.order.order_no == "ZQKXBHMTW"  # (a reference of capitals, under its own name)
    assert got.order.amount == Money("34.98", "EUR")
    assert got.order.quantity == 2
    assert got.order.payment_method == "card"
    assert got.order.status == "delivered"
    assert got.product.title == "Cyberpunk 2077 - Clé Steam PC (Europe)"  # (the keys table lists codes, not items)
    assert got.order.card_codes == ["4HZ7Q-NB2KX-9VRTL", "R8MFD-3YJ6W-QP0KC"]
    stamps = {t.role: t.at for t in got.timestamps}
    assert stamps == {"delivered": "2026-11-24T21:14:00+01:00", "paid": "2026-11-24T21:13:00+01:00",
                      "ordered": "2026-11-24T21:12:00+01:00"}  # (day first; Paris time as the page says)


def test_capitals_under_a_bare_order_label_are_no_order_number():
    got = facts("<p>Commande : CONFIRMEE</p><p>Total : 34,98 €</p>", "https://www.cle-jeux.fr/commande", "fr")
    assert got.order.order_no is None


def test_a_slashed_date_on_an_english_us_page_stays_month_first():
    body = "<h2>Order #48213</h2><p>Order date: 11/12/2026 9:05 PM</p><p>Total: $12.00</p>"
    got = facts(body, "https://shop.example.com/my-account/view-order/48213/", "en-US")
    assert {t.role: t.at for t in got.timestamps}["ordered"].startswith("2026-11-12T21:05")


BOOTH_ORDER = """<p>※ 日時はすべて日本時間（JST）で表示しています。</p><dl class="order-meta">
<dt>注文番号</dt><dd>48213377</dd><dt>注文日時</dt><dd>2026/11/24 22:13</dd><dt>お支払い日時</dt><dd>2026/11/24 22:14</dd>
<dt>お支払い方法</dt><dd>クレジットカード（VISA ****4242）</dd><dt>ステータス</dt><dd>支払い完了</dd></dl>
<dl class="totals"><dt>商品小計</dt><dd>¥ 6,000</dd><dt>BOOST</dt><dd>¥ 500</dd><dt>合計</dt><dd>¥ 6,500</dd></dl>"""


def test_a_japanese_order_in_japan_time():
    got = facts(BOOTH_ORDER, "https://accounts.booth.pm/orders/48213377", "ja")
    assert got.page_kind == "order"
    assert got.order.order_no == "48213377"
    assert got.order.amount == Money("6500.00", "JPY")
    assert got.order.payment_method == "card"
    assert got.order.status == "paid"  # (支払い完了: paid, not a finished trade)
    assert {t.role: t.at for t in got.timestamps} == {"ordered": "2026-11-24T22:13:00+09:00", "paid": "2026-11-24T22:14:00+09:00"}


PTBR_ORDER = """<h1>Pedido #CG-2611-8834201</h1><span class="status-badge">Concluído</span>
<p>Horários no fuso de Brasília (UTC−3).</p><h2>Itens do pedido</h2><div>Forza Horizon 5 Premium Edition</div>
<h3>Sua chave de ativação</h3><code>7XQ2P-94KDM-RTF3H-8VWJC-K2MYB</code>
<dl><dt>Total pago</dt><dd>R$&nbsp;93,39</dd><dt>Pagamento</dt><dd>Pix · aprovado</dd></dl>
<ul class="timeline"><li>Pedido realizado 24/11/2026 21:13</li><li>Pagamento aprovado 24/11/2026 21:14</li></ul>"""


def test_a_brazilian_order_paid_by_pix():
    got = facts(PTBR_ORDER, "https://www.chavegamer.com.br/minha-conta/pedidos/CG-2611-8834201", "pt-BR")
    assert got.page_kind == "order"
    assert got.order.order_no == "CG-2611-8834201"
    assert got.order.amount == Money("93.39", "BRL")
    assert got.order.payment_method == "other"
    assert got.order.status == "delivered"
    assert got.order.card_codes == ["7XQ2P-94KDM-RTF3H-8VWJC-K2MYB"]
    assert {t.role: t.at for t in got.timestamps} == {"ordered": "2026-11-24T21:13:00-03:00", "paid": "2026-11-24T21:14:00-03:00"}


ITEMKU_PRODUCT = """<div class="pd-info"><h1 class="pd-title">344 Diamonds (312+32) Mobile Legends – Proses Cepat</h1>
<div class="pd-sold">Terjual 3,4 rb · ⭐ 4,95 (1.021 ulasan)</div>
<div class="pd-price"><span class="price-strike">Rp 95.000</span><span class="price-badge">17%</span><div class="price-now">Rp 78.500</div></div>
<div class="pd-stock">Stok: <b>1.250</b></div><button class="btn-buy">Beli Sekarang</button>
<div class="g-item"><b>Pengiriman</b> — Diproses maks. 10 menit</div></div>
<section class="seller-card"><div class="seller-name">RajaDiamond Official</div><a href="/chat/RajaDiamondOfficial">Chat Penjual</a></section>"""


def test_an_indonesian_item_priced_in_rupiah_with_a_discount_badge_and_dotted_stock():
    got = facts(ITEMKU_PRODUCT, "https://www.itemkita.id/mobile-legends/diamond/344-diamonds-proses-cepat", "id")
    assert got.page_kind == "product"  # ("Beli Sekarang")
    assert got.product.price == Money("78500.00", "IDR")  # (not the 17% badge, not the struck Rp 95.000)
    assert got.product.stock == 1250
    assert got.seller.sales is None  # (the item's own "Terjual 3,4 rb" is no seller's count)
    assert ("delivery_window", 0.17) in {(p.kind, p.hours) for p in got.promises}


def test_a_percentage_is_no_money():
    assert parse_money("17%", "IDR") is None
    assert parse_money("-17 %", "EUR") is None


def test_a_chat_order_cards_title_names_the_order_not_its_item():
    body = ('<div class="chat-room"><div class="order-card"><div class="oc-title">Pesanan <b>#IK-26112498812</b></div>'
            '<div class="oc-body"><div class="oc-name">344 Diamonds Mobile Legends</div>'
            '<div class="oc-total">Total Pembayaran: <b>Rp 158.900</b></div><span class="oc-status">Diproses</span></div></div>'
            '<div class="messages"><div class="msg them"><p>Tenang kak, semua diamond kami garansi 7 hari.</p></div></div></div>')
    got = facts(body, "https://www.itemkita.id/chat/RajaDiamondOfficial", "id")
    assert got.page_kind == "chat"
    assert got.order.order_no == "IK-26112498812"
    assert got.order.item == "344 Diamonds Mobile Legends"
    assert got.order.amount == Money("158900.00", "IDR")
    assert got.order.status == "paid"
    assert ("warranty", 168) in {(p.kind, p.hours) for p in got.promises}


def test_promises_and_policies_in_french_thai_and_japanese():
    fr = facts('<h1>Hades II – Clé Steam</h1><span class="price">24,99 €</span><button>Ajouter au panier</button>'
               '<ul><li>Envoi automatique de la clé par e-mail</li><li>Livraison instantanée</li><li>Clé officielle</li></ul>'
               "<p>Si la clé ne fonctionne pas, envoyez-nous une capture d'écran sous 48 heures : nous la remplacerons.</p>"
               "<p>Conformément à l'article L221-28, aucun remboursement n'est possible une fois la clé affichée.</p>",
               "https://www.cle-jeux.fr/jeux-pc/8-hades-2.html", "fr")
    assert {p.kind for p in fr.promises} == {"auto_delivery", "delivery_window", "as_described", "replacement"}
    assert {(p.kind, p.hours) for p in fr.policies} == {("feedback_window", 48), ("no_refund", None)}
    th = facts('<h1>ข้อกำหนดการใช้บริการ</h1><p>ไม่สามารถขอคืนเงินหรือยกเลิกได้ทุกกรณี</p><p>บริษัทจะไม่รับผิดชอบใดๆ</p>'
               '<p>ผู้ใช้ต้องแจ้งปัญหาภายใน 7 วันนับจากวันที่ทำรายการ</p>' * 3, "https://www.termgame.co.th/terms", "th")
    assert th.page_kind == "terms"
    assert {(p.kind, p.hours) for p in th.policies} == {("no_refund", None), ("liability_disclaimer", None), ("feedback_window", 168)}


def test_a_shops_name_beside_its_message_link_is_the_name_alone():
    body = ('<section class="order-shop"><h2 class="section-title">ショップ</h2><div class="shop-row"><a href="https://hoshikuzu-lab.booth.pm/">星屑ラボ</a> '
            '<a class="btn-message" href="/messages/new">ショップにメッセージを送る</a></div></section>'
            '<dl><dt>注文番号</dt><dd>48213377</dd><dt>合計</dt><dd>¥ 6,500</dd></dl>')
    got = facts(body, "https://accounts.booth.pm/orders/48213377", "ja")
    assert got.seller.name == "星屑ラボ"


def test_platform_mechanisms_in_polish_portuguese_indonesian_and_thai():
    pl = facts('<h1>Elden Ring Klucz Steam</h1><span class="price">149,99 zł</span><button>Kup teraz</button>'
               '<p>Każdy sprzedawca wpłaca depozyt gwarancyjny. Jeśli klucz nie zadziała, zwrócimy Ci pieniądze z funduszu '
               'gwarancyjnego. Problem możesz zgłosić w zakładce „Moje zamówienia → Zgłoś problem”.</p>',
               "https://klucznik.pl/pl/elden-ring-pc-klucz-steam", "pl")
    assert (pl.platform.deposit_system, pl.platform.advance_compensation, pl.platform.dispute_channel) == (True, True, True)
    pt = facts(PTBR_ORDER + '<p>Se não houver solução em até 72 horas, clique em <b>Abrir disputa</b> e a equipe vai mediar o caso.</p>',
               "https://www.chavegamer.com.br/minha-conta/pedidos/CG-2611-8834201", "pt-BR")
    assert pt.platform.dispute_channel is True
    got = facts(ITEMKU_PRODUCT + '<div><b>Garansi itemkita</b> — Uangmu kembali 100% jika pesanan tidak dikirim penjual.</div>'
                '<footer><a href="/komplain">Ajukan Komplain</a></footer>',
                "https://www.itemkita.id/mobile-legends/diamond/344-diamonds-proses-cepat", "id")
    assert (got.platform.advance_compensation, got.platform.dispute_channel) == (True, True)


def test_a_platform_that_says_it_will_not_step_in_has_no_dispute_channel():
    got = facts(BOOTH_ORDER + "<p>ショップとのトラブルについては BOOTH 事務局は関与できません。</p>",
                "https://accounts.booth.pm/orders/48213377", "ja")
    assert got.platform.dispute_channel is False


def test_phones_labelled_in_french_and_vietnamese():
    fr = facts('<div id="contact-link">Appelez-nous : <span>01 84 60 21 37</span></div><h1>Hades II – Clé Steam</h1>'
               '<span class="price">24,99 €</span><button>Ajouter au panier</button>', "https://www.cle-jeux.fr/jeux-pc/8-hades-2.html", "fr")
    assert ("phone", "0184602137") in {(c.type, c.value) for c in fr.seller.contacts}
    vi = facts(TOPUP.format(state=" is-open") + "<footer><p>Hotline CSKH: 1900 6868 (8:00–22:00)</p></footer>",
               "https://napgame.vn/vi-vn/lien-quan-mobile", "vi")
    assert ("phone", "19006868") in {(c.type, c.value) for c in vi.seller.contacts}


def test_the_one_item_under_a_japanese_or_portuguese_items_heading_fills_the_product():
    ja = facts(BOOTH_ORDER + '<section class="order-items"><h2 class="section-title">注文内容</h2><div class="item">'
               '<a class="item-name" href="https://booth.pm/ja/items/5839201">【VRChat向け】オリジナル3Dモデル「ミルフィ」 Ver.2.1</a>'
               '<div class="variation">PSD・Blendファイル同梱版</div><div class="qty">数量：1</div><div class="price">¥ 6,000</div></div></section>',
               "https://accounts.booth.pm/orders/48213377", "ja")
    assert ja.product.title == "【VRChat向け】オリジナル3Dモデル「ミルフィ」 Ver.2.1"
    assert ja.product.price == Money("6000.00", "JPY")
    pt = facts(PTBR_ORDER.replace("<h2>Itens do pedido</h2><div>Forza Horizon 5 Premium Edition</div>",
                                  '<h2>Itens do pedido</h2><div class="item"><div class="item-name">Forza Horizon 5 Premium Edition</div>'
                                  '<div class="item-meta">Plataforma: Xbox · Qtd.: 1</div><div class="item-price">R$&nbsp;89,90</div></div>'),
               "https://www.chavegamer.com.br/minha-conta/pedidos/CG-2611-8834201", "pt-BR")
    assert (pt.product.title, pt.product.price) == ("Forza Horizon 5 Premium Edition", Money("89.90", "BRL"))


def test_a_labelled_price_with_the_old_price_named_after_it_is_the_current_one():
    body = ('<h1>王者荣耀 V8 全皮肤 安卓QQ</h1><div class="price-line"><span class="label">售　价</span><span class="price"><em>￥</em>688.00</span>'
            '<span class="old-price">原价<del>￥899.00</del></span></div><a class="btn-buy" href="/order/confirm?goodsId=G26">立即购买</a>')
    assert facts(body, "https://www.haomaotrade.com/goods/G2611201432108873.html").product.price == Money("688.00", "CNY")
    body = '<h1>王者荣耀 V8</h1><p>原价：￥899.00</p><a class="btn-buy" href="/buy">立即购买</a>'
    assert facts(body, "https://www.haomaotrade.com/goods/G2611201432108874.html").product.price != Money("899.00", "CNY")


def test_a_short_name_class_in_a_seller_box_and_a_chats_open_room_name_the_seller():
    body = ('<h1>王者荣耀 V8 全皮肤</h1><span class="price">￥688.00</span><a class="btn-buy" href="/buy">立即购买</a><a href="/im">联系卖家</a>'
            '<div class="seller-box"><div class="s-head"><span class="s-name">橘子汽水</span></div><ul><li>注册时间：2023-05-08</li></ul></div>')
    got = facts(body, "https://www.haomaotrade.com/goods/G2611201432108873.html")
    assert got.seller.name == "橘子汽水"
    assert got.seller.opened_on == "2023-05-08"
    chat = ('<aside class="chat-list"><a class="room active" href="/chat/RajaDiamondOfficial"><b>RajaDiamond Official</b><span>Oke kak</span></a>'
            '<a class="room" href="/chat/GudangVoucher"><b>Gudang Voucher</b><span>Terima kasih</span></a></aside>'
            '<div class="messages"><div class="msg them"><p>Siap kak</p></div><div class="msg me"><p>Oke</p></div><div class="msg them"><p>Oke</p></div></div>')
    assert facts(chat, "https://www.itemkita.id/chat/RajaDiamondOfficial", "id").seller.name == "RajaDiamond Official"


def test_a_known_label_after_the_previous_values_tail_starts_its_own_pair():
    body = ('<h1>Elden Ring Klucz Steam</h1><span class="price">149,99 zł</span><button>Kup teraz</button>'
            '<div class="offer-seller">Sprzedawca: <a href="/pl/sprzedawca/gamehub-eu">GameHub_EU</a> <span>98,7% pozytywnych</span> '
            '<span>Sprzedano: 12&nbsp;431 szt.</span></div>')
    got = facts(body, "https://klucznik.pl/pl/elden-ring-pc-klucz-steam", "pl")
    assert (got.seller.name, got.seller.sales) == ("GameHub_EU", 12431)


def test_an_unknown_label_of_several_words_stays_one_label():
    from scrapers.document import Document

    doc = Document(page("<p>Delivery note: keys are sent by e-mail</p>"), "https://shop.example.com/p/1")
    assert [(p.label, p.value) for p in doc.pairs] == [("deliverynote", "keys are sent by e-mail")]


def test_a_japanese_mail_word_before_an_address_in_prose_names_the_creators_mail():
    body = ('<div class="shop-header"><a class="shop-name" href="https://hoshikuzu-lab.booth.pm/">星屑ラボ</a>'
            '<a class="shop-message" href="/messages/new">ショップにメッセージを送る</a></div><h2>オリジナル3Dモデル「ミルフィ」</h2>'
            '<div class="price">¥ 4,500</div><button>カートに入れる</button>'
            '<p>不具合報告は BOOTH のメッセージ、またはメール（Hoshikuzu.Lab@gmail.com）までお願いします。</p>')
    got = facts(body, "https://hoshikuzu-lab.booth.pm/items/5839201", "ja")
    assert ("email", "hoshikuzu.lab@gmail.com") in {(c.type, c.value) for c in got.seller.contacts}


# ---- found by the ux-b round: a seller block whose name could not be read ----------------------

SELLER_ROW = """<div class="order-detail"><div class="status-line"><span class="k">订单号：</span><span class="v">XC2026112410</span>
<span class="k">订单状态：</span><span class="v status">已发货</span></div>
<div class="block"><div class="block-title">卖家信息</div><div class="seller-row"><span class="k">店铺：</span>
<a href="/shop/28517">{name}</a><span class="k">商家ID：</span><span>28517</span><span class="k">QQ：</span><span>1427730918</span>
<button type="button" class="el-button"><span>{button}</span></button></div></div></div>"""


def test_a_contact_button_is_never_the_sellers_name():
    """A seller block with a name too long to be taken as one: the "联系卖家" button beside it was read
    as the seller (letters began "Dear 联系卖家,"); now the name is missing, never the button's words.
    (Set g: names up to 80 characters are read, so a 45-character name is now the seller's name, still
    without the button; past 80 the name is missing.)"""
    for button in ("联系卖家", "在线咨询", "Contact seller", "Message the seller"):
        got = facts(SELLER_ROW.format(name="北" * 45, button=button), "https://www.xingchen-km.com/user/order/detail?id=1")
        assert got.seller.name == "北" * 45, (button, got.seller.name)
        assert got.seller.id == "28517"
        got = facts(SELLER_ROW.format(name="北" * 85, button=button), "https://www.xingchen-km.com/user/order/detail?id=1")
        assert got.seller.name is None, (button, got.seller.name)


def test_a_readable_name_beside_a_contact_button_is_still_the_seller():
    got = facts(SELLER_ROW.format(name="北极星游戏工作室", button="联系卖家"), "https://www.xingchen-km.com/user/order/detail?id=1")
    assert got.seller.name == "北极星游戏工作室"
    got = facts(SELLER_ROW.format(name="咨询小铺", button="联系卖家"), "https://www.xingchen-km.com/user/order/detail?id=1")
    assert got.seller.name == "咨询小铺"  # a shop whose name starts like a control word is still named
