"""The HTTP door: the Host check (DNS rebinding), the Origin gate, CORS pinned to the paired
extension ids (flask-cors), pairing only from KaDun's own clients, /metrics on loopback."""
from __future__ import annotations

import pytest

from server import create_app
from server.storage import origins as origin_store
from server.storage import users
from tests.conftest import pair_user
from tests.ops.helpers import assert_error_shape

CHROME_A = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
CHROME_B = "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba"
FIREFOX = "moz-extension://0b1f4c2e-1111-2222-3333-444455556666"
PREFLIGHT_POST = {"Access-Control-Request-Method": "POST",
                  "Access-Control-Request-Headers": "authorization, content-type, x-request-id"}


def _app(redis_client, data_dir, **config):
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": False, **config})


def _pair_from(app, origin: str | None) -> str:
    code = users.new_pairing_code(app.extensions["kadun"].redis)
    headers = {"Origin": origin} if origin else {}
    response = app.test_client().post("/v1/pair", json={"code": code, "device": "test"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def _cors_headers(response) -> dict:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


# --- CORS pinned to the paired extension ids ----------------------------------------------------
def test_first_pairing_works_from_any_extension_and_pins_its_origin(redis_client, data_dir):
    app = _app(redis_client, data_dir)
    client = app.test_client()
    # Before any pairing, the pairing route's preflight admits an extension it has never seen.
    preflight = client.options("/v1/pair", headers={"Origin": CHROME_A, **PREFLIGHT_POST})
    assert 200 <= preflight.status_code < 300
    assert preflight.headers["Access-Control-Allow-Origin"] == CHROME_A
    allowed = {h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-request-id"} <= allowed
    assert set(preflight.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) >= {
        "GET", "POST", "DELETE", "OPTIONS"}
    token = _pair_from(app, CHROME_A)
    assert origin_store.pinned(redis_client).keys() == {CHROME_A}
    auth = {"Authorization": f"Bearer {token}"}

    # The paired extension: preflights and answers carry its origin and expose the two headers.
    pre = client.options("/v1/snapshots", headers={"Origin": CHROME_A, **PREFLIGHT_POST})
    assert 200 <= pre.status_code < 300 and pre.headers["Access-Control-Allow-Origin"] == CHROME_A
    delete = client.options("/v1/snapshots", headers={"Origin": CHROME_A, "Access-Control-Request-Method": "DELETE"})
    assert "DELETE" in delete.headers.get("Access-Control-Allow-Methods", "")
    actual = client.get("/v1/chain", headers={"Origin": CHROME_A, "X-Request-ID": "req-42", **auth})
    assert actual.status_code == 200
    assert actual.headers["Access-Control-Allow-Origin"] == CHROME_A
    exposed = {h.strip().lower() for h in actual.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= {"retry-after", "x-request-id"}
    assert actual.headers["X-Request-ID"] == "req-42"
    assert "Origin" in actual.headers.get("Vary", "")

    # Another extension id: it may pair (public route) but not reach data, even with a valid token.
    refused = client.get("/v1/chain", headers={"Origin": CHROME_B, **auth})
    assert refused.status_code == 403
    assert assert_error_shape(refused, "forbidden")["field"] == "Origin"
    assert not _cors_headers(refused)
    refused_pre = client.options("/v1/snapshots", headers={"Origin": CHROME_B, **PREFLIGHT_POST})
    assert refused_pre.status_code == 403 and not _cors_headers(refused_pre)
    public = client.get("/v1/keys", headers={"Origin": CHROME_B})
    assert public.status_code == 200 and public.headers["Access-Control-Allow-Origin"] == CHROME_B
    _pair_from(app, CHROME_B)
    again = client.get("/v1/chain", headers={"Origin": CHROME_B, **auth})
    assert again.status_code == 200 and again.headers["Access-Control-Allow-Origin"] == CHROME_B


def test_pinned_origins_are_shared_by_every_worker(redis_client, data_dir):
    # Two apps on one Redis stand for two gunicorn workers: a pairing on one admits on the other.
    one, two = _app(redis_client, data_dir), _app(redis_client, data_dir)
    token = _pair_from(one, FIREFOX)
    response = two.test_client().get("/v1/chain", headers={"Origin": FIREFOX, "Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == FIREFOX


def test_configured_extension_ids_are_admitted_without_pairing(redis_client, data_dir):
    app = _app(redis_client, data_dir, EXTENSION_IDS=f"{CHROME_A[len('chrome-extension://'):]}, ,"
                                                     "0B1F4C2E-1111-2222-3333-444455556666")
    token, _ = pair_user(app)  # paired without an Origin (the CLI): pins nothing
    auth = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    for origin in (CHROME_A, FIREFOX):
        response = client.get("/v1/chain", headers={"Origin": origin, **auth})
        assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == origin
    assert client.get("/v1/chain", headers={"Origin": CHROME_B, **auth}).status_code == 403


@pytest.mark.parametrize("entry", ["", "abc", "chrome-extension://", "moz-extension://not-a-uuid",
                                   "https://example.org"])
def test_a_bad_configured_id_is_refused_at_start(redis_client, data_dir, entry):
    if entry == "":
        # An empty list is no configuration at all (never an admitted empty id).
        assert _app(redis_client, data_dir, EXTENSION_IDS=entry).extensions["kadun"].extra["access"].extension_ids == set()
        return
    with pytest.raises(ValueError, match="KADUN_EXTENSION_IDS"):
        _app(redis_client, data_dir, EXTENSION_IDS=entry)


def test_a_backend_paired_before_pinning_pins_the_first_extension_that_shows_a_token(redis_client, data_dir):
    app = _app(redis_client, data_dir)
    token, _ = pair_user(app)  # no Origin: nothing pinned, as on a backend paired before this version
    auth = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert client.get("/v1/chain", headers={"Origin": CHROME_A, **auth}).status_code == 200
    assert origin_store.pinned(redis_client).keys() == {CHROME_A}
    # A failed request pins nothing; once one id is pinned, the others must pair.
    assert client.get("/v1/chain", headers={"Origin": CHROME_B}).status_code == 403
    assert origin_store.pinned(redis_client).keys() == {CHROME_A}


@pytest.mark.parametrize("origin", [
    "https://evil.example.com", "null", "http://127.0.0.1:8765", "https://dashboard.example.org.evil.com",
    "chrome-extension://", "moz-extension://", "chrome-extensionx://abcdefghijklmnopabcdefghijklmnop",
    "chrome-extension://abcdefghijklmnopabcdefghijklmnopq", "chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP",
    "file://", "http://localhost.evil.com"])
def test_foreign_origins_get_403_and_no_cors(redis_client, data_dir, origin):
    app = _app(redis_client, data_dir, CORS_ORIGINS=["https://dashboard.example.org"])
    token, _ = pair_user(app)
    client = app.test_client()
    for method, path in (("GET", "/healthz"), ("GET", "/v1/chain"), ("POST", "/v1/pair"), ("OPTIONS", "/v1/pair")):
        headers = {"Origin": origin, "Authorization": f"Bearer {token}"}
        if method == "OPTIONS":
            headers.update(PREFLIGHT_POST)
        response = client.open(path, method=method, headers=headers, json={"code": "AAAAAAAA"})
        assert response.status_code == 403, (method, path, response.status_code)
        assert_error_shape(response, "forbidden")
        assert not _cors_headers(response), response.headers
        assert "Origin" in response.headers.get("Vary", "")


def test_own_pages_configured_origins_and_no_origin_are_served(redis_client, data_dir):
    app = _app(redis_client, data_dir, CORS_ORIGINS=["https://dashboard.example.org"])
    token, _ = pair_user(app)
    auth = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    own = client.get("/v1/chain", headers={"Origin": "http://localhost", **auth})  # the test client's Host
    assert own.status_code == 200 and not _cors_headers(own)
    dashboard = client.get("/v1/chain", headers={"Origin": "https://dashboard.example.org", **auth})
    assert dashboard.status_code == 200
    assert dashboard.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    assert client.get("/v1/chain", headers=auth).status_code == 200


def test_cors_never_allows_wildcards_or_credentials(redis_client, data_dir):
    app = _app(redis_client, data_dir)
    token = _pair_from(app, CHROME_A)
    response = app.test_client().get("/v1/chain", headers={"Origin": CHROME_A, "Authorization": f"Bearer {token}"})
    assert response.headers["Access-Control-Allow-Origin"] == CHROME_A
    assert "Access-Control-Allow-Credentials" not in response.headers


# --- pairing only from KaDun's own clients -------------------------------------------------------
def test_a_web_page_cannot_spend_the_pairing_budget(redis_client, data_dir):
    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": True,
                      "PAIR_RATE_LIMIT": "10 per minute"})
    client = app.test_client()
    env = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(15):  # what a page can send without a preflight: text/plain, its own Origin
        response = client.post("/v1/pair", data='{"code": "AAAAAAAA"}', content_type="text/plain",
                               headers={"Origin": "https://evil.example.com"}, environ_base=env)
        assert response.status_code == 403, response.get_json()
    for _ in range(15):  # even a JSON body from a foreign origin
        response = client.post("/v1/pair", json={"code": "AAAAAAAA"}, headers={"Origin": "https://evil.example.com"},
                               environ_base=env)
        assert response.status_code == 403
    for _ in range(15):  # and text/plain from a client without an Origin is refused uncounted
        response = client.post("/v1/pair", data='{"code": "AAAAAAAA"}', content_type="text/plain", environ_base=env)
        assert response.status_code == 400 and response.get_json()["field"] == "Content-Type"
    code = users.new_pairing_code(redis_client)
    paired = client.post("/v1/pair", json={"code": code, "device": "laptop"}, headers={"Origin": CHROME_A},
                         environ_base=env)
    assert paired.status_code == 201, paired.get_json()
    # The budget still stops guessing from one address.
    statuses = [client.post("/v1/pair", json={"code": "AAAAAAAA"}, environ_base=env).status_code for _ in range(10)]
    assert statuses[:9] == [404] * 9 and statuses[9] == 429


# --- Host check -----------------------------------------------------------------------------------
@pytest.mark.parametrize("host, port, ok", [
    ("localhost:8765", "8765", True), ("127.0.0.1:8765", "8765", True), ("[::1]:8765", "8765", True),
    ("LOCALHOST:8765", "8765", True), ("localhost", "80", True),
    ("attacker.example:8765", "8765", False), ("attacker.example", "80", False),
    ("127.0.0.1:9999", "8765", False), ("localhost", "8765", True), ("127.0.0.2:8765", "8765", False),
    ("localhost.attacker.example:8765", "8765", False), ("[::1]:99999", "8765", False), ("", "8765", False),
    ("a b", "8765", False),
])
def test_loopback_backend_answers_only_loopback_hosts(redis_client, data_dir, host, port, ok):
    app = _app(redis_client, data_dir)
    client = app.test_client()
    for path in ("/healthz", "/metrics", "/v1/keys", "/no/such/route", "/v1/chain"):
        response = client.get(path, headers={"Host": host},
                              environ_overrides={"SERVER_PORT": port, "REMOTE_ADDR": "127.0.0.1"})
        if ok:
            assert response.status_code in (200, 401, 404), (path, response.status_code)
        else:
            # Refused before routing: an unknown route is 400 too, not 404.
            assert response.status_code == 400, (host, path, response.status_code)
            assert assert_error_shape(response, "bad_request")["field"] == "Host"


def test_configured_hosts_are_answered(redis_client, data_dir):
    app = _app(redis_client, data_dir, ALLOWED_HOSTS="kadun.example.org, .corp.example")
    client = app.test_client()

    def status(host):
        return client.get("/healthz", headers={"Host": host}, environ_overrides={"SERVER_PORT": "8765"}).status_code

    assert status("kadun.example.org") == 200
    assert status("kadun.example.org:443") == 200
    assert status("evidence.corp.example") == 200
    assert status("127.0.0.1:8765") == 200
    assert status("kadun.example.org.attacker.example") == 400
    assert status("127.0.0.1:9000") == 400  # a loopback name on another port: only when listed
    ported = _app(redis_client, data_dir, ALLOWED_HOSTS="127.0.0.1:9000,[::1]:9000").test_client()
    for host, expected in (("127.0.0.1:9000", 200), ("[::1]:9000", 200), ("127.0.0.1:9001", 400)):
        response = ported.get("/healthz", headers={"Host": host}, environ_overrides={"SERVER_PORT": "8765"})
        assert response.status_code == expected, host
    assert status("evil.org") == 400
    anything = _app(redis_client, data_dir, ALLOWED_HOSTS="*").test_client()
    assert anything.get("/healthz", headers={"Host": "whatever.example"}).status_code == 200


# --- /metrics: a token, or loopback only ----------------------------------------------------------
def test_metrics_without_a_token_are_served_on_loopback_only(redis_client, data_dir):
    client = _app(redis_client, data_dir, ALLOWED_HOSTS="kadun.example.org").test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    for remote, host in (("10.0.0.5", "localhost"), ("203.0.113.9", "kadun.example.org"),
                         ("127.0.0.1", "kadun.example.org")):
        response = client.get("/metrics", headers={"Host": host}, environ_base={"REMOTE_ADDR": remote})
        assert response.status_code == 403, (remote, host)
        assert "KADUN_METRICS_TOKEN" in assert_error_shape(response, "forbidden")["message"]


def test_metrics_with_a_token_are_served_to_whoever_has_it(redis_client, data_dir):
    client = _app(redis_client, data_dir, METRICS_TOKEN="s3cret").test_client()
    remote = {"REMOTE_ADDR": "10.0.0.5"}
    assert client.get("/metrics", environ_base=remote).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}, environ_base=remote).status_code == 200
    # Near misses and tokens that are not plain ASCII are refused the same way (compared in
    # constant time, as bytes: a non-ASCII str would make hmac.compare_digest raise).
    for wrong in ("Bearer s3cre", "Bearer s3cret2", "Bearer S3CRET", "Bearer s3crét", "Bearer 卡盾", "bearer  ",
                  "Basic s3cret"):
        answer = client.get("/metrics", headers={"Authorization": wrong.encode("utf-8").decode("latin-1")},
                            environ_base=remote)
        assert answer.status_code == 401, wrong
