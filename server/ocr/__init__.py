"""Uploaded phone screenshots read by Tesseract off the request path (see worker.py), matched to
the user's orders. ``start_worker(app)`` runs one reader thread per app process."""
from __future__ import annotations


def worker_of(app):
    """The app's OCR worker (made on first use, started when ``OCR_WORKER`` is on)."""
    from .worker import OcrWorker

    extra = app.extensions["kadun"].extra
    worker = extra.get("ocr_worker")
    if worker is None:
        worker = extra["ocr_worker"] = OcrWorker(app.extensions["kadun"].redis,
                                                 lease_seconds=float(app.config.get("OCR_LEASE_SECONDS") or 120))
    return worker


def _enabled(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def init_ocr(app) -> None:
    """Start the app's reader with its first request (a process that serves nothing reads
    nothing; gunicorn's workers each get one)."""
    if not _enabled(app.config.get("OCR_WORKER", True)):
        return

    @app.before_request
    def _start_ocr_worker():
        worker = worker_of(app)
        if worker._thread is None:
            worker.start()
        return None
