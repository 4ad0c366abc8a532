"""No user enumeration by timing, measured: with production's Argon2id parameters, a sign-in with
a known username and a wrong password takes as long as one with a name nobody has.

Checked as behaviour, not as a speed: the difference between the two medians must stay well under
the cost of the one Argon2id verification that a leaky sign-in would skip for unknown names, and
the same measurement run against such a leaky sign-in must see the gap (so the check can fail).
``tests/bench/bench_signin.py`` prints the figures.
"""
from __future__ import annotations

import statistics
import time

import pytest

from server.accounts.passwords import Passwords

from .conftest import Pages, hosted_config

PASSWORD = "correct horse battery staple"
ROUNDS = 9


class LeakyPasswords(Passwords):
    """What the check must catch: no hash work when the account does not exist."""

    def check(self, stored, password):
        return False if stored is None else super().check(stored, password)


def measure(app, known: str, unknown: str, rounds: int = ROUNDS) -> tuple[float, float, float]:
    """Median seconds of a failed sign-in for ``known``, for ``unknown``, and of one bare Argon2id
    verification, taken in turns (the order rotating each round) so that the machine's changing
    load falls on all three alike."""
    passwords = app.extensions["kadun"].extra["passwords"]
    stored = passwords.hash(PASSWORD)

    def sign_in(name: str, round_no: int) -> float:
        pages = Pages(app)
        token = pages.token("/account/signin")
        started = time.perf_counter()
        answer = pages.client.post("/account/signin", base_url="https://localhost",
                                   data={"username": name, "password": f"wrong {round_no}", "csrf_token": token})
        spent = time.perf_counter() - started
        assert answer.status_code == 401
        return spent

    def verify(_name: str, _round_no: int) -> float:
        started = time.perf_counter()
        passwords.check(stored, "wrong")
        return time.perf_counter() - started

    steps = [(known, sign_in), (unknown, sign_in), ("hash", verify)]
    timings: dict[str, list[float]] = {known: [], unknown: [], "hash": []}
    for round_no in range(rounds):
        shift = round_no % len(steps)
        for name, step in steps[shift:] + steps[:shift]:
            timings[name].append(step(name, round_no))
    return (statistics.median(timings[known]), statistics.median(timings[unknown]),
            statistics.median(timings["hash"]))


@pytest.fixture
def production_app(redis_client, data_dir):
    """Hosted, with the default (production) Argon2id cost."""
    from server import create_app
    from server.config import DEFAULTS

    config = hosted_config(redis_client, data_dir)
    for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM"):
        config[name] = DEFAULTS[name]
    app = create_app(config)
    Pages(app).sign_up("known_user", PASSWORD)
    return app


def test_unknown_and_known_names_take_as_long(production_app, capsys):
    passwords = production_app.extensions["kadun"].extra["passwords"]
    assert passwords.hasher.memory_cost == 65536 and passwords.hasher.time_cost == 3
    known, unknown, hash_cost = measure(production_app, "known_user", "nobody_has_this")
    gap = abs(known - unknown)
    with capsys.disabled():
        print(f"\nsign-in timing: known name {known * 1000:.0f} ms, unknown name {unknown * 1000:.0f} ms, "
              f"gap {gap * 1000:.0f} ms; one Argon2id check {hash_cost * 1000:.0f} ms")
    assert gap < hash_cost / 2, (known, unknown, hash_cost)


def test_the_measurement_sees_a_leak(production_app):
    """Control: the same measurement finds the gap of a sign-in that skips the hash for unknown names."""
    real = production_app.extensions["kadun"].extra["passwords"]
    production_app.extensions["kadun"].extra["passwords"] = LeakyPasswords(
        real.hasher.time_cost, real.hasher.memory_cost, real.hasher.parallelism)
    known, unknown, hash_cost = measure(production_app, "known_user", "nobody_has_this", rounds=5)
    assert known - unknown > hash_cost / 2, (known, unknown, hash_cost)
