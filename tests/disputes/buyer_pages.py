"""Pages as buyers meet them, for the buyer scenarios (test_buyer_scenarios.py): small but real
layouts of the systems KaDun sees (dujiaoka-style single shops, 卡盟 platforms with many sellers,
an English key marketplace, a platform chat), each page filled from a few values. The scenarios
read them through the scrapers, as POST /v1/snapshots does; nothing here states a fact by hand.
"""
from __future__ import annotations

from html import escape

DUJIAOKA_CSS = "/assets/unicorn/css/bootstrap.min.css"


def _page(title: str, brand: str, body: str, footer: str, lang: str = "zh-cn", css: str = "/static/css/app.css") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{escape(title)}</title>
<link rel="stylesheet" href="{css}"></head><body>
<header class="header sticky-top"><nav class="navbar"><a class="navbar-brand" href="/">{escape(brand)}</a>
<ul class="navbar-nav"><li><a href="/">首页</a></li><li><a href="/order-search">订单查询</a></li></ul></nav></header>
<section class="main-container"><div class="container">{body}</div></section>
<footer class="footer p-3"><div class="custom">{footer}</div></footer></body></html>"""


def _footer(brand: str, years: str, icp: str | None) -> str:
    filing = f' <a href="https://beian.miit.gov.cn/" rel="nofollow">{icp}</a>' if icp else ""
    return (f'<div class="author">Powered by：<a href="http://dujiaoka.com">@独角数卡</a></div>'
            f"<p>Copyright © {years} {escape(brand)} All Rights Reserved.{filing}</p>")


def shop_order(brand: str, *, order_no: str, item: str, quantity: int, created: str, amount: str, status: str,
               payment: str, codes: list[str], years: str = "2023-2026", icp: str | None = None,
               notice: str = "", extra_rows: list[tuple[str, str]] = ()) -> str:
    """A dujiaoka-style order detail page (查询订单 → 订单详情) of a single shop."""
    rows = [("订单名称", f"{item} x {quantity}"), ("购买数量", str(quantity)), ("订单创建时间", created),
            ("下单邮箱", "buyer.zhou@163.com"), ("实际支付价格", amount), ("订单状态", status),
            ("支付方式", payment), *extra_rows]
    info = "".join(f'<div class="mb-1"><label>{escape(k)}：</label><span>{escape(v)}</span></div>' for k, v in rows)
    card = "\n".join(codes)
    detail = (f'<h6 class="card-title">订单详情</h6><div class="card-info"><textarea class="form-control" rows="5">'
              f'{escape(card)}</textarea></div><button id="copy-card" class="btn btn-primary mt-2">复制</button>'
              if codes else '<h6 class="card-title">订单详情</h6><p class="text-muted">暂无卡密</p>')
    note = f'<div class="alert alert-warning">{escape(notice)}</div>' if notice else ""
    body = (f'<div class="order-card"><div class="card mt-3"><div class="row no-gutters">'
            f'<div class="col-md-6"><div class="card-body"><h5><small class="text-muted">订单号：{escape(order_no)}</small></h5>'
            f'{info}</div></div><div class="col-md-6"><div class="card-body">{detail}</div></div></div></div>{note}</div>')
    return _page(f"订单详情 | {brand}", brand, body, _footer(brand, years, icp), css=DUJIAOKA_CSS)


def shop_product(brand: str, *, title: str, price: str, lines: list[str], stock: int = 120,
                 years: str = "2023-2026", icp: str | None = None) -> str:
    """A dujiaoka-style single shop's product (buy) page."""
    desc = "".join(f"<p>{escape(line)}</p>" for line in lines)
    body = (f'<div class="buy-product"><h3 class="product-title">{escape(title)}</h3>'
            f'<div class="price"><span>价格：</span><strong>¥{escape(price)}</strong></div>'
            f'<div class="stock"><span>库存：</span><span>{stock}</span></div>'
            f'<div class="goods-desc"><h5>商品描述</h5>{desc}</div>'
            f'<form action="/create-order" method="post"><label>购买数量</label><input name="by_amount" value="1">'
            f'<label>邮箱</label><input name="email" type="email"><button class="btn btn-primary">立即购买</button></form></div>')
    return _page(f"{title} | {brand}", brand, body, _footer(brand, years, icp), css=DUJIAOKA_CSS)


def kameng_product(platform: str, *, title: str, price: str, seller: str, seller_id: str, lines: list[str],
                   icp: str, years: str = "2015-2026", deposit: str = "1000.00") -> str:
    """A 卡盟 platform's product page of one of its sellers (店铺, 保证金)."""
    desc = "".join(f"<li>{escape(line)}</li>" for line in lines)
    body = (f'<div class="goods-info"><h1 class="goods-title">{escape(title)}</h1>'
            f'<div class="goods-price">售价：<em>¥{escape(price)}</em></div>'
            f'<div class="shop-box"><p>店铺名称：<a href="/shop/{seller_id}">{escape(seller)}</a></p><p>店铺ID：{seller_id}</p>'
            f'<p>保证金：¥{deposit}</p></div>'
            f'<div class="goods-desc"><h3>商品说明</h3><ul>{desc}</ul></div>'
            f'<form action="/order/create" method="post"><input name="num" value="1"><button>立即购买</button></form></div>')
    footer = f"<p>© {years} {escape(platform)} 版权所有 {icp}</p><p>平台实行商家保证金制度，交易纠纷可申请平台介入</p>"
    return _page(f"{title} - {platform}", platform, body, footer)


def kameng_order(platform: str, *, order_no: str, item: str, seller: str, amount: str, status: str,
                 created: str, paid: str, delivered: str | None, payment: str, codes: list[str], icp: str,
                 years: str = "2015-2026", notice: str = "") -> str:
    """A 卡盟 platform's order detail page (会员中心 → 我的订单 → 订单详情)."""
    rows = [("订单编号", order_no), ("商品名称", item), ("店铺名称", seller), ("订单金额", f"¥{amount}"),
            ("支付方式", payment), ("订单状态", status), ("下单时间", created), ("付款时间", paid)]
    if delivered:
        rows.append(("发货时间", delivered))
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    codes_html = "".join(f'<li class="card-code">{escape(c)}</li>' for c in codes)
    cards = f'<div class="kami"><h4>卡密信息</h4><ul>{codes_html}</ul></div>' if codes else ""
    note = f'<p class="tips">{escape(notice)}</p>' if notice else ""
    body = f'<div class="order-detail"><h2>订单详情</h2><table class="table">{table}</table>{cards}{note}</div>'
    footer = f"<p>© {years} {escape(platform)} 版权所有 {icp}</p>"
    return _page(f"订单详情 - {platform}", platform, body, footer)


def kameng_terms(platform: str, *, clauses: list[str], icp: str, years: str = "2015-2026") -> str:
    """A 卡盟 platform's rules page (交易规则 / 售后规则)."""
    items = "".join(f"<p>{i}. {escape(c)}</p>" for i, c in enumerate(clauses, 1))
    body = f'<div class="article"><h2>交易规则</h2>{items}</div>'
    footer = f"<p>© {years} {escape(platform)} 版权所有 {icp}</p>"
    return _page(f"交易规则 - {platform}", platform, body, footer)


def kameng_chat(platform: str, *, seller: str, order_no: str, messages: list[tuple[str, str, str]], icp: str,
                years: str = "2015-2026") -> str:
    """A 卡盟 platform's buyer–seller chat (站内聊天) about one order: (who, time, text)."""
    rows = "".join(f'<div class="msg {"me" if who == "我" else "other"}"><span class="name">{escape(who)}</span>'
                   f'<span class="time">{escape(at)}</span><div class="bubble">{escape(text)}</div></div>'
                   for who, at, text in messages)
    body = (f'<div class="chat"><div class="chat-head">与 {escape(seller)} 的对话 · 订单编号：{escape(order_no)}</div>'
            f'<div class="chat-body">{rows}</div><textarea placeholder="输入消息"></textarea><button>发送</button></div>')
    footer = f"<p>© {years} {escape(platform)} 版权所有 {icp}</p>"
    return _page(f"站内聊天 - {platform}", platform, body, footer)


def market_order(brand: str, *, order_no: str, item: str, seller: str, amount: str, currency: str, paid: str,
                 delivered: str | None, payment: str, key: str | None, notes: list[str] = ()) -> str:
    """An English key marketplace's order page (Order details, Paid with Visa)."""
    rows = [("Order number", order_no), ("Product", item), ("Sold by", seller), ("Total", f"{amount} {currency}"),
            ("Payment method", payment), ("Order date", paid), ("Status", "Completed" if key else "Processing")]
    if delivered:
        rows.append(("Delivered", delivered))
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    keys = (f'<div class="keys"><h3>Your keys</h3><code class="product-key">{escape(key)}</code></div>' if key else "")
    extra = "".join(f"<p>{escape(n)}</p>" for n in notes)
    body = f'<div class="order"><h1>Order details</h1><table>{table}</table>{keys}<div class="notes">{extra}</div></div>'
    footer = (f"<p>© 2019-2026 {escape(brand)} Ltd. All rights reserved.</p>"
              "<p>Buyer Protection: open a dispute within 30 days of purchase.</p>")
    return _page(f"Order {order_no} | {brand}", brand, body, footer, lang="en")


def tw_shop_order(brand: str, *, order_no: str, item: str, created: str, amount: str, status: str, payment: str,
                  codes: list[str], notice: str = "") -> str:
    """A traditional-Chinese shop's order page (Taiwan / Hong Kong): 訂單編號, 實付金額 in NT$ or HK$,
    no ICP filing."""
    rows = [("訂單編號", order_no), ("商品名稱", item), ("訂單金額", amount), ("付款方式", payment),
            ("訂單狀態", status), ("下單時間", created)]
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    codes_html = "".join(f'<li class="card-code">{escape(c)}</li>' for c in codes)
    cards = f'<div class="kami"><h4>序號資訊</h4><ul>{codes_html}</ul></div>' if codes else ""
    note = f'<p class="tips">{escape(notice)}</p>' if notice else ""
    body = f'<div class="order-detail"><h2>訂單詳情</h2><table class="table">{table}</table>{cards}{note}</div>'
    footer = f"<p>Copyright © 2021-2026 {escape(brand)} 版權所有</p><p>客服LINE：@{escape(brand)}</p>"
    return _page(f"訂單詳情 - {brand}", brand, body, footer, lang="zh-Hant-TW")


def tw_shop_product(brand: str, *, title: str, price: str, lines: list[str]) -> str:
    """A traditional-Chinese shop's product page with its price in a local currency (NT$ / HK$)."""
    desc = "".join(f"<p>{escape(line)}</p>" for line in lines)
    body = (f'<div class="buy-product"><h3 class="product-title">{escape(title)}</h3>'
            f'<div class="price"><span>價格：</span><strong>{escape(price)}</strong></div>'
            f'<div class="goods-desc"><h5>商品描述</h5>{desc}</div>'
            f'<form action="/cart/add" method="post"><input name="qty" value="1"><button>立即購買</button></form></div>')
    footer = f"<p>Copyright © 2021-2026 {escape(brand)} 版權所有</p>"
    return _page(f"{title} | {brand}", brand, body, footer, lang="zh-Hant-TW")
