"""Shared CLI plumbing: finding the server's data directory, a Redis connection, JSON errors.

``kadun serve`` writes ``kadun-server.json`` into its data directory (where it listens, which
storage it uses, where the signing key is; mode 0600) and remembers that directory in
``$XDG_CONFIG_HOME/kadun/data-dir``. The other verbs find the data the same way, in this order:
``--data-dir``, ``KADUN_DATA_DIR``, the directory of the last ``kadun serve``, the default
``~/.local/share/kadun``; when none holds a server's data they say where they looked.
"""
from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..config import default_data_dir

SERVER_FILE = "kadun-server.json"
KEY_FILE = "signing_key.pem"

# What a terminal acts on or reorders text by: the C0 controls but tab and newline (ESC starts a
# sequence that can retitle the window, clear the screen or move up and erase a warning line; CR
# overwrites the line), DEL and the C1 controls (U+009B is a one-character CSI), the bidirectional
# controls (U+202E shows "txt.exe" as "exe.txt"), and lone surrogates (not printable at all).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                              "\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on written as a visible ``\\uXXXX``
    escape. Inside a JSON string that escape decodes to the same character, so JSON output keeps
    its value."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(message: str = "", **options) -> None:
    """``click.echo`` for every line a verb prints: device names, pages, packs and backups are
    chosen by others, and the administrator's terminal must only show them."""
    click.echo(terminal_safe(str(message)), **options)


data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Data directory (default: KADUN_DATA_DIR, else the last `kadun serve`'s, else ~/.local/share/kadun).")


def resolve_data_dir(data_dir: Path | None) -> Path:
    """The directory ``kadun serve`` uses: --data-dir, else KADUN_DATA_DIR, else the default."""
    return Path(data_dir or os.environ.get("KADUN_DATA_DIR") or default_data_dir()).expanduser()


def pointer_path() -> Path:
    """Where ``kadun serve`` notes its data directory for the other verbs."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kadun" / "data-dir"


def _private_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def record_server(data_dir: Path, *, url: str, storage_url: str | None, key_path: Path) -> None:
    """Written by ``kadun serve``: its config file in the data directory and the pointer to it."""
    config = {"data_dir": str(data_dir), "url": url, "storage_url": storage_url, "signing_key": str(key_path),
              "pid": os.getpid()}
    _private_write(data_dir / SERVER_FILE, json.dumps(config, ensure_ascii=False, indent=2) + "\n")
    try:
        _private_write(pointer_path(), str(data_dir) + "\n")
    except OSError:  # a read-only home (a service account): the other verbs take --data-dir then
        pass


def server_config(data_dir: Path) -> dict:
    """The data directory's ``kadun-server.json`` ({} when there is none or it is unreadable)."""
    try:
        data = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _holds_data(directory: Path) -> bool:
    return (directory / SERVER_FILE).is_file() or (directory / KEY_FILE).is_file()


def find_data_dir(explicit: Path | None) -> tuple[Path | None, list[str]]:
    """The server's data directory as the verbs find it, and every place looked at (in order).

    An explicit ``--data-dir`` or ``KADUN_DATA_DIR`` is the answer whether or not it holds data."""
    looked: list[str] = []
    if explicit:
        return Path(explicit).expanduser(), [f"--data-dir {explicit}"]
    env = os.environ.get("KADUN_DATA_DIR")
    if env:
        return Path(env).expanduser(), [f"KADUN_DATA_DIR={env}"]
    looked.append("KADUN_DATA_DIR (not set)")
    pointer = pointer_path()
    try:
        noted = Path(pointer.read_text(encoding="utf-8").strip()).expanduser()
    except OSError:
        looked.append(f"{pointer} (no `kadun serve` noted there)")
    else:
        looked.append(f"{noted} (the last `kadun serve`, from {pointer})")
        if _holds_data(noted):
            return noted, looked
    default = default_data_dir()
    looked.append(f"{default} (the default)")
    if _holds_data(default):
        return default, looked
    return None, looked


def data_dir_or_fail(data_dir: Path | None) -> Path:
    """The server's data directory as every verb finds it (exit 2 naming where it looked)."""
    directory, looked = find_data_dir(data_dir)
    if directory is None:
        fail("no data of `kadun serve` found; looked in: " + "; ".join(looked)
             + ". Give --data-dir (the directory `kadun serve` printed) or set KADUN_DATA_DIR.", error="not_found")
    if not directory.is_dir():  # a mistyped --data-dir must not become a new, empty backend
        fail(f"{looked[-1]}: no such data directory (give the directory `kadun serve` printed)",
             error="not_found")
    return directory


def storage_dir(data_dir: Path | None) -> Path:
    """The data directory for a verb that only needs storage: with REDIS_URL (or KADUN_REDIS_URL)
    set any directory will do; else the server's, found as every verb finds it."""
    if os.environ.get("KADUN_REDIS_URL") or os.environ.get("REDIS_URL"):
        return find_data_dir(data_dir)[0] or resolve_data_dir(data_dir)
    return data_dir_or_fail(data_dir)


def key_path_of(data_dir: Path) -> Path:
    """The signing key: KADUN_SIGNING_KEY_PATH, else the one `kadun serve` recorded, else the default name."""
    return Path(os.environ.get("KADUN_SIGNING_KEY_PATH") or server_config(data_dir).get("signing_key")
                or data_dir / KEY_FILE)


def pairing_ttl() -> int:
    """Seconds a pairing code stays valid: KADUN_PAIRING_CODE_TTL, else the default (10 minutes)."""
    from ..config import DEFAULTS

    raw = os.environ.get("KADUN_PAIRING_CODE_TTL")
    try:
        return max(1, int(raw)) if raw else int(DEFAULTS["PAIRING_CODE_TTL"])
    except ValueError:
        return int(DEFAULTS["PAIRING_CODE_TTL"])


def fail(message: str, code: int = 2, **details) -> None:
    """A one-line JSON error on stderr and the exit status; never a traceback."""
    echo(json.dumps({"error": details.pop("error", "bad_request"), "message": message, **details},
                          ensure_ascii=False), err=True)
    sys.exit(code)


def resolve_user(r, given: str) -> str:
    """The user id an administrator means: ``given`` when it is a user of this backend, else the
    user of the hosted account named ``given`` (its username as the buyer types it), else ``given``
    unchanged (the verb then says there is no such user)."""
    from ..storage import accounts, erasure

    if erasure.user_exists(r, given):
        return given
    account = accounts.find_by_name(r, given)
    return account.user if account is not None else given


@contextmanager
def redis_for(data_dir: Path):
    """A client for REDIS_URL, else the storage ``kadun serve`` recorded for ``data_dir``, else the
    data directory's embedded server (started if needed and stopped again if we started it)."""
    from ..storage.redis import EmbeddedRedis, connect

    url = os.environ.get("KADUN_REDIS_URL") or os.environ.get("REDIS_URL")
    recorded = server_config(data_dir).get("storage_url")
    embedded = EmbeddedRedis(data_dir)
    if not url and recorded and recorded != embedded.url:
        url = recorded
    if url:
        client = connect(url)
        try:
            yield client
        finally:
            client.close()
        return
    was_running = embedded.ping()
    client = connect(embedded.start())
    try:
        yield client
    finally:
        if not was_running:
            embedded.stop()


def extension_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "extension"


def check_page_url(url: str) -> None:
    """``fail`` (one line, naming --url) unless ``url`` is an absolute http(s) URL with a host."""
    from ..risk import service

    if not url.lower().startswith(("http://", "https://")) or not service.domain_of(url):
        fail(f"--url {url!r} is not an absolute http(s) URL", field="url")


def read_html_page(page: Path) -> str:
    """A saved page's text, or exit 2 with a one-line JSON error (unreadable, or not HTML).

    A saved page keeps the bytes the shop sent (GBK for many older Chinese shops) and says their
    encoding in its byte-order mark or ``<meta charset>``: it is decoded as a browser decodes it,
    by the share-a-link fetcher's rules (``decode_html``), not read as UTF-8."""
    from ..capture.fetch import decode_html
    from ..facts import looks_like_html

    try:
        data = page.read_bytes()
    except OSError as error:
        fail(f"cannot read {page}: {error.strerror or error}")
    text, _ = decode_html(data, None)
    if not looks_like_html(text.encode("utf-8", errors="replace")):
        fail(f"{page} is not an HTML page", error="unprocessable")
    return text


def write_pack(output: Path, desc: str, make) -> dict:
    """Write a pack to ``output`` through ``make(handle, on_total, progress)`` (which returns its
    manifest): created 0600 as a new temporary file of its own beside ``output`` (a pack holds
    every capture, delivered card codes too) and renamed into place only when complete, with a
    progress bar on the terminal. A refusal or a write error is a one-line error (``fail``) and
    leaves no partial file."""
    from tqdm import tqdm

    from ..errors import KadunError
    from ..storage.private import durable_replace, open_private_beside

    tmp = None
    bars: list = []
    try:
        tmp, handle = open_private_beside(output)
        with handle:
            manifest = make(handle, lambda n: bars.append(tqdm(total=n, unit="item", desc=desc, leave=False)),
                            lambda n: bars and bars[0].update(n))
        durable_replace(tmp, output)
    except KadunError as error:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        fail(error.message, error=error.code)
    except OSError as error:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        fail(f"cannot write {output}: {error.strerror or error}")
    finally:
        for bar in bars:
            bar.close()
    return manifest
