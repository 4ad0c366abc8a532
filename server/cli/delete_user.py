"""kadun delete-user USER --yes: delete an account and everything of it (an administrator's tool,
and the way a local-mode buyer removes their data; hosted accounts delete themselves on /account)."""
from __future__ import annotations

import json

import click

from ._common import data_dir_option, echo, fail, redis_for, resolve_user, storage_dir


@click.command("delete-user")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Really delete (nothing can bring the data back).")
@data_dir_option
def command(user: str, yes: bool, data_dir) -> None:
    """Delete USER (a user id, or a hosted account's username): every capture, screenshot, attachment, dispute and device token, across every
    Redis node, and their part of the shared counts. Prints what was removed, in counts."""
    from ..errors import KadunError
    from ..rights import delete_user

    if not yes:
        fail("deleting a user cannot be undone: add --yes (export first with `kadun export-user`)")
    with redis_for(storage_dir(data_dir)) as r:
        try:
            report = delete_user(r, resolve_user(r, user))
        except KadunError as error:
            fail(f"no user {user} on this backend" if error.status == 404 else error.message, error=error.code)
    echo(json.dumps(report, ensure_ascii=False))
