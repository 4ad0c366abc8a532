"""The share-a-link fetcher: gets one public web page for a buyer, and nothing else.

A buyer shares a shop link from the phone; the backend fetches it and keeps it as evidence. The
link comes from outside, so the fetcher is built against server-side request forgery:

- http and https only, no user name or password in the URL, no cookies kept or sent;
- every address the host name resolves to must be public unicast (``addresses.refusal``), in any
  spelling (decimal, octal, hex, IPv4-mapped, 6to4, Teredo, NAT64);
- the connection goes to the address that was checked (a network backend that ignores the name
  and dials the pinned address), so a resolver that answers differently the second time
  (DNS rebinding) cannot move it; TLS still sends the name (SNI) and checks the certificate
  against it, and the Host header is the name;
- every redirect hop is resolved and checked the same way, at most ``max_redirects`` of them;
- at most ``max_bytes`` (8 MiB) of body, after decompression, and ``timeout`` (10 s) for the
  whole fetch including every hop and every name lookup: each read and write is given only the
  time that is left, so a server that dribbles bytes (slow loris) is cut off at the deadline, and
  each lookup runs in a worker thread that is waited for only that long (a resolver cannot be
  interrupted, so at most ``max_resolving`` lookups may be left running at once; past that a
  fetch is refused at once rather than piling up threads);
- a port from 1 to 65535 (``:0`` is not "the default port", it is refused);
- a user agent that says who is asking.

Tests reach shop pages on loopback only through :class:`LoopbackForTests`, an object a test
builds and passes to :class:`Fetcher`; nothing in configuration or the environment can create
one, so a deployment cannot turn it on by accident.
"""
from __future__ import annotations

import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import webencodings

from ..errors import Unprocessable
from .addresses import IPAddress, literal_address, refusal

MIB = 1024 * 1024
USER_AGENT = ("Mozilla/5.0 (compatible; KaDunFetcher/0.1; +kadun evidence capture of a link a buyer shared) "
              "卡盾存证")
REDIRECTS = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml")

Resolver = Callable[[str, int], Iterable[str]]


class FetchRefused(Unprocessable):
    """The link was not fetched; ``reason`` is a stable code, the message says why in words."""

    def __init__(self, message: str, reason: str, url: str | None = None, **details):
        super().__init__(message, reason=reason, **({"url": url} if url else {}), **details)
        self.reason = reason


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class LoopbackForTests:
    """Lets a test's fetcher reach its own loopback servers, and only those (exact address and
    port pairs on 127.0.0.0/8 or ::1). Passed to :class:`Fetcher` by tests; never built from
    configuration."""

    endpoints: frozenset[tuple[str, int]]

    def __post_init__(self):
        for host, _port in self.endpoints:
            address = literal_address(host)
            if address is None or not address.is_loopback:
                raise ValueError(f"LoopbackForTests only admits loopback addresses, not {host}")

    def admits(self, address: IPAddress, port: int) -> bool:
        return (str(address), port) in self.endpoints


@dataclass
class Hop:
    url: str
    address: str
    status: int

    def as_dict(self) -> dict:
        return {"url": self.url, "address": self.address, "status": self.status}


@dataclass
class FetchedPage:
    """One fetched page: the final URL, the body (decoded from its transfer and content
    encodings, not from its charset), its text, and every hop taken to get it."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str
    body: bytes
    text: str
    hops: list[Hop] = field(default_factory=list)
    elapsed_ms: int = 0

    @property
    def address(self) -> str:
        return self.hops[-1].address if self.hops else ""


class _Deadline:
    def __init__(self, seconds: float, url: str):
        self.end, self.seconds, self.url = time.monotonic() + seconds, seconds, url

    def left(self, cap: float | None = None) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(f"the page did not arrive within {self.seconds:g} s", "timeout", self.url)
        return remaining if cap is None else min(cap, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write gets only the time left before the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline):
        self.inner, self.deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self.inner.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        return _DeadlineStream(inner, self.deadline)

    def get_extra_info(self, info: str):
        return self.inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Dials the checked address whatever name httpcore asks for, so nothing can re-resolve."""

    def __init__(self, host: str, address: IPAddress, port: int, deadline: _Deadline):
        self.host, self.address, self.port, self.deadline = host, address, port, deadline
        self._plain = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        if host.lower().strip("[]") != self.host or port != self.port:  # never: we built the request
            raise FetchRefused("internal error: connection to an unchecked host", "unchecked", self.deadline.url)
        stream = self._plain.connect_tcp(str(self.address), port, timeout=self.deadline.left(timeout))
        peer = stream.get_extra_info("socket").getpeername()[0]
        if literal_address(peer) != self.address:
            stream.close()
            raise FetchRefused(f"connected to {peer}, not the checked {self.address}", "unchecked", self.deadline.url)
        return _DeadlineStream(stream, self.deadline)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefused("unix sockets are never used", "unchecked", self.deadline.url)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class _Target:
    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, no brackets
    port: int


def parse_target(url: str) -> _Target:
    """Check a URL's form (scheme, credentials, host, port) before anything is resolved."""
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("the link is empty", "bad_url")
    url = url.strip()
    if len(url) > 8192:
        raise FetchRefused("the link is longer than 8192 characters", "bad_url")
    if re.search(r"[\x00-\x20\x7f]", url):
        raise FetchRefused("the link contains spaces or control characters", "bad_url", url)
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchRefused(f"the link is not a valid URL ({error})", "bad_url", url) from None
    port = _port(parts, url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https links can be fetched, not {scheme or 'a relative link'}",
                           "scheme", url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("links with a user name or password are not fetched", "credentials", url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("the link has no host name", "bad_url", url)
    if literal_address(host) is None:
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise FetchRefused(f"the host name {host!r} is not valid", "bad_url", url) from None
        if not re.fullmatch(r"[a-z0-9._-]{1,253}", host):
            raise FetchRefused(f"the host name {host!r} is not valid", "bad_url", url)
    default = 443 if scheme == "https" else 80
    clean = urlunsplit((scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))
    return _Target(url=clean, scheme=scheme, host=host, port=default if port is None else port)


def _port(parts, url: str) -> int | None:
    """The link's port (None: the scheme's default), or a refusal naming it: 0 is no port a web
    server listens on (and must not quietly mean the default), past 65535 there are none."""
    try:
        port = parts.port
    except ValueError as error:
        written = parts.netloc.rpartition(":")[2]
        if written.isascii() and written.isdigit() and int(written) > 65535:
            raise FetchRefused(f"the link's port {written[:16]} is not a port (ports are 1 to 65535)",
                               "bad_port", url, port=written[:16]) from None
        raise FetchRefused(f"the link's port is not a number from 1 to 65535 ({_short(error)})", "bad_port",
                           url) from None
    if port is not None and not 1 <= port <= 65535:
        raise FetchRefused(f"the link's port {port} is not a port (ports are 1 to 65535)", "bad_port", url,
                           port=str(port))
    return port


class Fetcher:
    """Fetches public web pages safely. One instance serves many fetches (it keeps no state
    between them: no cookies, no connections)."""

    def __init__(self, *, resolver: Resolver | None = None, timeout: float = 10.0, max_bytes: int = 8 * MIB,
                 max_redirects: int = 5, user_agent: str = USER_AGENT, ssl_context: ssl.SSLContext | None = None,
                 loopback_for_tests: LoopbackForTests | None = None, max_resolving: int = 16):
        self.resolver = resolver or system_resolver
        self.max_resolving = max_resolving
        self._resolving = threading.BoundedSemaphore(max_resolving)
        self.timeout, self.max_bytes, self.max_redirects = timeout, max_bytes, max_redirects
        self.user_agent = user_agent
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.loopback_for_tests = loopback_for_tests

    # --- the checks -------------------------------------------------------------------------
    def check_address(self, address: IPAddress, port: int, url: str, host: str) -> None:
        if self.loopback_for_tests is not None and self.loopback_for_tests.admits(address, port):
            return
        why = refusal(address)
        if why is None:
            return
        where = "" if str(address) == host else f"{host} resolves to {address}: "
        raise FetchRefused(f"refused to fetch {url}: {where}{why}", "not_public", url, address=str(address))

    def _lookup(self, target: _Target, deadline: _Deadline) -> list:
        """The resolver's answers for ``target``'s host, waited for only until the deadline."""
        if not self._resolving.acquire(blocking=False):
            raise FetchRefused(f"too many name lookups are stuck; {target.host} was not looked up, try again later",
                               "dns_busy", target.url)
        outcome: dict = {}
        done = threading.Event()

        def work():
            try:
                outcome["answers"] = list(self.resolver(target.host, target.port))
            except BaseException as error:  # handed to the waiting fetch, never lost in the thread
                outcome["error"] = error
            finally:
                self._resolving.release()
                done.set()

        threading.Thread(target=work, name=f"kadun-resolve-{target.host[:40]}", daemon=True).start()
        if not done.wait(deadline.left()):
            raise FetchRefused(f"the host name {target.host} was not resolved within {deadline.seconds:g} s "
                               f"(the page did not arrive in time)", "timeout", target.url)
        error = outcome.get("error")
        if isinstance(error, FetchRefused):
            raise error
        if isinstance(error, (OSError, UnicodeError)):
            raise FetchRefused(f"the host name {target.host} could not be resolved ({error})",
                               "dns", target.url) from None
        if error is not None:
            raise error
        return outcome["answers"]

    def resolve(self, target: _Target, deadline: _Deadline | None = None) -> IPAddress:
        """The one address to connect to: every answer must pass, the first is used."""
        literal = literal_address(target.host)
        if literal is not None:
            answers = [literal]
        else:
            raw = self._lookup(target, deadline or _Deadline(self.timeout, target.url))
            answers = [a for a in (literal_address(str(r)) for r in raw) if a is not None]
            if not answers:
                raise FetchRefused(f"the host name {target.host} has no address", "dns", target.url)
        for address in answers:  # one bad answer refuses the name: the resolver is not trusted
            self.check_address(address, target.port, target.url, target.host)
        return answers[0]

    # --- the fetch --------------------------------------------------------------------------
    def fetch(self, url: str) -> FetchedPage:
        """Fetch ``url`` following redirects; raises :class:`FetchRefused` with a reason code."""
        started = time.monotonic()
        target = parse_target(url)
        deadline = _Deadline(self.timeout, target.url)
        hops: list[Hop] = []
        seen: set[str] = set()
        while True:
            address = self.resolve(target, deadline)
            status, headers, body = self._exchange(target, address, deadline)
            hops.append(Hop(target.url, str(address), status))
            if status in REDIRECTS and headers.get("location"):
                if len(hops) > self.max_redirects:
                    raise FetchRefused(f"more than {self.max_redirects} redirects", "redirects", url)
                seen.add(target.url)
                location = urljoin(target.url, headers["location"].strip())
                target = parse_target(location)
                if target.url in seen:
                    raise FetchRefused(f"the redirects go round in a loop at {target.url}", "redirects", url)
                continue
            break
        if not 200 <= status < 300:
            raise FetchRefused(f"the shop answered HTTP {status} for {target.url}", "http_status", url, status=status)
        content_type, charset = _content_type(headers.get("content-type", ""))
        if content_type and content_type not in HTML_TYPES:
            raise FetchRefused(f"the link is not a web page ({content_type})", "not_html", url,
                               content_type=content_type)
        text, charset = decode_html(body, charset)
        return FetchedPage(url=url, final_url=target.url, status=status, content_type=content_type or "text/html",
                           charset=charset, body=body, text=text, hops=hops,
                           elapsed_ms=int((time.monotonic() - started) * 1000))

    def _exchange(self, target: _Target, address: IPAddress, deadline: _Deadline) -> tuple[int, dict, bytes]:
        backend = _PinnedBackend(target.host, address, target.port, deadline)
        headers = [(b"User-Agent", self.user_agent.encode("utf-8")),
                   (b"Accept", b"text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
                   (b"Accept-Language", b"zh-CN,zh;q=0.9,en;q=0.6"),
                   (b"Accept-Encoding", b"gzip, deflate"), (b"Connection", b"close")]
        timeouts = {"connect": self.timeout, "read": self.timeout, "write": self.timeout, "pool": self.timeout}
        try:
            with httpcore.ConnectionPool(ssl_context=self.ssl_context, network_backend=backend, max_connections=1,
                                         retries=0, http1=True, http2=False) as pool:
                with pool.stream("GET", target.url, headers=headers,
                                 extensions={"timeout": timeouts, "sni_hostname": target.host}) as response:
                    found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
                    if response.status in REDIRECTS:
                        return response.status, found, b""
                    return response.status, found, self._body(response, found, target, deadline)
        except FetchRefused:
            raise
        except httpcore.TimeoutException:
            raise FetchRefused(f"the page did not arrive within {self.timeout:g} s", "timeout", target.url) from None
        except httpcore.ConnectError as error:
            reason, what = ("tls", "a secure connection failed") if _is_tls(error) else ("connect", "could not connect")
            raise FetchRefused(f"{what} to {target.host} ({address}): {_short(error)}", reason, target.url) from None
        except (httpcore.ProtocolError, httpcore.NetworkError, OSError, ssl.SSLError) as error:
            raise FetchRefused(f"the connection to {target.host} failed: {_short(error)}", "connect",
                               target.url) from None

    def _body(self, response, headers: dict, target: _Target, deadline: _Deadline) -> bytes:
        too_big = FetchRefused(f"the page is larger than {self.max_bytes // MIB} MiB", "too_large", target.url)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_big
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchRefused(f"the page uses an unsupported encoding ({encoding})", "encoding", target.url)
        inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
        out, raw_size = bytearray(), 0
        for chunk in response.iter_stream():
            raw_size += len(chunk)
            if raw_size > self.max_bytes:
                raise too_big
            if inflate is not None:
                try:
                    # Never inflate past the cap (a small gzip can claim gigabytes).
                    chunk = inflate.decompress(chunk, self.max_bytes + 1 - len(out))
                except zlib.error as error:
                    raise FetchRefused(f"the page's compression is broken ({error})", "encoding", target.url) from None
            out += chunk
            if len(out) > self.max_bytes or (inflate is not None and inflate.unconsumed_tail):
                raise too_big
            deadline.left()
        return bytes(out)


def _is_tls(error: Exception) -> bool:
    cause = error.__context__ or error.__cause__
    return isinstance(cause, ssl.SSLError) or "SSL" in str(error) or "certificate" in str(error).lower()


def _short(error: Exception) -> str:
    text = str(error) or error.__class__.__name__
    return text if len(text) < 200 else text[:197] + "…"


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", params, re.I)
    return media.strip().lower(), (match.group(1).lower() if match else None)


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)


def _codec(label: str, from_meta: bool) -> str | None:
    """The Python codec for a charset label as browsers read it (the WHATWG Encoding Standard's
    label table, via ``webencodings``): ``x-sjis``/``windows-31j`` are Shift_JIS (cp932),
    ``cn-big5``/``big5`` Big5-HKSCS, ``gb2312``/``chinese``/``x-gbk`` GBK (read as GB18030, its
    superset). None for a label browsers do not know (``undefined``, ``idna``, ``unicode_escape``
    are Python codecs, never page charsets) and for ``replacement``/``x-user-defined``. A ``<meta>``
    that says UTF-16 means UTF-8, as in browsers (the bytes it is written in are ASCII)."""
    found = webencodings.lookup(label)
    if found is None or found.name in ("replacement", "x-user-defined"):
        return None
    if from_meta and found.name in ("utf-16le", "utf-16be"):
        return "utf-8"
    return {"gbk": "gb18030"}.get(found.name, found.codec_info.name)


def decode_html(body: bytes, declared: str | None) -> tuple[str, str]:
    """The page as text and the charset used: a byte-order mark, else the HTTP header's charset,
    else a ``<meta charset>`` in the first 4 KiB, else UTF-8 if it decodes, else GB18030 (the
    superset of GBK/GB2312 that older Chinese shops use). Labels are read as browsers read them
    (``_codec``)."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    candidates = [(declared, False)]
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append((match.group(1).decode("ascii"), True))
    for label, from_meta in candidates:
        name = _codec(label, from_meta) if label else None
        if name is None:
            continue
        try:
            return body.decode(name, errors="replace"), name
        except (LookupError, UnicodeError):
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace"), "gb18030"
