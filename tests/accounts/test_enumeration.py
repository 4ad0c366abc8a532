"""No user enumeration by timing, measured: with production's Argon2id parameters, a sign-in with
a known username and a wrong password costs as much as one with a name nobody has.

Measured on this process's CPU clock (``time.process_time``, every thread of the process, the
Argon2id lanes included): the work a sign-in does, which is what a difference in answer time
would come from, without the waits for a CPU that a busy shared machine adds to the wall clock
(there, two requests' wall times differ by up to a second either way; the wall-clock medians are
printed too, and ``tests/bench/bench_signin.py`` prints their spread). The gap between the two
medians must stay well under the work of the one Argon2id verification that a leaky sign-in would
skip for unknown names, and the same measurement run against such a leaky sign-in must see that
gap, so the check can fail.
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


def measure(app, known: str, unknown: str, rounds: int = ROUNDS) -> dict[str, tuple[float, float]]:
    """Median (CPU seconds, wall seconds) of a failed sign-in for ``known``, for ``unknown``, and of
    one bare Argon2id verification ("hash"), taken in turns (the order rotating each round)."""
    passwords = app.extensions["kadun"].extra["passwords"]
    stored = passwords.hash(PASSWORD)

    def sign_in(name: str, round_no: int) -> tuple[float, float]:
        pages = Pages(app)
        token = pages.token("/account/signin")
        cpu, wall = time.process_time(), time.perf_counter()
        answer = pages.client.post("/account/signin", base_url="https://localhost",
                                   data={"username": name, "password": f"wrong {round_no}", "csrf_token": token})
        spent = time.process_time() - cpu, time.perf_counter() - wall
        assert answer.status_code == 401
        return spent

    def verify(_name: str, _round_no: int) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        passwords.check(stored, "wrong")
        return time.process_time() - cpu, time.perf_counter() - wall

    steps = [(known, sign_in), (unknown, sign_in), ("hash", verify)]
    samples: dict[str, list[tuple[float, float]]] = {known: [], unknown: [], "hash": []}
    for round_no in range(rounds):
        shift = round_no % len(steps)
        for name, step in steps[shift:] + steps[:shift]:
            samples[name].append(step(name, round_no))
    return {name: (statistics.median(s[0] for s in values), statistics.median(s[1] for s in values))
            for name, values in samples.items()}


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
    found = measure(production_app, "known_user", "nobody_has_this")
    (known, known_wall), (unknown, unknown_wall), (hash_cost, hash_wall) = (
        found["known_user"], found["nobody_has_this"], found["hash"])
    gap = abs(known - unknown)
    with capsys.disabled():
        print(f"\nfailed sign-in, CPU ms: known name {known * 1000:.0f}, unknown name {unknown * 1000:.0f}, "
              f"gap {gap * 1000:.0f}, one Argon2id check {hash_cost * 1000:.0f}; wall ms: "
              f"{known_wall * 1000:.0f}, {unknown_wall * 1000:.0f}, {hash_wall * 1000:.0f}")
    assert gap < hash_cost / 2, found


def test_the_measurement_sees_a_leak(production_app):
    """Control: the same measurement finds the gap of a sign-in that skips the hash for unknown names."""
    real = production_app.extensions["kadun"].extra["passwords"]
    production_app.extensions["kadun"].extra["passwords"] = LeakyPasswords(
        real.hasher.time_cost, real.hasher.memory_cost, real.hasher.parallelism)
    found = measure(production_app, "known_user", "nobody_has_this", rounds=5)
    (known, _), (unknown, _), (hash_cost, _) = found["known_user"], found["nobody_has_this"], found["hash"]
    assert known - unknown > hash_cost / 2, found
