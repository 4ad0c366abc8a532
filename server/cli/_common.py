"""Shared CLI plumbing: the data directory, a Redis connection, JSON errors with exit codes."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..config import default_data_dir

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Data directory (default ~/.local/share/kadun, or KADUN_DATA_DIR).")


def resolve_data_dir(data_dir: Path | None) -> Path:
    return Path(data_dir or os.environ.get("KADUN_DATA_DIR") or default_data_dir()).expanduser()


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
    click.echo(json.dumps({"error": details.pop("error", "bad_request"), "message": message, **details},
                          ensure_ascii=False), err=True)
    sys.exit(code)


@contextmanager
def redis_for(data_dir: Path):
    """A client for REDIS_URL, or for the data directory's embedded server (started if needed
    and stopped again if we were the ones who started it)."""
    from ..storage.redis import EmbeddedRedis, connect

    url = os.environ.get("KADUN_REDIS_URL") or os.environ.get("REDIS_URL")
    if url:
        yield connect(url)
        return
    embedded = EmbeddedRedis(data_dir)
    was_running = embedded.ping()
    client = connect(embedded.start())
    try:
        yield client
    finally:
        if not was_running:
            embedded.stop()


def extension_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "extension"


def read_html_page(page: Path) -> str:
    """A saved page's text, or exit 2 with a one-line JSON error (unreadable, or not HTML)."""
    from ..facts import looks_like_html

    try:
        data = page.read_bytes()
    except OSError as error:
        fail(f"cannot read {page}: {error.strerror or error}")
    if not looks_like_html(data):
        fail(f"{page} is not an HTML page", error="unprocessable")
    return data.decode("utf-8", errors="replace")
