"""The mobile web app: ``/m/`` is an installable PWA served by the backend itself, so it is
same-origin with the API it calls (no CORS) and needs nothing from anywhere else.

Every response under ``/m/`` carries a strict Content-Security-Policy (scripts, styles, workers,
the manifest and fetches from this origin only; no inline script or style; not frameable).
The service worker is served with a version made from the static files' digest and the list of
files it keeps for the offline shell, so a changed file always reaches the phone and no list is
kept by hand.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, request, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/m"

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'")

# File types the app ships, named explicitly (the platform's mimetypes table varies).
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".webmanifest": "application/manifest+json; charset=utf-8", ".png": "image/png",
         ".svg": "image/svg+xml"}

# What a share may carry into the app when no service worker took it (see share_post).
_SHARE_TEXT_FIELDS = ("title", "text", "url")

bp = Blueprint("web", __name__)


def _files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and p.suffix in TYPES and p.name != "sw.js")


@lru_cache(maxsize=1)
def shell() -> tuple[str, list[str]]:
    """(version, URLs of the offline shell): the digest of every static file, and their URLs."""
    digest = hashlib.sha256()
    urls = [f"{PREFIX}/"]
    for path in [*_files(), STATIC / "sw.js"]:
        rel = path.relative_to(STATIC).as_posix()
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
        if path.name not in ("index.html", "sw.js"):
            urls.append(f"{PREFIX}/{rel}")
    return digest.hexdigest()[:16], urls


@bp.after_app_request
def _headers(response: Response) -> Response:
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


def _index() -> Response:
    response = send_from_directory(STATIC, "index.html", mimetype=TYPES[".html"], max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get(PREFIX)
def app_root_redirect():
    return redirect(f"{PREFIX}/", code=308)


@bp.get(f"{PREFIX}/")
def app_index():
    """The app shell; the screens are routed in the page (``#/…``)."""
    return _index()


@bp.get(f"{PREFIX}/share")
def share_get():
    """A link shared by GET (``?url=&text=&title=``): the shell reads the query and shows it on
    its confirm screen. Any site can send a browser here, so nothing is queued or stored until the
    buyer taps 保存为证据 in the app; the capture itself is made by ``POST /v1/fetches``, which
    takes the phone's bearer token (a header no other site can send), never a cookie."""
    return _index()


@bp.post(f"{PREFIX}/share")
def share_post():
    """The Web Share Target's POST, when no service worker answered it (the app was not opened
    since it was installed, or the browser dropped its worker). Without the worker the phone's
    token is out of reach, so nothing can be stored here: a shared link goes on to the app by
    GET (where its confirm screen shows it) and shared files are named as not received."""
    fields = {name: request.form.get(name, "")[:8192] for name in _SHARE_TEXT_FIELDS}
    fields = {k: v for k, v in fields.items() if v}
    lost = sum(1 for f in request.files.getlist("files") if f and f.filename)
    if lost:
        fields["lost_files"] = str(lost)
    return redirect(f"{PREFIX}/share?{urlencode(fields)}" if fields else f"{PREFIX}/", code=303)


@bp.get(f"{PREFIX}/sw.js")
def service_worker():
    """The service worker with this build's version and its offline shell filled in."""
    version, urls = shell()
    text = (STATIC / "sw.js").read_text(encoding="utf-8")
    text = text.replace('"__KADUN_VERSION__"', json.dumps(version)).replace('["__KADUN_SHELL__"]', json.dumps(urls))
    response = Response(text, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = f"{PREFIX}/"
    return response


@bp.get(f"{PREFIX}/<path:name>")
def app_file(name: str):
    """A static file of the app (scripts, styles, locales, icons, the manifest)."""
    suffix = Path(name).suffix
    if suffix not in TYPES or name.endswith("sw.js"):
        abort(404)
    response = send_from_directory(STATIC, name, mimetype=TYPES.get(suffix) or mimetypes.guess_type(name)[0],
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
