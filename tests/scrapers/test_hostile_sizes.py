"""Pages built to make extraction slow are read in bounded work, with their facts.

Measured by tests/bench/bench_hostile_pages.py (figures in its docstring); these tests check what
the bounds keep: the facts of the page, the attributes a tag keeps, the order a long list is about.
"""
from __future__ import annotations

import pytest

import scrapers
from scrapers.tags import MAX_ATTRIBUTES, SCAN_FROM, tame_attributes

URL = "https://shop.example.cn/order/detail"


def _order_page(open_tag: str) -> str:
    return (f"<html><head><title>订单详情</title></head><body>{open_tag}<p>订单号：KM20261124100322</p>"
            "<p>实付金额：¥30.00</p><p>卡密：ABCD-1234</p></div><p>客服QQ：123456</p></body></html>")


def test_a_tag_with_100000_attributes_keeps_its_first_256_and_the_page_its_facts():
    # libxml2 compares every attribute with the ones before it: this page took 15 s to parse.
    names = [f"data-a{i}" for i in range(100_000)]
    html = _order_page("<div " + " ".join(f'{name}="x>y"' for name in names) + ">")
    tamed = tame_attributes(html.encode())
    assert tamed.count(b'="x>y"') == MAX_ATTRIBUTES
    assert f' {names[MAX_ATTRIBUTES - 1]}="x>y">'.encode() in tamed  # cut after a whole attribute
    rest = html[html.index("><p>订单号") + 1:].encode()
    assert tamed.endswith(b">" + rest)  # the rest of the page as it was
    facts = scrapers.extract(html, URL).as_dict()
    assert facts["page_kind"] == "order"
    assert facts["order"]["order_no"] == "KM20261124100322" and facts["order"]["card_codes"] == ["ABCD-1234"]
    assert facts["order"]["amount"] == {"amount": "30.00", "currency": "CNY"}


def test_attributes_without_values_or_quotes_are_cut_too():
    html = _order_page("<div " + " ".join(f"a{i}" for i in range(50_000)) + " class='card'>")
    tamed = tame_attributes(html.encode())
    assert tamed.count(b" a") == MAX_ATTRIBUTES and b"class='card'" not in tamed
    assert scrapers.extract(html, URL).as_dict()["order"]["order_no"] == "KM20261124100322"


def _names(count: int, every: int = 0, mark: str = "") -> str:
    return " ".join(f"{mark}a{i}" if every and i % every == 0 else f"a{i}" for i in range(count))


# libxml2 reads tags as an HTML5 tokenizer does: a quote delimits a value only after "=", a "<"
# inside a tag is part of a name, only ">" ends it. Each of these is 60,000 attributes to libxml2.
EVASIONS = {
    "names-in-a-stray-quote": '<div "' + _names(60_000) + '">',
    "a-value-then-a-stray-quote": '<div x=1 "' + _names(60_000) + '">',
    "a-lt-every-100-names": "<div " + _names(60_000, 100, "<") + ">",
    "a-quoted-gt-every-50-names": "<div " + " ".join(f'a{i}=">"' if i % 50 == 0 else f"a{i}" for i in range(60_000)) + ">",
    "names-starting-with-equals": "<div " + _names(60_000, 1, "=") + ">",
}


@pytest.mark.parametrize("open_tag", list(EVASIONS.values()), ids=list(EVASIONS))
def test_attributes_hidden_from_a_naive_scan_are_cut_as_libxml2_reads_them(open_tag):
    from scrapers.document import parse_html

    html = _order_page(open_tag)
    root = parse_html(html)
    div = root.find(".//div")
    assert len(div.attrib) <= MAX_ATTRIBUTES
    assert scrapers.extract(html, URL).as_dict()["order"]["order_no"] == "KM20261124100322"


def test_scripts_comments_and_raw_text_are_never_cut():
    # A "<n" in a script, a comment or a textarea is no tag to libxml2: nothing there may change,
    # even with a script's own "</title>" in a string and its end tag in capitals.
    long_script = "<SCRIPT>var s='</title>'; for(i=0;i<n;i++){" + "a=b+c; " * 5000 + "}</script>"
    comment = "<!-- <a " + "b " * 5000 + "-->"
    textarea = "<textarea><a " + "b " * 5000 + "</textarea>"
    page = _order_page("<div>") + long_script + comment + textarea + "<p>" + "x " * SCAN_FROM + "</p>"
    assert tame_attributes(page.encode()) == page.encode()
    attacked = page + "<div " + _names(5_000) + ">x</div>"
    tamed = tame_attributes(attacked.encode())
    assert tamed.startswith(page.encode()) and tamed[len(page.encode()):].count(b" a") == MAX_ATTRIBUTES


def test_ordinary_tags_and_small_pages_are_left_as_they_are():
    exact = "<div " + " ".join(f'a{i}="{i}"' for i in range(MAX_ATTRIBUTES)) + ">"
    long_value = '<img alt="卡" src="data:image/png;base64,' + "A" * 200_000 + '">'
    page = _order_page(exact) + long_value + "<p>" + "x " * SCAN_FROM + "</p>"
    assert tame_attributes(page.encode()) == page.encode()
    small = _order_page("<div " + " ".join(f"a{i}" for i in range(1000)) + ">")
    assert len(small.encode()) < SCAN_FROM and tame_attributes(small.encode()) == small.encode()


def _order_list(count: int) -> str:
    rows = "".join(f"<tr><td>订单号</td><td>KM2026112410{i:06d}</td><td>¥{i % 90 + 10}.00</td><td>已发货</td></tr>"
                   for i in range(count))
    return f"<html><head><title>我的订单</title></head><body><table>{rows}</table></body></html>"


def test_an_order_list_of_20000_rows_is_read_as_the_list_of_three_is():
    # Each row's "other orders" were the union of every other row's blocks: 47 s for these rows.
    url = "https://shop.example.cn/user/orders"
    small, large = scrapers.extract(_order_list(3), url).as_dict(), scrapers.extract(_order_list(20_000), url).as_dict()
    for name in ("page_kind", "promises", "seller", "platform"):
        assert large[name] == small[name], name
    assert (large["order"] or {}).get("order_no") == (small["order"] or {}).get("order_no")
