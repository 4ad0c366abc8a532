"""kadun devices [--data-dir D] [--json]: the paired devices (name, kind, paired at, last seen)."""
from __future__ import annotations

import json

import click

from ._common import data_dir_option, echo, redis_for, storage_dir

KIND_NAMES = {"extension": "浏览器扩展 browser extension", "phone": "手机 phone", "account": "账号登录 account sign-in"}


def _when(value: str | None) -> str:
    """An ISO time as "2026-11-24 10:03" (server time, +08:00), or "—"."""
    return value[:16].replace("T", " ") if value else "—"


@click.command("devices")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
def command(data_dir, as_json: bool) -> None:
    """List every paired device; `kadun revoke DEVICE` ends one."""
    from ..storage import devices

    with redis_for(storage_dir(data_dir)) as r:
        found = devices.list_all(r)
    if as_json:
        for device in found:
            echo(json.dumps(device.as_dict(), ensure_ascii=False))
        return
    if not found:
        echo("没有已配对的设备 (no paired devices); `kadun pair` prints a pairing code.")
        return
    echo(f"已配对的设备 paired devices: {len(found)}")
    for device in found:
        echo(f"  {device.id}  {device.name or '(未命名 unnamed)'}")
        echo(f"      {KIND_NAMES.get(device.kind, device.kind)} · 用户 user {device.user}")
        echo(f"      配对于 paired {_when(device.paired_at)} · 最近使用 last seen {_when(device.last_seen)}"
                   f" · 到期 expires {_when(device.expires_at) if device.expires_at else '不过期 never'}")
