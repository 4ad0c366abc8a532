"""The phone's pairing link and its QR code (SVG for the options page, text for a terminal).

A pairing link is ``<backend>/m/#pair=<CODE>``: the mobile app at ``/m/`` reads the code from the
fragment, which a browser never sends to a server, so the one-time code stays out of access logs
and Referer headers, and removes it from the address bar as soon as it has used it.
"""
from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg

APP_PATH = "/m/"


def normalise_base(base: str) -> str:
    """``base`` as ``scheme://host[:port][/prefix]`` without a trailing slash; ValueError when it
    is not an absolute http(s) address."""
    text = (base or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) address: {base!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def pair_url(base: str, code: str) -> str:
    """The address a phone opens to pair: the mobile app with the code in the fragment."""
    return f"{normalise_base(base)}{APP_PATH}#pair={code}"


def is_secure_base(base: str) -> bool:
    """Will a phone's browser treat the app as a secure context (needed for its service worker,
    offline queue and installation)? https anywhere; plain http only on loopback."""
    parts = urlsplit(normalise_base(base))
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _qr(text: str) -> qrcode.QRCode:
    # Level M survives a phone camera's glare and a little blur; the border is the 4-module quiet
    # zone the standard asks for (scanners fail without it on a dark page).
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str) -> str:
    """``text`` as a QR code in SVG (one path, black on white), for an ``<img>`` without network."""
    image = _qr(text).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="unicode")


def qr_terminal(text: str) -> str:
    """``text`` as a QR code drawn with half-block characters, dark modules on a light terminal
    background and light on a dark one alike (the quiet zone is drawn too)."""
    out = io.StringIO()
    _qr(text).print_ascii(out=out, invert=True)
    return out.getvalue()
