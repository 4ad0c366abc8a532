"""Hostile input never makes a 500: random bodies for POST /v1/disputes, random attachment bytes."""
from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.disputes.attachments import check
from server.errors import KadunError

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=12)
BODY = st.fixed_dictionaries({}, optional={
    "domain": JSON | st.sampled_from(["xingchen-km.com", "星辰.com", "a/b", "x" * 300]),
    "order_no": JSON | st.just("XC20261124100322581"),
    "snapshot_ids": JSON | st.lists(st.from_regex(r"snp_[0-9a-f]{23}", fullmatch=True), max_size=3),
    "problem": JSON | st.sampled_from(["account_recovered", "other", "OTHER"]),
    "occurred_at": JSON | st.sampled_from(["2026-11-24T20:00:00+08:00", "9999-12-31T23:59:59+08:00",
                                           "0001-01-01T00:00:00", "2026-11-24", "2026-02-30T00:00:00Z"]),
    "description": JSON, "amount": JSON})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODY)
def test_random_dispute_bodies_get_a_json_answer(client, auth, body):
    response = client.post("/v1/disputes", json=body, headers=auth)
    assert response.status_code in (201, 400, 404, 422), (body, response.get_json())
    assert response.get_json()["error" if response.status_code != 201 else "id"]


def test_far_future_problem_time_is_refused(client, auth):
    response = client.post("/v1/disputes", json={"domain": "x.com", "order_no": "1", "problem": "other",
                                                 "occurred_at": "9999-12-31T23:59:59+08:00"}, headers=auth)
    assert response.status_code == 400 and response.get_json()["field"] == "occurred_at"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600), name=st.text(max_size=60))
def test_random_attachment_bytes_are_typed_or_refused(data, name):
    try:
        safe, content_type = check(data, name, 1 << 20)
    except KadunError as error:
        assert error.status in (400, 413, 422)
        return
    assert "/" not in safe and "\\\\" not in safe and not safe.startswith(".")
    assert content_type.split(";")[0] in ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
                                          "application/json", "text/html", "text/plain")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), kind=st.sampled_from(["other", "chat_log", "", "x"]) | st.text(max_size=20),
       name=st.text(max_size=40))
def test_random_multipart_never_500(client, app, auth, data, kind, name):
    from server.storage import users

    from .scenario import open_dispute, store_fixture

    user = users.user_for_token(app.extensions["kadun"].redis, auth["Authorization"].split()[1])
    if not hasattr(app, "_hostile_dispute"):
        store_fixture(app, user, "caihong-query", "2026-11-24T10:40:00.000+08:00")
        app._hostile_dispute = open_dispute(app, user, "other", domain="lingxi-shop.cn", order_no="20261124103358217",
                                            occurred_at="2026-11-24T11:00:00+08:00",
                                            created_at="2026-11-24T11:00:00+08:00", now="2026-11-24T11:00:00+08:00")["id"]
    response = client.post(f"/v1/disputes/{app._hostile_dispute}/attachments", headers=auth,
                           data={"kind": kind, "file": (io.BytesIO(data), name)})
    assert response.status_code in (201, 400, 413, 422), response.get_json()
    if response.status_code == 201:
        assert response.get_json()["kind"] == kind and response.get_json()["size"] == len(data)


def test_a_quote_with_a_direction_override_does_not_reverse_a_letter(app):
    """A seller's promise carrying U+202E (invisible on the page, it reverses what follows it) is
    quoted in the letters without it: the amount and evidence after it read as written."""
    import copy

    from .contract_checks import assert_letters_readable
    from .scenario import FIXTURES, fixture_url, labelled, open_dispute, store, store_fixture

    user = "u_bidi"
    facts = copy.deepcopy(labelled("xingchen-km-product"))
    html = (FIXTURES / "xingchen-km-product.html").read_text(encoding="utf-8")
    promise = next(p for p in facts["promises"] if p["quote"] == "质保30天")
    html = html.replace("质保30天", "质保\u202e30天")
    promise["quote"] = "质保\u202e30天"
    store(app, user, html, fixture_url("xingchen-km-product.html"), facts, "2026-11-24T10:01:00.000+08:00")
    store_fixture(app, user, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, user, "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    assert any(f.get("quote") == "质保\u202e30天" for f in d["findings"])  # the finding quotes the page verbatim
    assert "「质保30天」" in d["letters"]["seller"]["zh"]
    assert_letters_readable(d)
