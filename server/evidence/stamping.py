"""Stamping chain heads with RFC 3161 trusted time, beside ingest and never on its path.

Each app worker runs one :class:`Stamper` thread (when ``TSA_URLS`` is set). It looks at the
service-wide ``stamp_due`` set (storage/stamps.py) about once a second, takes each due user's lock,
stamps that user's chain head at every configured TSA (one or more), checks each token before
keeping it, and stores the tokens with their TSA certificate chains. A TSA that is down or slow
costs only this thread's time: the user stays due and is retried with a growing delay; captures
never wait for it. Killing the worker or Redis loses nothing: the due entry is removed only after
the stamp is stored, and a stamp, once stored, is on disk like any capture.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography import x509

from ..storage import chain as chain_store
from ..storage import stamps as stamp_store
from . import timestamp

log = logging.getLogger("kadun.stamping")
MAX_BACKOFF_SECONDS = 300


@dataclass
class StampConfig:
    """What the stamper needs from the app config."""

    tsa_urls: list[str]
    ca_bundle: list[x509.Certificate] = field(default_factory=list)
    timeout: float = 10.0
    batch_seconds: float = 3.0
    poll_seconds: float = 1.0

    @property
    def enabled(self) -> bool:
        return bool(self.tsa_urls)


def parse_urls(value) -> list[str]:
    """``KADUN_TSA_URL``: one URL, or several separated by commas or spaces (or a list)."""
    if not value:
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
    return [str(u).strip() for u in items if str(u).strip()]


def config_from(app_config) -> StampConfig:
    urls = parse_urls(app_config.get("TSA_URLS")) or parse_urls(app_config.get("TSA_URL"))
    bundle: list[x509.Certificate] = []
    ca_file = app_config.get("TSA_CA_FILE")
    if ca_file:
        with open(ca_file, "rb") as handle:
            bundle = timestamp.load_pem_chain(handle.read())
    def number(name: str, default: float) -> float:
        value = app_config.get(name)
        return float(default if value is None or value == "" else value)
    return StampConfig(urls, bundle, number("TSA_TIMEOUT", 10), number("STAMP_BATCH_SECONDS", 3),
                       number("STAMP_POLL_SECONDS", 1))


def _now_ms() -> int:
    return int(time.time() * 1000)


def stamp_user(r, user: str, config: StampConfig, now_iso: Callable[[], str]) -> stamp_store.Stamp | None:
    """Stamp ``user``'s current chain head if no stamp covers it yet; the new stamp, or None (not
    due any more, locked by another worker, or every TSA failed: then retried later)."""
    from ..storage import erasure

    existed = erasure.user_exists(r, user)
    lock = stamp_store.acquire(r, user)
    if lock is None:
        return None  # another worker is stamping this user right now
    try:
        length, head = chain_store.head(r, user)
        index = length - 1
        latest = stamp_store.latest(r, user)
        if length == 0 or (latest is not None and latest.chain_index >= index):
            _finish(r, user, index, config)
            return None
        digest = bytes.fromhex(head)
        tokens, chains = [], {}
        for url in config.tsa_urls:
            try:
                reply, token = timestamp.request_token(url, digest, config.timeout)
                chain = timestamp.complete_chain(token, config.ca_bundle)
                timestamp.verify_token(reply, digest, chain)  # keep only what an officer can verify
            except timestamp.TimestampError as error:
                log.warning("stamping %s at %s failed: %s", user, url, error)
                continue
            fp = timestamp.fingerprint(chain[0])
            chains[fp] = timestamp.chain_pem(chain)
            tokens.append(stamp_store.StampToken(url, token.tsa_name, token.gen_time_iso,
                                                 timestamp.b64(reply), fp))
        if not tokens:
            attempts = stamp_store.failed_attempt(r, user)
            delay = min(MAX_BACKOFF_SECONDS, 2 ** min(attempts, 9))
            stamp_store.postpone(r, user, _now_ms() + delay * 1000)
            return None
        stamp = stamp_store.Stamp(index, head, now_iso(), tokens)
        stamp_store.save(r, user, stamp, chains)
        _finish(r, user, index, config)
        return stamp
    finally:
        stamp_store.release(r, user, lock)
        # The account was deleted while its head was at the TSA: erase what this round wrote.
        erasure.purge_if_gone(r, user, existed)


def _finish(r, user: str, stamped_index: int, config: StampConfig) -> None:
    """Leave the due set, then come back if links were chained meanwhile (a capture that landed
    between our read of the head and now has either seen our entry, or is seen here)."""
    stamp_store.done(r, user)
    length, _ = chain_store.head(r, user)
    if length - 1 > stamped_index:
        stamp_store.note_capture(r, user, _now_ms(), config.batch_seconds)


def run_due(r, config: StampConfig, now_iso: Callable[[], str], limit: int = 32) -> int:
    """Stamp every user now due; the number of stamps made."""
    made = 0
    for user in stamp_store.due_users(r, _now_ms(), limit):
        if stamp_user(r, user, config, now_iso) is not None:
            made += 1
    return made


class Stamper:
    """The background thread of one app worker."""

    def __init__(self, redis_client, config: StampConfig, now_iso: Callable[[], str]):
        self.redis = redis_client
        self.config = config
        self.now_iso = now_iso
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None and self.config.enabled:
            self.thread = threading.Thread(target=self._run, name="kadun-stamper", daemon=True)
            self.thread.start()

    def poke(self) -> None:
        """Look now (a dispute was opened in this worker)."""
        self.wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout)
            self.thread = None

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                run_due(self.redis, self.config, self.now_iso)
            except Exception:  # Redis restarting, a bug: log, wait, go on; never die
                log.exception("stamping round failed")
            self.wake.wait(self.config.poll_seconds)
            self.wake.clear()
