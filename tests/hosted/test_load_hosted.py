"""Load and faults in hosted mode (tests/bench/load_hosted.py, small): several accounts behind a
proxy, one over its quota (refused, kept queued, let in after the raise), one deleted mid-run
(nothing of it left), kill -9 of the app, of Redis and of both: nothing acknowledged is lost."""
from __future__ import annotations

from tests.bench import load_hosted


def test_hosted_load_with_quota_deletion_and_faults(tmp_path):
    result = load_hosted.run_hosted(clients=4, captures=10, users=3, workers=2, faults=True, budget=400,
                                    resend_rate=0.2, data_dir=str(tmp_path))
    v, q, d = result["verify"], result["quota"], result["deletion"]
    assert result["acknowledged"] == result["sent"], result
    assert (v["lost"], v["duplicates"], v["unexpected"], v["corrupt"], v["bad_receipts"]) == (0, 0, 0, 0, 0), v
    assert v["chains_valid"], v["problems"]
    assert [f["killed"] for f in result["faults"]] == ["app", "redis", "redis+app"]
    # Never more than the limit before the raise; a worker killed between taking a count and storing
    # leaves that count taken, so under faults it may be less.
    assert q["refusals"] > 0 and 0 < q["stored_before_raise"] <= q["limit"] and q["acknowledged"] == q["sent"], q
    assert d["ok"] and d["token_after"] == 401 and d["traces_left"] == [], d
    assert load_hosted.good(result)
