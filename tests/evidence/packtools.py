"""Rewriting packs the way a forger would: copy every entry through a change, keep the header,
and (for the key holder's forgeries) sign the edited manifest again with the server's key."""
from __future__ import annotations

import json
import zipfile

from server.evidence.hashing import sha256_hex


def rewrite(src, dst, change=None, resign=None, comment: bytes | None = None, extra: list | None = None) -> None:
    """Copy the pack ``src`` to ``dst``, passing each (name, bytes) through ``change`` (None drops
    the entry). With ``resign`` (a Signer) manifest.sig is made again over the new manifest.
    ``extra`` is a list of (name, bytes) appended as they are (duplicates allowed)."""
    change = change or (lambda name, data: data)
    with zipfile.ZipFile(src) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
        header = zin.comment if comment is None else comment
    out = []
    for name, data in entries:
        new = change(name, data)
        if new is not None:
            out.append((name, new))
    if resign is not None:
        manifest = next(d for n, d in out if n == "manifest.json")
        sig = {"algorithm": "Ed25519", "key_id": resign.key_id, "signed_file": "manifest.json",
               "manifest_sha256": sha256_hex(manifest), "signature": resign.sign_bytes(manifest)}
        out = [(n, json.dumps(sig).encode() if n == "manifest.sig" else d) for n, d in out]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: that is the point
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            zout.comment = header
            for name, data in out + (extra or []):
                zout.writestr(name, data)


def edit_manifest(edit, also=None):
    """A change that edits manifest.json (as JSON) with ``edit(manifest)``; ``also`` changes others."""
    def change(name, data):
        if name != "manifest.json":
            return also(name, data) if also else data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest, ensure_ascii=False).encode()
    return change


def rehash(manifest: dict, path: str, data: bytes) -> None:
    """Write a file's new hash and size into the manifest, as a forger would."""
    entry = next(f for f in manifest["files"] if f["path"] == path)
    entry["sha256"], entry["size"] = sha256_hex(data), len(data)
