"""POST /v1/pair: one-time codes that expire, tokens stored hashed, one default user shared by devices."""
from __future__ import annotations

import time

from server.storage import keys, users


def redeem(client, code, device="Chrome on laptop"):
    return client.post("/v1/pair", json={"code": code, "device": device})


def test_code_gives_a_token_once(app, client):
    code = users.new_pairing_code(app.extensions["kadun"].redis)
    assert len(code) == 8 and set(code) <= set(users.CODE_ALPHABET)
    first = redeem(client, code)
    assert first.status_code == 201
    body = first.get_json()
    assert set(body) == {"token", "user"} and body["user"].startswith("usr_")
    again = redeem(client, code)
    assert again.status_code == 404 and again.get_json()["error"] == "not_found"
    token = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/v1/chain", headers=token).status_code == 200


def test_code_is_read_leniently(app, client):
    r = app.extensions["kadun"].redis
    code = users.new_pairing_code(r)
    assert redeem(client, f" {code[:4].lower()}-{code[4:].lower()} ").status_code == 201


def test_code_expires_after_its_ttl(app, client):
    r = app.extensions["kadun"].redis
    code = users.new_pairing_code(r, ttl=1)
    deadline = time.monotonic() + 5
    while r.exists(keys.pairing_code(users.sha256_hex(code.encode()))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert redeem(client, code).status_code == 404


def test_default_ttl_is_the_configured_one(app):
    r = app.extensions["kadun"].redis
    code = users.new_pairing_code(r, ttl=app.config["PAIRING_CODE_TTL"])
    ttl = r.ttl(keys.pairing_code(users.sha256_hex(code.encode())))
    assert app.config["PAIRING_CODE_TTL"] == 600 and 590 <= ttl <= 600


def test_wrong_codes_are_404_and_bad_bodies_400(client):
    for code in ("AAAAAAAA", "short", "x" * 64, "", "!!!!!!!!"):
        response = redeem(client, code)
        assert response.status_code in (400, 404), (code, response.get_json())
    missing = client.post("/v1/pair", json={"device": "x"})
    assert missing.status_code == 400 and missing.get_json()["field"] == "code"
    wrong_type = client.post("/v1/pair", json={"code": 12345678})
    assert wrong_type.status_code == 400 and "code" in wrong_type.get_json()["message"]
    not_json = client.post("/v1/pair", data=b"code=1", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 400


def test_no_raw_token_or_code_is_stored(app, client, redis_client):
    code = users.new_pairing_code(redis_client)
    token = redeem(client, code).get_json()["token"]
    for key in redis_client.scan_iter(count=1000):
        assert token.encode() not in key and code.encode() not in key
        kind = redis_client.type(key)
        values = {b"string": lambda k: [redis_client.get(k)], b"set": redis_client.smembers,
                  b"list": lambda k: redis_client.lrange(k, 0, -1), b"zset": lambda k: redis_client.zrange(k, 0, -1),
                  b"hash": lambda k: list(redis_client.hgetall(k).values())}[kind](key)
        for value in values:
            assert token.encode() not in value and code.encode() not in value, key
    # What is stored is the digest, and it resolves to the user.
    digest = users.sha256_hex(token.encode())
    assert redis_client.exists(keys.token(digest))
    assert users.user_for_token(redis_client, token) is not None


def test_devices_share_the_default_user_and_new_user_codes_make_separate_users(app, client):
    r = app.extensions["kadun"].redis
    laptop = redeem(client, users.new_pairing_code(r), "laptop").get_json()
    phone = redeem(client, users.new_pairing_code(r), "phone").get_json()
    assert laptop["user"] == phone["user"] and laptop["token"] != phone["token"]
    other = redeem(client, users.new_pairing_code(r, new_user=True)).get_json()
    another = redeem(client, users.new_pairing_code(r, new_user=True)).get_json()
    assert len({laptop["user"], other["user"], another["user"]}) == 3
    assert users.default_user(r) == laptop["user"]


def test_concurrent_redeems_of_one_code_give_one_token(app):
    import threading

    code = users.new_pairing_code(app.extensions["kadun"].redis)
    statuses = []
    barrier = threading.Barrier(6)

    def worker():
        local = app.test_client()
        barrier.wait()
        statuses.append(redeem(local, code).status_code)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [404] * 5
