"""Phone screenshots for the OCR tests and benchmark, made in Chromium from realistic pages:
支付宝 and 微信 bill details (账单详情), a bank's transaction detail, chats with a seller and
error prompts (卡密无效, 账号已被找回…), in light and dark mode on phone viewports.

Every screen is generated from a seed with the values it shows, so a test knows exactly what
the OCR should read. Nothing here is used by the server.
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PAYEES = ["星辰卡盟", "北极星游戏工作室", "杭州云途网络科技有限公司", "极速发卡网", "蓝鲸数码专营店",
          "深圳市乐享科技有限公司", "月光寄售", "天天卡密小铺", "广州星火信息技术有限公司", "飞鱼自动发货"]
ITEMS = ["王者荣耀成品号 V10", "Steam 充值卡 100元", "原神 648 创世结晶", "腾讯视频会员 年卡", "网易云音乐黑胶 月卡",
         "和平精英 账号", "Apple ID 美区 礼品卡", "爱奇艺 VIP 季卡", "迷你世界 迷你币 1000", "QQ 超级会员 3个月"]
PAY_METHODS = ["余额宝", "花呗", "招商银行储蓄卡(1234)", "账户余额", "零钱", "建设银行信用卡(8821)"]
VIEWPORTS = [(390, 844, 3), (360, 780, 3), (414, 896, 2), (375, 812, 3), (412, 915, 2.625)]


@dataclass
class Screen:
    name: str
    kind: str  # payment | chat | error
    html: str
    dark: bool
    viewport: tuple[int, int, float]
    expected: dict = field(default_factory=dict)


def _amount(rng: random.Random) -> str:
    value = rng.choice([rng.randint(1, 99) * 1.0, rng.randint(100, 2999) + rng.choice([0, 0.5, 0.99, 0.01, 0.8]),
                        rng.randint(5, 648) + rng.randint(0, 99) / 100])
    return f"{value:.2f}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _when(rng: random.Random) -> datetime:
    return datetime(2026, rng.randint(1, 11), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
                    rng.randint(0, 59))


def _page(body: str, dark: bool, font_px: int, extra_css: str = "") -> str:
    fg, bg, sub, line, card = (("#e6e6e6", "#111111", "#8c8c8c", "#2a2a2a", "#1c1c1e") if dark
                               else ("#1a1a1a", "#f5f5f5", "#8a8a8a", "#eeeeee", "#ffffff"))
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 * {{ box-sizing: border-box; }}
 body {{ margin: 0; background: {bg}; color: {fg}; font: {font_px}px/1.5 "Noto Sans CJK SC", "PingFang SC", sans-serif; }}
 .bar {{ display: flex; justify-content: space-between; padding: 6px 18px; font-size: 13px; font-weight: 600; }}
 .nav {{ text-align: center; padding: 10px; font-size: 17px; position: relative; }}
 .nav .back {{ position: absolute; left: 14px; }}
 .card {{ background: {card}; margin: 10px 0; padding: 8px 18px; }}
 .sub {{ color: {sub}; }}
 .row {{ display: flex; padding: 9px 0; border-bottom: 1px solid {line}; }}
 .row .k {{ color: {sub}; flex: 0 0 6.2em; }}
 .row .v {{ flex: 1; word-break: break-all; }}
 .stack .k {{ display: block; color: {sub}; font-size: 0.85em; }}
 .big {{ font-size: 34px; font-weight: 600; text-align: center; margin: 6px 0; letter-spacing: 0.5px; }}
 .center {{ text-align: center; }}
 {extra_css}
</style></head><body>{body}</body></html>"""


def _status_bar(clock: str) -> str:
    return f'<div class="bar"><span>{clock}</span><span>5G ▂▄▆ 87%</span></div>'


def _rows(pairs: list[tuple[str, str]], stacked: bool) -> str:
    cls = "row stack" if stacked else "row"
    inner = "".join(f'<div class="{cls}"><span class="k">{html.escape(k)}</span><span class="v">{html.escape(v)}'
                    f"</span></div>" for k, v in pairs)
    return f'<div class="card">{inner}</div>'


def alipay(rng: random.Random, dark: bool, **fixed) -> Screen:
    """An Alipay bill; ``fixed`` may set payee, amount, when (datetime) and merchant_no."""
    payee, item = fixed.get("payee") or rng.choice(PAYEES), rng.choice(ITEMS)
    amount, when = fixed.get("amount") or _amount(rng), fixed.get("when") or _when(rng)
    txn = when.strftime("%Y%m%d") + "2200" + _digits(rng, 16)
    merchant_no = fixed.get("merchant_no") or (rng.choice(["T", "", "KM", ""]) + when.strftime("%Y%m%d%H%M%S")
                                               + _digits(rng, rng.choice([4, 6])))
    stacked = rng.random() < 0.25
    pairs = [("支付时间", when.strftime("%Y-%m-%d %H:%M:%S")), ("付款方式", rng.choice(PAY_METHODS)),
             ("商品说明", item), ("收款方全称", payee), ("收单机构", "支付宝(中国)网络技术有限公司"),
             ("交易单号", txn), ("商家订单号", merchant_no)]
    if rng.random() < 0.5:
        pairs.insert(0, ("创建时间", (when - timedelta(seconds=rng.randint(3, 50))).strftime("%Y-%m-%d %H:%M:%S")))
        pairs[1], pairs[0] = pairs[0], pairs[1]
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav"><span class="back">&lt;</span>账单详情</div>'
            f'<div class="card center"><div>{html.escape(payee)}</div><div class="big">-{amount}</div>'
            '<div class="sub">交易成功</div></div>' + _rows(pairs, stacked)
            + _rows([("账单分类", "数码电器"), ("标签和备注", "添加")], stacked))
    return Screen("alipay", "payment", _page(body, dark, rng.choice([15, 16, 17])), dark, rng.choice(VIEWPORTS),
                  {"payee": payee, "amount": amount, "time": when.strftime("%Y-%m-%dT%H:%M:%S"),
                   "transaction_no": txn, "merchant_order_no": merchant_no})


def wechat(rng: random.Random, dark: bool, **fixed) -> Screen:
    """A WeChat Pay bill; ``fixed`` as for :func:`alipay`."""
    payee, item = fixed.get("payee") or rng.choice(PAYEES), rng.choice(ITEMS)
    amount, when = fixed.get("amount") or _amount(rng), fixed.get("when") or _when(rng)
    txn = "42000" + _digits(rng, 5) + when.strftime("%Y%m%d") + _digits(rng, 10)
    merchant_no = fixed.get("merchant_no") or when.strftime("%Y%m%d%H%M%S") + _digits(rng, rng.choice([4, 6, 8]))
    pairs = [("当前状态", "支付成功"), ("支付时间", when.strftime("%Y年%m月%d日 %H:%M:%S")), ("商品", item),
             ("商户全称", payee), ("收单机构", "财付通支付科技有限公司"), ("支付方式", rng.choice(PAY_METHODS)),
             ("交易单号", txn), ("商户单号", merchant_no)]
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav"><span class="back">&lt;</span>账单详情</div>'
            f'<div class="card center"><div>{html.escape(payee)}</div><div class="big">-{amount}</div></div>'
            + _rows(pairs, rng.random() < 0.2) + '<div class="card center sub">对订单有疑惑 · 发起群收款</div>')
    css = ".big { font-family: 'DejaVu Sans', sans-serif; }" if rng.random() < 0.5 else ""
    return Screen("wechat", "payment", _page(body, dark, rng.choice([15, 16, 17]), css), dark, rng.choice(VIEWPORTS),
                  {"payee": payee, "amount": amount, "time": when.strftime("%Y-%m-%dT%H:%M:%S"),
                   "transaction_no": txn, "merchant_order_no": merchant_no})


def bank(rng: random.Random, dark: bool) -> Screen:
    payee, amount, when = rng.choice(PAYEES), _amount(rng), _when(rng)
    txn = _digits(rng, rng.choice([20, 22, 24]))
    pairs = [("交易金额", f"-{amount} 元"), ("交易时间", when.strftime("%Y/%m/%d %H:%M:%S")), ("对方户名", payee),
             ("交易类型", "快捷支付"), ("交易流水号", txn), ("交易卡号", "6214 **** **** 1234")]
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav"><span class="back">&lt;</span>交易详情</div>'
            + _rows(pairs, rng.random() < 0.3))
    return Screen("bank", "payment", _page(body, dark, rng.choice([15, 16])), dark, rng.choice(VIEWPORTS),
                  {"payee": payee, "amount": amount, "time": when.strftime("%Y-%m-%dT%H:%M:%S"),
                   "transaction_no": txn, "merchant_order_no": None})


ERRORS = [("卡密无效，请检查后重新输入", "invalid_code"), ("该卡密已被使用", "invalid_code"),
          ("兑换失败：激活码无效或已过期", "invalid_code"), ("您的账号已被找回，请联系原绑定手机", "account_recovered"),
          ("该账号已被申诉找回，当前设备已下线", "account_recovered"), ("账号已被封禁，封禁至2099-12-31", "account_banned")]


def error_prompt(rng: random.Random, dark: bool, **fixed) -> Screen:
    message, problem = rng.choice(ERRORS)
    when = fixed.get("when") or _when(rng)
    stamp = rng.choice([when.strftime("%Y-%m-%d %H:%M:%S"), when.strftime("%Y-%m-%d %H:%M"),
                        when.strftime("%Y年%m月%d日 %H:%M")])
    css = (".mask { position: fixed; inset: 0; background: rgba(0,0,0,0.45); }"
           " .dlg { position: fixed; left: 8%; right: 8%; top: 32%; background: " + ("#2c2c2e" if dark else "#fff")
           + "; border-radius: 12px; padding: 22px; text-align: center; }"
           " .btn { margin-top: 16px; color: #1677ff; font-weight: 600; }")
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav">登录</div>'
            '<div class="card">账号 <span class="sub">138****5678</span></div><div class="card">密码 ••••••••</div>'
            f'<div class="mask"></div><div class="dlg"><div style="font-weight:600">提示</div>'
            f'<div>{html.escape(message)}</div><div class="sub">{stamp}</div><div class="btn">确定</div></div>')
    precision = "%Y-%m-%dT%H:%M:%S" if stamp.count(":") == 2 else "%Y-%m-%dT%H:%M"
    return Screen("error", "error", _page(body, dark, 16, css), dark, rng.choice(VIEWPORTS),
                  {"problem": problem, "message": message, "time": when.strftime(precision)})


def chat(rng: random.Random, dark: bool) -> Screen:
    when = _when(rng)
    order_no = when.strftime("%Y%m%d%H%M%S") + _digits(rng, 6)
    css = (".msg { margin: 10px 14px; display: flex; } .me { justify-content: flex-end; }"
           " .bubble { max-width: 72%; padding: 8px 12px; border-radius: 8px; background: "
           + ("#2c2c2e" if dark else "#fff") + "; } .me .bubble { background: #95ec69; color: #111; }"
           " .time { text-align: center; font-size: 12px; }")
    lines = [("me", f"你好，订单 {order_no} 的账号登录提示已被找回"), ("them", "亲，请提供一下截图"),
             ("me", "截图已发，请尽快处理，页面写的永久包赔"), ("them", "稍等，我们核实一下")]
    bubbles = "".join(f'<div class="msg {"me" if who == "me" else ""}"><div class="bubble">{html.escape(t)}</div></div>'
                      for who, t in lines)
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav"><span class="back">&lt;</span>商家客服</div>'
            f'<div class="time sub">{when.strftime("%Y-%m-%d %H:%M")}</div>' + bubbles)
    return Screen("chat", "chat", _page(body, dark, 15, css), dark, rng.choice(VIEWPORTS),
                  {"order_no": order_no, "time": when.strftime("%Y-%m-%dT%H:%M")})


MAKERS = {"alipay": alipay, "wechat": wechat, "bank": bank, "error": error_prompt, "chat": chat}


def generate(seed: int, count: int, kinds: tuple[str, ...] = ("alipay", "wechat", "bank")) -> list[Screen]:
    """``count`` screens, kinds in turn, every other one in dark mode, values from ``seed``."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        screen = MAKERS[kinds[i % len(kinds)]](rng, dark=(i // len(kinds)) % 2 == 1)
        screen.name = f"{i:03d}-{screen.name}{'-dark' if screen.dark else ''}"
        out.append(screen)
    return out


class Renderer:
    """One headless Chromium that turns screens into PNG screenshots with phone emulation."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])

    def png(self, screen: Screen) -> bytes:
        width, height, scale = screen.viewport
        context = self._browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                            is_mobile=True, has_touch=True,
                                            color_scheme="dark" if screen.dark else "light")
        try:
            page = context.new_page()
            page.set_content(screen.html, wait_until="load")
            page.evaluate("document.fonts.ready")
            return page.screenshot(type="png")
        finally:
            context.close()

    def render_all(self, screens: list[Screen], out: Path) -> list[Path]:
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for screen in screens:
            path = out / f"{screen.name}.png"
            path.write_bytes(self.png(screen))
            paths.append(path)
        return paths

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()
