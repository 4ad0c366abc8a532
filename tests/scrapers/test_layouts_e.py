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
