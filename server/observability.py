"""Structured logs: one JSON line per request, every line tagged with the request id.

``X-Request-ID`` is taken from the caller (the proxy or the extension) when it is a sane token,
else made here, and is sent back on every response, so one id follows a capture from the
extension's queue through the proxy to this log. ``JSON_LOGS`` (``KADUN_JSON_LOGS=1``) makes the
``kadun`` loggers write JSON to stderr; without it the request lines still go to the ``kadun.request``
logger for whoever configured logging.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
request_log = logging.getLogger("kadun.request")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "request_id", …extra fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(stream=None, level: int = logging.INFO) -> logging.Handler:
    """Send the ``kadun`` loggers to ``stream`` (stderr) as JSON lines; idempotent per process."""
    root = logging.getLogger("kadun")
    for handler in root.handlers:
        if getattr(handler, "_kadun_json", False):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler._kadun_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return handler


def init_observability(app: Flask) -> None:
    """Request ids in and out, and the one log line per request."""
    if _truthy(app.config.get("JSON_LOGS")):
        configure_json_logging()
    if not any(isinstance(f, RequestIdFilter) for f in request_log.filters):
        request_log.addFilter(RequestIdFilter())

    @app.before_request
    def _start():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SANE_ID.fullmatch(incoming) else new_request_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = getattr(g, "request_id", None) or new_request_id()
        response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        duration = time.perf_counter() - started if started is not None else 0.0
        g.request_seconds = duration
        request_log.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"request_id": request_id, "method": request.method, "path": request.path,
                   "endpoint": request.endpoint, "status": response.status_code,
                   "duration_ms": round(duration * 1000, 2), "user": getattr(g, "user", None),
                   "remote": request.remote_addr, "bytes_in": request.content_length or 0,
                   "error": _error_code(response)})
        return response


def _error_code(response) -> str | None:
    if response.status_code < 400 or not response.is_json:
        return None
    body = response.get_json(silent=True)
    return body.get("error") if isinstance(body, dict) else None


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
