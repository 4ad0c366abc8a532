"""Order fields: which order is in focus, its number, amount, quantity, payment, status, codes, times.

Restraint first: a page listing several orders with none in focus (no highlighted row, none named
in the URL) fills nothing here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import labels as L
from ..facts import Order, Product, Timestamp
from ..regexes import without_case
from ..text import nfkc, squash, to_int
from ..text.dates import parse_datetime
from ..text.money import parse_money
from ..text.normalise import fold
from ..visible import hidden_within, visible_text

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_BADGE_MARKS = re.compile(r"[\ue000-\uf8ff●•✓✔√\[\]【】()（）]")
_COLON = re.compile(r"[:：]")
_CODE_SPLIT = re.compile(r"\s{2,}|\n")
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_DATE_LIKE = re.compile(r"[\d:./\-]+")
_NUMBER_LIKE = re.compile(r"[\d.,]+%?")
_DASHED_KEY = re.compile(r"[A-Z0-9]{3,}(?:-[A-Z0-9]{3,}){2,}")
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_START = re.compile(r"\s*(?:[\d０-９]|[A-Za-z]{3,9}\.?\s+\d)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# an order reference by its own name (not a bare "Order"), whose value may be capitals without digits
_REFERENCE_LABEL = re.compile(r"référencedecommande|orderreference|referênciadopedido|referenciadelpedido|注文番号")
_LETTER_REFERENCE = re.compile(r"\s*#?\s*([A-Z0-9]{6,20})(?![\w-])")
_SHORT_NO = re.compile(r"\s*#?\s*(\d{3,5})\s*")  # a short order number alone as a label's value
_ORDER_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9][A-Za-z0-9_-]{5,47})(?![A-Za-z0-9])")
_FOCUS_ROW = re.compile(r"\b(?:info|active|selected|highlight\w*|current|focus\w*|expanded|matched|hit|on)\b")
_CODE = re.compile(r"^[A-Za-z0-9][\x21-\x7e]{5,200}$")
_CODE_BOX = re.compile(r"(?:^|[\s_-])(?:kami|km|kms|cdk|cdkey|card-?(?:display|info|content|code|codes|list|text|secret|pass"
                       r"|no|number|pwd)|copy-?text|key-?(?:list|box|content|text)|keys|codes?|secret|license"
                       r"|deliver(?:y|ed)?-?(?:content|info|text|codes?))(?:$|[\s_-])", re.I)
_STATUS = [
    ("refunded", re.compile(r"已退款|退款成功|全额退款|refunded", re.I)),
    ("disputed", re.compile(r"纠纷|申诉中|投诉中|仲裁中|维权中|售后中|退款中|退款申请中|disputed|in dispute|under review", re.I)),
    ("closed", re.compile(r"已关闭|已取消|交易关闭|订单关闭|已过期|已失效|cancel+ed|closed|expired", re.I)),
    ("unpaid", re.compile(r"待付款|未付款|待支付|未支付|等待付款|等待支付|unpaid|awaiting payment|pending payment", re.I)),
    ("delivered", re.compile(r"已发货|已完成|已处理|交易成功|交易完成|已发卡|已发放|已收货|已确认收货|发货成功|已签收|待收货|待确认收货|待评价|已到账|充值成功"
                             r"|completed|delivered|fulfilled|complete\b", re.I)),
    ("closed", re.compile(r"구매취소됨|거래취소|취소완료|отменён|отменен", re.I)),
    ("delivered", re.compile(r"거래완료|인수완료|인수확인완료|выдан|доставлен|получен", re.I)),
    ("paid", re.compile(r"결제완료|인계대기|전달대기|оплачен", re.I)),
    # fr, pt, pl, id, vi, th, ja
    ("unpaid", re.compile(r"en attente de paiement|aguardando pagamento|pagamento pendente|oczekuje na płatność|menunggu pembayaran"
                          r"|belum dibayar|chờ thanh toán|chưa thanh toán|รอชำระเงิน|支払い待ち|未払い|入金待ち", re.I)),
    ("refunded", re.compile(r"rembours[ée]e?|reembolsad[oa]|zwrócono|dikembalikan|đã hoàn tiền|คืนเงินแล้ว|返金済み", re.I)),
    ("closed", re.compile(r"annulée?|cancelad[oa]|anulowan[eya]|dibatalkan|đã hủy|ยกเลิก|キャンセル", re.I)),
    ("delivered", re.compile(r"livrée?|expédiée?|terminée?|concluíd[oa]|entregue|finalizad[oa]|zrealizowan[eya]|dostarczon[eya]"
                             r"|selesai|terkirim|hoàn thành|đã giao|สำเร็จ|จัดส่งแล้ว|発送済み|配信済み|(?:取引|発送|配信|受取)完了", re.I)),
    ("paid", re.compile(r"paiement accepté|pagamento aprovado|opłacon[eya]|diproses|dibayar|đã thanh toán|ชำระเงินแล้ว|支払い済み|支払い完了"
                        r"|決済完了|入金済み|em processamento|w realizacji|en cours", re.I)),
    ("paid", re.compile(r"已付款|已支付|支付成功|付款成功|待发货|待交付|等待(?:卖家|商家)?(?:发货|交付)|待处理|处理中|交易中|发货中|进行中|代练中|服务中|paid|delivering|processing|awaiting delivery",
                        re.I)),
]
_PAYMENT = [
    ("other", re.compile(r"人工|个人收款|收款码|手动转账|manual|超商|便利店|代码缴费|atm|汇款|银行转账|bank transfer|wire transfer", re.I)),
    ("alipay", re.compile(r"支付宝|alipay", re.I)), ("wechat", re.compile(r"微信|wechat|wxpay|weixin", re.I)),
    ("qqpay", re.compile(r"qq钱包|qqpay|qq支付", re.I)), ("usdt", re.compile(r"usdt|trc-?20|erc-?20|tether", re.I)),
    ("other", re.compile(r"crypto|比特币|btc|bitcoin|litecoin|ltc|ethereum|\beth\b|加密货币|数字货币", re.I)),
    ("paypal", re.compile(r"paypal", re.I)), ("balance", re.compile(r"余额|balance|wallet|钱包", re.I)),
    ("balance", re.compile(r"마일리지|예치금|баланс", re.I)),
    ("other", re.compile(r"сбп|система быстрых платежей|계좌이체|무통장", re.I)),
    ("card", re.compile(r"visa|master\s*card|信用卡|银行卡|借记卡|credit|debit|card|amex|银联|карта|카드|carte|cartão|karta|kartu"
                        r"|thẻ visa|クレジットカード|デビットカード|บัตรเครดิต", re.I)),
    # local wallets and instant transfers (Pix, BLIK, MoMo, ZaloPay, DANA, OVO, GoPay, PromptPay, コンビニ払い): other
    ("other", re.compile(r"\bpix\b|\bblik\b|przelewy24|momo|zalopay|\bdana\b|\bovo\b|gopay|shopeepay|qris|promptpay|truemoney"
                         r"|boleto|virtual account|コンビニ|銀行振込|paypay|chuyển khoản|internet banking", re.I)),
    # a payment that names no method of the contract's list (a marketplace's own pay, 在线支付): other
    ("other", re.compile(r"在线支付|网上支付|网银|京东支付|云闪付|抖音支付|多多支付|美团支付|apple\s*pay|google\s*pay|online payment", re.I)),
]
_ROLE_ORDER = ("ordered", "paid", "delivered")
_ORDER_WORD = re.compile(r"订单|order|№|commande|pedido|pesanan|zam\wwieni|\w\wn h\wng|注文", re.I)  # (zamówienie, đơn hàng: their
# cased letters other than ASCII as \w, so the word stays a search without case over the page's lower-cased copy)  # (№: a Russian "Заказ № 93021774")
_ORDER_WORD_LOW = without_case(_ORDER_WORD)  # (over the lower-cased copy: the same spans without re.I)
_ORDER_SENTENCE = re.compile(r"(?:订单|order|заказ|(?:référence de |numéro de )?commande|pedido|pesanan|zamówienie|đơn hàng)\s*"
                             r"(?:号|编号|no\.?|number|id|№|n[º°o]\.?|nr\.?)?\s*(?:[#:：]\s*|\s+)"
                             r"(?P<no>[A-Za-z0-9][A-Za-z0-9_-]{2,47})(?![A-Za-z0-9_-])", re.I)  # (short ones: only when the URL names them)
_NUMBER_AND_STATUS = re.compile(r"^(?P<no>(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9_-]{7,40})\s+"
                                r"(?P<status>[^\s\d].{1,12})$")
# a labelled amount's value starts with its money ("71.30€", "€30.40 EUR", "¥ 52.50 (含手续费)"); a table's
# "Total" header beside the row's item name ("Microsoft Office 2021 …") holds no amount
# an order's step and its time in the sentence that names the order ("… оплачен 06.12.2026 в 23:48:05", "… paid on 7 Dec 2026, 08:14")
_EVENT_IN_SENTENCE = re.compile(r"(?<!\w)(?P<label>оплачен|оформлен|paid(?: on| at)?|placed(?: on| at)?|delivered(?: on| at)?)\s+(?=\d)",
                                re.I)
_AMOUNT_START = re.compile(r"\s*[-+]?\s*(?:[A-Za-z]{0,3}\s?[$¥￥€£₽₩฿₫]|Rp\.?|RMB|CNY|USD|EUR|GBP|HKD|TWD|RUB|KRW|JPY|PLN|IDR|VND|THB|人民币)?\s*[\d０-９]",
                           re.I)
# a trade's completion, which is its delivery only when no other delivery time is shown
_COMPLETION = re.compile(r"(?:交易|订单)?完成(?:时间|日期)|(?:order)?completed(?:at|on)?|completiontime", re.I)
_BADGE = re.compile(r"badge|tag|label|pill|chip|state|status|stamp|result", re.I)
_CLOCK_LABEL = re.compile(r"当前|服务器|系统时间|北京时间|server|current|工作|营业|客服|在线")  # clocks, opening hours


@dataclass
class Focus:
    order_no: str | None
    start: int = 0
    end: int = 10 ** 9
    record: dict = field(default_factory=dict)  # the focused row of an order table: header → cell text
    several: bool = False
    other_rows: list = field(default_factory=list)  # table rows of orders not in focus


def hidden(el) -> bool:
    """True when ``el`` or an ancestor is not rendered (script, template, display:none, [hidden])."""
    return hidden_within(el)


def order_token(value: str | None) -> str | None:
    """The order number in a label's value: a token of 6+ letters/digits with at least three digits."""
    for m in _ORDER_TOKEN.finditer(value or ""):
        token = m.group(1)
        if sum(ch.isdigit() for ch in token) >= 3 and not _ISO_DATE.fullmatch(token):
            return token
    return None


def _url_order_id(token: str, url: str) -> bool:
    """A short order id with fewer than three digits ("QHZ7M2KD") counts when the page's own address
    names it as a path segment or query value, the way marketplaces address an order page."""
    if token.isdigit() and len(token) >= 3:  # a shop's short order number (WooCommerce: "Order #48213" at /order-received/48213/,
        # OpenCart "Order ID: #10482" at ?route=account/order/info&order_id=10482, WHMCS viewinvoice.php?id=27193)
        return re.search(r"/" + token + r"(?:[/?&#]|$)|[?&](?:order_?id|order_?no|invoice_?id|id)=" + token + r"(?:[&#]|$)",
                         url or "", re.I) is not None
    if len(token) < 6 or not any(ch.isdigit() for ch in token) or not any(ch.isalpha() for ch in token):
        return False
    return re.search(r"[/=]" + re.escape(token) + r"(?:[/?&#]|$)", url or "") is not None


def focus(site) -> Focus | None:
    """The order this page is about, None when it shows none; ``several`` with no number when it
    lists several orders and none is in focus."""
    return site.cached("focus", lambda: _focus(site))


def _focus(site) -> Focus | None:
    doc = site.doc
    found = []  # (order number, line)
    for pattern in (L.ORDER_NO, L.TRADE_NO):
        for pair in doc.find_all(pattern):
            token = order_token(pair.value)
            if not token and (short := _SHORT_NO.fullmatch(pair.value)) and _url_order_id(short.group(1), doc.url):
                token = short.group(1)
            if not token and _REFERENCE_LABEL.fullmatch(pair.label) and (ref := _LETTER_REFERENCE.match(pair.value)):
                token = ref.group(1)  # PrestaShop's "Référence de commande ZQKXBHMTW": a reference of capitals alone
            if token:
                found.append((token, pair.line))
        if found:
            break  # a payment serial beside the order number is the same order
    if not found:  # an order number with only its status beside it ("MK20261203C7Q2 已发货" heading a lookup result)
        for line in doc.lines[:3000]:
            m = _NUMBER_AND_STATUS.match(line.norm) if len(line.text) <= 48 else None
            if m and map_status(m.group("status")) and sum(ch.isdigit() for ch in m.group("no")) >= 4:
                found.append((line.text[m.start("no"):m.end("no")], line.index))
    if not found:  # an order named in a sentence: "订单#XC2026… 已支付", "Order #EK-8812 has been delivered"
        low, starts = doc.low, doc.starts  # (the line's lower-cased copy is a span of the page's)
        for line in doc.lines[:3000]:
            if len(line.text) <= 120 and (
                    _ORDER_WORD.search(line.norm) if _ORDER_WORD_LOW is None
                    else _ORDER_WORD_LOW.search(low, starts[line.index], starts[line.index + 1] - 1)):
                m = _ORDER_SENTENCE.search(line.norm)
                token = order_token(line.text[m.start("no"):m.end("no")]) if m else None
                if m and not token and _url_order_id(line.text[m.start("no"):m.end("no")], doc.url):
                    token = line.text[m.start("no"):m.end("no")]  # "Order #QHZ7M2KD" at /orders/QHZ7M2KD/
                if token:
                    found.append((token, line.index))
    hint = site.order_no_hint() if hasattr(site, "order_no_hint") else None
    rows = []  # (order number, tr, record)
    for table in doc.tables:
        cols = [i for i, h in enumerate(table.header) if L.ORDER_NO.fullmatch(fold(_SPACES.sub("", h)).lower())]
        if not cols:
            continue
        for tr, cells in table.rows:
            record = {fold(_SPACES.sub("", h)).lower(): squash(visible_text(c)) for h, c in zip(table.header, cells, strict=False)}
            token = order_token(squash(visible_text(cells[cols[0]])))
            if token:
                rows.append((token, tr, record))
    rows += [(token, el, {}) for token, el in site.order_entries()]  # blocks a site module knows
    distinct = list(dict.fromkeys([t for t, _ in found] + [t for t, _, _ in rows] + ([hint] if hint else [])))
    if not distinct:
        return None
    if len(distinct) == 1:
        chosen = distinct[0]
    else:
        in_url = [t for t in distinct if t in doc.url]
        marked = [t for t, tr, _ in rows if _FOCUS_ROW.search((tr.get("class") or "").lower())]
        chosen = in_url[0] if len(in_url) == 1 else marked[0] if len(marked) == 1 else None
        if chosen is None:
            return Focus(None, several=True, other_rows=[tr for _, tr, _ in rows])
    result = Focus(chosen, several=len(distinct) > 1, other_rows=[tr for t, tr, _ in rows if t != chosen])
    record = next((rec for t, _, rec in rows if t == chosen), None)
    if record:
        result.record = record
        if len(distinct) == 1:  # the same order's payment table below its row (支付时间 | 支付类型 | 支付状态), one row
            for table in doc.tables:
                heads = [fold(_SPACES.sub("", h)).lower() for h in table.header]
                if len(table.rows) == 1 and not any(L.ORDER_NO.fullmatch(h) for h in heads) and any(
                        L.PAYMENT.fullmatch(h) for h in heads):
                    cells = table.rows[0][1]
                    for h, c in zip(heads, cells, strict=False):
                        result.record.setdefault(h, squash(visible_text(c, " ")))
    entry = next((el for t, el, _ in rows if t == chosen and el.tag != "tr"), None)
    if entry is not None and result.several:  # the focused block of a list: its lines are the scope
        inside = [line.index for line in doc.lines if line.el is not None and _within(line.el, entry)]
        if inside:
            result.start, result.end = inside[0], inside[-1] + 1
            return result
    numbered = sorted(line for t, line in found)
    own = [line for t, line in found if t == chosen]
    if own and len({t for t, _ in found}) > 1:
        result.start = own[0]
        later = [line for line in numbered if line > own[0] and (line not in own)]
        result.end = later[0] if later else 10 ** 9
    return result


def _within(el, container) -> bool:
    for _ in range(40):
        if el is None:
            return False
        if el is container:
            return True
        el = el.getparent()
    return False


def _quantity(value: str | None) -> int | None:
    """A quantity value ("2", "x 2", "×２件"); "1 种商品" counts kinds of goods, not pieces."""
    if not value or re.match(r"\s*[x×*]?\s*\d+\s*(?:种|类|款|kinds?|types?|items? in)", fold(value), re.I):
        return None
    return to_int(value)


# a count after a price ("¥98.50 ×1", "14.8元 15.8元 × 1份") or a sum of pieces ("共2件商品 合计：￥185.00")
_PRICED_QTY = re.compile(r"(?:[¥￥$€£]\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:元|€|£))\s*[x×✕*]\s*(\d{1,4})\s*(?:份|件|个|张|pcs?)?\s*$"
                         r"|^共\s*(\d{1,4})\s*件(?:商品|宝贝)?\b", re.I)


_BARE_DATE = {"date", "日期", "时间", "datum", "fecha", "дата"}
_COUNT_ALONE = re.compile(r"\s*[x×✕*]\s*(\d{1,4})\s*", re.I)


def _priced_quantity(site, fc: Focus) -> int | None:
    """The quantity a price line of the one order in focus carries, when no label names it."""
    if fc.several or not fc.order_no:
        return None
    found = set()
    lines = site.doc.lines
    for line in lines[fc.start:min(fc.end, fc.start + 400)]:
        if len(line.norm) <= 60 and ("×" in line.norm or "x" in line.norm or "*" in line.norm or "共" in line.norm):
            m = _PRICED_QTY.search(line.norm)
            if m:
                found.add(int(m.group(1) or m.group(2)))
            elif (m := _COUNT_ALONE.fullmatch(line.norm)) and line.index and _money_only(lines[line.index - 1].norm):
                found.add(int(m.group(1)))  # a goods card's price and, on the next line, its count ("¥148.00" / "x1")
    return found.pop() if len(found) == 1 else None


def _find_all(site, pattern, fc: Focus):
    return [pair for pair in site.doc.find_all(pattern) if fc.start <= pair.line < fc.end]


def _find(site, pattern, fc: Focus):
    for pair in site.doc.find_all(pattern):
        if fc.start <= pair.line < fc.end:
            return pair
    return None


def _record(fc: Focus, pattern):
    for header, value in fc.record.items():
        if pattern.fullmatch(header):
            return value
    return None


def map_status(text: str | None) -> str | None:
    """A status text (已完成, Delivering, 待付款…) as the contract's ``order.status``."""
    if not text:
        return None
    text = fold(text)  # 已發貨 is 已发货
    for status, pattern in _STATUS:
        if pattern.search(text):
            return status
    return None


def map_payment(text: str | None) -> str | None:
    """A payment method text (支付宝当面付, Visa •••• 4242, 人工收款…) as ``order.payment_method``."""
    if not text:
        return None
    text = fold(text)  # 支付寶 is 支付宝
    for method, pattern in _PAYMENT:
        if pattern.search(text):
            return method
    return None


def chosen_payment(site) -> str | None:
    """The payment method whose radio is checked among a checkout's methods (Magento's payment[method],
    pay_type …): the listed first is not the one chosen. Its label's text, else its value, names it."""
    root = site.doc.root
    if root is None:
        return None
    for el in root.iter("input"):
        if (el.get("type") or "").lower() != "radio" or el.get("checked") is None:
            continue
        if not re.search(r"pay", " ".join(el.get(a) or "" for a in ("name", "id", "class")), re.I):
            continue
        label = el.getparent() if el.getparent() is not None and el.getparent().tag == "label" else None
        if label is None and el.get("id"):
            label = next((lab for lab in root.iter("label") if lab.get("for") == el.get("id")), None)
        text = squash(visible_text(label)) if label is not None else ""
        method = map_payment(text) or map_payment((el.get("value") or "").replace("_", " "))
        if method:
            return method
    return None


def order(site, kind: str) -> Order:
    """The focused order's fields on order, checkout and chat pages; empty otherwise."""
    fc = focus(site)
    if kind == "checkout" and fc is None:
        fc = Focus(None)  # an order being confirmed before it has a number: the page is about it
    elif kind == "order" and fc is None and site.doc.find(L.CODES) is not None:
        fc = Focus(None)  # a lookup result showing one order's codes, its number only in the search box
    elif kind not in ("order", "checkout", "chat") or fc is None or fc.order_no is None:
        return Order()
    result = Order(order_no=fc.order_no)
    cur = site.currency or "CNY"
    result.amount = None
    for pattern in (L.PAID_FINAL, L.AMOUNT_PAID, L.AMOUNT_ORDER):  # 实付款 before 商品总价 before 金额
        result.amount = next((m for m in (parse_money(p.value, cur) for p in _find_all(site, pattern, fc)
                                          if _AMOUNT_START.match(p.value)) if m), None)
        if result.amount is not None:
            break
    if result.amount is None:
        result.amount = parse_money(_record(fc, L.AMOUNT_PAID) or _record(fc, L.AMOUNT_ORDER), cur)
    if result.amount is None and not fc.several:  # a cashier's amount shown alone (<div class="amount">￥52.50</div>)
        result.amount = next((parse_money(t, cur) for el in site.doc.with_class("amount", "money", "pay-price", "total")
                              if _AMOUNT_BOX.search(el.get("class") or "") and not hidden(el)
                              and _money_only(t := squash(visible_text(el, " "))) and any(ch.isdigit() for ch in t)), None)
    if result.amount is None and not fc.several:
        result.amount = _goods_table_total(site, cur)
    result.quantity = next((q for q in (_quantity(p.value) for p in _find_all(site, L.QUANTITY, fc)) if q is not None), None)
    if result.quantity is None:  # (a header cell beside another is no value: the row has it)
        result.quantity = to_int(_record(fc, L.QUANTITY))
    if result.quantity is None:
        item = ordered_items(site)
        if len(item) == 1:
            result.quantity = to_int(_pick(item[0], L.QUANTITY) or item[0].get("#quantity"))
    if result.quantity is None:
        block = item_block(site)
        if block and len(block.names) == 1:
            result.quantity = block.quantity
    if result.quantity is None:
        result.quantity = _priced_quantity(site, fc)
    result.payment_method = chosen_payment(site) if kind == "checkout" else None
    if result.payment_method is None:
        result.payment_method = next((m for m in (map_payment(p.value) for p in _find_all(site, L.PAYMENT, fc)) if m), None)
    if result.payment_method is None:
        result.payment_method = map_payment(_record(fc, L.PAYMENT))
    if result.payment_method is None and kind in ("checkout", "order"):  # a cashier headed by its method (<h1>微信支付</h1>)
        result.payment_method = next((m for h in site.headings()[:3] if len(h) <= 12 and (m := map_payment(h))
                                      in ("alipay", "wechat", "qqpay", "paypal", "usdt")), None)
    if result.payment_method is None:  # paid in a token ("实付 12.4132 USDT (TRC20)"): the token is the method;
        # the site's balance named beside the amount ("64,000원 (마일리지 결제)", "¥30.00（余额支付）") is too
        result.payment_method = next((m for m in (map_payment(p.value) for pattern in (L.PAID_FINAL, L.AMOUNT_PAID)
                                                  for p in _find_all(site, pattern, fc)) if m in ("usdt", "balance")), None)
    result.item = ordered_item_name(site, fc)
    result.card_codes = card_codes(site, fc) if kind == "order" else []
    found = {map_status(p.value) for p in site.doc.find_all(L.STATUS) if fc.start <= p.line < fc.end} - {None}
    # several status lines (支付状态 / 发货状态): the furthest along wins
    status = next((s for s in ("refunded", "disputed", "closed", "delivered", "paid", "unpaid") if s in found), None)
    status = status or map_status(_record(fc, L.STATUS)) or site.status_hint() or badge_status(site, fc)
    if result.card_codes and status in (None, "paid"):
        status = "delivered"
    if kind == "checkout" and status is None:
        status = "unpaid"
    result.status = status
    # (one code beside each name says nothing of how many were bought; nor does one code alone: a licence key
    # on a receipt, the one revealed key of a bundle whose others wait behind "Reveal" buttons)
    if result.quantity is None and len(result.card_codes) >= 2 and kind == "order" and fc.order_no and not site.cached(
            "codes_beside_names", lambda: False):
        result.quantity = len(result.card_codes)
    return result


# a goods table's column that holds what the row comes to (商品 | 单价 | 数量 | 小计), not its unit price
_TOTAL_COLUMN = re.compile(r"小计|合计|总计|总价|总额|subtotal|total|linetotal|itemtotal|rowtotal|sum")


def _goods_table_total(site, cur: str):
    """The total in a goods table's total column (小计, 实付金额, 合计, 金额, Subtotal, Total) when the table
    holds one goods row: that row's total is the order's. With several rows each row's total is only
    its own; a unit price column (单价, Price) is never a total."""
    items = ordered_items(site)
    if len(items) != 1:
        return None
    record = items[0]
    for pattern in (L.PAID_FINAL, L.AMOUNT_PAID, L.AMOUNT_ORDER, _TOTAL_COLUMN):
        for head, value in record.items():
            if head.startswith("#") or not pattern.fullmatch(head) or L.UNIT_PRICE.fullmatch(head) or L.PRICE.fullmatch(head):
                continue
            if value and _AMOUNT_START.match(value) and (money := parse_money(value, cur)):
                return money
    return None


def badge_status(site, fc: Focus) -> str | None:
    """A status shown as a badge (``<span class="badge">已支付</span>``) or in the sentence that names
    the order ("订单#XC2026… 已支付"); tabs of a status filter (全部 / 待付款 / 已完成) are not one."""
    doc = site.doc
    end = min(fc.end, len(doc.lines))
    for line in doc.lines[fc.start:end][:400]:
        text = _BADGE_MARKS.sub("", line.norm).strip()
        if not text or len(text) > 10 or line.el is None:
            continue
        status = map_status(text)
        if status is None or line.el.tag in ("a", "button", "option", "li"):
            continue
        badge = any(_BADGE.search((anc.get("class") or "") + " " + (anc.get("id") or ""))
                    for anc in doc.ancestors(line.el, 3) if isinstance(anc.tag, str))
        parent = line.el.getparent()
        tabs = parent is not None and sum(1 for c in parent if isinstance(c.tag, str) and map_status(
            visible_text(c)[:12])) >= 3
        if badge and not tabs:
            return status
    if fc.order_no:
        for line in doc.lines[fc.start:end][:400]:
            if fc.order_no in line.text and len(line.text) <= 80:
                rest = line.norm.replace(fc.order_no, " ")
                status = map_status(rest) if not _COLON.search(rest) else None
                if status:
                    return status
        return _status_banner(site, fc) or _tag_status(site, fc) or _step_status(site, fc)
    return _tag_status(site, fc)


_STEP_DONE = re.compile(r"(?:^|[\s_-])(?:done|finish(?:ed)?|completed?|passed|is-finish|is-success)(?:$|[\s_-])", re.I)
_STEP_NOW = re.compile(r"(?:^|[\s_-])(?:on|active|current|is-process|is-active|doing)(?:$|[\s_-])", re.I)


def _step_status(site, fc: Focus) -> str | None:
    """The current step of an order's progress bar (<li class="done">결제완료</li><li class="on">인계대기</li>):
    the step after the done ones, marked as current; filter tabs have no done steps before theirs."""
    if fc.several or not fc.order_no:
        return None
    for el in site.doc.with_class("on", "active", "current", "is-process", "doing"):
        parent = el.getparent()
        if parent is None or not _STEP_NOW.search(el.get("class") or "") or hidden(el):
            continue
        before = [c for c in el.itersiblings(preceding=True) if isinstance(c.tag, str) and c.tag == el.tag]
        if not before or not all(_STEP_DONE.search(c.get("class") or "") for c in before):
            continue
        text = squash(visible_text(el))
        status = map_status(text) if len(text) <= 12 else None
        if status:
            return status
    return None


def _tag_status(site, fc: Focus) -> str | None:
    """A status tag inside a longer line ("实付：¥1,416.80 <span class="el-tag">待确认收货</span>"), the last resort."""
    if fc.several:
        return None
    for el in site.doc.with_class("tag", "badge", "pill"):
        text = _BADGE_MARKS.sub("", squash(visible_text(el, " "))).strip()
        if text and len(text) <= 10 and el.tag in ("span", "em", "i", "b", "div", "label") and _BADGE.search(
                el.get("class") or "") and (status := map_status(text)) and _STATUS_WORDS.fullmatch(text) and not hidden(el):
            parent = el.getparent()
            if parent is None or sum(1 for c in parent if isinstance(c.tag, str) and map_status(visible_text(c, " ")[:12])) < 3:
                return status
    return None


def _status_banner(site, fc: Focus) -> str | None:
    """A status heading the order alone on its line ("充值成功", <h1>支付成功</h1>) a few lines above the
    line with the order's number, as H5 order pages and result pages show it (not a link or a tab)."""
    lines = site.doc.lines
    at = next((line.index for line in lines[fc.start:fc.start + 400] if fc.order_no in line.text), None)
    if at is None or fc.several:
        return None
    for line in lines[max(fc.start, at - 12):at]:
        text = _BADGE_MARKS.sub("", line.norm).strip()
        if not text or len(text) > 8 or line.el is None or line.el.tag in ("a", "button", "option", "li", "td", "th"):
            continue
        status = map_status(text)
        if status and _STATUS_WORDS.fullmatch(text):
            parent = line.el.getparent()
            if parent is None or sum(1 for c in parent if isinstance(c.tag, str) and map_status(visible_text(c)[:12])) < 3:
                return status
    return None


_STATUS_WORDS = re.compile("|".join(f"(?:{p.pattern})" for _, p in _STATUS), re.I)  # a line that is a status and nothing else


def card_codes(site, fc: Focus) -> list[str]:
    """Delivered codes: after a 卡密/Your keys label, in textareas and in code-like containers."""
    doc = site.doc
    # (the page's own access token in its address, ?uniquecode=A7F3C19E0B2D4E58, opens the page: no delivered code)
    exclude = {fc.order_no, *(str(v) for v in doc.query.values())}
    codes: list[str] = []

    def take(lines, urls=False, digits=True):
        got = False
        for line in lines:
            for piece in _CODE_SPLIT.split(line):
                piece = _CODE_LABEL.sub("", piece.strip()).strip()
                found = [piece] if code_like(piece) or urls and _INVITE.fullmatch(piece) else _decorated_codes(piece)
                for code in found:
                    if not digits and code.isdigit():
                        continue  # a <code> number (a QQ, an amount) is not a delivered code
                    if code not in exclude and code not in codes:
                        codes.append(code)
                        got = True
        return got

    for pair in doc.find_all(L.CODES):
        if not fc.start <= pair.line < fc.end:
            continue
        start = pair.line + 1
        if code_like(pair.value.strip()):
            codes.append(pair.value.strip()) if pair.value.strip() not in codes else None
        notes = 0
        for line in doc.lines[start:min(start + 60, fc.end)]:
            if "----" in line.text and code_like(line.text):  # an account line with spaces in it
                if line.text not in codes and line.text not in exclude:
                    codes.append(line.text)
                continue
            pieces = line.text.split()  # codes shown one per line inside one block end up space-joined
            if pieces and all(code_like(p) for p in pieces):
                codes.extend(p for p in pieces if p not in codes and p not in exclude)
            elif not codes and notes < 3 and _CODE_NOTE.search(line.norm):
                notes += 1  # "共 1 条，请妥善保存", "一键复制全部卡密" between the heading and the codes
            elif codes or len(line.text) > 6:
                break
    for cell in _code_cells(site, fc):  # every row of a codes table (# | 儲值序號 | 面額), not only the first
        take(doc.element_text(cell))
    for line in doc.lines[fc.start:min(fc.end, len(doc.lines))]:  # a key after its item's name on one line
        m = _TRAILING_KEY.search(line.text) if "-" in line.text and (
            line.el is None or line.el.tag != "textarea") else None  # (every such key holds dashes; a textarea is read below)
        if m and m.group(1) not in codes and m.group(1) not in exclude:
            codes.append(m.group(1))
            site._cache["codes_beside_names"] = True
    if not fc.several and doc.root is not None:
        for el in doc.root.iter("input") if "readonly" in doc.raw else ():  # a key in a read-only field beside a copy button
            if el.get("readonly") is not None and (el.get("type") or "text").lower() == "text" and not hidden(el):
                take([(el.get("value") or "").strip()])
        boxes = list(doc.root.iter("textarea", "code")) + doc.with_class(
            "km", "kami", "cdk", "card", "code", "key", "copy", "secret", "license", "deliver", "Card", "Code", "Key")
        for el in boxes:
            if el.tag in ("textarea", "code") or _CODE_BOX.search((el.get("class") or "") + " " + (el.get("id") or "")):
                if hidden(el):
                    continue
                lines = (el.text or "").splitlines() if el.tag == "textarea" else doc.element_text(el)
                take(lines, urls=el.tag in ("code", "textarea") or "code" in (el.get("class") or "").lower(),
                     digits=el.tag != "code")
    return codes


# a table column of delivered codes: a codes word (卡密, 序号, Key, Code …), alone or after what the code is
# for (儲值序號, 充值卡密, Activation Key, Gift Code); not a column of their dates (序號到期日) or of orders
_CODE_COLUMN = re.compile(r"(?:储值|充值|激活|兑换|点数|礼品|游戏|activation|product|game|gift|redeem|redemption|voucher|card|pin"
                          r"|steam|license|licence|serial)?(?:" + L.CODES.pattern + r")", re.I)


def _code_cells(site, fc: Focus) -> list:
    """The cells of the codes columns of header tables, in the rows of the order in focus: a table with
    an order number column gives only that order's row; a table outside the focused order's lines none."""
    doc = site.doc
    cells = []
    first_line = None
    for table in doc.tables:
        heads = [fold(_SPACES.sub("", h)).lower().rstrip(":：") for h in table.header]
        cols = [i for i, h in enumerate(heads) if _CODE_COLUMN.fullmatch(h) and not L.ORDER_NO.fullmatch(h)]
        if not cols or table.el is None:
            continue
        if first_line is None:  # each element's first line, made only when a page has a codes table
            first_line = {}
            for line in doc.lines:
                if line.el is not None:
                    first_line.setdefault(line.el, line.index)
        at = min((first_line[el] for el in table.el.iter() if el in first_line), default=None)
        if at is None or not fc.start <= at < fc.end:
            continue
        order_col = next((i for i, h in enumerate(heads) if L.ORDER_NO.fullmatch(h)), None)
        for tr, row in table.rows:
            if tr in fc.other_rows:
                continue
            if order_col is not None and order_token(squash(visible_text(row[order_col]))) != fc.order_no:
                continue  # another order's row
            cells.extend(row[i] for i in cols)
    return cells


# a line between the codes' heading and the codes: a count, a "keep them safe", or the line announcing them
# (账号资料如下（账号----密码）：, "Your account details are as follows:")
_CODE_NOTE = re.compile(r"共\s*\d+\s*[条个张]|妥善保存|请保存|请及时|复制|如下|copy (?:all|them)|save (?:them|your)|keep (?:them|it) safe"
                        r"|as follows|(?:listed|shown) below", re.I)
_TRAILING_KEY = re.compile(r"\S\s+([A-Z0-9]{4,}(?:-[A-Z0-9]{4,}){2,})$")
# a code delivered as an invitation or redemption link, inside a code box
_INVITE = re.compile(r"https?://[^\s]+/[A-Za-z0-9_-]*[A-Za-z0-9]{8,}[^\s]*")
_CODE_LABEL = re.compile(r"^(?:卡号|卡密|密码|账号|帐号|激活码|兑换码|充值码|序列号|cdk(?:ey)?|key|code|serial|license|pin|код|ключ|코드|키)"
                         r"\s*#?\d{0,3}\s*[:：]\s*", re.I)  # (numbered: "Key 1:", "Код 2:")
_DECORATION = re.compile(r"\d{1,3}[.、)]?|#\d{1,3}|复制|点击复制|一键复制|copy|copied", re.I)


def _decorated_codes(piece: str) -> list[str]:
    """The codes of a list entry that numbers them or carries a copy button ("1 JYQM-8F2K-D7XW 复制")."""
    tokens = piece.split()
    if len(tokens) < 2:
        return []
    found = [t for t in tokens if code_like(t)]
    if found and all(code_like(t) or _DECORATION.fullmatch(t) for t in tokens):
        return found
    return []


def code_like(text: str) -> bool:
    """A delivered card code or account line: printable ASCII, no spaces, digits or dashed groups; an
    account line joined by ---- may hold spaces ("+1 (478) 305-2917----name@gmail.com----pass")."""
    if text and "----" in text and len(text) <= 300 and text.isascii() and not text.isspace() \
            and len([p for p in text.split("----") if p.strip()]) >= 2:
        return True
    if not text or not _CODE.match(text):
        return False
    if _EMAIL_LIKE.fullmatch(text) or "://" in text or text.lower().startswith("www."):
        return False
    if _DATE_LIKE.fullmatch(text) and sum(ch.isdigit() for ch in text) < 10:
        return False
    if _NUMBER_LIKE.fullmatch(text):
        return sum(ch.isdigit() for ch in text) >= 10
    has_digit = any(ch.isdigit() for ch in text)
    has_alpha = any(ch.isalpha() for ch in text)
    if has_digit and has_alpha:
        return len(text) >= 8 or "-" in text
    return bool(_DASHED_KEY.fullmatch(text)) or "----" in text


def ordered_items(site) -> list[dict]:
    """Rows of an item table (商品/Item column) on an order page: header → cell text (first line)."""
    def build():
        out = []
        for table in site.doc.tables:
            heads = [fold(_SPACES.sub("", h)).lower() for h in table.header]
            if not any(L.ITEM_NAME.fullmatch(h) for h in heads) and any(
                    L.QUANTITY.fullmatch(h) or L.PRICE.fullmatch(h) or L.UNIT_PRICE.fullmatch(h) or h == "amount" for h in heads):
                # an invoice's "Description | Quantity | Price" (WHMCS: "Description | Amount"): the description
                # column names the item
                heads = ["item" if _DESCRIPTION_HEAD.fullmatch(h) else h for h in heads]
            if not any(L.ITEM_NAME.fullmatch(h) for h in heads) or any(L.ORDER_NO.fullmatch(h) for h in heads):
                continue
            if len(heads) == 2 and any(L.CODES.fullmatch(h) for h in heads):
                continue  # a keys table (Produit | Clé: one row per key) lists the codes, not the items bought
            rows = []
            for _tr, cells in table.rows:
                rec = {}
                for h, cell in zip(heads, cells, strict=False):
                    lines = site.doc.element_text(cell)
                    rec[h] = lines[0] if lines else ""
                    if L.ITEM_NAME.fullmatch(h) and lines and (m := _QTY_SUFFIX.search(lines[0])):
                        rec["#quantity"] = re.sub(r"\D", "", m.group())  # "Name <strong>× 1</strong>" in the name's cell
                name = fold(_SPACES.sub("", _pick(rec, L.ITEM_NAME) or "")).lower().rstrip(":：")
                if name and (L.AMOUNT_PAID.fullmatch(name) or L.AMOUNT_ORDER.fullmatch(name) or _TOTAL_ROW.fullmatch(name)):
                    continue  # an invoice's total rows under its items (Sub Total, Credit, Total) are no items
                rows.append(rec)
            out.extend(rows)
        return out
    return site.cached("items", build)


_TOTAL_ROW = re.compile(r"credit|balance|discount|tax|vat|shipping|合计|小计|总计|优惠|运费")
_DESCRIPTION_HEAD = re.compile(r"(?:item|product)?description|商品描述|描述|name")  # (beside a price or quantity column)


def _pick(rec: dict, pattern) -> str | None:
    for key, value in rec.items():
        if pattern.fullmatch(key):
            return value
    return None


# a line of facts parted by middle dots or bars, each a label and its date-time
_SEGMENT_MARK = re.compile(r"\s[·|•｜]\s")
_SEGMENT_SPLIT = re.compile(r"\s+[·|•｜]\s+")
_SEGMENT_TIME = re.compile(r"\s*([A-Za-z][A-Za-z ]{2,20}?|[\u4e00-\u9fff]{2,6}(?:时间|日期)?)\s*[:：]?\s+(?=[A-Za-z]{3,9}\.?\s+\d|\d)")
_AMOUNT_BOX = re.compile(r"(?:^|[\s_-])(?:amount|money|pay-price|total-amount|pay-amount)(?:$|[\s_-])", re.I)
_LINE_TOTAL = re.compile(r"total|小计|金额|subtotal|linetotal", re.I)
_QTY_SUFFIX = re.compile(r"\s*(?:[x×*✕]\s*\d+|[（(]\s*[x×*✕]?\s*\d+\s*(?:件|个|张|份)?\s*[)）])\s*$", re.I)


# a price after the name ("× 1 €39.99"): with cents, so a denomination in the name (HK$100, 25 EUR) stays
_PRICE_SUFFIX = re.compile(r"\s+(?:[A-Z]{0,3}[$¥￥€£]\s*\d[\d.,]*[.,]\d{2}|\d[\d.,]*[.,]\d{2}\s*(?:元|€|£))\s*$")


def item_name(text: str | None) -> str | None:
    """An item name as the page shows it, without a trailing price and quantity (" × 1 €39.99", " x 3")."""
    name = _PRICE_SUFFIX.sub("", squash(text or ""))
    name = _QTY_SUFFIX.sub("", name).strip()
    return name or None


def ordered_item_name(site, fc: Focus) -> str | None:
    """``order.item``: the focused order's item name (订单名称, 商品名称, Item, the one row of an
    items table); the first item's name when several are listed (page-facts.md, version 2)."""
    items = ordered_items(site)
    for rec in items:
        name = item_name(_pick(rec, L.ITEM_NAME))
        if name:
            return name
    pair = _find(site, L.ITEM_NAME, fc)
    if pair is None and fc.several:
        return None  # a list's other entries name other orders' items
    pair = pair or site.doc.find(L.ITEM_NAME)
    name = item_name(pair.value) if pair else None
    if name is not None and (_money_only(name) or re.fullmatch(r"[\d\s,.×x*]+", name)):
        name = None  # "Product" over a price column, "商品" over a count
    if name is None and not fc.several:
        block = item_block(site)
        if block and block.names:
            name = block.names[0]
    if name is None:
        name = item_name(_record(fc, L.ITEM_NAME))
    if name is None and not fc.several:
        name = _item_by_class(site)
    if name is None and not fc.several and fc.order_no:
        name = _item_beside_number(site, fc) or _item_above_price(site, fc)
    return name


_BESIDE_NUMBER = re.compile(r"^(?P<name>.{2,120}?)\s+[·|｜•/]\s+(?:订单(?:号|编号)|order\s*(?:#|no\.?|number))", re.I)
# A chat's own heading names the other party, not an item ("与 老K游戏号 的对话 · 订单编号：…",
# "Chat with KeyHub · Order #…"): seller.py reads the name from it.
CHAT_WITH = re.compile(r"^(?:与|和|跟)\s*(?P<name>\S.{0,38}?)\s*的(?:对话|聊天|会话|私信)(?:记录)?$"
                       r"|^(?:chat|conversation|messages)\s+with\s+(?P<en>\S.{0,38}?)$", re.I)


def _item_beside_number(site, fc: Focus) -> str | None:
    """The item named before the order's number on one line ("ChatGPT Plus 成品号 · 订单号 AM2026…")."""
    for line in site.doc.lines[fc.start:min(fc.end, fc.start + 400)]:
        if fc.order_no in line.text and len(line.text) <= 200:
            m = _BESIDE_NUMBER.match(line.norm)
            if m and not _COLON.search(m.group("name")) and not CHAT_WITH.match(m.group("name").strip()):
                return item_name(line.text[m.start("name"):m.end("name")])
    return None


def _item_above_price(site, fc: Focus) -> str | None:
    """A goods card's name: the first line without a label above the line with the price and its count
    ("中国移动 话费充值 100元" / "面值：100元" / "¥98.50 ×1")."""
    lines = site.doc.lines
    for line in lines[fc.start:min(fc.end, fc.start + 400)]:
        if len(line.norm) <= 60 and _PRICED_QTY.search(line.norm) and ("×" in line.norm or "x" in line.norm.lower()):
            for prev in reversed(lines[max(fc.start, line.index - 3):line.index]):
                if _COLON.search(prev.norm):
                    continue
                name = item_name(prev.text)
                if name and 4 <= len(name) <= 120 and not _money_only(name) and prev.el is not None \
                        and prev.el.tag not in ("button", "option"):
                    return name
                break
            return None
    return None


# An order card's own title (``.order-card .oc-title``), beside the goods-name classes products use.
_ORDER_CARD = re.compile(r"order[-_]?(?:card|goods|items?|product|info)|oc[-_]|goods[-_]+item", re.I)  # (goods-item__title)
_NAME_CLASS = re.compile(r"(?:^|[\s_-])(?:title|name)(?:$|[\s_-])", re.I)


def _item_by_class(site) -> str | None:
    from .base import _GOODS_NAME_CLASS
    from .context import in_listing

    doc = site.doc
    for el in doc.with_class(*_GOODS_NAME_CLASS):
        if not hidden(el) and not in_listing(site, el):
            text = item_name(doc.first_text(el))
            if text and 2 <= len(text) <= 120:
                return text
    for el in doc.with_class("title", "name", "goods"):
        cls = f"{el.get('class') or ''}"
        if not (_NAME_CLASS.search(cls) or _GOODS_PART.search(cls)) or hidden(el):
            continue
        parent = el.getparent()
        if parent is not None and _ORDER_CARD.search(f"{parent.get('class') or ''} {cls}"):
            fc = focus(site)
            if fc is not None and fc.order_no and fc.order_no in visible_text(el):
                continue  # the card's title naming the order ("Pesanan #IK-2611…"), not its item
            text = item_name(doc.first_text(el))
            if text and 2 <= len(text) <= 120 and not _CARD_HEADING.fullmatch(text) and not L.ITEM_NAME.fullmatch(
                    fold(_SPACES.sub("", text)).lower()):
                return text  # (the card's own caption, 订单信息, or a column's name, 商品名稱, names no item)
    return None


_GOODS_PART = re.compile(r"(?:^|[\s_-])goods(?:$|[\s_-])", re.I)  # a card's goods row (im-order-card__goods)
_CARD_HEADING = re.compile(r"(?:订单|商品|宝贝|交易|购买)(?:信息|详情|明细|摘要)|order (?:info(?:rmation)?|details|summary)"
                           r"|(?:your )?(?:items?|products?)", re.I)


def ordered_item(site, kind: str = "order") -> Product:
    """An order page's item block holding exactly one item fills title and unit price. Labelled
    name and unit-price lines count on a checkout page, and on an order page only under an item
    heading (商品信息, Items): under 订单信息 they describe the order (page-facts.md)."""
    cur = site.currency or "CNY"
    items = ordered_items(site)
    if len(items) == 1:
        rec = items[0]
        price = parse_money(_pick(rec, L.UNIT_PRICE) or _pick(rec, L.PRICE), cur)
        if price and _pick(rec, L.UNIT_PRICE) is None and (to_int(_pick(rec, L.QUANTITY)) or 1) > 1 and any(
                parse_money(p.value, cur) == price for p in site.doc.find_all(L.AMOUNT_ORDER)):
            price = None  # a plain "Price" beside a quantity of 2 that is the subtotal is the line's total
        raw = _pick(rec, L.ITEM_NAME) or ""
        count = _QTY_SUFFIX.search(raw)
        if price is None and count and re.sub(r"\D", "", count.group()) == "1":
            price = parse_money(_pick(rec, _LINE_TOTAL), cur)  # "Name × 1 | Total 17,49 €": one piece's price
        return Product(title=item_name(raw), price=price)
    if items:
        return Product()
    block = item_block(site)
    if block is not None:
        if len(block.names) == 1 and (kind == "checkout" or block.heading):
            return Product(title=block.names[0], price=block.unit_price)
        if block.names:
            return Product()
    unit = site.doc.find(L.UNIT_PRICE)
    name = site.doc.find(L.ITEM_NAME)
    if unit and name and (kind == "checkout" or _under_item_heading(site, min(unit.line, name.line))):
        title = re.sub(r"\s*[x×*]\s*\d+\s*$", "", name.value).strip()
        return Product(title=title or None, price=parse_money(unit.value, cur))
    return Product()


@dataclass
class ItemBlock:
    """The block of an order's items under its heading (Items, 商品信息, Order summary): each item's
    name (quantity suffix removed), the one item's unit price and quantity."""

    names: list
    unit_price: object = None
    quantity: int | None = None
    heading: bool = True


_SUMMARY_HEADING = re.compile(r"(?:order|purchase|basket|cart) summary|your (?:order|items|basket|cart|games|keys|products|purchases?)|订单摘要|订单商品|购买商品"
                              r"|商品清单|商品明细|商品列表|宝贝信息|商品信息|商品资讯|items?|products?|order items?"
                              r"|注文内容|ご注文内容|itens do pedido|produits? commandés?|articles? (?:de la )?commande|zamówione produkty"
                              r"|produkty w zamówieniu|detail pesanan|rincian pesanan|chi tiết đơn hàng|รายการสินค้า", re.I)
_ITEM_NAME_CLASS = re.compile(r"(?:item|goods|product|good|sku|offer|trade|summary|line|cart|basket|package)[-_]*(?:title|name)"
                              r"|(?:^|[\s_-])(?:title|name)(?:$|[\s_-])", re.I)
_QTY_IN = re.compile(r"(?:^|\s)(?:[x×*✕]\s*(\d{1,4})|qty[:：]?\s*(\d{1,4})|数量[:：]?\s*(\d{1,4}))(?:\s|$)", re.I)


_SUMMARY_HINT = re.compile(r"summary|your |商品|宝贝|item|product|注文内容|itens|produit|article|produkt|pesanan|đơn hàng|รายการสินค้า", re.I)
# the heading of the next block of an order page: where the item block ends
_SECTION = re.compile(r"(?:订单|卖家|买家|支付|付款|收货|配送|物流|商品|宝贝|联系|售后|卡密|序号)(?:信息|资讯|详情|明细|内容|须知|说明)|卖家|买家"
                      r"|order (?:details|info(?:rmation)?)|payment(?: details)?|seller|buyer|delivery|your keys?|codes?", re.I)
_SECTION_CLASS = re.compile(r"group__title|section-title|block__title|panel-heading|card-header|cell-group__title", re.I)


def item_block(site) -> ItemBlock | None:
    """The items under an order's item heading, read from the names the block shows as titles
    (links, name/title classes) and the prices beside them; None when the page has no such block."""
    return site.cached("item_block", lambda: _item_block(site))


def _item_block(site) -> ItemBlock | None:
    doc = site.doc
    lines = doc.lines
    if not _SUMMARY_HINT.search(doc.ntext):
        return None  # (no item heading's word anywhere: no line to look at)
    for line in lines:
        if not _SUMMARY_HEADING.fullmatch(line.norm.strip(" ：:")) or line.el is None:
            continue
        el = line.el
        if not (el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "legend", "caption", "strong", "b", "dt")
                or re.search(r"head|title", el.get("class") or "", re.I)):
            continue
        names, price, qty = [], None, None
        for nxt in lines[line.index + 1:line.index + 14]:
            nel = nxt.el
            if nel is None:
                continue
            if _SUMMARY_HEADING.fullmatch(nxt.norm.strip(" ：:")) or _SECTION.fullmatch(nxt.norm.strip(" ：:【】[]")) \
                    or _SECTION_CLASS.search(nel.get("class") or "") or nel.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and (
                    names or L.KNOWN.fullmatch("".join(nxt.norm.split()).lower().rstrip("：:"))):
                break  # the next block (a name set as a heading is the block's first item)
            cls = f"{nel.get('class') or ''} {(nel.getparent().get('class') or '') if nel.getparent() is not None else ''}"
            text = nxt.text
            money = parse_money(nxt.norm, site.currency or "CNY", require_marker=True)
            named = nel.tag in ("a", "h3", "h4", "h5", "h6") or _ITEM_NAME_CLASS.search(re.sub(r"[-_]{2,}", "-", cls))
            if named and 3 <= len(text) <= 120 and not (nel.tag == "a" and names) and not _money_only(text) \
                    and not L.KNOWN.fullmatch("".join(nxt.norm.split()).lower().rstrip("：:")):
                m = _QTY_SUFFIX.search(text)
                if m and not names:
                    qty = to_int(re.sub(r"\D", "", m.group()))
                names.append(item_name(text))
                continue
            if names and len(names) == 1:
                m = _QTY_IN.search(nxt.norm)
                if m and qty is None:
                    qty = to_int(m.group(1) or m.group(2) or m.group(3))
                if money and price is None:
                    per_unit = re.search(r"/\s*(?:unit|pc|piece|件|个)|单价|each", nxt.norm, re.I)
                    if per_unit or m or re.match(r"\s*(?:[A-Z]{0,3}[$]|[¥￥€£])|\s*[\d.,]+\s*[€£]", nxt.norm):
                        price = money
        if names:
            return ItemBlock(names, price if len(names) == 1 else None, qty)
    return None


def _money_only(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:[A-Z]{0,3}[$¥￥€£]|RMB|CNY|USD|EUR)?\s*[\d.,]+\s*(?:元|€|£|[A-Z]{3})?\s*", text))


_ITEM_HEADING = re.compile(r"(?:商品|宝贝|购买商品|订单商品|商品详情|商品信息|宝贝信息|商品明细|商品清单)|(?:items?|products?|item details"
                           r"|product (?:details|info(?:rmation)?)|order items?)", re.I)
_BLOCK_HEADING = re.compile(r"[^：:，。,;；]{2,12}")


def _under_item_heading(site, line: int) -> bool:
    """The nearest heading-like line above ``line`` names the item block (商品信息, Items), not the
    order as a whole (订单信息): only then is the labelled item the product (page-facts.md)."""
    lines = site.doc.lines
    for prev in range(line - 1, max(-1, line - 12), -1):
        text = lines[prev].text
        el = lines[prev].el
        heading = el is not None and (el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "legend", "caption", "strong", "b")
                                      or re.search(r"head|title", el.get("class") or "", re.I))
        if heading and _BLOCK_HEADING.fullmatch(text):
            return bool(_ITEM_HEADING.fullmatch(text))
    return False


# a state-history table's columns: its date and its state (PrestaShop's "Suivre votre commande pas à pas": Date | État)
_HISTORY_DATE = re.compile(r"date|datum|data|日付|日时|日期|时间|ngày|tanggal|วันที่", re.I)
_HISTORY_STATE = re.compile(r"état|statut|status|state|estado|situação|ステータス|状态|trạngthái|สถานะ", re.I)
_STATE_ROLE = {"unpaid": "ordered", "paid": "paid", "delivered": "delivered"}


def _history(site) -> tuple[list[Timestamp], set]:
    """The focused order's state-history table (Date | État, newest first): each row's time under its state's
    name, in the role the state marks (awaiting payment: ordered; paid; delivered), else ``other``;
    and the table's rows."""
    out, rows = [], set()
    for table in site.doc.tables:
        heads = [fold(_SPACES.sub("", h)).lower() for h in table.header]
        if len(heads) != 2 or not table.rows:
            continue
        date_col = next((i for i, h in enumerate(heads) if _HISTORY_DATE.fullmatch(h)), None)
        state_col = next((i for i, h in enumerate(heads) if _HISTORY_STATE.fullmatch(h)), None)
        if date_col is None or state_col is None or date_col == state_col:
            continue
        for tr, cells in table.rows:
            state = squash(visible_text(cells[state_col]))
            at = parse_datetime(squash(visible_text(cells[date_col])), site.offset, site.day_first)
            if not at or not state or len(state) > 60:
                continue
            rows.add(tr)
            out.append(Timestamp(_STATE_ROLE.get(map_status(state), "other"), state, at))
    return out, rows


def timestamps(site, kind: str) -> list[Timestamp]:
    """Labelled date-times (下单时间, Payment time…) with their role; order times only for the order
    in focus; a date without a time of day is not a timestamp."""
    fc = focus(site)
    out: list[Timestamp] = []
    seen = set()
    pairs = site.doc.pairs  # (a step's own row, 确认收货, after the labelled times: 成交时间 names the same instant)
    history, history_rows = _history(site) if fc is not None and fc.order_no and not fc.several else ([], set())
    if history_rows:  # a state-history table's cells are no label/value pairs (a state beside the next row's date)
        pairs = [p for p in pairs if p.el is None or not any(anc in history_rows for anc in site.doc.ancestors(p.el, 4))]
    for stamp in history:
        seen.add((stamp.role, stamp.at))
        out.append(stamp)
    events = [p for p in pairs if ("收货" in p.label or "成交" in p.label) and L.event_label(p.label)]
    for pair in [p for p in pairs if p not in events] + events if events else pairs:
        role = L.time_role(pair.label)
        if role is None and pair.label in _BARE_DATE and kind in ("order", "checkout"):
            role = "ordered"  # an order's own summary: its bare "Date" is when it was placed
        if role is None or _CLOCK_LABEL.search(pair.label):
            continue
        if role in _ROLE_ORDER or role == "other" and kind in ("order", "checkout", "chat"):
            if fc is None or fc.order_no is None or not fc.start <= pair.line < fc.end:
                if role in _ROLE_ORDER:
                    continue
        if role == "listed" and "发布" in pair.label and kind != "product":
            role = "other"
        at = parse_datetime(pair.value, site.offset, site.day_first)
        if at is None or not _DATE_START.match(nfkc(pair.value)):
            continue
        label = pair.raw_label.strip().rstrip("：:").strip()
        label = _SPACES.sub("", label) if _CJK.search(label) else squash(label)
        if (role, at) in seen:
            continue
        seen.add((role, at))
        out.append(Timestamp(role, label, at))
    if fc is not None and fc.order_no and not fc.several:  # "Order #1042-3381 · Placed Dec 6, 2026, 9:05 PM GMT+1"
        for line in site.doc.lines[fc.start:min(fc.end, fc.start + 400)]:
            text = line.text
            if len(text) > 160 or "·" not in text and "|" not in text and "•" not in text and "｜" not in text \
                    or not _SEGMENT_MARK.search(text):
                continue
            for seg in _SEGMENT_SPLIT.split(line.text):
                m = _SEGMENT_TIME.match(seg)
                role = L.time_role(_SPACES.sub("", m.group(1)).lower()) if m else None
                at = parse_datetime(seg[m.end(1):], site.offset, site.day_first) if role else None
                if at and (role, at) not in seen:
                    seen.add((role, at))
                    out.append(Timestamp(role, m.group(1).strip(), at))
    if fc is not None and fc.order_no and not fc.several:  # "Заказ № 93021774 оплачен 06.12.2026 в 23:48:05 (МСК)"
        for line in site.doc.lines[fc.start:min(fc.end, fc.start + 400)]:
            if fc.order_no not in line.text or len(line.text) > 240:
                continue
            for m in _EVENT_IN_SENTENCE.finditer(line.text):
                role = L.time_role(_SPACES.sub("", m.group("label")).lower())
                at = parse_datetime(line.text[m.end():m.end() + 60], site.offset, site.day_first) if role in _ROLE_ORDER else None
                if at and (role, at) not in seen and _DATE_START.match(nfkc(line.text[m.end():])):
                    seen.add((role, at))
                    out.append(Timestamp(role, m.group("label"), at))
    if fc is not None and fc.order_no:
        for header, value in fc.record.items():  # the focused row of an order table
            role = L.time_role(header)
            at = parse_datetime(value, site.offset, site.day_first) if role else None
            if at and (role, at) not in seen:
                seen.add((role, at))
                out.append(Timestamp(role, header, at))
    delivered = {t.at for t in out if t.role == "delivered"}
    if len(delivered) > 1:  # 交号时间 beside 完成时间: the trade's completion (the buyer's confirmation) is another step
        out = [Timestamp("other", t.label, t.at) if t.role == "delivered" and _COMPLETION.fullmatch(_SPACES.sub("", t.label).lower())
               else t for t in out]
    return out
