"""kadun verify PACK.zip: check an evidence pack offline; OK, or the first mismatch and exit 1."""
from __future__ import annotations

from pathlib import Path

import click

from ._common import data_dir_option, find_data_dir, key_path_of


def _backend_key(data_dir: Path | None) -> tuple[dict | None, Path | None, list[str]]:
    """This machine's backend key info (as GET /v1/keys shows it), found as `kadun serve` does."""
    from ..evidence.receipts import Signer

    directory, looked = find_data_dir(data_dir)
    if directory is None:
        return None, None, looked
    key_path = key_path_of(directory)
    if not key_path.is_file():  # never create a key here: only read the server's
        return None, directory, [*looked, f"{key_path} (no signing key)"]
    return Signer.load_or_create(key_path).key_info(), directory, looked


@click.command("verify")
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "public_key", default=None,
              help="The server's public key (base64, from /v1/keys) to check the receipts against, "
                   "instead of the key inside the pack.")
@data_dir_option
def command(pack: Path, public_key: str | None, data_dir: Path | None) -> None:
    """Check every file hash, every receipt signature and the chain links of PACK.

    The receipts are checked against the key inside the pack (or --key). When this machine runs the
    backend, its key is found as `kadun serve` finds its data, and the result says whether the pack
    was signed by it; with --data-dir the receipts must be signed by that backend's key."""
    from ..evidence.verify import verify_pack

    if not pack.exists():
        click.echo(f"FAILED: {pack}: no such file", err=True)
        raise SystemExit(1)
    local, directory, looked = (None, None, [])
    if public_key is None:
        local, directory, looked = _backend_key(data_dir)
        if data_dir is not None and local is None:
            click.echo(f"FAILED: no signing key of `kadun serve` found; looked in: {'; '.join(looked)}", err=True)
            raise SystemExit(1)
        if data_dir is not None:
            public_key = local["public_key"]  # pinned: only this backend's receipts pass
    result = verify_pack(pack, public_key)
    if not result.ok:
        click.echo(f"FAILED: {result.problem}")
        raise SystemExit(1)
    checked = result.checked
    click.echo(f"OK: {checked['files']} files, {checked['receipts']} receipts, {checked['links']} chain links; "
               f"signed by key {checked['key_id']}")
    if public_key is not None and local is None:
        click.echo("  the key given with --key")
    elif local is not None and local["key_id"] == checked["key_id"]:
        click.echo(f"  this is the key of the backend whose data is in {directory}")
    elif local is not None:
        click.echo(f"  NOT the key of the backend whose data is in {directory} (its key is {local['key_id']}): "
                   "the pack comes from another backend; compare with that backend's GET /v1/keys, or pin it with --key")
    else:
        click.echo("  no backend's data on this machine to compare with (looked in: " + "; ".join(looked)
                   + "); compare with the backend's GET /v1/keys, or pin it with --key")
