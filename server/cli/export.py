"""kadun export DISPUTE_ID -o pack.zip: write a dispute's evidence pack, with a progress bar."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ._common import data_dir_option, echo, fail, find_data_dir, key_path_of, redis_for, write_pack


@click.command("export")
@click.argument("dispute_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the pack (a .zip file).")
@data_dir_option
def command(dispute_id: str, output: Path, data_dir: Path | None) -> None:
    """Write the evidence pack of DISPUTE_ID (report, captures, screenshots, manifest, WACZ)."""

    from ..disputes.export import export_pack
    from ..evidence.receipts import Signer
    from ..storage import disputes as dispute_store

    directory, looked = find_data_dir(data_dir)
    if directory is None:
        fail("no data of `kadun serve` found; looked in: " + "; ".join(looked)
             + ". Give --data-dir (the directory `kadun serve` printed) or set KADUN_DATA_DIR.", error="not_found")
    key_path = key_path_of(directory)
    if not key_path.exists():
        fail(f"no signing key at {key_path}: {directory} is not the data directory of `kadun serve` "
             f"(looked in: {'; '.join(looked)})", error="not_found")
    signer = Signer.load_or_create(key_path)
    from ..config import DEFAULTS
    from ..evidence.stamping import config_from
    from ..evidence.wacz_signing import WaczSigner

    stamp_config = config_from({**DEFAULTS, **{k[6:]: v for k, v in os.environ.items() if k.startswith("KADUN_")}})
    wacz_signer = WaczSigner.load_or_create(Path(key_path).parent)
    with redis_for(directory) as r:
        user = dispute_store.find_owner(r, dispute_id)
        if user is None:
            fail(f"no dispute {dispute_id} in {directory}", error="not_found")
        manifest = write_pack(output, f"pack {dispute_id}", lambda handle, on_total, progress: export_pack(
            r, user, dispute_id, signer, handle, on_total=on_total, progress=progress,
            tsa_configured=stamp_config.enabled, wacz_signer=wacz_signer, stamp_config=stamp_config))
    echo(f"{output}: {len(manifest['items'])} items, {len(manifest['files'])} files, "
               f"{output.stat().st_size} bytes")
