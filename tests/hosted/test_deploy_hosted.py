"""The Caddy example agrees with the backend it fronts: the upstream is where the systemd unit and
gunicorn bind, bodies as large as the backend accepts pass, the site name is the one the README
tells KADUN_ALLOWED_HOSTS, /metrics stays private, and health checks use /readyz."""
from __future__ import annotations

import re

from server.config import DEFAULTS
from tests.conftest import ROOT

CADDY = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "kadun.service").read_text(encoding="utf-8")


def _directives() -> str:
    return "\n".join(line.split("#", 1)[0] for line in CADDY.splitlines())


def _size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*([KMG]i?B)", text).groups()
    scale = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit]
    return int(number) * scale


def test_caddy_proxies_to_where_the_backend_listens():
    upstream = re.search(r"reverse_proxy\s+(\S+)", _directives()).group(1)
    bind = re.search(r"kadun serve --host (\S+) --port (\d+)", UNIT).groups()
    assert upstream == f"{bind[0]}:{bind[1]}"
    assert re.search(r"health_uri\s+/readyz", _directives())


def test_caddy_lets_the_largest_capture_through():
    limit = _size(re.search(r"max_size\s+(\S+)", _directives()).group(1))
    assert limit >= DEFAULTS["MAX_CONTENT_LENGTH"]


def test_the_site_name_is_the_allowed_host_and_metrics_stay_private():
    directives = _directives()
    site = re.search(r"^(\S+)\s*\{", directives, re.M).group(1)
    assert f"KADUN_ALLOWED_HOSTS={site}" in CADDY
    assert re.search(r"@metrics\s+path\s+/metrics", directives) and re.search(r"respond\s+@metrics\s+404", directives)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "deploy/Caddyfile" in readme and f"KADUN_ALLOWED_HOSTS={site}" in readme
