from tests.conftest import capture_body


def test_capture_roundtrip(client, auth):
    body = capture_body("risky-shop-order.html", "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563")
    first = client.post("/v1/snapshots", json=body, headers=auth)
    assert first.status_code == 201, first.get_json()
    again = client.post("/v1/snapshots", json=body, headers=auth)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    chain = client.get("/v1/chain", headers=auth).get_json()
    assert chain == {"length": 1, "head": first.get_json()["chain_hash"], "valid": True, "first_bad_index": None}
