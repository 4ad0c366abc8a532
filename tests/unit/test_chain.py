"""The hash chain's pure parts: the link formula and the first bad link of a slice."""
from __future__ import annotations

import hashlib

import pytest

from server.evidence.chain import GENESIS, ChainLink, first_bad_index, link_hash, make_link


def build(n: int, start_prev: str = GENESIS, start_index: int = 0) -> list[ChainLink]:
    links, prev = [], start_prev
    for i in range(n):
        sha = hashlib.sha256(f"page {i}".encode()).hexdigest()
        link = make_link(start_index + i, prev, sha, f"2026-11-24T10:00:0{i % 10}.000+08:00", f"snp_{i:04d}")
        links.append(link)
        prev = link.chain_hash
    return links


def test_link_hash_is_sha256_of_the_concatenation():
    prev, sha, at, item = GENESIS, "ab" * 32, "2026-11-24T10:03:30.000+08:00", "snp_1"
    assert link_hash(prev, sha, at, item) == hashlib.sha256((prev + sha + at + item).encode()).hexdigest()
    link = make_link(0, prev, sha, at, item)
    assert link.chain_hash == link.expected_hash() and link.prev_hash == GENESIS and link.index == 0


def test_link_round_trips_through_a_dict():
    link = build(1)[0]
    assert ChainLink.from_dict(link.as_dict()) == link
    assert set(link.as_dict()) == {"index", "id", "sha256", "received_at", "prev_hash", "chain_hash"}


def test_an_intact_chain_has_no_bad_link():
    assert first_bad_index(build(10)) is None
    assert first_bad_index([]) is None


def _replace(links, i, **changes):
    data = links[i].as_dict()
    data.update(changes)
    out = list(links)
    out[i] = ChainLink.from_dict(data)
    return out


@pytest.mark.parametrize("position", [0, 4, 9])
@pytest.mark.parametrize("change", [
    {"sha256": "0" * 64}, {"received_at": "2020-01-01T00:00:00.000+08:00"}, {"id": "snp_other"},
    {"prev_hash": "1" * 64}, {"chain_hash": "2" * 64}, {"index": 99},
])
def test_the_first_changed_link_is_named(position, change):
    assert first_bad_index(_replace(build(10), position, **change)) == position


def test_a_recomputed_link_breaks_the_next_one():
    links = build(6)
    forged = make_link(2, links[2].prev_hash, "f" * 64, links[2].received_at, links[2].id)
    tampered = links[:2] + [forged] + links[3:]
    assert first_bad_index(tampered) == 3


def test_removed_and_reordered_links_are_named():
    links = build(6)
    assert first_bad_index(links[:3] + links[4:]) == 3
    assert first_bad_index([links[1], links[0]] + links[2:]) == 0


def test_a_slice_verifies_from_its_own_start():
    links = build(12)
    part = links[5:9]
    assert first_bad_index(part, start_prev=links[4].chain_hash, start_index=5) is None
    assert first_bad_index(part, start_index=5) == 5  # from genesis it does not follow
    assert first_bad_index(part, start_prev=links[4].chain_hash) == 0  # nor from index 0
