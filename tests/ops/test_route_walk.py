"""Every route of the app, walked from its url_map with hostile inputs: no answer is a 5xx.

The walk is built from ``app.url_map`` in local and hosted mode, so a route added later is walked
too. Each route is called as its owner (a bearer token of a user with captures, a dispute and an
attachment; in hosted mode also a signed-in account session with its CSRF token), with:

- path arguments that are traversals, encoded slashes, NUL, invalid UTF-8, RTL marks and very long ids;
- repeated and malformed query parameters (the listing cursor, limit, search, ``next``, a calendar key …);
- raw bodies under several content types: JSON that is not an object, 1,000 levels deep, a 200,000-element
  list, NaN/Infinity, huge numbers, duplicate keys, invalid UTF-8, lone surrogates, NUL;
- every field the published request schema names (and a few common ones) set to each wrong type,
  and to NaN, -Infinity, 1e999, lone surrogates and NUL written as raw JSON.

Any 5xx, or an exception out of the app, is a bug. /v1 refusals must be the JSON error shape.
"""
from __future__ import annotations

import json

import pytest

from tests.accounts.conftest import BASE, Pages, hosted_config
from tests.hosted.world import act, join

PATH_VALUES = ["..", "%2e%2e", "a%2fb", "%2F", "中文", "x" * 4000, "%00", "%ff%fe", "\u202e\u200b", "1" * 300,
               "%252f", "a/b", "snp_" + "0" * 23]
QUERY_NAMES = ["cursor", "limit", "q", "search", "url", "key", "domain", "order_no", "next", "lang", "state", "id"]
# Written already percent-encoded: a lone surrogate and invalid UTF-8 cannot be given as str.
QUERY_VALUES = ["", "-1", "0", "99999999999999999999", "1e9", "NaN", "%00", "%ff%fe", "%ED%A0%80", "..%2f..",
                "a" * 5000, "http://[::1", "http://%5B::1", "%E2%80%AE", "{}", "%5B%5D", "1%0d%0aSet-Cookie:%20x=1"]
RAW_BODIES = [b"null", b"1", b'"s"', b"[]", b"{}", b"[" * 1000 + b"]" * 1000, b'{"a":' * 1000 + b"1" + b"}" * 1000,
              b"[" + b"1," * 200_000 + b"1]", b"1e999999", b"NaN", b'{"x": NaN, "y": -Infinity}',
              b'{"a":1,"a":{"a":2}}', b"\xff\xfe\xfd", b'{"x":"\\ud800"}', b'{"x":"\\u0000"}', b"9" * 5000,
              b'{"x":' + b"9" * 5000 + b"}", b"\x00" * 64]
CONTENT_TYPES = ["application/json", "text/plain", None, "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/json; charset=gbk"]
WRONG_VALUES = [None, 0, -1, 1.5, True, [], {}, [None], {"a": {"b": []}}, "\ud800", "\x00", "x" * 100_000,
                "\u202e\u200b", 10 ** 40, 1e308, "../../etc/passwd", "", [1] * 1000]
COMMON_FIELDS = ["code", "device", "url", "html", "kind", "state", "next", "csrf_token", "username", "password",
                 "decision", "image", "file", "snapshot_ids", "domain", "order_no"]


def _fields(app) -> dict[tuple[str, str], list[str]]:
    """The request-body fields the published OpenAPI document names, by (METHOD, route)."""
    spec = app.test_client().get("/openapi.json", base_url=BASE).get_json()
    schemas = spec.get("components", {}).get("schemas", {})
    out: dict[tuple[str, str], list[str]] = {}
    for path, item in spec.get("paths", {}).items():
        rule = path.replace("{", "<").replace("}", ">")
        for method, operation in item.items():
            names: set[str] = set()
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                schema = media.get("schema") or {}
                if "$ref" in schema:
                    schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
                names |= set(schema.get("properties", {}))
            out[(method.upper(), rule)] = sorted(names)
    return out


# Written as raw JSON: json.dumps would refuse or normalise them.
RAW_VALUES = [b"NaN", b"-Infinity", b"1e999", b"-0", b"1E+400", b'"\\ud800"', b'"\\udfff\\ud800"', b'"a\\u0000b"']


def _wrong_bodies(fields: list[str]):
    for name in fields:
        for raw in RAW_VALUES:
            yield b'{"' + name.encode() + b'": ' + raw + b"}", "application/json"
        for value in WRONG_VALUES:
            yield json.dumps({name: value}).encode(), "application/json"
            text = value if isinstance(value, str) else json.dumps(value)
            yield {name: text.encode("utf-8", "surrogatepass")}, None


def walk(app, headers: dict) -> tuple[int, list[str]]:
    """(requests made, problems found) over every route of ``app``."""
    client = app.test_client()
    fields = _fields(app)
    problems: list[str] = []
    made = 0

    def call(method: str, path: str, what: str, **kwargs) -> None:
        nonlocal made
        made += 1
        try:
            response = client.open(path, method=method, headers=headers, base_url=BASE, **kwargs)
        except Exception as error:  # noqa: BLE001 - anything out of the app is the finding
            problems.append(f"{method} {path[:100]} [{what}]: {error!r:.200}")
            return
        if response.status_code >= 500:
            problems.append(f"{method} {path[:100]} [{what}]: {response.status_code} {response.get_data()[:200]!r}")
        elif response.status_code >= 400 and path.startswith("/v1/"):
            body = response.get_json(silent=True)
            if not (isinstance(body, dict) and {"error", "message"} <= set(body)):
                problems.append(f"{method} {path[:100]} [{what}]: {response.status_code} not a JSON error")

    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # Routes ending the caller's own session or account are walked last, by hand, below.
            if rule.rule in ("/account/signout", "/account/delete", "/account/signout-others"):
                continue
            values = PATH_VALUES if rule.arguments else [""]
            for value in values:
                path = rule.rule
                for name in rule.arguments:
                    path = path.replace(f"<{name}>", value).replace(f"<path:{name}>", value)
                call(method, path, "path")
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", "x").replace(f"<path:{name}>", "x")
            for value in QUERY_VALUES:
                query = "&".join(f"{name}={value}&{name}={value}" for name in QUERY_NAMES)
                call(method, f"{path}?{query}", f"query {value[:30]}")
            if method == "GET":
                continue
            for body in RAW_BODIES:
                for content_type in CONTENT_TYPES:
                    call(method, path, f"body {body[:30]!r} as {content_type}", data=body, content_type=content_type)
            names = fields.get((method, rule.rule)) or COMMON_FIELDS
            for data, content_type in _wrong_bodies(names):
                call(method, path, f"fields {str(data)[:60]}", data=data, content_type=content_type)
    return made, problems


def test_every_local_route_survives_hostile_input(app):
    owner = act(app, join(app, "walker", 1))
    made, problems = walk(app, owner.auth)
    assert made > 2000
    assert not problems, f"{len(problems)} of {made}:\n" + "\n".join(problems[:40])


def test_every_hosted_route_survives_hostile_input(redis_client, data_dir):
    from server import create_app

    app = create_app(hosted_config(redis_client, data_dir))
    owner = act(app, join(app, "walker", 1, account=True))
    pages = Pages(app)
    pages.sign_up("route-walker", "correct horse battery staple 1")
    csrf = pages.token("/account")
    # The session cookie rides with the pages' client: walk with it.
    app.test_client = lambda *a, **k: pages.client  # noqa: ARG005 - one client, its cookies kept
    made, problems = walk(app, {**owner.auth, "X-CSRF-Token": csrf})
    assert made > 2000
    assert not problems, f"{len(problems)} of {made}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("target", ["http://[::1", "http://%5B::1", "/account\\@evil.example", "//evil.example/account"])
def test_a_malformed_next_is_ignored_not_a_500(redis_client, data_dir, target):
    from server import create_app

    pages = Pages(create_app(hosted_config(redis_client, data_dir)))
    for path in ("/account/signin", "/account/signup"):
        page = pages.client.get(path, query_string={"next": target}, base_url=BASE)
        assert page.status_code == 200, (path, target, page.status_code)
        assert 'value="/account"' in page.get_data(as_text=True)
