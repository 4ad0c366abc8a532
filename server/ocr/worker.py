"""Reads queued screenshots off the request path: claim a job, read the image with Tesseract,
match a payment record to the user's orders, store the reading, finish the job.

One worker thread runs in each app process that serves requests (started with the first
request, see ``server.ocr.start_worker``); jobs are claimed with a lease (``jobs.claim``), so any
number of processes can share the queue and a job whose reader died is read again.
"""
from __future__ import annotations

import logging
import threading
import time
import weakref

from .. import clock
from ..errors import KadunError
from ..risk.payments import match_payment, order_seen
from ..storage import blobs, captures, uploads
from . import jobs
from .engine import OcrUnavailable
from .reader import read_screenshot
from .rules import rules

log = logging.getLogger("kadun.ocr")

HINTS = {"payment_proof": "payment", "error_screenshot": "error", "chat_log": "chat"}
READABLE = ("image/png", "image/jpeg", "image/gif")
ENGINE = "tesseract chi_sim (+eng digits)"


def queued_state() -> dict:
    return {"state": "queued", "attempts": 0, "queued_at": clock.now_iso()}


def candidate_orders(r, user: str) -> list:
    """The user's newest order and checkout captures, as the matcher sees them."""
    scan = rules()["match"]["scan"]
    ids = []
    for kind in ("order", "checkout"):
        ids += [sid for sid, _ in captures.ids_newest_first(r, user, page_kind=kind, limit=scan)]
    found = captures.get_many(r, user, ids)
    facts = captures.get_facts_many(r, user, [c.facts_id for c in found])  # one round trip
    return [order_seen(c.id, c.domain, c.received_at, facts.get(c.facts_id)) for c in found]


def read_upload(r, user: str, attachment_id: str, attempts: int = 1) -> dict:
    """Read one upload and store the result; returns the stored state."""
    attachment = uploads.get(r, user, attachment_id)
    if attachment is None:
        raise LookupError(f"no upload {attachment_id}")
    state = {"state": "done", "attempts": attempts, "read_at": None, "engine": ENGINE, "reading": None,
             "match": None, "read_ms": None, "error": None}
    if attachment.content_type not in READABLE:
        state.update(state="skipped", error=f"{attachment.content_type} is not an image OCR reads")
        uploads.set_reading(r, user, attachment_id, state)
        return state
    data = blobs.get(r, user, attachment.sha256)
    if data is None:
        raise LookupError(f"the bytes of upload {attachment_id} are missing")
    try:
        reading, ms = read_screenshot(data, HINTS.get(attachment.kind))
    except KadunError as error:  # not an image after all
        state.update(state="failed", error=error.message, read_at=clock.now_iso())
        uploads.set_reading(r, user, attachment_id, state)
        return state
    match = None
    if reading.kind == "payment":
        match = match_payment(reading.as_dict(), candidate_orders(r, user))
    state.update(reading=reading.as_dict(), read_ms=ms, read_at=clock.now_iso(), match=match)
    uploads.set_reading(r, user, attachment_id, state, order_no=(match or {}).get("order_no"))
    return state


_REPORTED = {"at": -1e9}
_REPORT_LOCK = threading.Lock()


def _first_report(every: float = 60.0) -> bool:
    """One line per process per outage: every reader of the process (one per app) sees the same
    Redis go away, so only the first to notice within ``every`` seconds says so."""
    with _REPORT_LOCK:
        now = time.monotonic()
        if now - _REPORTED["at"] < every:
            return False
        _REPORTED["at"] = now
        return True


# Readers started in this process (stop_all); a stopped reader leaves the set.
_STARTED: weakref.WeakSet[OcrWorker] = weakref.WeakSet()


class OcrWorker:
    """A thread that reads queued screenshots until stopped."""

    def __init__(self, r, *, lease_seconds: float = 120.0, poll_seconds: float = 1.0, max_attempts: int = 3):
        self.r, self.lease, self.poll, self.max_attempts = r, lease_seconds, poll_seconds, max_attempts
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: float | None = None) -> bool:
        """Claim and read one due job; False when none was due."""
        job = jobs.claim(self.r, self.lease, now=now)
        if job is None:
            return False
        user, attachment_id = job
        previous = uploads.reading(self.r, user, attachment_id) or queued_state()
        attempts = int(previous.get("attempts") or 0) + 1
        try:
            if attempts > self.max_attempts:
                previous.update(state="failed", attempts=attempts - 1,
                                error=previous.get("error") or "reading failed too many times")
                uploads.set_reading(self.r, user, attachment_id, previous)
            else:
                uploads.set_reading(self.r, user, attachment_id, {**previous, "state": "reading", "attempts": attempts})
                read_upload(self.r, user, attachment_id, attempts)
            jobs.finish(self.r, user, attachment_id)
        except LookupError as error:
            log.warning("ocr: dropping job %s: %s", attachment_id, error)
            jobs.finish(self.r, user, attachment_id)
        except OcrUnavailable as error:
            log.error("ocr: %s", error)
            uploads.set_reading(self.r, user, attachment_id,
                                {**previous, "state": "queued", "attempts": attempts, "error": str(error)})
            jobs.retry_later(self.r, user, attachment_id, 60)
        except Exception:  # a bad image must not stop the worker; the lease brings the job back
            log.exception("ocr: reading %s failed", attachment_id)
            uploads.set_reading(self.r, user, attachment_id,
                                {**previous, "state": "queued", "attempts": attempts, "error": "reading failed"})
            jobs.retry_later(self.r, user, attachment_id, 5)
        return True

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                busy = self.run_once()
                failures = 0
            except Exception as error:  # Redis away: say so once, then wait longer each time (≤ 60 s)
                if failures == 0 and _first_report():
                    log.warning("ocr: the job queue is unreachable (%s); retrying", error)
                failures += 1
                busy = False
            if not busy:
                self._wake.wait(min(60.0, self.poll * (2 ** min(failures, 6))) if failures else self.poll)
                self._wake.clear()

    def start(self) -> OcrWorker:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="kadun-ocr", daemon=True)
            self._thread.start()
            _STARTED.add(self)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        _STARTED.discard(self)


def stop_all(timeout: float = 30.0) -> int:
    """Stop every reader this process started (a shutting-down process, or a test run whose
    finished apps would otherwise keep reading the shared queue): how many were running."""
    running = list(_STARTED)
    for worker in running:
        worker.stop(timeout)
    return len(running)


def wait_for(r, user: str, attachment_id: str, timeout: float = 60.0) -> dict | None:
    """The reading once it is no longer queued or being read (for the CLI and tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = uploads.reading(r, user, attachment_id)
        if state and state.get("state") not in ("queued", "reading"):
            return state
        time.sleep(0.05)
    return uploads.reading(r, user, attachment_id)
