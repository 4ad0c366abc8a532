"""The share-a-link fetcher against real loopback servers, and a table of hostile links that must
all be refused with a clear reason, before any connection is made to a refused address."""
from __future__ import annotations

import gzip
import socket
import threading
import time

import pytest

from server.capture.addresses import literal_address, refusal
from server.capture.fetch import Fetcher, FetchRefused, LoopbackForTests, parse_target

from .servers import RawServer, ShopServer, make_tls

SHOP_HTML = "<!DOCTYPE html><html><head><title>星辰卡盟</title></head><body><h1>永久包赔 王者荣耀账号</h1></body></html>"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """A safety net: in these tests no socket may connect anywhere but loopback. Every connect
    is recorded, so a test can also prove a refused address was never dialled."""
    real = socket.socket.connect
    seen: list[str] = []

    def connect(self, address):
        if isinstance(address, (str, bytes)):  # a unix socket (the test Redis), not the network
            return real(self, address)
        host = address[0]
        seen.append(host)
        parsed = literal_address(host)
        if parsed is None or not parsed.is_loopback:
            raise AssertionError(f"a test tried to connect to {host}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


@pytest.fixture
def shop():
    server = ShopServer()
    yield server
    server.close()


class FakeDNS:
    """A resolver with fixed answers per name; each answer may be a list of lists, used in turn
    (the next call gets the next list: a rebinding resolver)."""

    def __init__(self, answers: dict[str, list]):
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer and isinstance(answer[0], list):
            index = min(self.calls.count(host) - 1, len(answer) - 1)
            return answer[index]
        return answer


def fetcher_for(*servers, resolver=None, **kwargs) -> Fetcher:
    allowance = LoopbackForTests(frozenset((s.host, s.port) for s in servers))
    return Fetcher(resolver=resolver, loopback_for_tests=allowance, **kwargs)


# --- what works ----------------------------------------------------------------------------------
def test_fetches_a_page_on_an_allowed_loopback_server(shop):
    shop.page("/item/1", SHOP_HTML)
    page = fetcher_for(shop).fetch(shop.url("/item/1"))
    assert page.status == 200 and "永久包赔" in page.text
    assert page.address == "127.0.0.1" and page.final_url == shop.url("/item/1")
    request = shop.requests[-1]
    assert "KaDunFetcher" in request["headers"]["User-Agent"]
    assert "Cookie" not in request["headers"] and "Authorization" not in request["headers"]


def test_a_name_is_connected_at_its_checked_address_with_the_name_as_host(shop):
    shop.page("/", SHOP_HTML)
    dns = FakeDNS({"shop.example": ["127.0.0.1"]})
    page = fetcher_for(shop, resolver=dns).fetch(f"http://shop.example:{shop.port}/")
    assert "永久包赔" in page.text
    assert shop.requests[-1]["headers"]["Host"] == f"shop.example:{shop.port}"


def test_redirects_are_followed_and_each_hop_recorded(shop):
    shop.redirect("/a", "/b", 301)
    shop.redirect("/b", shop.url("/c"), 302)
    shop.page("/c", SHOP_HTML)
    page = fetcher_for(shop).fetch(shop.url("/a"))
    assert [hop.status for hop in page.hops] == [301, 302, 200]
    assert page.final_url == shop.url("/c")


def test_set_cookie_is_never_sent_back(shop):
    shop.routes["/login"] = lambda h: (302, {"Location": "/home", "Set-Cookie": "sid=secret; Path=/"}, b"")
    shop.page("/home", SHOP_HTML)
    fetcher_for(shop).fetch(shop.url("/login"))
    assert all("Cookie" not in r["headers"] for r in shop.requests)


def test_gzip_and_a_gbk_page_are_decoded(shop):
    html = "<html><head><meta charset=gbk></head><body>卡密无效请联系客服</body></html>".encode("gbk")
    shop.page("/gz", gzip.compress(html), Content_Type="text/html", Content_Encoding="gzip")
    page = fetcher_for(shop).fetch(shop.url("/gz"))
    assert "卡密无效请联系客服" in page.text and page.charset == "gb18030"


# (label as a page writes it, codec that writes the bytes, text): labels from the WHATWG table that
# Python's codec registry does not know, or knows as a narrower charset.
CHARSET_PAGES = [
    ("x-sjis", "cp932", "カード番号 注文番号 返金不可"),
    ("windows-31j", "cp932", "①カード番号 ～ 注文番号"),
    ("Shift_JIS", "cp932", "カード番号 注文番号"),
    ("cn-big5", "big5hkscs", "發卡網 卡密 訂單號"),
    ("x-x-big5", "big5hkscs", "發卡網 卡密 訂單號"),
    ("big5", "big5hkscs", "發卡網 卡密 訂單號 綫"),
    ("chinese", "gb18030", "卡密无效 發卡網"),
    ("iso-ir-58", "gb18030", "卡密无效 發卡網"),
    ("csGB2312", "gb18030", "卡密无效 發卡網"),
    ("GB2312", "gb18030", "卡密无效 售后 €"),
    ("x-gbk", "gb18030", "卡密无效 售后"),
    ("gb18030", "gb18030", "卡密无效 售后 𠀀"),
    ("euc-kr", "cp949", "카드 번호"),
]


@pytest.mark.parametrize("where", ["header", "meta"])
@pytest.mark.parametrize(("label", "codec", "text"), CHARSET_PAGES, ids=[c[0] for c in CHARSET_PAGES])
def test_charset_labels_are_read_as_browsers_read_them(shop, where, label, codec, text):
    body = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>".encode(codec)
    if where == "meta":
        body = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'.encode() + body
        shop.page("/p", body, Content_Type="text/html")
    else:
        shop.page("/p", body, Content_Type=f"text/html; charset={label}")
    page = fetcher_for(shop).fetch(shop.url("/p"))
    assert text in page.text, (label, page.charset, page.text[-80:])


@pytest.mark.parametrize("label", ["undefined", "idna", "punycode", "unicode_escape", "rot13", "base64", "utf-32",
                                   "hz-gb-2312", "x-user-defined", "nonsense-charset"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_python_codec_name_or_unknown_charset_is_not_a_crash(shop, where, label):
    """Labels that name Python codecs (some raise whatever the bytes) or no charset at all: the page
    is read by sniffing (UTF-8, else GB18030), never an exception."""
    body = "<html><body>卡密无效请联系客服</body></html>".encode("gbk")
    if where == "meta":
        shop.page("/p", f"<meta charset={label}>".encode() + body, Content_Type="text/html")
    else:
        shop.page("/p", body, Content_Type=f"text/html; charset={label}")
    page = fetcher_for(shop).fetch(shop.url("/p"))
    assert "卡密无效请联系客服" in page.text and page.charset == "gb18030"


def test_a_meta_saying_utf16_is_read_as_utf8(shop):
    shop.page("/p", '<meta charset="utf-16"><html><body>卡密无效</body></html>'.encode(), Content_Type="text/html")
    page = fetcher_for(shop).fetch(shop.url("/p"))
    assert "卡密无效" in page.text and page.charset == "utf-8"


def test_https_sends_the_name_for_sni_and_checks_the_certificate_against_it(tmp_path):
    server_ctx, client_ctx = make_tls(tmp_path, ["shop.example"])
    names: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: names.append(name)
    tls_shop = ShopServer(tls=server_ctx)
    try:
        tls_shop.page("/", SHOP_HTML)
        dns = FakeDNS({"shop.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        fetcher = fetcher_for(tls_shop, resolver=dns, ssl_context=client_ctx)
        page = fetcher.fetch(f"https://shop.example:{tls_shop.port}/")
        assert "永久包赔" in page.text and names == ["shop.example"]
        # The same address under a name the certificate does not carry is refused.
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(f"https://other.example:{tls_shop.port}/")
        assert refused.value.reason == "tls"
    finally:
        tls_shop.close()


# --- hostile links: refused before connecting ---------------------------------------------------
LITERALS = [
    ("file:///etc/passwd", "scheme"),
    ("ftp://shop.example/x", "scheme"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("data:text/html,<b>x</b>", "scheme"),
    ("//shop.example/x", "scheme"),
    ("http://user:pass@shop.example/", "credentials"),
    ("http://shop.example@127.0.0.1/", "credentials"),
    ("http:///nohost", "bad_url"),
    ("http://shop .example/", "bad_url"),
    ("http://127.0.0.1/", "not_public"),
    ("http://127.0.0.1:6379/", "not_public"),
    ("http://[::1]/", "not_public"),
    ("http://0.0.0.0/", "not_public"),
    ("http://0/", "not_public"),
    ("http://2130706433/", "not_public"),
    ("http://0x7f000001/", "not_public"),
    ("http://0x7f.1/", "not_public"),
    ("http://0177.0.0.1/", "not_public"),
    ("http://127.1/", "not_public"),
    ("http://017700000001/", "not_public"),
    ("http://[::ffff:127.0.0.1]/", "not_public"),
    ("http://[::ffff:7f00:1]/", "not_public"),
    ("http://[::ffff:a9fe:a9fe]/", "not_public"),
    ("http://[::127.0.0.1]/", "not_public"),
    ("http://[::ffff:0:7f00:1]/", "not_public"),
    ("http://[::ffff:0:a9fe:a9fe]/", "not_public"),
    ("http://[0:0:0:0:ffff:0:10.0.0.1]/", "not_public"),
    ("http://[5f00::1]/", "not_public"),
    ("http://[3fff::1]/", "not_public"),
    ("http://[100::1]/", "not_public"),
    ("http://[4000::1]/", "not_public"),
    ("http://[64:ff9b::7f00:1]/", "not_public"),
    ("http://[2002:7f00:1::]/", "not_public"),
    ("http://[2002:a9fe:a9fe::1]/", "not_public"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "not_public"),
    ("http://[fe80::1%25eth0]/", "not_public"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "not_public"),
    ("http://[::]/", "not_public"),
    ("http://[ff02::1]/", "not_public"),
    ("http://169.254.169.254/latest/meta-data/iam/", "not_public"),
    ("http://2852039166/latest/meta-data/", "not_public"),
    ("http://100.100.100.200/latest/meta-data/", "not_public"),
    ("http://169.254.0.23/", "not_public"),
    ("http://10.0.0.1/", "not_public"),
    ("http://172.16.5.4/", "not_public"),
    ("http://192.168.1.1/", "not_public"),
    ("http://100.64.0.1/", "not_public"),
    ("http://192.0.0.170/", "not_public"),
    ("http://198.18.0.1/", "not_public"),
    ("http://224.0.0.1/", "not_public"),
    ("http://239.255.255.250:1900/", "not_public"),
    ("http://240.0.0.1/", "not_public"),
    ("http://255.255.255.255/", "not_public"),
    ("https://192.0.2.1/", "not_public"),
    ("http://localhost/", "not_public"),
    ("http://LOCALHOST./", "not_public"),
    ("http://localhost:8765/v1/chain", "not_public"),
]


def _localhost_dns(host: str, port: int) -> list[str]:
    if host == "localhost":
        return ["127.0.0.1", "::1"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.mark.parametrize(("url", "reason"), LITERALS, ids=[u for u, _ in LITERALS])
def test_hostile_literal_links_are_refused(url, reason, loopback_only):
    with pytest.raises(FetchRefused) as refused:
        Fetcher(resolver=_localhost_dns).fetch(url)
    assert refused.value.reason == reason, refused.value.message
    assert refused.value.status == 422 and refused.value.message
    assert loopback_only == []  # nothing was dialled


NAMES = {
    "intranet.example": ["10.1.2.3"],
    "meta.example": ["169.254.169.254"],
    "aliyun-meta.example": ["100.100.100.200"],
    "v6meta.example": ["fd00:ec2::254"],
    "mapped.example": ["::ffff:10.0.0.1"],
    "mixed.example": ["93.184.216.34", "127.0.0.1"],
    "mixed6.example": ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
    "teredo.example": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    "sixtofour.example": ["2002:c0a8:101::1"],
    "zero.example": ["0.0.0.0"],
    "siit.example": ["::ffff:0:a9fe:a9fe"],
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_names_resolving_to_private_addresses_are_refused(name, loopback_only):
    with pytest.raises(FetchRefused) as refused:
        Fetcher(resolver=FakeDNS(NAMES)).fetch(f"http://{name}/item")
    assert refused.value.reason == "not_public"
    assert name in refused.value.message and "resolves to" in refused.value.message
    assert loopback_only == []


def test_an_unknown_name_is_a_clear_dns_error():
    with pytest.raises(FetchRefused) as refused:
        Fetcher(resolver=FakeDNS({})).fetch("http://nowhere.example/")
    assert refused.value.reason == "dns" and "nowhere.example" in refused.value.message


def test_dns_rebinding_cannot_move_the_connection(shop, loopback_only):
    """The name is checked once and the connection goes to that address: a resolver that
    answers an internal address the second time is never asked again, and never dialled. The
    internal server listens on the same port, so only the address tells them apart."""
    internal = ShopServer("127.0.0.2", port=shop.port)
    try:
        internal.page("/", "<html><body>internal admin</body></html>")
        shop.page("/", SHOP_HTML)
        dns = FakeDNS({"rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
        page = fetcher_for(shop, resolver=dns).fetch(f"http://rebind.example:{shop.port}/")
        assert "永久包赔" in page.text
        assert dns.calls == ["rebind.example"]
        assert internal.requests == [] and "127.0.0.2" not in loopback_only
    finally:
        internal.close()


def test_each_redirect_hop_is_resolved_and_checked_again(shop, loopback_only):
    internal = ShopServer("127.0.0.2", port=shop.port)
    try:
        internal.page("/admin", "<html><body>internal admin</body></html>")
        shop.redirect("/", f"http://rebind.example:{shop.port}/admin")
        dns = FakeDNS({"rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
        with pytest.raises(FetchRefused) as refused:
            fetcher_for(shop, resolver=dns).fetch(f"http://rebind.example:{shop.port}/")
        assert refused.value.reason == "not_public" and "127.0.0.2" in refused.value.message
        assert internal.requests == [] and "127.0.0.2" not in loopback_only
    finally:
        internal.close()


REDIRECT_TARGETS = [
    ("http://169.254.169.254/latest/meta-data/", "not_public"),
    ("http://[::ffff:169.254.169.254]/", "not_public"),
    ("http://0xa9fea9fe/", "not_public"),
    ("http://100.100.100.200/latest/meta-data/", "not_public"),
    ("http://localhost:6379/", "not_public"),
    ("http://10.0.0.1/", "not_public"),
    ("file:///etc/passwd", "scheme"),
    ("gopher://127.0.0.1:11211/", "scheme"),
    ("http://admin:admin@shop.example/", "credentials"),
]


@pytest.mark.parametrize(("location", "reason"), REDIRECT_TARGETS, ids=[t for t, _ in REDIRECT_TARGETS])
def test_redirects_to_hostile_targets_are_refused(shop, location, reason, loopback_only):
    shop.redirect("/go", location, 302)
    with pytest.raises(FetchRefused) as refused:
        fetcher_for(shop, resolver=_localhost_dns).fetch(shop.url("/go"))
    assert refused.value.reason == reason, refused.value.message
    assert set(loopback_only) == {"127.0.0.1"} and len(shop.requests) == 1


def test_a_redirect_to_another_loopback_port_is_refused(shop):
    other = ShopServer()
    try:
        other.page("/", "<html><body>other service</body></html>")
        shop.redirect("/", other.url("/"))
        with pytest.raises(FetchRefused) as refused:
            fetcher_for(shop).fetch(shop.url("/"))
        assert refused.value.reason == "not_public" and other.requests == []
    finally:
        other.close()


def test_redirect_loops_and_long_chains_are_refused(shop):
    shop.redirect("/a", "/b")
    shop.redirect("/b", "/a")
    with pytest.raises(FetchRefused) as loop:
        fetcher_for(shop).fetch(shop.url("/a"))
    assert loop.value.reason == "redirects"
    for i in range(8):
        shop.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(FetchRefused) as chain:
        fetcher_for(shop).fetch(shop.url("/r0"))
    assert chain.value.reason == "redirects" and "5 redirects" in chain.value.message


def test_oversize_pages_are_refused(shop):
    big = b"<html><body>" + b"x" * (9 * 1024 * 1024) + b"</body></html>"
    shop.page("/declared", big)
    with pytest.raises(FetchRefused) as declared:
        fetcher_for(shop).fetch(shop.url("/declared"))
    assert declared.value.reason == "too_large" and "8 MiB" in declared.value.message
    # No Content-Length (read until close): cut at the cap while reading.
    def undeclared(handler):
        handler.close_connection = True
        return 200, {"Content-Type": "text/html", "Connection": "close", "Content-Length": None}, big
    shop.routes["/undeclared"] = undeclared
    with pytest.raises(FetchRefused) as streamed:
        fetcher_for(shop).fetch(shop.url("/undeclared"))
    assert streamed.value.reason == "too_large"


def test_a_gzip_bomb_is_refused_without_inflating_it(shop):
    bomb = gzip.compress(b"<html><body>" + b"0" * (64 * 1024 * 1024) + b"</body></html>", 9)
    assert len(bomb) < 200 * 1024
    shop.page("/bomb", bomb, Content_Type="text/html", Content_Encoding="gzip")
    with pytest.raises(FetchRefused) as refused:
        fetcher_for(shop).fetch(shop.url("/bomb"))
    assert refused.value.reason == "too_large"


def _slow_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 100000:
        if stop.is_set():
            return
        conn.sendall(bytes([byte]))
        time.sleep(0.05)


def _slow_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n<html>")
    while not stop.is_set():
        conn.sendall(b"x")
        time.sleep(0.05)


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    stop.wait(30)


@pytest.mark.parametrize("behaviour", [_slow_headers, _slow_body, _silent], ids=["slow headers", "slow body", "silent"])
def test_slow_loris_servers_are_cut_off_at_the_deadline(behaviour):
    server = RawServer(behaviour)
    try:
        with pytest.raises(FetchRefused) as refused:
            fetcher_for(server, timeout=1.0).fetch(f"http://127.0.0.1:{server.port}/")
        assert refused.value.reason == "timeout" and "1 s" in refused.value.message
    finally:
        server.close()


def test_http_errors_non_html_and_closed_ports_are_clear(shop):
    shop.page("/gone", "<html>gone</html>", status=404)
    shop.page("/img", b"\x89PNG\r\n\x1a\n", Content_Type="image/png")
    fetcher = fetcher_for(shop)
    with pytest.raises(FetchRefused) as gone:
        fetcher.fetch(shop.url("/gone"))
    assert gone.value.reason == "http_status" and "404" in gone.value.message
    with pytest.raises(FetchRefused) as image:
        fetcher.fetch(shop.url("/img"))
    assert image.value.reason == "not_html" and "image/png" in image.value.message
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(FetchRefused) as refused:
        Fetcher(loopback_for_tests=LoopbackForTests(frozenset({("127.0.0.1", port)}))).fetch(
            f"http://127.0.0.1:{port}/")
    assert refused.value.reason == "connect"


# --- the allowance and the address rules ---------------------------------------------------------
def test_the_test_allowance_admits_only_loopback_endpoints():
    with pytest.raises(ValueError):
        LoopbackForTests(frozenset({("10.0.0.1", 80)}))
    with pytest.raises(ValueError):
        LoopbackForTests(frozenset({("shop.example", 80)}))


def test_production_construction_has_no_allowance(redis_client, tmp_path):
    """The app builds its fetcher without the allowance whatever the configuration says."""
    from server import create_app
    from server.capture.ingest import fetcher_of

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path), "OCR_WORKER": False,
                      "LOOPBACK_FOR_TESTS": [("127.0.0.1", 80)], "FETCH_ALLOW_PRIVATE": True})
    with app.app_context():
        assert fetcher_of(app).loopback_for_tests is None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2001:4860:4860::8888",
                                     "93.184.216.34", "2400:da00::6666"])
def test_public_addresses_pass(address):
    assert refusal(address) is None


def test_parse_target_normalises():
    target = parse_target("HTTPS://Shop.EXAMPLE./item?id=1#frag")
    assert (target.scheme, target.host, target.port) == ("https", "shop.example", 443)
    assert target.url == "https://shop.example./item?id=1"
    assert parse_target("http://卡盟.example/").host == "xn--hlrw93f.example"
