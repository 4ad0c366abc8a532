"""Reading gaps set g left (MyCard, DD373, 永久质保, Z2U): each class is a small page of one way real shops
lay something out or say it, and the fact it must give (or not), with a counter-example where a naive rule
would misfire."""
from __future__ import annotations

import scrapers
from scrapers.text.phrases import scan


def page(body: str, lang: str = "", title: str = "T") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<html{attr}><head><title>{title}</title></head><body>{body}</body></html>"


def facts(body: str, url: str, lang: str = "", title: str = "T"):
    return scrapers.extract(page(body, lang, title), url)


def quotes(text: str) -> set[tuple[str, str]]:
    return {(p.kind, p.quote) for family, p in scan(text) if family == "promise"}


# ---- 1. every row of a delivered-codes table --------------------------------------------------

PINS = """
<h2>訂單明細</h2><dl><dt>訂單編號</dt><dd>MC202612071422380915</dd><dt>訂單狀態</dt><dd>已完成</dd>
<dt>付款金額</dt><dd>NT$ 2,025 元</dd></dl>
<h3>點數序號</h3>
<table class="mc-pins"><thead><tr><th>#</th><th>{head}</th><th>面額</th><th>序號到期日</th></tr></thead><tbody>
<tr><td>1</td><td>MCTW9K3Q7F2LXP84</td><td>1000點</td><td>2031/12/06</td></tr>
<tr><td>2</td><td>MCTW2R8B6N4HZD17</td><td>1000點</td><td>2031/12/06</td></tr>
<tr><td>3</td><td>MCTW5T1V9C3JKW62</td><td>1000點</td><td>2031/12/06</td></tr>
</tbody></table>"""
MC_URL = "https://www.mycard520.com.tw/member/orders/detail/?no=MC202612071422380915"
MC_CODES = ["MCTW9K3Q7F2LXP84", "MCTW2R8B6N4HZD17", "MCTW5T1V9C3JKW62"]


def test_every_row_of_a_codes_table_is_a_delivered_code():
    for head in ("儲值序號", "序號", "卡密", "Activation Key"):
        got = facts(PINS.format(head=head), MC_URL, "zh-TW")
        assert got.order.card_codes == MC_CODES, head


def test_a_codes_table_without_a_heading_above_it_is_read_whole():
    body = PINS.format(head="兑换码").replace("<h3>點數序號</h3>", "")
    assert facts(body, MC_URL, "zh-CN").order.card_codes == MC_CODES


def test_a_table_whose_columns_name_no_codes_gives_none():
    # recommended goods: names and prices, with a row number column (序号) beside them
    body = ('<h2>订单详情</h2><p>订单编号：DD2612071936088215</p><p>订单状态：已完成</p><h3>猜你喜欢</h3>'
            '<table><tr><th>序号</th><th>商品</th><th>价格</th></tr>'
            '<tr><td>1</td><td>STEAM-WALLET-CARD100</td><td>￥96.00</td></tr>'
            '<tr><td>2</td><td>XBOX-GAMEPASS-ULT3M</td><td>￥118.00</td></tr></table>')
    assert facts(body, "https://ka.example.cn/order/DD2612071936088215", "zh-CN").order.card_codes == []


def test_a_table_of_other_orders_codes_gives_only_the_focused_orders():
    body = ('<h2>我的订单</h2><table><tr><th>订单号</th><th>商品</th><th>卡密</th></tr>'
            '<tr class="active"><td>KM2026120700001</td><td>腾讯视频月卡</td><td>TXVIP-8K2M-Q7RD</td></tr>'
            '<tr><td>KM2026120500002</td><td>爱奇艺月卡</td><td>IQIYI-4F7N-W2PX</td></tr>'
            '<tr><td>KM2026120300003</td><td>优酷月卡</td><td>YOUKU-9D3H-B6LS</td></tr></table>')
    got = facts(body, "https://ka.example.cn/orders?no=KM2026120700001", "zh-CN")
    assert got.order.order_no == "KM2026120700001"
    assert got.order.card_codes == ["TXVIP-8K2M-Q7RD"]


def test_the_codes_column_only_the_expiry_column_beside_it_is_not_read():
    body = PINS.format(head="儲值序號").replace("2031/12/06", "20311206235959")
    assert "20311206235959" not in facts(body, MC_URL, "zh-TW").order.card_codes


# ---- 2. the total in the last column of a one-row goods table ---------------------------------

GOODS = """
<h2>订单详情</h2><p>订单编号：DD2612071936088215</p><p>订单状态：已交货</p><p>支付方式：支付宝</p>
<table class="od-goods"><thead><tr><th>商品</th><th>单价</th><th>数量</th><th>{last}</th></tr></thead><tbody>
{rows}</tbody></table>"""
ROW = "<tr><td>{name}</td><td>￥{unit}</td><td>{qty}</td><td><b>￥{total}</b></td></tr>"
DD_URL = "https://www.dd373.com/usercenter/buy/detail?id=DD2612071936088215"


def test_a_one_row_goods_table_names_the_orders_total_in_its_column():
    row = ROW.format(name="【原神】天空岛 58级 初始号", unit="1288.00", qty=1, total="1352.40")
    for last in ("小计", "实付金额", "合计", "金额", "Subtotal", "Total"):
        got = facts(GOODS.format(last=last, rows=row), DD_URL, "zh-CN")
        assert got.order.amount is not None and str(got.order.amount.amount) == "1352.40", last
        assert got.order.amount.currency == "CNY"


def test_each_rows_subtotal_of_several_goods_is_not_the_orders_total():
    rows = (ROW.format(name="Steam 充值卡 100元", unit="96.00", qty=1, total="96.00")
            + ROW.format(name="Xbox 会员 3个月", unit="118.00", qty=2, total="236.00"))
    assert facts(GOODS.format(last="小计", rows=rows), DD_URL, "zh-CN").order.amount is None


def test_a_unit_price_column_is_not_the_orders_total():
    body = ('<h2>订单详情</h2><p>订单编号：DD2612071936088215</p><p>订单状态：已交货</p>'
            '<table><thead><tr><th>商品</th><th>单价</th><th>数量</th></tr></thead>'
            '<tbody><tr><td>Steam 充值卡 100元</td><td>￥96.00</td><td>3</td></tr></tbody></table>')
    assert facts(body, DD_URL, "zh-CN").order.amount is None


def test_a_labelled_total_outranks_the_goods_tables_column():
    row = ROW.format(name="Steam 充值卡 100元", unit="96.00", qty=1, total="96.00")
    body = GOODS.format(last="小计", rows=row) + "<p>实付款：￥97.50</p>"
    assert str(facts(body, DD_URL, "zh-CN").order.amount.amount) == "97.50"


# ---- 3. a promise quoted with its qualifier -----------------------------------------------------

def test_a_promise_noun_keeps_its_qualifier():
    assert quotes("账号永久质保") == {("warranty", "永久质保")}
    assert quotes("终身包赔") == {("lifetime", "终身包赔")}
    assert quotes("永久包赔，放心购买") == {("lifetime", "永久包赔")}
    assert quotes("永久包换") == {("replacement", "永久包换")}  # one phrase, one kind
    assert quotes("终身无效包换") == {("replacement", "终身无效包换")}
    assert quotes("永久包稳") == {("lifetime", "永久包稳")}  # as 永久稳定 is lifetime


def test_a_period_before_a_promise_stays_beside_its_quote_as_its_term():
    # the backend reads a promise's term right before or after its quote (server.risk.clauses.promise_term_hours)
    from server.risk.clauses import promise_term_hours

    for line, quote in (("激活码30天包换", "包换"), ("90天内找回包赔", "找回包赔"), ("7天包退", "包退")):
        [(kind, got)] = quotes(line)
        assert got == quote
        assert promise_term_hours(line, got) is not None


def test_a_qualifier_does_not_reach_over_a_neighbouring_sentence_or_promise():
    assert quotes("账号永久。质保30天") == {("lifetime", "永久"), ("warranty", "质保30天")}
    assert quotes("永久稳定，包换") == {("lifetime", "永久稳定"), ("replacement", "包换")}
    assert quotes("质保30天包换") == {("warranty", "质保30天"), ("replacement", "包换")}
    assert quotes("自动发货包换") == {("auto_delivery", "自动发货"), ("replacement", "包换")}
    assert quotes("永久质保，被找回包赔") == {("warranty", "永久质保"), ("original_owner", "被找回包赔")}
    assert quotes("不支持永久质保") == set()
    assert quotes("永久封号包赔") == set()


def test_a_product_page_quotes_the_whole_permanent_warranty():
    body = ('<h1>英雄联盟 艾欧尼亚 全皮肤 成品号</h1><p>价格：￥880.00</p><button>立即购买</button>'
            '<ul class="tags"><li>永久质保</li><li>被找回包赔</li></ul>')
    got = facts(body, "https://ka.example.cn/goods/50605", "zh-CN")
    assert ("warranty", "永久质保") in {(p.kind, p.quote) for p in got.promises}
    assert "lifetime" not in {p.kind for p in got.promises}


# ---- 4. an original-owner promise quoted as the sentence that promises -------------------------

def test_an_original_email_is_quoted_with_the_word_that_hands_it_over():
    assert quotes("Original email included, no ban history.") >= {("original_owner", "Original email included")}
    assert quotes("The account comes with the original email.") == {("original_owner", "comes with the original email")}
    assert quotes("Original mail is provided after delivery") == {("original_owner", "Original mail is provided")}
    assert quotes("一手号，送原始邮箱") == {("original_owner", "一手号"), ("original_owner", "送原始邮箱")}
    assert quotes("Original owner, I am the first and only owner.") == {("original_owner", "Original owner")}


def test_an_original_email_that_is_not_handed_over_is_no_promise():
    assert quotes("Original email not included.") == set()
    assert quotes("不送原始邮箱") == set()
    assert quotes("Please change the original email password.") == set()
    assert quotes("原始邮箱需自行找回") == set()


def test_an_offer_quotes_its_original_email_sentence():
    body = ('<h1>Valorant Account EU</h1><p>$89.99</p><button>Buy now</button>'
            '<p>Immortal 2 peak, 48 skins. Original email included, no ban history.</p>')
    got = facts(body, "https://www.z2u.com/valorant/1.html", "en")
    assert ("original_owner", "Original email included") in {(p.kind, p.quote) for p in got.promises}


# ---- (dd373's other gap) an account line under 交货信息 after the line that announces it ------------

DELIVERY = """
<h2>订单详情</h2><p>订单编号：DD2612071936088215</p><p>订单状态：已交货</p>
<h3>交货信息</h3><div class="deliver-box"><p>{intro}</p><pre class="acc">18873306142----Ys@9kq2LmT7x</pre>
<p>绑定邮箱已换为：<span>dd_7731wq@163.com</span></p></div>"""


def test_an_account_line_after_the_line_announcing_it_is_a_delivered_code():
    body = DELIVERY.format(intro="卖家已通过平台验号换绑，账号资料如下（账号----密码），请立即登录修改密码：")
    assert facts(body, DD_URL, "zh-CN").order.card_codes == ["18873306142----Ys@9kq2LmT7x"]
    body = DELIVERY.format(intro="Your account details are as follows:").replace("交货信息", "Delivered codes")
    assert facts(body, DD_URL, "en").order.card_codes == ["18873306142----Ys@9kq2LmT7x"]


def test_a_long_line_that_announces_nothing_still_ends_the_codes():
    body = DELIVERY.format(intro="卖家将在验号完成后通过站内信发送账号资料，请留意消息中心的通知并及时查收。")
    assert facts(body, DD_URL, "zh-CN").order.card_codes == []
