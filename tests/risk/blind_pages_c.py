"""Blind test pages for the risk badge, round c: 24 more pages of kinds the first round
(blind_pages.py) has not got: other platforms (7881/螃蟹-style account markets with 找回包赔 tiers,
Plati-style Russian sellers, an 8591-style zh-TW market, a Telegram shop), other wordings (支付宝口令
红包, USDT TRC20, 1万 deposits, 假一罚十, 先行赔付 excluded for virtual goods, a paid money-back
add-on), other layouts (a deposit badge only in an image's alt text, dd.mm.yyyy and "22 Nov 2026"
dates). Each page's facts are labelled by hand as contract/page-facts.md labels them.

Each entry: ``url``, ``html``, ``facts``. The expectations live in ``test_blind_badge_c.py``.
"""
from __future__ import annotations

from tests.risk.pages import facts

CNY = "CNY"


def _money(amount: str, currency: str = CNY) -> dict:
    return {"amount": amount, "currency": currency}


def _page(title: str, body: str, lang: str = "zh-CN") -> str:
    # Every page carries a script the badge must not read (scripts are not visible text).
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<script>window.__cfg={{tip:'本站不提供先行赔付 请加微信付款 开店时间2026-11-23'}};</script>"
            f"</head><body>{body}</body></html>")


PAGES: dict[str, dict] = {}


def page(name: str, url: str, domain: str, title: str, body: str, lang: str = "zh-CN", **parts) -> None:
    PAGES[name] = {"url": url, "html": _page(title, body, lang), "facts": facts(url, domain, **parts)}


# 1. A 7881/螃蟹-style account market's 包赔 rules: the platform itself compensates recovered accounts
#    (先行赔付), with tiers the buyer may add; ICP, 15 years of copyright, a 申请平台介入 channel.
page("qiba_baopei_rules", "https://www.qiyou-7898.com/help/baopei.html", "qiyou-7898.com", "找回包赔规则 - 七游网",
     """<header><a href="/"><img src="/logo.png" alt="七游网"></a><nav><a href="/">首页</a><a href="/zh">买账号</a>
<a href="/help">帮助中心</a></nav></header>
<main><h1>账号找回包赔规则</h1>
<p>凡在七游网购买的账号，如发生原号主找回，经核实后由平台先行赔付，再向卖家追偿。</p>
<table><tr><th>包赔服务</th><th>费用</th><th>赔付比例</th></tr>
<tr><td>基础包赔</td><td>免费</td><td>成交价的50%</td></tr>
<tr><td>全额包赔</td><td>成交价的6%</td><td>成交价的100%</td></tr>
<tr><td>双倍包赔</td><td>成交价的12%</td><td>成交价的200%</td></tr></table>
<p>账号被找回后，请在订单页点击“申请平台介入”，并上传找回截图。</p></main>
<footer><p>客服热线：400-820-7881 | <a href="/about">关于我们</a></p>
<p>Copyright © 2011-2026 七游网 版权所有</p><p>沪ICP备11020345号-3 沪公网安备 31011502005678号</p></footer>""",
     page_kind="terms",
     platform={"name": "七游网", "icp": "沪ICP备11020345号-3", "copyright_years": [2011, 2026],
               "advance_compensation": True, "dispute_channel": True})

# 2. A G2A-style key marketplace where the "money-back guarantee" is a paid add-on, unticked by default.
page("key_paid_guarantee", "https://www.keyvault-shop.com/cyberpunk-2077-steam-key-global-i5510",
     "keyvault-shop.com", "Cyberpunk 2077 Steam Key GLOBAL - KeyVault",
     """<header><a href="/">KeyVault</a><nav><a href="/games">Games</a><a href="/gift-cards">Gift cards</a>
<a href="/support">Support</a></nav></header>
<main><h1>Cyberpunk 2077 (PC) Steam Key GLOBAL</h1>
<p class="price">$19.87</p>
<div class="seller">Sold by <b>NovaKeys</b> · 99.1% positive · 48,210 sales</div>
<div class="addon"><label><input type="checkbox"> KeyVault Shield: money-back guarantee for $1.49 (optional add-on)</label>
<p>Without Shield, refunds are only possible if the seller agrees.</p></div>
<button>Add to cart</button></main>
<footer><p>© 2019-2026 KeyVault Ltd. All rights reserved.</p></footer>""",
     lang="en",
     platform={"name": "KeyVault", "copyright_years": [2019, 2026], "advance_compensation": True},
     page_kind="product",
     seller={"name": "NovaKeys", "sales": 48210},
     product={"title": "Cyberpunk 2077 (PC) Steam Key GLOBAL", "price": _money("19.87", "USD")})

# 3. A 发卡网 whose footer ICP number is printed beside another company's name (borrowed filing).
page("faka_borrowed_icp", "https://www.xingchen-fk.com/", "xingchen-fk.com", "星辰发卡网 - 自动发卡平台",
     """<header><h2>星辰发卡网</h2><nav><a href="/">首页</a><a href="/query">订单查询</a><a href="/merchant">商户登录</a></nav></header>
<main><h1>安全 稳定 自动发卡</h1><p>7x24小时自动发卡，支付宝、微信支付即时到账。</p></main>
<footer><p>© 2024-2026 星辰发卡网</p><p>粤ICP备19045678号-1 深圳市恒泰贸易有限公司</p></footer>""",
     page_kind="shop",
     platform={"name": "星辰发卡网", "icp": "粤ICP备19045678号-1", "copyright_years": [2024, 2026]})

# 4. A 发卡 shop page that asks for payment by an Alipay 口令红包 sent to the owner's QQ.
page("faka_alipay_kouling", "https://www.mushu-ka.cn/item/33", "mushu-ka.cn", "爱奇艺黄金会员 月卡 - 木薯小铺",
     """<header><h2>木薯小铺</h2><nav><a href="/">全部商品</a><a href="/order">查询订单</a></nav></header>
<main><h1>爱奇艺黄金会员 月卡 直充</h1><p class="price">¥ 12.50</p>
<div class="notice"><p>支付接口升级中，请发送12.5元支付宝口令红包给客服QQ 2876541190，备注充值账号，收到后手动充值。</p></div>
<p>库存：88</p></main>
<footer><p>Copyright © 2025-2026 木薯小铺</p></footer>""",
     page_kind="product",
     platform={"name": "木薯小铺", "copyright_years": [2025, 2026]},
     seller={"contacts": [{"type": "qq", "value": "2876541190"}]},
     product={"title": "爱奇艺黄金会员 月卡 直充", "price": _money("12.50"), "stock": 88},
     policies=[{"kind": "off_platform", "quote": "请发送12.5元支付宝口令红包给客服QQ 2876541190", "hours": None}])

# 5. A 卡盟 product page whose seller wants USDT (TRC20) to an address instead of the checkout.
page("km_usdt_trc20", "https://www.longteng-km.com/goods/88213.html", "longteng-km.com",
     "ChatGPT Plus 成品号 - 龙腾卡盟",
     """<header><h2>龙腾卡盟</h2><nav><a href="/">首页</a><a href="/goods">商品</a><a href="/help">帮助</a></nav></header>
<main><h1>ChatGPT Plus 独享成品号 包月</h1><p class="price">¥ 138.00</p>
<div class="shop">店铺：星火AI小店 ｜ 开店时间：2024-06-18 ｜ 成交量：2,317</div>
<div class="desc"><p>大额订单优惠：仅支持USDT（TRC20）付款，转账至 TQ7sZr4Kx2mD8fNwLp3yHa91bVc6eJt5uR 后联系客服发货。</p></div></main>
<footer><p>© 2018-2026 龙腾卡盟</p><p>苏ICP备18061234号-1</p></footer>""",
     page_kind="product",
     platform={"name": "龙腾卡盟", "icp": "苏ICP备18061234号-1", "copyright_years": [2018, 2026]},
     seller={"name": "星火AI小店", "opened_on": "2024-06-18", "sales": 2317},
     product={"title": "ChatGPT Plus 独享成品号 包月", "price": _money("138.00")},
     promises=[{"kind": "exclusive", "quote": "独享", "hours": None}],
     policies=[{"kind": "off_platform", "quote": "仅支持USDT（TRC20）付款", "hours": None}])

# 6. A platform announcing it will close: withdraw balances before the date.
page("km_closing_notice", "https://www.fengyun-km.com/notice/312.html", "fengyun-km.com", "停运公告 - 风云卡盟",
     """<header><h2>风云卡盟</h2><nav><a href="/">首页</a><a href="/notice">公告</a></nav></header>
<main><h1>关于风云卡盟停止运营的公告</h1><p class="meta">发布时间：2026-11-20</p>
<p>因公司业务调整，本站将于2026年12月15日起停止运营，届时关闭全部充值与交易功能。</p>
<p>请各位会员在此之前尽快使用或申请提现账户余额，逾期未处理的余额本站不再受理。</p></main>
<footer><p>© 2017-2026 风云卡盟</p><p>湘ICP备17009921号-1</p></footer>""",
     page_kind="terms",
     platform={"name": "风云卡盟", "icp": "湘ICP备17009921号-1", "copyright_years": [2017, 2026]},
     timestamps=[{"role": "updated", "label": "发布时间", "at": "2026-11-20T00:00:00+08:00"}])

# 7. An account-market seller with a 98% positive rating but a shop opened two days before.
page("jym_98pct_two_days", "https://www.youxi-mao.cn/seller/7731902", "youxi-mao.cn", "卖家主页 - 游戏猫",
     """<header><h2>游戏猫</h2><nav><a href="/">首页</a><a href="/buy">我要买</a><a href="/sell">我要卖</a></nav></header>
<main><div class="seller-card"><h1>初夏号铺</h1>
<p>好评率：98%</p><p>开店时间：2026-11-22</p><p>成交：6笔</p>
<p>已实名认证 · 已绑定手机</p></div>
<ul class="goods"><li>【原神】64级 雷神满命 双金 可改绑</li><li>【崩坏：星穹铁道】开服号 12金</li></ul></main>
<footer><p>© 2015-2026 游戏猫</p><p>浙ICP备15033880号-4</p></footer>""",
     page_kind="shop",
     platform={"name": "游戏猫", "icp": "浙ICP备15033880号-4", "copyright_years": [2015, 2026]},
     seller={"name": "初夏号铺", "id": "7731902", "opened_on": "2026-11-22", "sales": 6})

# 8. A Plati-style Russian seller page: RUB, "Гарантия 30 дней", seller registered on 14.11.2026
#    (dd.mm.yyyy), 3 sales.
page("plati_ru_new_seller", "https://www.digiseller-pro.ru/seller/vortex-keys/881203", "digiseller-pro.ru",
     "Продавец VortexKeys — Digi Pro",
     """<header><a href="/">Digi Pro</a><nav><a href="/games">Игры</a><a href="/soft">Программы</a></nav></header>
<main><h1>Продавец: VortexKeys</h1>
<p>На площадке с 14.11.2026</p><p>Продаж: 3</p><p>Положительных отзывов: 100%</p>
<div class="item"><h2>Microsoft Office 2021 Pro Plus — ключ активации</h2><p class="price">690 ₽</p>
<p>Гарантия 30 дней: при проблеме с ключом замена или возврат.</p></div>
<p>Если товар не соответствует описанию, откройте претензию в течение 30 дней.</p></main>
<footer><p>© 2012–2026 Digi Pro</p></footer>""",
     lang="ru",
     page_kind="shop",
     platform={"name": "Digi Pro", "copyright_years": [2012, 2026], "dispute_channel": True},
     seller={"name": "VortexKeys", "id": "881203", "opened_on": "2026-11-14", "sales": 3},
     product={"title": "Microsoft Office 2021 Pro Plus — ключ активации", "price": _money("690", "RUB")},
     promises=[{"kind": "warranty", "quote": "Гарантия 30 дней", "hours": 720}],
     policies=[{"kind": "feedback_window", "quote": "откройте претензию в течение 30 дней", "hours": 720}])

# 9. An 8591-style zh-TW game-currency listing: NT$, a seller registered since 2019/05/02, 1,024 deals.
page("tw_8591_coins", "https://www.bao8599.com.tw/v3/mall/detail.php?id=7712308", "bao8599.com.tw",
     "天堂M 鑽石 1000顆 - 寶物交易",
     """<header><h2>寶物交易</h2><nav><a href="/">首頁</a><a href="/mall">買家專區</a><a href="/help">客服中心</a></nav></header>
<main><h1>【天堂M】鑽石 1000顆 代儲 快速到帳</h1><p class="price">NT$ 860</p>
<div class="seller">賣家：龍騰代儲 ｜ 註冊時間：2019/05/02 ｜ 成交：1,024 筆 ｜ 好評率 99.6%</div>
<p>交易有問題請於收到商品後3天內至客服中心提出申訴，逾期恕不受理。</p></main>
<footer><p>寶物交易 版權所有 © 2006-2026</p></footer>""",
     lang="zh-TW",
     page_kind="product",
     platform={"name": "寶物交易", "copyright_years": [2006, 2026]},
     seller={"name": "龍騰代儲", "opened_on": "2019-05-02", "sales": 1024},
     product={"title": "【天堂M】鑽石 1000顆 代儲 快速到帳", "price": _money("860", "TWD")},
     policies=[{"kind": "feedback_window", "quote": "收到商品後3天內至客服中心提出申訴", "hours": 72}])

# 10. A 卡盟 shop whose deposit appears only as an image badge's alt text: nothing a person can find
#     with Ctrl+F on the page (the scrapers read visible text only, so the facts carry no deposit).
page("km_deposit_alt_only", "https://www.baiyun-km.com/shop/60218.html", "baiyun-km.com", "清风数码 - 白云卡盟",
     """<header><h2>白云卡盟</h2><nav><a href="/">首页</a><a href="/shop">店铺</a></nav></header>
<main><div class="shop-head"><h1>清风数码</h1>
<img src="/static/badge/bzj-5000.png" alt="已缴纳保证金5000元 先行赔付">
<p>开店时间：2022-03-09</p><p>成交量：5,120</p></div>
<ul><li>网易云音乐黑胶VIP 月卡</li><li>百度网盘超级会员 月卡</li></ul></main>
<footer><p>© 2016-2026 白云卡盟</p><p>鄂ICP备16011223号-2</p></footer>""",
     page_kind="shop",
     platform={"name": "白云卡盟", "icp": "鄂ICP备16011223号-2", "copyright_years": [2016, 2026]},
     seller={"name": "清风数码", "id": "60218", "opened_on": "2022-03-09", "sales": 5120})

# 11. A 卡盟's 先行赔付 rules that exclude virtual goods, i.e. everything it sells: no compensation.
page("km_advance_excludes_virtual", "https://www.jinshan-km.com/help/peifu.html", "jinshan-km.com",
     "先行赔付说明 - 金山卡盟",
     """<header><h2>金山卡盟</h2><nav><a href="/">首页</a><a href="/help">帮助中心</a></nav></header>
<main><h1>先行赔付说明</h1>
<p>先行赔付服务不适用于虚拟商品（包括点卡、激活码、游戏账号、会员卡密等），此类商品纠纷由买卖双方自行协商解决。</p>
<p>对卖家处理结果不满意的，可在订单页申请平台介入。</p></main>
<footer><p>© 2013-2026 金山卡盟</p><p>赣ICP备13004567号-1</p></footer>""",
     page_kind="terms",
     platform={"name": "金山卡盟", "icp": "赣ICP备13004567号-1", "copyright_years": [2013, 2026],
               "advance_compensation": False, "dispute_channel": True})

# 12. A news article quoting scam phrases (最终解释权, 加QQ付款, 先行赔付, 保证金): neutral, not a shop.
page("news_scam_report", "https://news.kejiwang-daily.com/2026/11/20/kameng-pianju.html", "kejiwang-daily.com",
     "起底“卡盟”骗局：先交保证金才能退款？- 科技网",
     """<header><h2>科技网</h2><nav><a href="/">首页</a><a href="/tech">科技</a><a href="/law">法治</a></nav></header>
<main><article><h1>起底“卡盟”骗局：先交保证金才能退款？</h1><p class="meta">2026-11-20 记者 王宁</p>
<p>记者调查发现，一些卡盟商家以“通道维护”为由，要求买家加QQ付款或扫个人收款码。</p>
<p>事后买家申请退款，对方称“平台不提供先行赔付”，并以“最终解释权归本店所有”“虚拟商品概不退换”推脱。</p>
<p>律师提醒，此类格式条款无效，消费者可向12315投诉。</p></article></main>
<footer><p>© 2008-2026 科技网</p><p>京ICP备08012345号</p></footer>""",
     page_kind="other",
     platform={"name": "科技网", "icp": "京ICP备08012345号", "copyright_years": [2008, 2026]})

# 13. A domestic 卡盟 selling a US-dollar Steam gift card for yuan: the $ in the title is the goods, not
#     the currency the buyer pays in (not cross-border).
page("km_usd_giftcard_for_cny", "https://www.tianma-km.com/goods/4410.html", "tianma-km.com",
     "Steam 美区 $20 礼品卡 - 天马卡盟",
     """<header><h2>天马卡盟</h2><nav><a href="/">首页</a><a href="/goods">商品</a></nav></header>
<main><h1>Steam 美区 $20 礼品卡 卡密</h1><p class="price">售价：¥ 146.00</p>
<p>面值：US$ 20.00 ｜ 自动发货</p>
<div class="shop">店铺：北辰游戏 ｜ 保证金：¥2,000.00 ｜ 开店时间：2020-08-01 ｜ 成交量：31,406</div></main>
<footer><p>© 2012-2026 天马卡盟</p><p>闽ICP备12021311号-1</p></footer>""",
     page_kind="product",
     platform={"name": "天马卡盟", "icp": "闽ICP备12021311号-1", "copyright_years": [2012, 2026]},
     seller={"name": "北辰游戏", "deposit": _money("2000.00"), "opened_on": "2020-08-01", "sales": 31406},
     product={"title": "Steam 美区 $20 礼品卡 卡密", "price": _money("146.00")},
     promises=[{"kind": "auto_delivery", "quote": "自动发货", "hours": None}])

# 14. A 卡盟 shop header writing its deposit and sales in 万: 保证金 1万元, 成交 3.2万.
page("km_deposit_wan", "https://www.haotian-km.com/shop/10233.html", "haotian-km.com", "皓月游戏 - 昊天卡盟",
     """<header><h2>昊天卡盟</h2><nav><a href="/">首页</a><a href="/shop">商家</a></nav></header>
<main><div class="shop-head"><h1>皓月游戏</h1>
<p>保证金：1万元</p><p>开店时间：2018年4月2日</p><p>累计成交：3.2万笔</p></div>
<ul><li>QQ会员 年卡</li><li>腾讯视频VIP 季卡</li></ul></main>
<footer><p>© 2014-2026 昊天卡盟</p><p>川ICP备14020088号-1</p></footer>""",
     page_kind="shop",
     platform={"name": "昊天卡盟", "icp": "川ICP备14020088号-1", "copyright_years": [2014, 2026]},
     seller={"name": "皓月游戏", "id": "10233", "deposit": _money("10000.00"), "opened_on": "2018-04-02",
             "sales": 32000})

# 15. A key marketplace seller profile: "Joined 21 Nov 2026" (day month year), 4 sales.
page("key_seller_joined_dmy", "https://www.gamesforge-market.com/seller/pixelkeys", "gamesforge-market.com",
     "PixelKeys — seller profile — GamesForge",
     """<header><a href="/">GamesForge</a><nav><a href="/store">Store</a><a href="/help">Help</a></nav></header>
<main><h1>PixelKeys</h1><ul class="stats"><li>Joined 21 Nov 2026</li><li>Sales: 4</li><li>Rating: 100%</li></ul>
<div class="offer"><h2>EA SPORTS FC 26 (PC) EA App Key EUROPE</h2><p class="price">€34.90</p></div>
<p>Something wrong with your key? Open a dispute from your order page.</p></main>
<footer><p>© 2020-2026 GamesForge Sp. z o.o. All rights reserved.</p></footer>""",
     lang="en",
     page_kind="shop",
     platform={"name": "GamesForge", "copyright_years": [2020, 2026], "dispute_channel": True},
     seller={"name": "PixelKeys", "opened_on": "2026-11-21", "sales": 4},
     product={"title": "EA SPORTS FC 26 (PC) EA App Key EUROPE", "price": _money("34.90", "EUR")})

# 16. A foreign marketplace's terms in English: "All sales are final. No refunds under any circumstances."
page("key_terms_all_sales_final", "https://www.keyvault-shop.com/terms", "keyvault-shop.com",
     "Terms of Sale - KeyVault",
     """<header><a href="/">KeyVault</a></header>
<main><h1>Terms of Sale</h1>
<p>4.1 All sales are final. No refunds under any circumstances.</p>
<p>4.2 KeyVault reserves the right of final interpretation of these terms.</p>
<p>4.3 Report a problem with a key within 24 hours of purchase.</p></main>
<footer><p>© 2019-2026 KeyVault Ltd. All rights reserved.</p></footer>""",
     lang="en",
     page_kind="terms",
     platform={"name": "KeyVault", "copyright_years": [2019, 2026], "dispute_channel": True},
     policies=[{"kind": "no_refund", "quote": "No refunds under any circumstances", "hours": None},
               {"kind": "final_interpretation", "quote": "reserves the right of final interpretation", "hours": None},
               {"kind": "feedback_window", "quote": "within 24 hours of purchase", "hours": 24}])

# 17. A 盼之-style account product page: the seller's own 找回包赔 promise and the account itself.
page("panzhi_account_baopei", "https://www.panyou-ddc.com/goods/wzry/558120", "panyou-ddc.com",
     "王者荣耀 iOS微信区 荣耀王者 - 盼游",
     """<header><h2>盼游</h2><nav><a href="/">首页</a><a href="/wzry">王者荣耀</a><a href="/guarantee">包赔服务</a></nav></header>
<main><h1>王者荣耀 iOS微信区 荣耀王者 248皮肤 可二次实名</h1><p class="price">¥ 1,280.00</p>
<p>卖家承诺：一手号，本人实名，永久包找回，被找回全额赔付。</p>
<p>商家：小满号行（店铺ID 30021）｜ 保证金：¥5,000 ｜ 开店时间：2021-09-30 ｜ 成交：906</p></main>
<footer><p>© 2019-2026 盼游</p><p>浙ICP备19012233号-2</p></footer>""",
     page_kind="product",
     platform={"name": "盼游", "icp": "浙ICP备19012233号-2", "copyright_years": [2019, 2026]},
     seller={"name": "小满号行", "id": "30021", "deposit": _money("5000.00"), "opened_on": "2021-09-30",
             "sales": 906},
     product={"title": "王者荣耀 iOS微信区 荣耀王者 248皮肤 可二次实名", "price": _money("1280.00")},
     promises=[{"kind": "original_owner", "quote": "一手号", "hours": None},
               {"kind": "original_owner", "quote": "永久包找回，被找回全额赔付", "hours": None}])

# 18. A 卡盟 order page: the card codes must be checked within 2 hours of 提货 (pick-up = delivery).
page("km_order_2h_check", "https://www.longteng-km.com/user/order/LT20261124101502", "longteng-km.com",
     "订单详情 - 龙腾卡盟",
     """<header><h2>龙腾卡盟</h2><nav><a href="/user">会员中心</a><a href="/user/order">我的订单</a></nav></header>
<main><h1>订单详情</h1>
<p>订单号：LT20261124101502</p><p>商品：网易云音乐黑胶VIP 年卡</p><p>金额：¥ 118.00</p>
<p>下单时间：2026-11-24 10:15:02</p><p>提货时间：2026-11-24 10:15:09</p>
<p>卡密：NE7K-Q2ZP-88WX</p>
<p class="tip">请于提货后2小时内核对卡密，超时视为正常，不予处理。</p></main>
<footer><p>© 2018-2026 龙腾卡盟</p><p>苏ICP备18061234号-1</p></footer>""",
     page_kind="order",
     platform={"name": "龙腾卡盟", "icp": "苏ICP备18061234号-1", "copyright_years": [2018, 2026]},
     order={"order_no": "LT20261124101502", "item": "网易云音乐黑胶VIP 年卡", "amount": _money("118.00"),
            "status": "delivered", "card_codes": ["NE7K-Q2ZP-88WX"]},
     timestamps=[{"role": "ordered", "label": "下单时间", "at": "2026-11-24T10:15:02+08:00"},
                 {"role": "delivered", "label": "提货时间", "at": "2026-11-24T10:15:09+08:00"}],
     policies=[{"kind": "feedback_window", "quote": "请于提货后2小时内核对卡密", "hours": 2}])

# 19. A 卡盟 shop that lists its after-sales QQ (a contact, not a request to pay outside the platform).
page("km_shop_qq_contact", "https://www.tianma-km.com/shop/3301.html", "tianma-km.com", "星辰游戏专营 - 天马卡盟",
     """<header><h2>天马卡盟</h2><nav><a href="/">首页</a><a href="/shop">商家</a></nav></header>
<main><div class="shop-head"><h1>星辰游戏专营</h1><p>售后QQ：1458823301（工作时间 9:00-23:00）</p>
<p>开店时间：2017-05-20</p><p>成交量：120,553</p><p>保证金：¥3,000.00</p></div>
<p class="tip">温馨提示：请在平台内下单付款，切勿私下转账。</p></main>
<footer><p>© 2012-2026 天马卡盟</p><p>闽ICP备12021311号-1</p></footer>""",
     page_kind="shop",
     platform={"name": "天马卡盟", "icp": "闽ICP备12021311号-1", "copyright_years": [2012, 2026]},
     seller={"name": "星辰游戏专营", "id": "3301", "contacts": [{"type": "qq", "value": "1458823301"}],
             "opened_on": "2017-05-20", "sales": 120553, "deposit": _money("3000.00")})

# 20. A platform that says it does not step into disputes and does not compensate; seller 假一罚十.
page("km_no_intervention", "https://www.dingsheng-km.com/article/rules.html", "dingsheng-km.com",
     "交易须知 - 鼎盛卡盟",
     """<header><h2>鼎盛卡盟</h2><nav><a href="/">首页</a><a href="/article">公告</a></nav></header>
<main><h1>交易须知</h1>
<p>1. 本平台仅为商家提供商品展示与自动发卡服务，平台不介入买卖双方的交易纠纷。</p>
<p>2. 平台无先行赔付，请买家自行甄别商家信誉。</p>
<p>3. 部分商家承诺“假一罚十”，以商家页面说明为准。</p></main>
<footer><p>© 2022-2026 鼎盛卡盟</p><p>豫ICP备2022012345号-1</p></footer>""",
     page_kind="terms",
     platform={"name": "鼎盛卡盟", "icp": "豫ICP备2022012345号-1", "copyright_years": [2022, 2026],
               "advance_compensation": False, "dispute_channel": False})

# 21. A Telegram shop's web storefront (a bot's mini-shop): pay USDT to the owner, contact @handle; no ICP.
page("tg_shop_web", "https://shop.kuaima-pay.xyz/store/netflix", "kuaima-pay.xyz", "快马商店 - Netflix 4K 独享",
     """<header><h2>快马商店</h2><p>Telegram 官方频道：<a href="https://t.me/kuaima_store">@kuaima_store</a></p></header>
<main><h1>Netflix 4K 独享账号 1个月</h1><p class="price">¥ 35.00 / 5 USDT</p>
<p>付款方式：点击下方按钮跳转机器人，向机器人给出的地址转账USDT（TRC20），付款后私聊 @kuaima_kefu 发送截图发货。</p>
<p>本店售出账号不提供任何售后，一经售出概不退换。</p></main>
<footer><p>© 2026 快马商店</p></footer>""",
     page_kind="product",
     platform={"name": "快马商店", "copyright_years": [2026, 2026]},
     seller={"contacts": [{"type": "telegram", "value": "@kuaima_kefu"}]},
     product={"title": "Netflix 4K 独享账号 1个月", "price": _money("35.00")},
     promises=[{"kind": "exclusive", "quote": "独享", "hours": None}],
     policies=[{"kind": "off_platform", "quote": "付款后私聊 @kuaima_kefu 发送截图发货", "hours": None},
               {"kind": "no_refund", "quote": "一经售出概不退换", "hours": None}])

# 22. A 卡盟 whose 消费者保障金 is what each seller has lodged for buyers (Taobao-style wording): the
#     seller's deposit under another name, and the platform's compensation (contract: 消费者保障金).
page("km_baozhangjin_seller", "https://www.haotian-km.com/goods/77120.html", "haotian-km.com",
     "优酷VIP 月卡 - 昊天卡盟",
     """<header><h2>昊天卡盟</h2><nav><a href="/">首页</a><a href="/goods">商品</a></nav></header>
<main><h1>优酷VIP会员 月卡 官方直充</h1><p class="price">¥ 15.80</p>
<div class="shop"><p>商家：晨风数码（店铺ID 50877）</p><p>该商家已缴纳消费者保障金 ¥2,000，商品与描述不符可申请赔付。</p>
<p>开店时间：2023-02-14 ｜ 成交量：8,832</p></div></main>
<footer><p>© 2014-2026 昊天卡盟</p><p>川ICP备14020088号-1</p></footer>""",
     page_kind="product",
     platform={"name": "昊天卡盟", "icp": "川ICP备14020088号-1", "copyright_years": [2014, 2026],
               "advance_compensation": True, "dispute_channel": True},
     seller={"name": "晨风数码", "id": "50877", "deposit": _money("2000.00"), "opened_on": "2023-02-14",
             "sales": 8832},
     product={"title": "优酷VIP会员 月卡 官方直充", "price": _money("15.80")},
     promises=[{"kind": "as_described", "quote": "官方直充", "hours": None}])

# 23. A young 卡盟 that claims "运营十年" while its copyright line starts this year.
page("km_claims_ten_years", "https://www.jiuzhou-km.top/", "jiuzhou-km.top", "九州卡盟 - 十年老站 值得信赖",
     """<header><h2>九州卡盟</h2><nav><a href="/">首页</a><a href="/goods">全部商品</a></nav></header>
<main><div class="banner"><h1>十年老站 值得信赖</h1><p>九州卡盟运营十年，累计服务用户超百万。</p></div>
<ul class="goods"><li>王者荣耀 点券 直充 <span>¥ 9.50</span></li><li>和平精英 UC 直充 <span>¥ 28.00</span></li></ul></main>
<footer><p>Copyright © 2026 九州卡盟</p><p>客服QQ：3302118890</p></footer>""",
     page_kind="shop",
     platform={"name": "九州卡盟", "copyright_years": [2026, 2026]})

# 24. An Eneba-style zh-TW storefront of a foreign marketplace in HK$, with a paid "買家保障" add-on.
page("hk_storefront_paid_protection", "https://www.gamekeyz.hk/zh-tw/steam-wallet-hkd-200", "gamekeyz.hk",
     "Steam 錢包 HK$200 - GameKeyz",
     """<header><a href="/zh-tw">GameKeyz</a><nav><a href="/zh-tw/games">遊戲</a><a href="/zh-tw/help">說明</a></nav></header>
<main><h1>Steam 錢包充值卡 HK$200（香港區）</h1><p class="price">HK$ 203.50</p>
<p>賣家：KeyHub Asia · 成交 8,320 筆</p>
<label><input type="checkbox"> 加購買家保障（HK$ 6.90）：卡密無效可退款</label></main>
<footer><p>© 2021-2026 GameKeyz Limited</p></footer>""",
     lang="zh-TW",
     page_kind="product",
     platform={"name": "GameKeyz", "copyright_years": [2021, 2026], "advance_compensation": True},
     seller={"name": "KeyHub Asia", "sales": 8320},
     product={"title": "Steam 錢包充值卡 HK$200（香港區）", "price": _money("203.50", "HKD")})
