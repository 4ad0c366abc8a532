"""kadun backup -o FILE: every KaDun key in Redis (a consistent logical copy, storage/backup.py)
and the signing keys, in one file that `kadun restore` puts back into any Redis."""
from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import click

from ._common import data_dir_option, data_dir_or_fail, echo, fail, key_path_of, redis_for

FORMAT = "kadun-backup"
VERSION = 1
DUMP = "redis.kdump.zst"
KEY_FILES = ("signing_key.pem", "wacz_signing_key.pem", "wacz_signing_cert.pem")


def key_files(directory: Path) -> dict[str, Path]:
    """The signing keys of the server whose data is in ``directory``: archive name → path."""
    signing = key_path_of(directory)
    found = {"signing_key.pem": signing}
    for name in KEY_FILES[1:]:
        found[name] = signing.parent / name
    return {name: path for name, path in found.items() if path.is_file()}


@click.command("backup")
@click.option("-o", "--output", required=True, help="The backup file to write (- for standard output).")
@data_dir_option
def command(output: str, data_dir) -> None:
    """Back up the storage (every key, from one Redis or every node of a Cluster) and the signing
    keys of the server whose data is in --data-dir. Keep the file safe: it holds the private key."""
    import hashlib

    import zstandard
    from tqdm import tqdm

    from .. import clock
    from ..evidence.receipts import Signer
    from ..storage import backup
    from ..storage.private import durable_replace, open_private_beside

    if not output.strip():
        fail("--output is empty: give the backup file to write (- for standard output)", field="output")
    directory = data_dir_or_fail(data_dir)
    keys = key_files(directory)
    if "signing_key.pem" not in keys:
        fail(f"no signing key at {key_path_of(directory)}: a backup without it could not prove anything",
             error="not_found")
    to_stdout = output == "-"
    path = Path(output)
    try:
        tmp, sink = (None, sys.stdout.buffer) if to_stdout else open_private_beside(path)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    try:
        with redis_for(directory) as r, zipfile.ZipFile(sink, "w", allowZip64=True) as zf:
            info = r.info("server") if r.__class__.__name__ != "RedisCluster" else {}
            files = []
            for name, key_path in sorted(keys.items()):
                data = key_path.read_bytes()
                zf.writestr(f"keys/{name}", data, compress_type=zipfile.ZIP_DEFLATED)
                files.append({"path": f"keys/{name}", "sha256": hashlib.sha256(data).hexdigest()})
            bar = tqdm(unit="key", desc="backup", leave=False, disable=to_stdout or not sys.stderr.isatty())
            entry = zipfile.ZipInfo(DUMP, date_time=clock.now().timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED
            with zf.open(entry, "w", force_zip64=True) as raw, \
                    zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False) as packed:
                stats = backup.dump(r, packed.write, progress=bar.update)
            bar.close()
            manifest = {
                "format": FORMAT, "version": VERSION, "created_at": clock.now_iso(),
                "source": {"cluster": r.__class__.__name__ == "RedisCluster",
                           "redis_version": (info or {}).get("redis_version")},
                "keys": stats.keys, "payload_bytes": stats.bytes, "groups": stats.groups, "rounds": stats.rounds,
                "recopied": stats.recopied, "unsettled": stats.unsettled,
                "dump": {"path": DUMP, "sha256": stats.sha256, "compression": "zstd"},
                "signing_key_id": Signer.load_or_create(keys["signing_key.pem"]).key_info()["key_id"],
                "files": files,
            }
            zf.writestr("backup.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"),
                        compress_type=zipfile.ZIP_DEFLATED)
        if not to_stdout:
            sink.close()
            durable_replace(tmp, path)  # on disk before "written" is printed
    except OSError as error:
        if not to_stdout:
            sink.close()
            tmp.unlink(missing_ok=True)
        fail(f"cannot write {output}: {error.strerror or error}")
    if stats.unsettled:
        echo(f"warning: {len(stats.unsettled)} users' data kept changing during the backup; "
             "run it again when the service is quieter", err=True)
    summary = (f"{output}: {stats.keys} keys ({stats.bytes} bytes of data), signing key {manifest['signing_key_id']}, "
               f"{len(files)} key files")
    echo(summary, err=to_stdout)
