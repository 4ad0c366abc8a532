"""kadun verify PACK.zip: check an evidence pack offline; OK and what it proves, or the first
mismatch and exit 1."""
from __future__ import annotations

from pathlib import Path

import click

from ._common import data_dir_option, echo, find_data_dir, key_path_of


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
              help="The server's public key (base64, from /v1/keys) to check the manifest and receipts "
                   "against, instead of the key inside the pack.")
@click.option("--tsa-root", "tsa_roots", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A TSA root certificate (PEM) to require for every time stamp, instead of trusting the "
                   "TSA chain stored in the pack. May be given more than once.")
@data_dir_option
def command(pack: Path, public_key: str | None, tsa_roots: tuple[Path, ...], data_dir: Path | None) -> None:
    """Check the signed manifest, every file hash, every receipt, the chain links and every RFC 3161
    time stamp of PACK; print, per capture, the time it is proven to have existed by.

    The signatures are checked against the key inside the pack (or --key). When this machine runs
    the backend, its key is found as `kadun serve` finds its data, and the result says whether the
    pack was signed by it; with --data-dir the pack must be signed by that backend's key."""
    from ..evidence.timestamp import load_pem_chain
    from ..evidence.verify import describe_time, verify_pack

    if public_key is not None and not public_key.strip():
        # An empty --key (an unset variable in a script) must not fall back to the pack's own key
        # while saying "the key given with --key".
        echo("FAILED: --key is empty: give the server's public key (base64, from GET /v1/keys)", err=True)
        raise SystemExit(1)
    if not pack.exists():
        echo(f"FAILED: {pack}: no such file", err=True)
        raise SystemExit(1)
    roots = None
    if tsa_roots:
        roots = []
        for path in tsa_roots:
            try:
                roots.extend(load_pem_chain(path.read_bytes()))
            except (OSError, ValueError) as error:
                echo(f"FAILED: --tsa-root {path}: not a readable PEM certificate ({error})", err=True)
                raise SystemExit(1) from None
    local, directory, looked = (None, None, [])
    given_key = public_key is not None
    if not given_key:
        local, directory, looked = _backend_key(data_dir)
        if data_dir is not None and local is None:
            echo(f"FAILED: no signing key of `kadun serve` found; looked in: {'; '.join(looked)}", err=True)
            raise SystemExit(1)
        if data_dir is not None:
            public_key = local["public_key"]  # pinned: only this backend's signatures pass
    result = verify_pack(pack, public_key, roots)
    if not result.ok:
        echo(f"FAILED: {result.problem}")
        raise SystemExit(1)
    checked = result.checked
    echo(f"OK: {checked['files']} files, {checked['receipts']} receipts, {checked['links']} chain links; "
               f"manifest signed by key {checked['key_id']}")
    if given_key:
        echo("  the key given with --key")
    elif local is not None and local["key_id"] == checked["key_id"]:
        echo(f"  this is the key of the backend whose data is in {directory}")
    elif local is not None:
        echo(f"  NOT the key of the backend whose data is in {directory} (its key is {local['key_id']}): "
                   "the pack comes from another backend; compare with that backend's GET /v1/keys, or pin it with --key")
    else:
        echo("  no backend's data on this machine to compare with (looked in: " + "; ".join(looked)
                   + "); compare with the backend's GET /v1/keys, or pin it with --key")
    if checked.get("disputes") is not None:
        echo(f"Account export: {checked['items']} items and {checked['disputes']} disputes, the whole chain.")
    times = checked.get("times") or []
    if times and not any(t["stamped"] for t in times) and not any(t.get("configured") for t in times):
        echo("No trusted time: no TSA was configured, so the times below are the server's own.")
    for entry in times:
        echo("  " + describe_time(entry))
    if checked.get("server_fetches"):
        echo(f"{checked['server_fetches']} page(s) fetched by the server itself (shared links): each fetch "
                   "record names the URL its receipt signs")
    if checked.get("executable"):
        echo("Note: " + ", ".join(checked["executable"]) + " marked executable in the ZIP (the signature covers the "
             "files' bytes, not this mark; a re-zip on a FAT or NTFS disk adds it): they are data, never run them.")
    if checked.get("urls_not_signed"):
        echo("Note: the URL of " + ", ".join(checked["urls_not_signed"])
                   + " is not covered by its receipt (receipt made before URLs were signed).")
