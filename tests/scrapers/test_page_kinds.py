"""Page kind and shop system on layouts the fixtures do not have (issue 12, classes 3-5): named
examples, each a small page of the class. Articles and forum threads are ``other`` whatever the
site is called and whatever shop words they quote; a blog about dujiaoka is not dujiaoka; a shop
system is recognised by its routes, assets and generator marks, not by one theme's look."""
from __future__ import annotations

import pytest

import scrapers


def page(body: str, head: str = "", title: str = "T") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


FORUM_THREAD = page("""
<div class="thread"><h1>【曝光】某数卡网站骗钱，大家小心！</h1>
<div class="postbit"><div class="author">楼主 小明同学</div><div class="postmessage">
<p>在一个叫星辰数卡的站买了个号，页面写着"永久稳定""秒发""假一赔十""24小时内发货""不满意退款"，还说平台先行赔付、有保证金、可申请平台介入。</p>
<p>订单号：XC20261124103322 实付金额：￥88.00 下单时间：2026-11-24 10:33:22</p>
<p>付完款客服让加QQ 2876543210 付款补差价，然后就拉黑了。</p><p>发表于 2026-11-25 09:12</p></div></div>
<div class="postbit"><div class="author">2楼 路人甲</div><div class="postmessage">沙发，这种站都是骗子，谨防话术</div></div>
<div class="postbit"><div class="author">3楼 老王</div><div class="postmessage">回复 2楼：已举报</div></div>
</div><div class="footer">Powered by Discuz! X3.5</div>""", '<meta name="generator" content="Discuz! X3.5">',
                    "【曝光】某数卡网站骗钱 - 数卡交流论坛")

BLOG_ABOUT_DUJIAOKA = page("""
<header><a class="logo" href="/">小鱼数卡博客</a></header>
<article class="post"><h1 class="entry-title">独角数卡 dujiaoka 搭建教程（宝塔版）</h1>
<div class="entry-meta">发布时间：2026-11-20 作者：小鱼 分类：发卡教程</div>
<div class="entry-content"><p>独角数卡是一款开源发卡系统，源码在 <a href="https://github.com/assimon/dujiaoka">github.com/assimon/dujiaoka</a>。</p>
<p>装好以后商品页地址是 /buy/1，订单查询是 /order-search，主题在 /assets/unicorn/ 下。</p>
<p>很多站写着自动发货、永久稳定，买家要自己判断。</p></div></article>
<footer>© 2024-2026 小鱼数卡博客 · Powered by WordPress</footer>""", '<meta name="generator" content="WordPress 6.7">')

DUJIAOKA_NEW_THEME_PRODUCT = page("""
<nav><a class="brand" href="/">星语小铺</a><a href="/order-search">查询订单</a></nav>
<div class="goods-detail"><h2 class="goods-title">Netflix 高级会员 月卡</h2><div class="price">¥ 25.00</div>
<div>库存：18</div><form action="/create-order" method="post"><input name="email"><button type="submit">立即购买</button></form>
<div class="goods-desc"><p>自动发货，质保30天</p></div></div>
<footer>© 2026 星语小铺</footer>""", '<link rel="stylesheet" href="/assets/morpho/css/app.css">')

NEWS_ON_A_SHOP_NAMED_SITE = page("""
<div class="topbar"><a href="/">蓝鲸发卡网</a></div><h1>发卡网常见骗局盘点</h1>
<div class="meta">来源：蓝鲸发卡网 作者：编辑部 阅读：1203</div>
<p>骗子常说"永久稳定""秒发"，还会让你加QQ付款。请勿脱离平台私下交易。</p>
<footer>Copyright © 2026 蓝鲸发卡网</footer>""")

PRODUCT_WITH_RECOMMENDATIONS = page("""
<h1 class="product-title">Steam 钱包充值卡 100 港币</h1><div class="product-price">￥86.00</div><div>库存 52</div>
<button class="btn">立即购买 ￥86.00</button>
<div class="recommend"><ul>
<li class="item"><a href="/item/2">Steam 50 港币</a><span>￥43.00</span></li>
<li class="item"><a href="/item/3">Steam 200 港币</a><span>￥172.00</span></li>
<li class="item"><a href="/item/4">PSN 100 港币</a><span>￥90.00</span></li>
<li class="item"><a href="/item/5">Xbox 100 港币</a><span>￥95.00</span></li></ul></div>""")

CHECKOUT_WITHOUT_A_NUMBER = page("""
<h2>确认订单</h2><table><tr><th>商品</th><th>单价</th><th>数量</th></tr>
<tr><td>腾讯视频 VIP 年卡 x 2</td><td>¥148.00</td><td>2</td></tr></table>
<div>应付金额：¥296.00</div><div>支付方式：支付宝</div><button>立即支付</button>""")

CAIHONG_FORK_PRODUCT = page("""
<div class="navbar-logo"><a href="./"><img src="/assets/img/logo/chengzi_logo.png" alt="橙子云商城"></a>
<a class="mobile-options">更多</a></div><a href="./?mod=query">订单查询</a><a href="./?mod=route&p=User">用户中心</a>
<strong class="pro-desc">腾讯视频VIP会员 月卡 激活码</strong><p>售价: 15.8 元</p><button>购买</button>
<script src="/assets/template/FaKa/assets/js/shop.js"></script>""", title="橙子云商城 - 影视会员卡密自助下单平台")
CAIHONG_QUERY = page("""<a href="./?mod=query">订单查询</a><p>订单编号：20261124153001</p><p>状态：已完成</p>
<link href="assets/faka/css/style.css">""", title="订单查询 - 清风代刷")

CASES = [
    # (name, html, url, page_kind, system)
    ("forum-thread-quoting-scam-phrases", FORUM_THREAD, "https://bbs.shuka-jl.com/thread-88231-1-1.html", "other", None),
    ("blog-about-dujiaoka-is-not-dujiaoka", BLOG_ABOUT_DUJIAOKA, "https://blog.xiaoyu-sk.cn/archives/128/", "other",
     "generic"),
    ("dujiaoka-theme-by-routes-and-assets", DUJIAOKA_NEW_THEME_PRODUCT, "https://ka.xingyu.shop/buy/12", "product",
     "dujiaoka"),
    ("article-on-a-site-named-fakawang", NEWS_ON_A_SHOP_NAMED_SITE, "https://www.lanjing-fk.com/help/scams.html",
     "other", None),
    ("product-page-with-recommendations-is-not-a-shop", PRODUCT_WITH_RECOMMENDATIONS,
     "https://www.kayuan.cn/goods/steam-hk-100", "product", None),
    ("a-fork-with-its-own-theme-folder-is-not-caihong", CAIHONG_FORK_PRODUCT,
     "https://www.chengzi-ka.cn/?mod=shop&gid=12", "product", "generic"),
    ("caihong-by-its-routes", CAIHONG_QUERY, "https://www.qingfeng-ds.cn/?mod=query", "order", "caihong"),
    ("checkout-before-the-order-has-a-number", CHECKOUT_WITHOUT_A_NUMBER, "https://shop.example.cn/confirm", "checkout",
     None),
]


def test_a_logo_image_names_the_site_by_its_alt_not_a_menu_toggle_beside_it():
    facts = scrapers.extract(CAIHONG_FORK_PRODUCT, "https://www.chengzi-ka.cn/?mod=shop&gid=12")
    assert facts.platform.name == "橙子云商城"


@pytest.mark.parametrize("html,url,kind,system", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_page_kind_and_system(html, url, kind, system):
    facts = scrapers.extract(html, url)
    assert facts.page_kind == kind
    if system:
        assert facts.system == system


def test_a_forum_thread_states_no_facts_of_a_shop():
    facts = scrapers.extract(FORUM_THREAD, CASES[0][2])
    assert facts.promises == [] and facts.policies == []
    assert (facts.platform.deposit_system, facts.platform.advance_compensation, facts.platform.dispute_channel) == (
        None, None, None)
    assert facts.order.order_no is None and facts.seller.contacts == [] and facts.product.title is None


def test_a_checkout_without_a_number_fills_the_order_in_focus():
    facts = scrapers.extract(CHECKOUT_WITHOUT_A_NUMBER, CASES[-1][2])
    assert facts.order.order_no is None
    assert facts.order.item == "腾讯视频 VIP 年卡"
    assert facts.order.amount.amount == "296.00" and facts.order.status == "unpaid"
    assert facts.order.payment_method == "alipay"


SHOP_HELP = page("""<div class="nav"><a href="/">首页</a><a href="/?action=query">查询订单</a></div>
<h3>常见问题</h3><p>2. 付款后多久发货</p><p>全部商品均为自动发货，支付成功后自动跳转订单页面显示卡密。</p>
<p>客服微信：lanshan_kf01</p><p>Copyright © 2024 蓝山数码</p>""", title="买家帮助服务中心")


def test_a_front_controllers_help_route_is_terms_and_a_single_shops_help_page_commits_the_shop():
    facts = scrapers.extract(SHOP_HELP, "https://faka.example.cn/?action=help")
    assert facts.page_kind == "terms"
    assert [p.kind for p in facts.promises] == ["auto_delivery"]
    platform_rules = SHOP_HELP.replace("全部商品", "本平台商家的商品")
    assert scrapers.extract(platform_rules, "https://faka.example.cn/?action=help").promises == []


def test_a_payment_logo_is_not_the_site_name():
    html = page('<p>订单号：A1B2C3D4E5F6</p><div class="pay"><img src="/img/alipay-logo.png" alt="支付宝"></div>', title="订单详情")
    assert scrapers.extract(html, "https://x.example.com/order/detail").platform.name != "支付宝"
