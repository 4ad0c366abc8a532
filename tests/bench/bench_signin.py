"""Benchmark of password sign-in in hosted mode: how long a failed sign-in takes for a username
that exists and for one that does not (the two must not be told apart), beside one bare Argon2id
verification, with the production parameters (64 MiB, 3 passes, 4 lanes).

    .venv/bin/python tests/bench/bench_signin.py [--rounds 30]

The app runs in this process on an embedded Redis; each round signs in once with each name and
verifies one hash, the order rotating, through the account pages (CSRF token included). Prints
minimum, median, 10th and 90th percentiles of the wall clock and of the process's CPU clock (the
work done, every Argon2id lane included; on a busy shared machine the wall clock adds the waits). Not a pytest test (pytest collects test_*.py only).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    from server import create_app
    from server.storage.redis import EmbeddedRedis, connect
    from tests.accounts.conftest import Pages

    with tempfile.TemporaryDirectory() as folder:
        redis_server = EmbeddedRedis(Path(folder) / "redis")
        client = connect(redis_server.start())
        try:
            app = create_app({"REDIS": client, "DATA_DIR": str(Path(folder) / "data"), "MODE": "hosted",
                              "RATELIMIT_ENABLED": False})
            Pages(app).sign_up("known_user", "correct horse battery staple")
            passwords = app.extensions["kadun"].extra["passwords"]
            stored = passwords.hash("correct horse battery staple")
            timings: dict[str, list[tuple[float, float]]] = {"known name": [], "unknown name": [],
                                                             "one Argon2id check": []}

            def sign_in(name: str) -> tuple[float, float]:
                pages = Pages(app)
                token = pages.token("/account/signin")
                wall, cpu = time.perf_counter(), time.process_time()
                answer = pages.client.post("/account/signin", base_url="https://localhost",
                                           data={"username": name, "password": "wrong", "csrf_token": token})
                assert answer.status_code == 401
                return time.perf_counter() - wall, time.process_time() - cpu

            def check() -> tuple[float, float]:
                wall, cpu = time.perf_counter(), time.process_time()
                passwords.check(stored, "wrong")
                return time.perf_counter() - wall, time.process_time() - cpu

            steps = [("known name", lambda: sign_in("known_user")), ("unknown name", lambda: sign_in("nobody_here")),
                     ("one Argon2id check", check)]
            for round_no in range(args.rounds):
                shift = round_no % len(steps)
                for name, step in steps[shift:] + steps[:shift]:
                    timings[name].append(step())
        finally:
            client.close()
            redis_server.stop()

    print(f"failed sign-ins, {args.rounds} rounds, Argon2id m=64 MiB t=3 p=4 (ms):")
    for clock_no, clock_name in ((0, "wall clock"), (1, "CPU clock")):
        print(f" {clock_name}:")
        for name, pairs in timings.items():
            values = [pair[clock_no] for pair in pairs]
            deciles = statistics.quantiles(values, n=10)
            print(f"  {name:20s} min {min(values) * 1000:7.1f}   median {statistics.median(values) * 1000:7.1f}   "
                  f"p10 {deciles[0] * 1000:7.1f}   p90 {deciles[-1] * 1000:7.1f}")
        known = [pair[clock_no] for pair in timings["known name"]]
        unknown = [pair[clock_no] for pair in timings["unknown name"]]
        print(f"  gap of the medians (known - unknown): {(statistics.median(known) - statistics.median(unknown)) * 1000:+.1f}"
              f" ms, of the minimums: {(min(known) - min(unknown)) * 1000:+.1f} ms")

if __name__ == "__main__":
    main()
