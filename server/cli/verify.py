"""kadun verify PACK.zip: check an evidence pack offline; OK and what it proves, or the first
mismatch and exit 1."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("verify")
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "public_key", default=None,
              help="The server's public key (base64, from /v1/keys) to check the manifest and receipts "
                   "against, instead of the key inside the pack.")
@click.option("--tsa-root", "tsa_roots", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A TSA root certificate (PEM) to require for every time stamp, instead of trusting the "
                   "TSA chain stored in the pack. May be given more than once.")
def command(pack: Path, public_key: str | None, tsa_roots: tuple[Path, ...]) -> None:
    """Check the signed manifest, every file hash, every receipt, the chain links and every RFC 3161
    time stamp of PACK; print, per capture, the time it is proven to have existed by."""
    from ..evidence.timestamp import load_pem_chain
    from ..evidence.verify import describe_time, verify_pack

    if not pack.exists():
        click.echo(f"FAILED: {pack}: no such file", err=True)
        raise SystemExit(1)
    roots = None
    if tsa_roots:
        roots = []
        for path in tsa_roots:
            try:
                roots.extend(load_pem_chain(path.read_bytes()))
            except (OSError, ValueError) as error:
                click.echo(f"FAILED: --tsa-root {path}: not a readable PEM certificate ({error})", err=True)
                raise SystemExit(1) from None
    result = verify_pack(pack, public_key, roots)
    if not result.ok:
        click.echo(f"FAILED: {result.problem}")
        raise SystemExit(1)
    checked = result.checked
    click.echo(f"OK: {checked['files']} files, {checked['receipts']} receipts, {checked['links']} chain links; "
               f"manifest signed by key {checked['key_id']}"
               + ("" if public_key else " (compare with GET /v1/keys, or pin it with --key)"))
    if checked.get("disputes") is not None:
        click.echo(f"Account export: {checked['items']} items and {checked['disputes']} disputes, the whole chain.")
    times = checked.get("times") or []
    if times and not any(t["stamped"] for t in times) and not any(t.get("configured") for t in times):
        click.echo("No trusted time: no TSA was configured, so the times below are the server's own.")
    for entry in times:
        click.echo("  " + describe_time(entry))
    if checked.get("urls_not_signed"):
        click.echo("Note: the URL of " + ", ".join(checked["urls_not_signed"])
                   + " is not covered by its receipt (receipt made before URLs were signed).")
