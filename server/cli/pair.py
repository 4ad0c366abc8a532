"""kadun pair [--data-dir D] [--new-user]: print a fresh one-time pairing code."""
from __future__ import annotations

import click

from ._common import data_dir_option, find_data_dir, pairing_ttl, redis_for, resolve_data_dir


@click.command("pair")
@data_dir_option
@click.option("--new-user", is_flag=True, help="Pair a new, separate user instead of the backend's own.")
def command(data_dir, new_user: bool) -> None:
    """Print a pairing code (valid 10 minutes, single use); the code alone is the last line."""
    from ..storage import users

    ttl = pairing_ttl()
    directory, _ = find_data_dir(data_dir)  # the running server's, as export finds it
    with redis_for(directory or resolve_data_dir(None)) as r:
        code = users.new_pairing_code(r, new_user=new_user, ttl=ttl)
    who = "一个新用户 (a new user)" if new_user else "本机用户 (this backend's user)"
    minutes = max(1, ttl // 60)
    click.echo(f"配对码 pairing code for {who}, {minutes} 分钟内有效 (valid {minutes} minutes), "
               "仅可使用一次 (single use):")
    click.echo(code)
