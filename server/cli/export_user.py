"""kadun export-user USER -o export.zip: everything a user stored, as one signed evidence pack."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ._common import (
    data_dir_option,
    data_dir_or_fail,
    echo,
    fail,
    key_path_of,
    redis_for,
    resolve_user,
    write_pack,
)


@click.command("export-user")
@click.argument("user")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the pack (a .zip file).")
@data_dir_option
def command(user: str, output: Path, data_dir) -> None:
    """Write every capture, screenshot, attachment and dispute of USER (a user id or a hosted
    account's username) as one signed pack with a WACZ (check it with `kadun verify`)."""

    from ..config import DEFAULTS
    from ..errors import NotFound
    from ..evidence.receipts import Signer
    from ..evidence.stamping import config_from
    from ..evidence.wacz_signing import WaczSigner
    from ..rights import export_user
    from ..storage import erasure

    directory = data_dir_or_fail(data_dir)
    key_path = key_path_of(directory)
    if not key_path.exists():
        fail(f"no signing key in {directory}: is this the data directory of `kadun serve`?", error="not_found")
    signer = Signer.load_or_create(key_path)
    stamp_config = config_from({**DEFAULTS, **{k[6:]: v for k, v in os.environ.items() if k.startswith("KADUN_")}})
    wacz_signer = WaczSigner.load_or_create(key_path.parent)
    with redis_for(directory) as r:
        user = resolve_user(r, user)
        if not erasure.user_exists(r, user):
            fail(f"no user {user} on this backend", error="not_found")

        def make(handle, on_total, progress) -> dict:
            # A deletion landing while the pack is read leaves it half-read (items without their
            # chain, or none at all) yet signed: never written out, and what the export itself
            # wrote for the user meanwhile is erased with them.
            try:
                made = export_user(r, user, signer, handle, wacz_signer=wacz_signer, stamp_config=stamp_config,
                                   tsa_configured=stamp_config.enabled, on_total=on_total, progress=progress)
            except Exception:
                if erasure.user_exists(r, user):
                    raise
                made = None
            if not erasure.user_exists(r, user):
                erasure.purge_if_gone(r, user)
                raise NotFound(f"user {user} was deleted while the export was being written: no pack was written")
            return made

        manifest = write_pack(output, f"export {user}", make)
    echo(f"{output}: {manifest['item_count']} items, {len(manifest['files'])} files, "
               f"{output.stat().st_size} bytes")
