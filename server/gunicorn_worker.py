"""gunicorn's threaded worker, answering its own refusals in the contract's JSON shape.

gunicorn refuses some requests before the app sees them (a request line over 8190 bytes, too many
or too large headers, a malformed request) with an HTML page. This worker makes those answers
``{"error", "message"}`` JSON like every other error of the backend. A request line too long is
answered 400 ``bad_request`` (gunicorn says 414): the URL is bad input like any other, and clients
(and schemathesis' negative checks) expect a refused value to be a 400. The OpenAPI document
still lists 414 (a proxy in front, or a plain gunicorn worker, answers it) and 431.

It also gives every client connection an idle timeout (``CLIENT_IDLE_SECONDS``, as nginx's
client_header_timeout/client_body_timeout): gthread reads a request's headers and body with blocking
reads in a worker thread, so a few clients that send half a request and then nothing (slowloris)
held every thread and the backend stopped answering anyone. A read that waits longer than that
ends the connection (or, inside the app, is the body's 400), and the thread is free again. Writes
get longer (``CLIENT_WRITE_IDLE_SECONDS``, counted per ``send``), so a slow phone link still
receives an 8 MiB page while a client that reads nothing at all is let go.
"""
from __future__ import annotations

import errno
import json
import os
import socket

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


# Seconds a client connection may stay silent in the middle of a request (KADUN_CLIENT_IDLE_SECONDS).
CLIENT_IDLE_SECONDS = float(os.environ.get("KADUN_CLIENT_IDLE_SECONDS") or 20)
# Seconds a client may go without taking any of an answer (gunicorn's own worker timeout).
CLIENT_WRITE_IDLE_SECONDS = 120.0


class _IdleLimitedSocket(socket.socket):
    """A client socket whose blocking mode is "blocking, at most CLIENT_IDLE_SECONDS per read":
    gthread switches connections between non-blocking (in its poller) and blocking (in a thread)
    with ``setblocking``, which would otherwise wait for ever."""

    def setblocking(self, flag: bool) -> None:
        self.settimeout(CLIENT_IDLE_SECONDS if flag else 0.0)

    # An idle client is a client gone: said as a reset (which gunicorn notes at debug level and the
    # app's body reader answers 400), not as an error with a traceback per connection in the log.
    def recv(self, *args):
        try:
            return super().recv(*args)
        except TimeoutError:
            raise ConnectionResetError(errno.ECONNRESET, f"client idle for {CLIENT_IDLE_SECONDS:g} s") from None

    def sendall(self, data, flags: int = 0) -> None:
        """Writes wait longer (CLIENT_WRITE_IDLE_SECONDS) and per ``send``, not over the whole buffer
        as Python's ``sendall`` counts: the kernel wakes a writer only when much of its send buffer
        has drained, which on a slow phone link takes far longer than a silent reader's limit."""
        previous = self.gettimeout()
        if previous:
            self.settimeout(max(previous, CLIENT_WRITE_IDLE_SECONDS))
        try:
            view = memoryview(data).cast("B")
            while view:
                try:
                    sent = self.send(view, flags)
                except TimeoutError:
                    raise ConnectionResetError(errno.ECONNRESET, "client read nothing for "
                                               f"{CLIENT_WRITE_IDLE_SECONDS:g} s") from None
                view = view[sent:]
        finally:
            if previous:
                self.settimeout(previous)

    def recv_into(self, *args):
        try:
            return super().recv_into(*args)
        except TimeoutError:
            raise ConnectionResetError(errno.ECONNRESET, f"client idle for {CLIENT_IDLE_SECONDS:g} s") from None


def idle_limited(sock: socket.socket) -> socket.socket:
    """``sock`` (a plain accepted socket) as an :class:`_IdleLimitedSocket` on the same descriptor."""
    if isinstance(sock, _IdleLimitedSocket) or type(sock) is not socket.socket:
        return sock  # already wrapped, or a TLS socket (gunicorn's own certfile mode): left alone
    timeout = sock.gettimeout()
    wrapped = _IdleLimitedSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())
    wrapped.setblocking(timeout != 0.0)
    return wrapped


class JsonErrorsWorker(ThreadWorker):
    """``gthread`` with JSON refusals (installed in the worker process only), and a memory
    allocator that gives large page buffers back (``server.memory``)."""

    def init_process(self) -> None:
        from .memory import tune_allocator

        util.write_error = write_json_error
        tune_allocator()
        super().init_process()

    def enqueue_req(self, conn) -> None:
        conn.sock = idle_limited(conn.sock)
        super().enqueue_req(conn)
