"""kadun restore FILE: put a `kadun backup` back: every key into the storage of --data-dir (the
embedded Redis, or REDIS_URL: one server or a Cluster) and the signing keys beside it."""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import click
from jsonschema import Draft202012Validator as _Validator

from ._common import data_dir_option, echo, fail, key_path_of, redis_for, resolve_data_dir
from .backup import DUMP, FORMAT, KEY_FILES, VERSION

# What restore reads from backup.json (a damaged or hand-made file is refused in one line).
MANIFEST_SHAPE = {
    "type": "object", "required": ["files", "dump", "keys", "signing_key_id", "created_at"],
    "properties": {
        "files": {"type": "array", "items": {"type": "object", "required": ["path", "sha256"],
                                             "properties": {"path": {"type": "string"}, "sha256": {"type": "string"}}}},
        "dump": {"type": "object", "required": ["sha256"], "properties": {"sha256": {"type": "string"}}},
        "keys": {"type": "integer", "minimum": 0},
        "signing_key_id": {"type": "string"},
        "created_at": {"type": "string"},
    },
}


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read("backup.json"))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, RuntimeError):
        fail("not a KaDun backup: backup.json is missing or unreadable")
    if not isinstance(manifest, dict):
        fail("not a KaDun backup: backup.json is not a JSON object")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        fail(f"not a KaDun backup this version can read (format {manifest.get('format')!r}, "
             f"version {manifest.get('version')!r})")
    problem = next(iter(_Validator(MANIFEST_SHAPE).iter_errors(manifest)), None)
    if problem is not None:
        where = "/".join(str(step) for step in problem.absolute_path) or "(the whole file)"
        fail(f"the backup is damaged: backup.json field {where}: {problem.message[:120]}")
    return manifest


def _stream(zf: zipfile.ZipFile):
    """A read(n) over the decompressed key stream, and a function giving its SHA-256 so far."""
    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(zf.open(DUMP))
    digest = hashlib.sha256()

    def read(n: int) -> bytes:
        out = bytearray()
        while len(out) < n:
            chunk = reader.read(n - len(out))
            if not chunk:
                break
            out += chunk
        digest.update(out)
        return bytes(out)

    return read, digest


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@data_dir_option
@click.option("--force", is_flag=True, help="Restore even though the storage already holds KaDun data or "
              "another signing key is in place (the backup's keys and values replace them).")
def command(backup_file: Path, data_dir, force: bool) -> None:
    """Restore BACKUP_FILE (made by `kadun backup`) into the storage and data directory of
    --data-dir (KADUN_DATA_DIR, or the default). The backup is checked in full before anything is
    written."""
    import zstandard

    from ..storage import backup
    from ..storage.private import make_private, open_private

    if not backup_file.is_file():
        fail(f"no backup file {backup_file}", error="not_found")
    directory = make_private(resolve_data_dir(data_dir))
    try:
        zf = zipfile.ZipFile(backup_file)
    except (zipfile.BadZipFile, OSError) as error:
        fail(f"{backup_file} is not a KaDun backup ({error})")
    with zf:
        manifest = _read_manifest(zf)
        # 1. Check everything before writing anything: key files and the whole key stream.
        key_data = {}
        for entry in manifest.get("files") or []:
            name = Path(entry["path"]).name
            if name not in KEY_FILES:
                continue
            try:
                data = zf.read(entry["path"])
            except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
                fail(f"the backup is damaged: {entry['path']} cannot be read ({error})")
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                fail(f"the backup is damaged: {entry['path']} does not match its checksum")
            key_data[name] = data
        if "signing_key.pem" not in key_data:
            fail("the backup holds no signing key")
        try:
            read, digest = _stream(zf)
            count = sum(1 for _ in backup.records(read))
        except (ValueError, KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError,
                zstandard.ZstdError) as error:
            fail(f"the backup is damaged: {error}")
        if digest.hexdigest() != manifest["dump"]["sha256"] or count != manifest["keys"]:
            fail("the backup is damaged: its key stream does not match backup.json")
        # 2. Where the keys go must not hold another server's key (unless --force).
        signing = key_path_of(directory)
        targets = {name: (signing if name == "signing_key.pem" else signing.parent / name) for name in key_data}
        for name, target in targets.items():
            if target.exists() and target.read_bytes() != key_data[name] and not force:
                fail(f"{target} already holds another key: restore into an empty data directory, or add --force")
        # 3. The storage: empty (unless --force), then every key.
        with redis_for(directory) as r:
            if backup.existing_keys(r) and not force:
                fail("the storage already holds KaDun data: restore into an empty one, or add --force to "
                     "let the backup's keys replace what is there")
            read, _ = _stream(zf)
            try:
                written = backup.restore(r, backup.records(read))
            except ValueError as error:
                fail(str(error), error="unavailable")
    for name, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_private(target, "wb") as handle:
            handle.write(key_data[name])
    echo(f"restored {written} keys and {len(targets)} key files into {directory} "
               f"(signing key {manifest['signing_key_id']}, backup of {manifest['created_at']})")
