"""gunicorn's threaded worker, answering its own refusals in the contract's JSON shape.

gunicorn refuses some requests before the app sees them (a request line over 8190 bytes, too many
or too large headers, a malformed request) with an HTML page. This worker makes those answers
``{"error", "message"}`` JSON like every other error of the backend. A request line too long is
answered 400 ``bad_request`` (gunicorn says 414): the URL is bad input like any other, and clients
(and schemathesis' negative checks) expect a refused value to be a 400. The OpenAPI document
still lists 414 (a proxy in front, or a plain gunicorn worker, answers it) and 431.
"""
from __future__ import annotations

import json

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

_CODES = {400: "bad_request", 403: "forbidden", 413: "too_large", 414: "too_large", 417: "bad_request",
          431: "too_large", 500: "internal", 501: "bad_request"}
_MESSAGES = {414: "request line too long (over 8190 bytes): shorten the URL",
             431: "request headers too large"}
_STATUS = {414: (400, "Bad Request")}


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error`` with a JSON body (same status line, connection closed)."""
    message = _MESSAGES.get(status_int) or (f"{reason}: {mesg}" if mesg else reason)
    status_int, reason = _STATUS.get(status_int, (status_int, reason))
    body = json.dumps({"error": _CODES.get(status_int, "bad_request"), "message": message[:500]}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class JsonErrorsWorker(ThreadWorker):
    """``gthread`` with JSON refusals (installed in the worker process only), and a memory
    allocator that gives large page buffers back (``server.memory``)."""

    def init_process(self) -> None:
        from .memory import tune_allocator

        util.write_error = write_json_error
        tune_allocator()
        super().init_process()
