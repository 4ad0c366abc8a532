"""Field labels as the pages print them, normalised (no whitespace, lower-case, no colon).

Each pattern must match a whole label. ``KNOWN`` is their union: a line that starts with a known
label and has no colon ("库存 342", "价　格 ¥188.00") is still read as a label/value pair.
"""
from __future__ import annotations

import re

from .regexes import first_chars


def _c(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


ORDER_NO = _c(r"订单(?:号|编号|号码|id|单号|no\.?)|单号|订单|order(?:id|no\.?|number|#|编号)?|订单查询号"
              r"|invoice(?:id|no\.?|number|#)?|bizorderid|거래번호|주문번호|номерзаказа|заказ№?|номерпокупки|покупка№?"
              # fr, ja, pt, pl, id, vi, th
              r"|référencedecommande|numérodecommande|commanden°|注文番号|ご?注文(?:id|no\.?)|pedido(?:n[º°o]\.?)?|númerodopedido"
              r"|n[º°]dopedido|numerzamówienia|nrzamówienia|nomorpesanan|idpesanan|kodepesanan|nomorinvoice|mãđơnhàng|mãđơn"
              r"|mãgiaodịch|เลขที่คำสั่งซื้อ|หมายเลขคำสั่งซื้อ")
# other numbers of the same order (payment serials): used only when no order number is shown
TRADE_NO = _c(r"(?:交易|流水|支付|商户|外部)(?:订单)?(?:号|编号|号码|id|单号|no\.?)|tradeno|transactionid|paymentid")
# what the buyer pays or paid, fees included: the first tier wins over the second (商品总价 is before discounts)
PAID_FINAL = _c(r"实付|实付款|实付金额|实际支付(?:金额|价格)?|实际付款|已付金额|应付(?:金额|款)?|应付总额|需付款|需要?支付金额|支付金额|付款金额"
                r"|totalpaid|amountpaid|grandtotal|youpaid|totaltopay|amountdue|totaldue|ordertotal|totalcharged|实收款|合计支付"
                r"|결제금액|оплачено|коплате|итогокоплате"
                r"|totalpago|valortotal|totalapagar|montanttotal|totalttc|totalpembayaran|totalbayar|tổngthanhtoán|tổngtiền"
                r"|ยอดชำระ(?:ทั้งหมด)?|ยอดรวม(?:ทั้งหมด)?|ご?請求金额|合计金额|dozapłaty|razemdozapłaty|łącznie|suma")
AMOUNT_PAID = _c(r"实付|实付款|实付金额|实际支付(?:金额|价格)?|实际付款|支付金额|付款金额|支付价格|已付金额|应付(?:金额|款)?"
                 r"|商品总价|需要?支付金额|应付总额|需付款|totalpaid|amountpaid|total|ordertotal|grandtotal|youpaid|totalprice"
                 r"|totaltopay|amountdue|totaldue|totalcharged|결제금액|оплачено|коплате|итогокоплате"
                 r"|totalpago|valortotal|totalapagar|montanttotal|totalttc|totalpembayaran|totalbayar|tổngthanhtoán|tổngtiền"
                 r"|ยอดชำระ(?:ทั้งหมด)?|ยอดรวม(?:ทั้งหมด)?|ご?請求金额|合计金额|dozapłaty|razemdozapłaty|łącznie|suma")
AMOUNT_ORDER = _c(r"订单(?:金额|总额|总价|价格)|总(?:金额|价|计|额)|合计(?:金额)?|金额|amount|subtotal")
UNIT_PRICE = _c(r"(?:商品)?单价|unitprice|prixunitaire|preçounitário|precounitario|cenajednostkowa|hargasatuan|đơngiá|ราคาต่อหน่วย|単価")
PRICE = _c(r"(?:商品|销售|会员|当前)?(?:价格|售价|现价|单价|价钱|价)|(?:京东|淘宝|天猫|拼单|到手|折后|优惠|活动|促销|秒杀|零售)价"
           r"|租金|price|ourprice|saleprice|판매금액|판매가|가격|цена|prix|preço|cena|harga|giá|ราคา|価格|値段")
QUANTITY = _c(r"(?:购买|商品|订单|下单)?数量|件数|qty\.?|quantity|구매수량|수량|количество|quantité|qté|quantidade|qtd\.?|ilość"
              r"|jumlah|sốlượng|จำนวน")
PAYMENT = _c(r"(?:支付|付款|交易)(?:方式|类型|渠道|通道|方法)|paymentmethod|paidwith|payment|paymethod|paymenttype|gateway"
             r"|paymentgateway|paidvia|paidby|способоплаты|결제수단|결제방법|결제방식"
             r"|moyendepaiement|modedepaiement|paiement|お?支払い?方法|决済方法|formadepagamento|métododepagamento|pagamento"
             r"|metodapłatności|płatność|metodepembayaran|pembayaran|phươngthứcthanhtoán|ช่องทางการชำระเงิน|วิธีการชำระเงิน|วิธีชำระเงิน")
STATUS = _c(r"(?:当前)?(?:订单|交易|支付|付款|发货|卡密)?状态|status|orderstatus|paymentstatus|deliverystatus"
            r"|état|statut|ステータス|注文状况|situação|statuszamówienia|statuspesanan|trạngthái|สถานะ(?:คำสั่งซื้อ)?")
ITEM_NAME = _c(r"(?:订单|商品|宝贝|货物|产品)(?:名称|标题)|商品|宝贝|货品|名称|产品名称|(?:购买)?物品(?:名称)?|item|items|product|products|productname|itemname"
               r"|package|packages|goods|goodsname|shortdescription|offertitle|offername|listingtitle|물품제목|물품명|상품명|товар"
               r"|наименование(?:товара)?|названиетовара"
               r"|produit|produits|商品名|注文内容|itensdopedido|produto|produtos|nazwaproduktu|produkt|namaproduk|produk|vậtphẩm"
               r"|sảnphẩm|tênsảnphẩm|สินค้า|ชื่อสินค้า")
STOCK = _c(r"(?:商品|当前)?库存(?:数量)?|剩余(?:数量|库存)?|在库数?|stock|instock|available|availability|stok|dostępne|dostępnych"
           r"|disponible|enstock|estoque|disponível|còn lại|tồnkho|คงเหลือ|вналичии|auflager")
SELLER_NAME = _c(r"(?:店铺|商家|卖家|商户|店家)(?:名称|名字|昵称|信息)?|号主|soldby|seller|shop|store|merchant|sellername|sellerinfo"
                 r"|aboutthe(?:seller|shop|store)|판매자|продавец|verkäufer|verkauftvon|vendeur|vendupar|sprzedawca|vendidopor|vendedor|penjual"
                 r"|ngườibán|ผู้ขาย|出品者|贩売者|ショップ(?:名)?")
SELLER_ID = _c(r"(?:商家|店铺|卖家|商户)(?:id|编号|号)|sellerid|shopid|storeid|merchantid|sellerno")
DEPOSIT = _c(r"(?:商家|店铺|卖家)?保证金|(?:security)?deposit")
OPENED = _c(r"开店(?:时间|日期)|入驻(?:时间|日期)|加入(?:时间|日期)|sellersince|membersince|joined|joinedon|openedon|opensince"
            r"|storeopened|onplatformsince|bergabungsejak|bergabung|membredepuis|membrodesde|thànhviêntừ|เข้าร่วมเมื่อ"
            r"|注册(?:时间|日期)")
SALES = _c(r"累计(?:成交|销量|交易)|总(?:成交|销量)(?:量|数)?|成交(?:量|数|笔数)?|店铺销量|ordersc?ompleted|completedorders"
           r"|totalsales|totalorders|sales|(?:单|笔)?已?完成(?:交易|订单)|completedtrades|tradescompleted|продаж|продажи"
           r"|sprzedano|totalterjual|vendas|vendidos|ventes|ขายแล้ว|贩売数")  # (an item's own "Terjual 3,4 rb" is no seller's count)
# captions of a seller's standing: never the seller's name ("Rating" under a "Seller" heading)
RATING = _c(r"rating|ratings|评分|店铺评分|好评率|信誉|信用|信誉分|评价|reviews?|feedback|positive(?:feedback)?|score|满意度"
            r"|responsetime|响应时间|回复率|avg\.?deliverytime|平均发货时间|level|等级")
CODES = _c(r"(?:卡|卡密|key|code)#?\d{1,3}|(?:提取|查看|获取|复制)?卡密(?:信息|内容|列表)?|(?:发货|交付|交货|发卡)(?:信息|内容)|卡号(?:卡密)?|激活码|兑换码|cdk(?:ey)?s?|yourkeys?|keys?|codes?"
           r"|宝贝内容|已发卡密|商品内容|发货卡密|密钥|卡券信息|账号信息|deliveredcodes?|serials?|serialkeys?|licen[cs]ekeys?"
           r"|productkeys?|giftcodes?|redeemcodes?|序号|卡号密码|点数序号"
           r"|clés?|vosclésd'activation|clésd'activation|chaves?|suachavedeativação|chavesdeativação|chavedeativação|klucze?"
           r"|twójklucz|kodeaktivasi|kodevoucher|mãkíchhoạt|mãthẻ|คีย์|ライセンスキー|シリアル(?:コード)?")

TIME_ROLES = [
    ("ordered", _c(r"(?:下单|创建|建立|订单|订单创建|订单建立|提交|购买|订单提交|订单生成|交易创建|拍下)(?:时间|日期)|ordertime|orderdate|ordered(?:at|on)?"
                   r"|orderplaced(?:at|on)?"
                   r"|placed(?:at|on)?|dateplaced|created(?:at|on)?|purchasetime|purchasedate|purchased(?:at|on)|opened"
                   r"|구매신청일(?:시)?|주문일(?:시|자)?|датазаказа|оформлен"
                   r"|datedecommande|passéele|ご?注文日(?:时)?|datadopedido|pedidorealizado|datazamówienia|złożono|tanggalpesanan"
                   r"|ngàyđặt(?:hàng)?|thờigianđặt(?:hàng)?|วันที่สั่งซื้อ")),
    ("paid", _c(r"(?:付款|支付|到账)(?:时间|日期)|paymenttime|paymentdate|paid(?:at|on)?|결제완료일(?:시)?|결제일(?:시)?|датаоплаты|оплачен"
                r"|お?支払い?日(?:时)?|决済日(?:时)?|paiementaccepté|pagamentoaprovado|datadopagamento|opłacono|tanggalpembayaran"
                r"|dibayar|thờigianthanhtoán|วันที่ชำระเงิน")),
    ("delivered", _c(r"(?:发货|交货|发卡|完成|交付|起租|交易完成|充值完成|充值成功|(?:换绑|改绑|过户|交号)(?:完成|成功)?)(?:时间|日期)|deliver(?:ed|y)(?:at|on|time|date)?|completed(?:at|on)"
                     r"|completiontime|(?:keys?|codes?|items?)delivered|(?:keys?|codes?|licen[cs]es?)issued(?:at|on)?"
                     r"|livré(?:le)?|clés?livrées?(?:le)?|chaveentregue|chavesentregues|entregue(?:em)?|dostarczono|dikirim|terkirim"
                     r"|đãgiao|thờigiangiao|発送日(?:时)?|配信日(?:时)?")),
    ("listed", _c(r"上架(?:时间|日期)|listed(?:at|on)?|listingdate|发布时间|등록일(?:시)?")),
    ("updated", _c(r"(?:最后|最近)?(?:更新|修改)(?:时间|日期|于)|(?:最后|最近)(?:更新|修改)|(?:last)?updated(?:at|on)?|lastmodified|обновл[её]н[оа]?|датаобновления|zuletztaktualisiert|aktualisiertam")),
    ("opened", _c(r"开店时间|入驻时间")),
]
TIME_LABEL = _c(r".{1,24}(?:时间|日期|time|date|by|at|on|since)|(?:offer|sale|deal|promotion|discount)ends|截止")
# a time label with no time word of its own ("Offer ends Dec 9, 2026, 4:00 PM GMT"): a known label, so its line is a pair
ENDS = _c(r"(?:offer|sale|deal|promotion|discount)ends|活动截止")

_ALL = [ORDER_NO, TRADE_NO, AMOUNT_PAID, AMOUNT_ORDER, UNIT_PRICE, PRICE, QUANTITY, PAYMENT, STATUS, ITEM_NAME, STOCK,
        SELLER_NAME, SELLER_ID, DEPOSIT, OPENED, SALES, RATING, CODES, PAID_FINAL, ENDS] + [p for _, p in TIME_ROLES]
KNOWN = _c("|".join(f"(?:{p.pattern})" for p in _ALL) + r"|qq|微信|客服qq|客服微信")
# the same for labels already lower-cased (every normalised label is): re.I costs a case fold per
# character tried in each of its hundreds of branches
KNOWN_LOW = re.compile(KNOWN.pattern)


_KNOWN_FIRST = first_chars(KNOWN_LOW)


def known_label(label: str, *, whole: bool = True) -> bool:
    """``KNOWN_LOW.fullmatch(label)`` (``whole``) or ``KNOWN_LOW.match(label)``, for a normalised
    (lower-cased) label: most lines start with a character no known label starts with."""
    if _KNOWN_FIRST is not None and label[:1] not in _KNOWN_FIRST:
        return False
    return (KNOWN_LOW.fullmatch(label) if whole else KNOWN_LOW.match(label)) is not None


_EVENT_LABEL = re.compile(r"确认收货|已?收货|已?成交")  # an order step's row with no 时间 word ("确认收货：… 下午3:40")
_TIME_HINT = re.compile(r"收货|成交|更新|修改|时间|日期|time|date|at$|on$|by$|since|placed|created|ordered|paid|listed|updated|modified"
                        r"|purchased|completed|delivered|opened|issued|日时|注文日|支払い?日|passée|livr|paiement|pedido|pagamento|entregue"
                        r"|data|złożono|opłacono|dostarczono|tanggal|dibayar|dikirim|terkirim|ngày|thờigian|đãgiao|วันที่"
                        r"|일$|일시$|дата|оплачен|оформлен|обновл|aktualisiert|ends$|截止")


def event_label(label: str) -> bool:
    """An order step's own row label with no 时间 word (确认收货)."""
    return _EVENT_LABEL.fullmatch(label) is not None


def time_role(label: str) -> str | None:
    """The timestamp role of a normalised label, ``other`` for any other time label, or None."""
    if not _TIME_HINT.search(label):
        return None
    for role, pattern in TIME_ROLES:
        if pattern.fullmatch(label):
            return role
    return "other" if TIME_LABEL.fullmatch(label) or _EVENT_LABEL.fullmatch(label) else None
