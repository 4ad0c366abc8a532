"""Classes found on the blind corpus set g (DD373, 租号玩, Digiseller / Oplata, Z2U, MyCard, GAMIVO, 微店 H5):
each named example is a small page of one way real shops say or lay something out, and the fact it must
give (or not), with a counter-example where a naive rule would misfire."""
from __future__ import annotations

import scrapers
from scrapers.text.site import find_copyright


def page(body: str, lang: str = "", title: str = "T") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<html{attr}><head><title>{title}</title></head><body>{body}</body></html>"


def facts(body: str, url: str, lang: str = "", title: str = "T"):
    return scrapers.extract(page(body, lang, title), url)


def kinds(phrases) -> set[str]:
    return {p.kind for p in phrases}


# ---- wrong facts ------------------------------------------------------------------------------

def test_a_link_before_a_copyright_line_is_not_the_holder():
    # the footer's last link ("Open a Dispute") runs into "Copyright © …": "Dispute Copyright" named the site
    body = ('<a class="logo" href="/"><img src="/logo.svg" alt="Z2U.com"></a><h1>Buy Valorant Account EU</h1>'
            '<footer><p><a href="/help">Open a Dispute</a></p><p>Copyright © 2016-2026 Z2U.com All Rights Reserved.</p></footer>')
    got = facts(body, "https://www.z2u.com/valorant/Accounts-5-123.html", "en", "Buy Valorant Account EU - Z2U.com")
    assert got.platform.name == "Z2U.com"
    assert got.platform.copyright_years == [2016, 2026]
    assert find_copyright("Send Copyright © 2016-2026 Z2U.com All Rights Reserved.")[1] is None


def test_a_name_right_before_the_sign_is_still_the_holder():
    assert find_copyright("首页 快卡小站 © 2024-2026")[1] == "快卡小站"
    assert find_copyright("Keylane Software © 2026")[1] == "Keylane Software"


def test_a_chinese_name_then_its_domain_before_the_sign_is_the_holder():
    assert find_copyright("微店 weidian.com ©2014-2026 京ICP备14018458号")[1] == "微店"


def test_a_title_of_page_then_brand_and_tagline_names_the_brand():
    body = ('<a class="logo" href="https://www.mycard520.com.tw/"><img src="/img/logo-mycard.svg" alt="MyCard"></a>'
            '<h2>確認訂單</h2><p>應付總額 NT$2,025</p><p>Copyright © 2004-2026 Soft-World International Corp. All Rights Reserved.</p>')
    got = facts(body, "https://www.mycard520.com.tw/checkout/confirm", "zh-TW", "確認訂單 | MyCard 點數卡線上購買")
    assert got.platform.name == "MyCard"


def test_an_h5_item_pages_title_that_is_the_item_names_no_site_and_a_recommendation_heading_no_item():
    item = "【自动发货】网易云音乐黑胶VIP年卡 12个月 官方直充"
    body = (f'<span class="wd-price">¥128<small>.00</small></span><h1 class="wd-title">{item}</h1><p>库存 893 件</p>'
            '<div class="wd-rec"><h3>店铺推荐</h3><div class="rec"><p>QQ音乐豪华绿钻 年卡 永久稳定</p><span>¥118.00</span></div>'
            '<div class="rec"><p>爱奇艺黄金VIP 12个月</p><span>¥148.00</span></div></div>'
            '<a class="buy" href="#">立即购买</a><div class="wd-copy">微店 weidian.com ©2014-2026 京ICP备14018458号</div>')
    got = facts(body, "https://weidian.com/item.html?itemID=7305518842", "zh-CN", item)
    assert got.platform.name == "微店"
    assert got.product.title == item
    assert "lifetime" not in kinds(got.promises)  # 永久稳定 is the recommended card's


def test_a_shop_whose_title_is_its_own_heading_keeps_its_name():
    body = ('<div class="shop-header"><h1 class="shop-title">夏天的发卡小店</h1></div><h3>Steam 充值卡</h3>'
            '<p>价格：¥30.00</p><button>立即购买</button>')
    assert facts(body, "https://xiatian.example.cn/", "zh-CN", "夏天的发卡小店").platform.name == "夏天的发卡小店"


def test_similar_goods_and_an_ad_line_name_other_items_not_promises():
    body = ('<h1>【原神】天空岛 冒险等级58 初始号可换绑</h1><p>价格：￥1288.00</p><button>立即购买</button>'
            '<div class="like-goods"><h3>相似商品推荐</h3><ul><li><a href="/g/1.html">【原神】官服 58级 永久稳定</a><em>￥1699.00</em></li>'
            '<li><a href="/g/2.html">【原神】天空岛 初始号 120抽 自动发货</a><em>￥35.00</em></li></ul></div>'
            '<div class="uc-ad"><p>推荐：【王者荣耀】V10 国服典韦 永久包售后 ￥399</p></div>')
    got = facts(body, "https://www.dd373.com/s-1/goods/a1b2.html", "zh-CN")
    assert not kinds(got.promises) & {"lifetime", "auto_delivery", "warranty"}


def test_a_recommendation_line_without_a_price_is_no_ad():
    body = '<h1>Steam 充值卡 100元</h1><p>价格：￥96.00</p><button>立即购买</button><p>推荐：本店全部商品自动发货</p>'
    assert "auto_delivery" in kinds(facts(body, "https://ka.example.cn/item/3", "zh-CN").promises)


def test_a_badge_its_own_parenthesis_takes_back_is_no_refund_promise():
    body = ('<h1>网易云音乐黑胶VIP年卡</h1><p>价格：¥128.00</p><button>立即购买</button>'
            '<div class="svc"><span>✓ 7天无理由退货（虚拟商品不支持）</span></div>')
    got = facts(body, "https://weidian.com/item.html?itemID=1", "zh-CN")
    assert "refund" not in kinds(got.promises)
    plain = body.replace("（虚拟商品不支持）", "")
    assert "refund" in kinds(facts(plain, "https://weidian.com/item.html?itemID=1", "zh-CN").promises)


ORDER_LIST = """
<div class="wd-navbar"><span>我的订单</span></div><ul class="wd-order-list">
<li class="wd-order"><div class="o-shop"><span class="shop">橙子数码会员店</span><span class="st">交易成功</span></div>
<p class="g-name">【自动发货】网易云音乐黑胶VIP年卡 官方直充</p><div class="o-sum">共1件商品 实付款：<b>¥128.00</b></div></li>
<li class="wd-order"><div class="o-shop"><span class="shop">小熊游戏点卡</span><span class="st">待发货</span></div>
<p class="g-name">Steam 钱包充值卡 100元 国区 秒发</p><div class="o-sum">共2件商品 实付款：<b>¥193.00</b></div></li>
</ul><p>微店担保交易：确认收货前货款由平台保管。</p>"""


def test_goods_in_an_order_list_without_numbers_are_no_promises():
    got = facts(ORDER_LIST, "https://weidian.com/buyer/order-list.html", "zh-CN", "我的订单")
    assert got.page_kind == "order"
    assert not kinds(got.promises) & {"auto_delivery", "as_described", "delivery_window"}


def test_one_order_block_without_a_number_keeps_its_promises():
    one = ORDER_LIST.split("<li", 2)
    body = one[0] + "<li" + one[1] + "</ul>"
    got = facts(body, "https://weidian.com/buyer/order-detail.html", "zh-CN", "订单详情")
    assert "auto_delivery" in kinds(got.promises)


CHAT = """
<div class="chat-head"><b class="peer">NordicGrind</b></div>
<div class="msgs">
<div class="msg sys"><span class="time">12/07/2026 08:47 AM</span> System: Buyer has paid. Seller please deliver within 20 min.</div>
<div class="msg seller"><span class="time">12/07/2026 08:49 AM</span> {seller}</div>
</div>"""


def test_a_platform_system_message_in_a_chat_is_no_promise():
    got = facts(CHAT.format(seller="ok"), "https://www.z2u.com/chat?order=Z2U123", "en")
    assert "delivery_window" not in kinds(got.promises)
    got = facts(CHAT.format(seller="I will deliver within 20 min, lifetime warranty."), "https://www.z2u.com/chat?order=Z2U123", "en")
    assert "delivery_window" in kinds(got.promises)


def test_order_times_named_in_other_words_have_their_roles():
    body = ('<h2>訂單明細</h2><dl><dt>訂單編號</dt><dd>MC2612071422380045</dd><dt>建立時間</dt><dd>2026/12/07 14:22:38</dd></dl>'
            '<table><tr><th>订单编号</th><td>DD2612071936088215</td></tr></table>')
    got = facts(body.split("<table>")[0], "https://www.mycard520.com.tw/member/order/MC2612071422380045", "zh-TW")
    assert [t.role for t in got.timestamps] == ["ordered"]
    body = ('<h2>订单详情</h2><p>订单编号：DD2612071936088215</p><p>付款时间：2026/12/07 19:36:41</p>'
            '<p>交货时间：2026/12/07 20:02:13</p><p>到期时间：2026/12/08 20:02:13</p>')
    got = facts(body, "https://www.dd373.com/usercenter/buy/detail?id=DD2612071936088215", "zh-CN")
    assert [t.role for t in got.timestamps] == ["paid", "delivered", "other"]


# ---- a seller name past 40 characters (the last round's gap) ---------------------------------

LONG_LATIN = "Steam Wallet & Game Keys Official Reseller Store Europe GmbH"
LONG_CJK = "深圳市星辰数码科技有限公司旗下游戏账号点卡充值官方授权专营店铺总店南山区科技园分店二号"


def test_a_long_real_seller_name_is_kept():
    assert len(LONG_LATIN) > 40 and len(LONG_CJK) > 40
    body = f'<h1>Elden Ring Steam Key</h1><p>Price: $39.99</p><button>Buy now</button><p>Sold by: {LONG_LATIN}</p>'
    assert facts(body, "https://keys.example.com/offer/elden-ring", "en").seller.name == LONG_LATIN
    body = f'<h1>Steam 充值卡</h1><p>价格：￥96.00</p><button>立即购买</button><p>店铺：{LONG_CJK}</p><a href="/shop/9">进店</a>'
    assert facts(body, "https://ka.example.cn/item/3", "zh-CN").seller.name == LONG_CJK


def test_a_long_sentence_or_a_button_beside_the_label_is_still_no_name():
    for value in ("This seller has not provided any information about the store yet",
                  "本店所有商品均为自动发货，请放心购买，如有任何问题请第一时间联系在线客服处理，谢谢合作愉快",
                  "Steam Wallet Game Keys Official Reseller Store Europe Digital Distribution Worldwide Limited Company Group"):
        body = f'<h1>Steam 充值卡</h1><p>价格：￥96.00</p><button>立即购买</button><p>Sold by: {value}</p>'
        assert facts(body, "https://ka.example.cn/item/3", "zh-CN").seller.name is None, value
    body = f'<h1>X</h1><p>价格：￥96.00</p><button>立即购买</button><p>卖家：{LONG_CJK} 联系卖家</p>'
    assert facts(body, "https://ka.example.cn/item/3", "zh-CN").seller.name == LONG_CJK


# ---- words: German, Russian, zh-TW, English chat, account rental ------------------------------

def test_a_german_marketplace_offer_states_its_window_and_the_platforms_protection():
    body = ('<h1>Cyberpunk 2077 (PC) Steam Key GLOBAL</h1><div class="price">17,49&nbsp;€</div><button>Jetzt kaufen</button>'
            '<p>Verkäufer: KeyForge EU</p><ul><li>Sofortige Lieferung</li></ul><h3>GAMIVO Käuferschutz</h3>'
            '<p>Funktioniert dein Key nicht, eröffne innerhalb von 14 Tagen nach dem Kauf eine Reklamation. Kann der Verkäufer '
            'das Problem nicht lösen, erstattet GAMIVO dir den Kaufpreis.</p>')
    got = facts(body, "https://www.gamivo.com/de/product/cyberpunk-2077-pc-steam-global", "de")
    assert ("delivery_window", 0) in {(p.kind, p.hours) for p in got.promises}
    assert ("feedback_window", 336) in {(p.kind, p.hours) for p in got.policies}
    assert got.platform.advance_compensation is True and got.platform.dispute_channel is True


def test_german_terms_state_deposit_exclusion_and_disclaimer_but_not_a_sellers_deadline():
    body = ('<h1>Allgemeine Geschäftsbedingungen</h1><p>Verkäufer müssen eine Sicherheitsleistung (Kaution) bei GAMIVO hinterlegen.</p>'
            '<p>7.2 Kann der Verkäufer eine berechtigte Reklamation nicht innerhalb von 3 Werktagen lösen, erstattet GAMIVO dem Käufer '
            'den Kaufpreis aus dem Käuferschutzfonds.</p><p>Bereits aufgedeckte Schlüssel sind vom Umtausch ausgeschlossen.</p>'
            '<p>GAMIVO übernimmt keine Haftung für die Inhalte der von Verkäufern eingestellten Angebote.</p>')
    got = facts(body, "https://www.gamivo.com/de/terms", "de", "Allgemeine Geschäftsbedingungen | GAMIVO")
    assert got.page_kind == "terms"
    assert got.platform.deposit_system is True and got.platform.advance_compensation is True
    assert {"no_refund", "liability_disclaimer"} <= kinds(got.policies)
    assert "feedback_window" not in kinds(got.policies)  # 3 Werktage is the seller's time to settle, not the buyer's window


def test_russian_warranty_after_a_dash_and_no_return_or_exchange():
    body = ('<h1>Steam Wallet 20 USD</h1><div class="price">1 949,00&nbsp;₽</div><button>Купить</button>'
            '<p>Гарантия на товар — 30 дней с момента покупки.</p><p>Ключи, активированные на другом аккаунте, возврату и обмену не подлежат.</p>')
    got = facts(body, "https://gamekeyspro.ru/steam-wallet-20", "ru")
    assert ("warranty", 720) in {(p.kind, p.hours) for p in got.promises}
    assert "no_refund" in kinds(got.policies)
    got = facts(body.replace("возврату и обмену не подлежат", "подлежат возврату в течение 14 дней"), "https://gamekeyspro.ru/x", "ru")
    assert "no_refund" not in kinds(got.policies)


def test_taiwanese_order_words_no_return_after_topup_appeal_and_sent_codes():
    body = ('<h2>訂單明細</h2><p>訂單編號：MC2612071422380045</p><p>序號一經儲值即無法退還。</p>'
            '<p>若序號無法使用，請至線上問答提出申訴，客服將於 24 小時內回覆。</p><p>付款完成後，系統自動發送點數序號至會員中心。</p>')
    got = facts(body, "https://www.mycard520.com.tw/member/order/MC2612071422380045", "zh-TW")
    assert "no_refund" in kinds(got.policies)
    assert got.platform.dispute_channel is True
    assert "auto_delivery" in kinds(got.promises)


def test_a_sellers_request_to_be_paid_outside_is_off_platform_a_warning_is_not():
    chat = ('<div class="chat-head"><b>NordicGrind</b></div><div class="msg seller">add me and pay me via PayPal F&amp;F, it is faster</div>'
            '<p>Order: Z26120708471193</p>')
    assert "off_platform" in kinds(facts(chat, "https://www.z2u.com/chat?order=Z26120708471193", "en").policies)
    warn = ('<div class="msg sys">Sellers who ask you to pay via PayPal Friends &amp; Family should be reported.</div>'
            '<p>Order: Z26120708471193</p>')
    assert "off_platform" not in kinds(facts(warn, "https://www.z2u.com/chat?order=Z26120708471193", "en").policies)


def test_a_rental_refund_of_unused_time_and_a_platform_that_pays_in_full():
    body = '<h2>订单详情</h2><p>订单编号：ZH2612071630151</p><p>号主原因导致无法上号，平台退还未使用时长租金。</p>'
    assert "refund" in kinds(facts(body, "https://www.zuhaowan.com/order/ZH2612071630151", "zh-CN").promises)
    body = ('<h1>【原神】天空岛 58级</h1><p>价格：￥1288.00</p><button>立即购买</button><p>联系卖家</p>'
            '<span>包赔服务：本商品已购买找回包赔，被找回平台全额赔付</span>')
    assert facts(body, "https://www.dd373.com/s-1/goods/a1b2.html", "zh-CN").platform.advance_compensation is True


# ---- layouts: a Russian purchase receipt, an account-rental page ------------------------------

RECEIPT_RU = """
<div class="purchase-head"><h1>Покупка № 318840572</h1><div class="status status-ok">Оплачено, товар доставлен</div></div>
<table class="purchase-info">
<tr><td>Товар:</td><td><b>Steam Gift Card 20$ USD (USA) — ключ пополнения</b></td></tr>
<tr><td>Продавец:</td><td><a href="https://plati.market/seller/gamekeyspro/1184471">GameKeysPro</a></td></tr>
<tr><td>Количество:</td><td>1 шт.</td></tr><tr><td>Оплачено:</td><td>2 007,47 RUB</td></tr>
<tr><td>Дата оплаты:</td><td>07.12.2026 18:51:22 (МСК)</td></tr></table>
<div class="purchase-chat"><div class="msg msg-seller">GameKeysPro: Спасибо за покупку! Если код не активируется — пишите сюда, заменим.</div></div>
<p>Возникла проблема с товаром? <a href="/claim">Открыть претензию</a></p>"""


def test_a_russian_purchase_receipt_is_an_order_page():
    got = facts(RECEIPT_RU, "https://oplata.info/info/buy.asp?id_i=318840572", "ru", "Покупка № 318840572 — Oplata.info")
    assert got.page_kind == "order"
    assert got.order.order_no == "318840572"
    assert got.order.item == "Steam Gift Card 20$ USD (USA) — ключ пополнения"
    assert str(got.order.amount.amount) == "2007.47" and got.order.amount.currency == "RUB"
    assert "replacement" in kinds(got.promises)


def test_a_russian_article_about_purchases_stays_other():
    body = "<h1>Как защитить покупки в интернете</h1><p>Покупка ключей у перекупщиков — риск. Мы заменили описание.</p>"
    got = facts(body, "https://news.example.ru/article/55", "ru")
    assert got.page_kind != "order" and got.order.order_no is None and got.promises == []


RENTAL = """
<header><a href="/" class="logo"><img src="/img/logo.png" alt="租号玩"></a><nav><a href="/chuzu/">我要出租</a></nav></header>
<h1>永劫无间 租号 金色振刀 胡桃皮肤 156英雄魂玉</h1><ul class="badges"><li>不掉线</li></ul>
<div class="p-main">租金 <strong>2.80</strong> 元/小时</div>
<form action="/order/create/"><button type="submit" class="btn-rent">立即租用</button></form>
<section class="owner"><h3>号主信息</h3><p>号主：<span class="owner-name">阿九的号铺</span> <span class="lv">信用等级 ★★★★☆</span></p></section>
<ol><li>已开始计时的订单不支持无理由撤单。</li></ol>
<section class="more"><h3>该号主的其他号</h3><ul><li><a href="/zuhao/1.html">CF 英雄级武器x12 永久雷神</a> 1.50元/时</li>
<li><a href="/zuhao/2.html">王者荣耀 国服貂蝉</a> 3.20元/时</li></ul></section>
<div class="kf-float"><a href="/kefu/">在线客服</a><p>客服QQ：4008118585</p></div>"""


def test_an_account_rental_page_is_a_product_page():
    got = facts(RENTAL, "https://www.zuhaowan.com/zuhao/28811734.html", "zh-CN", "永劫无间租号_租号玩")
    assert got.page_kind == "product"
    assert got.product.title == "永劫无间 租号 金色振刀 胡桃皮肤 156英雄魂玉"
    assert str(got.product.price.amount) == "2.80"
    assert got.seller.name == "阿九的号铺"  # not "阿九的号铺 信用等级"
    assert got.seller.contacts == []  # the floating help widget is the platform's
    assert "lifetime" not in kinds(got.promises)  # 永久雷神 names the owner's other account
    assert "no_refund" in kinds(got.policies)


def test_a_shop_without_a_rent_button_is_not_made_a_product_by_rent_words():
    body = "<h1>租号攻略：如何安全租号</h1><p>租金一般按小时计算，号主会设置押金。</p>"
    assert facts(body, "https://blog.example.cn/post/9", "zh-CN").page_kind == "other"


def test_a_title_part_that_is_the_brand_and_one_more_word_is_the_sites_full_name():
    body = '<a class="logo" href="/"><img src="/logo.png" alt="Emberfall Network"></a><h1>VIP Rank</h1><p>$9.99</p><button>Buy</button>'
    got = facts(body, "https://store.emberfall.net/package/5931024", "en", "VIP Rank | Emberfall Network Store")
    assert got.platform.name == "Emberfall Network Store"


# ---- contacts, seller and times ----------------------------------------------------------------

def test_a_company_before_the_service_line_label_and_a_taiwan_landline():
    body = ('<h1>MyCard 點數卡</h1><p>NT$2,025</p><button>立即購買</button>'
            '<p>智冠科技股份有限公司 MyCard 客服專線：(02)2651-0754　客服信箱：service@mycard520.com</p>')
    got = facts(body, "https://www.mycard520.com.tw/product/1", "zh-TW")
    assert ("phone", "0226510754") in {(c.type, c.value) for c in got.seller.contacts}


def test_a_chat_head_with_a_presence_dot_names_the_seller_and_a_discord_tag_is_a_contact():
    body = ('<div class="conv-head"><b>NordicGrind</b> <span class="online">● online</span></div>'
            '<div class="msg seller">NordicGrind: add me on Discord nordic#2231 for faster support</div><p>Order: Z26120708471193</p>')
    got = facts(body, "https://www.z2u.com/chat?order=Z26120708471193", "en")
    assert got.seller.name == "NordicGrind"
    assert ("other", "nordic#2231") in {(c.type, c.value) for c in got.seller.contacts}
    got = facts(body.replace("● online", "online now"), "https://www.z2u.com/chat?order=Z26120708471193", "en")
    assert got.seller.name != "NordicGrind online now"


def test_stated_german_and_moscow_zones_and_update_labels():
    body = '<h1>Allgemeine Geschäftsbedingungen</h1><p class="meta">Zuletzt aktualisiert: 01.10.2026, 12:00 Uhr (MESZ)</p><p>§ 1 Geltungsbereich</p>'
    got = facts(body, "https://www.gamivo.com/de/terms", "de", "Allgemeine Geschäftsbedingungen | GAMIVO")
    assert [(t.role, t.at) for t in got.timestamps] == [("updated", "2026-10-01T12:00:00+02:00")]
    body = ('<h1>Steam Wallet 20 USD</h1><div class="price">1 949,00&nbsp;₽</div><button>Купить</button>'
            '<table><tr><td>В наличии</td><td>37 шт.</td></tr><tr><td>Обновлён</td><td>06.12.2026 23:14 (МСК)</td></tr></table>')
    got = facts(body, "https://gamekeyspro.ru/goods/?id_d=4719025", "ru")
    assert got.product.stock == 37
    assert [(t.role, t.at) for t in got.timestamps] == [("updated", "2026-12-06T23:14:00+03:00")]


def test_opened_on_inside_a_dotted_line_of_shop_facts():
    body = ('<h1>网易云音乐黑胶VIP年卡</h1><span class="price">¥128.00</span><a class="buy">立即购买</a><a>进店</a>'
            '<div class="wd-shop"><p class="name">橙子数码会员店</p><p>微店认证 · 已缴纳保证金 ¥2000 · 开店时间 2020-04-11</p></div>')
    assert facts(body, "https://weidian.com/item.html?itemID=1", "zh-CN").seller.opened_on == "2020-04-11"
    body = body.replace("开店时间 2020-04-11", "本店将于 2020-04-11 开店时间另行通知")
    assert facts(body, "https://weidian.com/item.html?itemID=1", "zh-CN").seller.opened_on is None


def test_a_german_offer_names_its_seller_and_an_account_claim_of_no_bans():
    body = ('<h1>Cyberpunk 2077 Steam Key</h1><div class="price">17,49&nbsp;€</div><button class="gv-buy">Jetzt kaufen</button>'
            '<div class="gv-seller">Verkäufer: <a href="/de/seller/keyforge-eu">KeyForge EU</a></div><h3>Weitere Angebote (6)</h3>')
    assert facts(body, "https://www.gamivo.com/de/product/cyberpunk", "de").seller.name == "KeyForge EU"
    body = '<h1>Valorant Account EU</h1><p>$89.99</p><button>Buy now</button><p>Original email included, no ban history.</p>'
    assert "as_described" in kinds(facts(body, "https://www.z2u.com/valorant/1.html", "en").promises)
