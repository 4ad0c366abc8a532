"""kadun verify PACK.zip: check an evidence pack offline; OK, or the first mismatch and exit 1."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("verify")
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "public_key", default=None,
              help="The server's public key (base64, from /v1/keys) to check the receipts against, "
                   "instead of the key inside the pack.")
def command(pack: Path, public_key: str | None) -> None:
    """Check every file hash, every receipt signature and the chain links of PACK."""
    from ..evidence.verify import verify_pack

    if not pack.exists():
        click.echo(f"FAILED: {pack}: no such file", err=True)
        raise SystemExit(1)
    result = verify_pack(pack, public_key)
    if result.ok:
        checked = result.checked
        click.echo(f"OK: {checked['files']} files, {checked['receipts']} receipts, {checked['links']} chain links; "
                   f"signed by key {checked['key_id']} (compare with GET /v1/keys, or pin it with --key)")
        return
    click.echo(f"FAILED: {result.problem}")
    raise SystemExit(1)
