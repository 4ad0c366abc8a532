"""Every Redis key is built in server/storage/keys.py: hash tags, and no value can forge a key."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.storage import keys

USER_BUILDERS = {
    "user_meta": lambda u, v: keys.user_meta(u),
    "user_tokens": lambda u, v: keys.user_tokens(u),
    "blob": keys.blob,
    "facts": keys.facts,
    "snapshot": keys.snapshot,
    "client_id": keys.client_id,
    "client_ids": lambda u, v: keys.client_ids(u),
    "sightings": keys.sightings,
    "chain": lambda u, v: keys.chain(u),
    "snapshots_all": lambda u, v: keys.snapshots_all(u),
    "snapshots_by_domain": keys.snapshots_by_domain,
    "snapshots_by_order": keys.snapshots_by_order,
    "snapshots_by_kind": keys.snapshots_by_kind,
    "snapshots_by_shop_order": lambda u, v: keys.snapshots_by_shop_order(u, v, v),
    "orders": lambda u, v: keys.orders(u),
    "user_domains": lambda u, v: keys.user_domains(u),
    "search_indexed": lambda u, v: keys.search_indexed(u),
    "snapshots_by_seller": lambda u, v: keys.snapshots_by_seller(u, v, v),
    "dispute": keys.dispute,
    "disputes_all": lambda u, v: keys.disputes_all(u),
    "attachment": keys.attachment,
    "dispute_attachments": keys.dispute_attachments,
    "stamps": lambda u, v: keys.stamps(u),
    "stamp_lock": lambda u, v: keys.stamp_lock(u),
    "stamp_attempts": lambda u, v: keys.stamp_attempts(u),
    "tsa_chains": lambda u, v: keys.tsa_chains(u),
}


def hash_tag(key: str) -> str | None:
    """The part Redis Cluster hashes: between the first '{' and the next '}' (if non-empty)."""
    start = key.find("{")
    end = key.find("}", start + 1)
    return key[start + 1:end] if start >= 0 and end > start + 1 else None


@pytest.mark.parametrize("name", sorted(USER_BUILDERS))
def test_user_keys_carry_the_users_hash_tag(name):
    key = USER_BUILDERS[name]("usr_0123abcd", "value")
    assert key.startswith("kadun:{u:usr_0123abcd}:")
    assert hash_tag(key) == "u:usr_0123abcd"


def test_all_of_one_users_keys_share_one_slot():
    from redis.crc import key_slot

    user = "usr_5f3e9a0b1c2d3e4f"
    slots = {key_slot(builder(user, "x.cn").encode()) for builder in USER_BUILDERS.values()}
    assert len(slots) == 1
    other = {key_slot(builder("usr_ffffffffffffffff", "x.cn").encode()) for builder in USER_BUILDERS.values()}
    assert len(other) == 1


def test_site_keys_carry_the_site_hash_tag():
    for key in (keys.platform_profile("Shop.CN"), keys.seller_profile("shop.cn", "s1"), keys.site_evidence("shop.cn"),
                keys.site_disputes("shop.cn"), keys.site_dispute_members("shop.cn")):
        assert hash_tag(key) == "p:shop.cn", key


def test_distinct_builders_give_distinct_keys():
    built = [builder("usr_a", "v") for builder in USER_BUILDERS.values()]
    assert len(set(built)) == len(built)


@pytest.mark.parametrize("value", [
    "a:b", "x}:blob:y", "{u:usr_other}", "usr_a}:chain", "中文订单", "a b", "", "a" * 200, "a.b:c", "a\nb", "\ud800",
])
def test_values_with_separators_or_braces_are_digested(value):
    key = keys.snapshots_by_order("usr_a", value)
    assert hash_tag(key) == "u:usr_a"
    tail = key[len("kadun:{u:usr_a}:snaps:order:"):]
    assert re.fullmatch(r"~[0-9a-f]{32}", tail), key
    assert key.count("{") == 1 and key.count("}") == 1


def test_a_user_id_cannot_reach_another_users_keys():
    forged = keys.chain("usr_a}:x{u:usr_b")
    assert hash_tag(forged) != "u:usr_b" and "usr_b" not in forged
    assert keys.chain("usr_a") != keys.chain("usr_a ")


@given(user=st.text(max_size=40), a=st.text(max_size=150), b=st.text(max_size=150))
def test_no_two_values_share_a_key(user, a, b):
    if a != b:
        assert keys.snapshots_by_order(user, a) != keys.snapshots_by_order(user, b)
        assert keys.client_id(user, a) != keys.client_id(user, b)
    assert hash_tag(keys.blob(user, a)) == hash_tag(keys.chain(user))


@given(domain=st.text(max_size=60), seller=st.text(max_size=60))
def test_seller_index_cannot_collide_with_a_domain_index(domain, seller):
    assert keys.snapshots_by_seller("u", domain, seller) != keys.snapshots_by_domain("u", domain)
    assert keys.snapshots_by_seller("u", domain, seller).count(":seller:") == 1


def test_a_value_that_looks_like_a_digest_is_not_one():
    digested = keys.snapshots_by_order("usr_a", "中文订单")
    digest_part = digested.rsplit(":", 1)[1]
    assert digest_part.startswith("~")
    for lookalike in (digest_part, digest_part[1:], "h" + digest_part[1:]):
        assert keys.snapshots_by_order("usr_a", lookalike) != digested
