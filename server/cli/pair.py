"""kadun pair [--data-dir D] [--new-user] [--qr [--url URL]]: print a fresh one-time pairing code."""
from __future__ import annotations

import os

import click

from ._common import (
    data_dir_option,
    echo,
    fail,
    find_data_dir,
    pairing_ttl,
    redis_for,
    resolve_data_dir,
    server_config,
)

DEFAULT_URL = "http://127.0.0.1:8765"


@click.command("pair")
@data_dir_option
@click.option("--new-user", is_flag=True, help="Pair a new, separate user instead of the backend's own.")
@click.option("--qr", is_flag=True, help="Also print the phone's pairing link as a QR code to scan.")
@click.option("--url", "base_url", default=None, metavar="URL",
              help="The backend address the phone uses (default KADUN_PUBLIC_URL, else the address the "
                   "running `kadun serve` noted, else " + DEFAULT_URL + ").")
def command(data_dir, new_user: bool, qr: bool, base_url: str | None) -> None:
    """Print a pairing code (valid 10 minutes, single use); the code alone is the last line.

    With --qr the code is also drawn as a QR code of the link <URL>/m/#pair=CODE: scanning it
    with the phone's camera opens the mobile app, which pairs as a phone of the same user."""
    from ..storage import users
    from ..web import links

    ttl = pairing_ttl()
    directory, _ = find_data_dir(data_dir)  # the running server's, as export finds it
    base = None
    if qr:
        noted = server_config(directory).get("url") if directory else None
        try:
            base = links.normalise_base(base_url or os.environ.get("KADUN_PUBLIC_URL") or noted or DEFAULT_URL)
        except ValueError as error:
            fail(f"--url: {error}")
    with redis_for(directory or resolve_data_dir(None)) as r:
        code = users.new_pairing_code(r, new_user=new_user, ttl=ttl)
    who = "一个新用户 (a new user)" if new_user else "本机用户 (this backend's user)"
    minutes = max(1, ttl // 60)
    if qr:
        url = links.pair_url(base, code)
        echo("用手机相机扫描二维码，打开卡盾手机版并配对 (scan with the phone's camera to open KaDun "
                   "on the phone and pair it):")
        echo(links.qr_terminal(url), nl=False)
        echo(f"配对链接 pairing link: {url}")
        if not links.is_secure_base(base):
            echo("注意：手机需通过 https 访问后端才能安装应用和离线排队 (note: the phone needs an https "
                       "address to install the app and queue offline; see README, 手机版 The phone)", err=True)
    echo(f"配对码 pairing code for {who}, {minutes} 分钟内有效 (valid {minutes} minutes), "
               "仅可使用一次 (single use):")
    echo(code)
