"""kadun revoke DEVICE [--data-dir D]: unpair a device; its token stops working."""
from __future__ import annotations

import click

from ._common import data_dir_option, echo, fail, redis_for, storage_dir


@click.command("revoke")
@click.argument("device_id")
@data_dir_option
def command(device_id: str, data_dir) -> None:
    """End the paired device DEVICE_ID (as `kadun devices` lists it)."""
    from ..config import DEFAULTS
    from ..storage import devices

    with redis_for(storage_dir(data_dir)) as r:
        device = devices.find(r, device_id.strip())
        if device is None:
            fail(f"no device {device_id}: `kadun devices` lists them", code=1, error="not_found")
        devices.revoke(r, device.user, device.id)
    seconds = int(DEFAULTS["TOKEN_CACHE_SECONDS"])
    echo(f"已解除配对 revoked {device.id} ({device.name or 'unnamed'}); 运行中的后端在 {seconds} 秒内拒绝它的令牌 "
               f"(a running backend refuses its token within {seconds} s).")
