"""schemathesis against /openapi.json with a valid token: no 5xx, every answer as the spec says.

Every operation the app documents is fuzzed from its own schema (positive and negative data)
through the WSGI app, checking status codes, content types, response bodies and headers against
the spec. The routes that need an existing object are also called with real ids of the caller's
own capture and dispute, so their 200 answers are validated too.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.bench.load import _pair
from tests.conftest import capture_body
from tests.ops.helpers import PNG_DATA_URL
from tests.ops.stack import Stack

# negative_data_rejection is left out here: negative cases that only break the Authorization header
# (which we always send valid) or add unknown query parameters (ignored, on purpose) would count as
# "accepted"; the CLI run against the live server below runs every check.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, positive_data_acceptance]


EXAMPLES = 30


def _operations(app):
    spec = schemathesis.openapi.from_wsgi("/openapi.json", app)
    return [result.ok() for result in spec.get_all_operations()]


def _fuzz(operation, mode, auth: dict, tried: dict):
    # The token is ours: schemathesis must not replace it with generated junk (401 is tested in
    # test_access.py).
    @given(case=operation.as_strategy(generation_mode=mode))
    # derandomize: CI runs the same cases every time, so a red run always reproduces locally.
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=auth, checks=CHECKS)
        tried[operation.label] = tried.get(operation.label, 0) + 1

    return check


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_api_matches_its_spec(app, auth, mode):
    tried, unsatisfiable = {}, []
    for operation in _operations(app):
        try:
            _fuzz(operation, mode, auth, tried)()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (no parameters, no body).
            assert mode is GenerationMode.NEGATIVE, operation.label
            unsatisfiable.append(operation.label)
    # Every documented operation was exercised (16 today; new routes join automatically).
    assert len(tried) + len(unsatisfiable) == len(_operations(app)) >= 10, (tried, unsatisfiable)
    assert len(tried) >= 8, tried
    print(f"schemathesis {mode.value}: {sum(tried.values())} cases over {len(tried)} operations")


def test_object_routes_match_the_spec_with_real_ids(app, client, auth):
    body = capture_body("xingchen-km-order.html", "https://www.xingchen-km.com/order/detail?order_no=KM2026112409551",
                        screenshot=PNG_DATA_URL)
    snapshot_id = client.post("/v1/snapshots", json=body, headers=auth).get_json()["id"]
    dispute = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [snapshot_id], "problem": "invalid_code", "occurred_at": "2026-11-24T12:00:00+08:00"})
    assert dispute.status_code == 201, dispute.get_json()
    ids = {"snapshot_id": snapshot_id, "dispute_id": dispute.get_json()["id"]}
    spec = schemathesis.openapi.from_wsgi("/openapi.json", app)
    checked = []
    for result in spec.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        if operation.method.upper() != "GET" or not names or not names <= set(ids):
            continue
        case = operation.Case(path_parameters={n: ids[n] for n in names}, headers=auth)
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200, (operation.label, response.status_code)
        checked.append(operation.label)
    assert len(checked) >= 4, checked  # snapshot, html, screenshot, dispute (and pack)


def test_schemathesis_cli_against_the_production_server(tmp_path):
    """The `st` CLI with all its checks (conformance, schema-valid data accepted, schema-violating
    data refused, missing headers, auth, unsupported methods…) and all its phases (coverage,
    fuzzing, stateful) against `kadun serve` over HTTP, every operation included."""
    stack = Stack(tmp_path, workers=2)
    try:
        stack.start_redis()
        stack.start_app()
        token = _pair(stack, 1)[0]
        result = subprocess.run(
            [str(Path(sys.executable).with_name("st")), "run", f"http://127.0.0.1:{stack.port}/openapi.json",
             "-H", f"Authorization: Bearer {token}", "-n", "25", "--seed", "7", "--no-color",
             "--generation-database", "none", "--max-failures", "5"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        stack.stop()
    summary = result.stdout[-3000:]
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated and int(generated.group(1)) > 500 and generated.group(1) == generated.group(2), summary
    assert re.search(r"Tested: (\d+)", summary).group(1) == re.search(r"Selected: (\d+)/(\d+)", summary).group(2)
    print(f"schemathesis CLI: {generated.group(1)} cases against gunicorn, all passed")
